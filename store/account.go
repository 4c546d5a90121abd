package store

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"strings"

	inlet "github.com/inlet-data/inlet"
)

var _ inlet.AccountStore = (*DB)(nil)

// hashToken is how tokens are stored: a stolen database holds no usable token.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func (s *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

func (s *DB) CreateUser(ctx context.Context, u *inlet.User, passwordHash string) error {
	u.Email = normEmail(u.Email)
	_, err := s.db.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, site_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, passwordHash, u.SiteAdmin, formatTime(u.CreatedAt))
	return translate(err, "user "+u.Email)
}

func (s *DB) UserByEmail(ctx context.Context, email string) (*inlet.User, string, error) {
	var u inlet.User
	var hash, created string
	err := s.db.QueryRowContext(ctx, `SELECT id, email, name, password_hash, site_admin, created_at FROM users WHERE email = ?`, normEmail(email)).
		Scan(&u.ID, &u.Email, &u.Name, &hash, &u.SiteAdmin, &created)
	if err != nil {
		return nil, "", translate(err, "user")
	}
	u.CreatedAt = parseTime(created)
	return &u, hash, nil
}

func scanMembership(r scanner) (inlet.Membership, error) {
	var m inlet.Membership
	err := r.Scan(&m.UserID, &m.Email, &m.Name, &m.Tenant, &m.Role)
	return m, err
}

const membershipQuery = `SELECT m.user_id, u.email, u.name, m.tenant, m.role FROM memberships m JOIN users u ON u.id = m.user_id`

func (s *DB) Memberships(ctx context.Context, userID string) ([]inlet.Membership, error) {
	return queryAll(ctx, s, scanMembership, membershipQuery+` WHERE m.user_id = ? ORDER BY m.tenant`, userID)
}

func (s *DB) Members(ctx context.Context, tenant string) ([]inlet.Membership, error) {
	return queryAll(ctx, s, scanMembership, membershipQuery+` WHERE m.tenant = ? ORDER BY u.email`, tenant)
}

func (s *DB) SetMembership(ctx context.Context, m inlet.Membership) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO memberships (user_id, tenant, role, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, tenant) DO UPDATE SET role = excluded.role`, m.UserID, m.Tenant, string(m.Role), formatTime(s.Now()))
	return translate(err, "membership")
}

func (s *DB) CreateSession(ctx context.Context, token string, ss *inlet.Session) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, tenant, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		hashToken(token), ss.User.ID, ss.Tenant, ss.CSRF, formatTime(s.Now()), formatTime(ss.ExpiresAt))
	return translate(err, "session")
}

// Session returns the live session of a token, with the user's role in the
// session's tenant; an expired or unknown token is EUNAUTHORIZED.
func (s *DB) Session(ctx context.Context, token string) (*inlet.Session, error) {
	var ss inlet.Session
	var u inlet.User
	var created, expires string
	var role sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT u.id, u.email, u.name, u.site_admin, u.created_at, s.tenant, s.csrf, s.expires_at, m.role
		FROM sessions s JOIN users u ON u.id = s.user_id
		LEFT JOIN memberships m ON m.user_id = s.user_id AND m.tenant = s.tenant
		WHERE s.token_hash = ? AND s.expires_at > ?`, hashToken(token), formatTime(s.Now())).
		Scan(&u.ID, &u.Email, &u.Name, &u.SiteAdmin, &created, &ss.Tenant, &ss.CSRF, &expires, &role)
	if err == sql.ErrNoRows {
		return nil, inlet.Errorf(inlet.EUNAUTHORIZED, "sign in first: the session is missing or has expired")
	} else if err != nil {
		return nil, err
	}
	u.CreatedAt, ss.ExpiresAt, ss.Role, ss.User = parseTime(created), parseTime(expires), inlet.Role(role.String), &u
	return &ss, nil
}

func (s *DB) SetSessionTenant(ctx context.Context, token, tenant string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sessions SET tenant = ? WHERE token_hash = ?`, tenant, hashToken(token))
	return err
}

func (s *DB) DeleteSession(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(token))
	return err
}

// DeleteExpiredSessions removes sessions past their expiry.
func (s *DB) DeleteExpiredSessions(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, formatTime(s.Now()))
	return err
}

func (s *DB) CreateInvite(ctx context.Context, token string, inv *inlet.Invite) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO invites (token_hash, tenant, email, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		hashToken(token), inv.Tenant, normEmail(inv.Email), string(inv.Role), inv.CreatedBy, formatTime(s.Now()), formatTime(inv.ExpiresAt))
	return translate(err, "invite")
}

func (s *DB) Invite(ctx context.Context, token string) (*inlet.Invite, error) {
	return s.invite(ctx, s.db, token)
}

func (s *DB) invite(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, token string) (*inlet.Invite, error) {
	var inv inlet.Invite
	var expires string
	err := q.QueryRowContext(ctx, `SELECT tenant, email, role, created_by, expires_at FROM invites
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, hashToken(token), formatTime(s.Now())).
		Scan(&inv.Tenant, &inv.Email, &inv.Role, &inv.CreatedBy, &expires)
	if err == sql.ErrNoRows {
		return nil, inlet.Errorf(inlet.EINVALID, "this invite link is not valid: it was used already or has expired")
	} else if err != nil {
		return nil, err
	}
	inv.ExpiresAt = parseTime(expires)
	return &inv, nil
}

func (s *DB) UseInvite(ctx context.Context, token string) (*inlet.Invite, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	inv, err := s.invite(ctx, tx, token)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invites SET used_at = ? WHERE token_hash = ?`, formatTime(s.Now()), hashToken(token)); err != nil {
		return nil, err
	}
	return inv, tx.Commit()
}

func (s *DB) SetSecret(ctx context.Context, name, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO secrets (name, value_hash, created_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET value_hash = excluded.value_hash, created_at = excluded.created_at`,
		name, hashToken(value), formatTime(s.Now()))
	return err
}

func (s *DB) UseSecret(ctx context.Context, name, value string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var stored string
	err = tx.QueryRowContext(ctx, `SELECT value_hash FROM secrets WHERE name = ?`, name).Scan(&stored)
	if err == sql.ErrNoRows || (err == nil && subtle.ConstantTimeCompare([]byte(stored), []byte(hashToken(value))) != 1) {
		return inlet.Errorf(inlet.EUNAUTHORIZED, "the %s link is not valid (it works once)", name)
	} else if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM secrets WHERE name = ?`, name); err != nil {
		return err
	}
	return tx.Commit()
}
