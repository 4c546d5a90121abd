package store

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"fmt"
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
		u.ID, u.Email, u.Name, passwordHash, boolInt(u.SiteAdmin), formatTime(u.CreatedAt))
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

// memberRole reads a member's role and the tenant's admin count in a
// write transaction that holds the tenant's row: no other change to the
// tenant's members runs in between (SQLite's immediate transactions hold
// the whole database), so two admins demoting each other cannot leave none.
func memberRole(ctx context.Context, tx *tx, tenant, userID string) (inlet.Role, int, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM tenants WHERE id = ?`+tx.d.forUpdate(), tenant).Scan(&id)
	if err == sql.ErrNoRows {
		return "", 0, inlet.Errorf(inlet.ENOTFOUND, "user %s is not a member of tenant %s", userID, tenant)
	} else if err != nil {
		return "", 0, err
	}
	var role inlet.Role
	err = tx.QueryRowContext(ctx, `SELECT role FROM memberships WHERE tenant = ? AND user_id = ?`, tenant, userID).Scan(&role)
	if err == sql.ErrNoRows {
		return "", 0, inlet.Errorf(inlet.ENOTFOUND, "user %s is not a member of tenant %s", userID, tenant)
	} else if err != nil {
		return "", 0, err
	}
	var admins int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE tenant = ? AND role = 'admin'`, tenant).Scan(&admins)
	return role, admins, err
}

func lastAdmin(tenant string) error {
	return inlet.Errorf(inlet.EINVALID, "this is the last admin of tenant %s: make another member admin first", tenant)
}

func (s *DB) SetMemberRole(ctx context.Context, tenant, userID string, role inlet.Role) (inlet.Role, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	old, admins, err := memberRole(ctx, tx, tenant, userID)
	if err != nil {
		return "", err
	}
	if old == inlet.RoleAdmin && role != inlet.RoleAdmin && admins <= 1 {
		return old, lastAdmin(tenant)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE memberships SET role = ? WHERE tenant = ? AND user_id = ?`, string(role), tenant, userID); err != nil {
		return "", err
	}
	return old, tx.Commit()
}

func (s *DB) RemoveMember(ctx context.Context, tenant, userID string) (inlet.Role, int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", 0, err
	}
	defer tx.Rollback()
	old, admins, err := memberRole(ctx, tx, tenant, userID)
	if err != nil {
		return "", 0, err
	}
	if old == inlet.RoleAdmin && admins <= 1 {
		return old, 0, lastAdmin(tenant)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE tenant = ? AND user_id = ?`, tenant, userID); err != nil {
		return "", 0, err
	}
	// Tokens already stop working without the membership; revoking them
	// too keeps them dead if the person is invited back.
	res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE tenant = ? AND user_id = ? AND revoked_at IS NULL`,
		formatTime(s.Now()), tenant, userID)
	if err != nil {
		return "", 0, err
	}
	n, _ := res.RowsAffected()
	return old, int(n), tx.Commit()
}

func (s *DB) CreateSession(ctx context.Context, token string, ss *inlet.Session) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, tenant, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		hashToken(token), ss.User.ID, ss.Tenant, ss.CSRF, formatTime(s.Now()), formatTime(ss.ExpiresAt)); err != nil {
		return translate(err, "session")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET last_tenant = ? WHERE id = ?`, ss.Tenant, ss.User.ID); err != nil {
		return err
	}
	return tx.Commit()
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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET tenant = ? WHERE token_hash = ?`, tenant, hashToken(token)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET last_tenant = ? WHERE id = (SELECT user_id FROM sessions WHERE token_hash = ?)`, tenant, hashToken(token)); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *DB) LastTenant(ctx context.Context, userID string) (string, error) {
	var tenant string
	err := s.db.QueryRowContext(ctx, `SELECT last_tenant FROM users WHERE id = ?`, userID).Scan(&tenant)
	return tenant, translate(err, "user")
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
	if inv.ID == "" {
		return fmt.Errorf("create invite: no id")
	}
	inv.Email, inv.CreatedAt = normEmail(inv.Email), s.Now()
	_, err := s.db.ExecContext(ctx, `INSERT INTO invites (id, token_hash, tenant, email, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		inv.ID, hashToken(token), inv.Tenant, inv.Email, string(inv.Role), inv.CreatedBy, formatTime(inv.CreatedAt), formatTime(inv.ExpiresAt))
	return translate(err, "invite")
}

func (s *DB) Invite(ctx context.Context, token string) (*inlet.Invite, error) {
	return s.invite(ctx, s.db, token)
}

const inviteQuery = `SELECT id, tenant, email, role, created_by, created_at, expires_at FROM invites`

func scanInvite(r scanner) (inlet.Invite, error) {
	var inv inlet.Invite
	var created, expires string
	err := r.Scan(&inv.ID, &inv.Tenant, &inv.Email, &inv.Role, &inv.CreatedBy, &created, &expires)
	inv.CreatedAt, inv.ExpiresAt = parseTime(created), parseTime(expires)
	return inv, err
}

// invite reads a usable invite. Its holder is told why a link stopped
// working: they can ask for a new one, or sign in if they used it.
func (s *DB) invite(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, token string) (*inlet.Invite, error) {
	var inv inlet.Invite
	var created, expires string
	var used, revoked sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, tenant, email, role, created_by, created_at, expires_at, used_at, revoked_at FROM invites WHERE token_hash = ?`, hashToken(token)).
		Scan(&inv.ID, &inv.Tenant, &inv.Email, &inv.Role, &inv.CreatedBy, &created, &expires, &used, &revoked)
	inv.CreatedAt, inv.ExpiresAt = parseTime(created), parseTime(expires)
	switch {
	case err == sql.ErrNoRows:
		return nil, inlet.Errorf(inlet.EINVALID, "this invite link is not valid: check that you opened the whole link, or ask for a new one")
	case err != nil:
		return nil, err
	case revoked.Valid:
		return nil, inlet.Errorf(inlet.EINVALID, "this invite link was revoked by an admin of tenant %s: ask them for a new one", inv.Tenant)
	case used.Valid:
		return nil, inlet.Errorf(inlet.EINVALID, "this invite link was used already: sign in instead, or ask for a new one")
	case !inv.ExpiresAt.After(s.Now()):
		return nil, inlet.Errorf(inlet.EINVALID, "this invite link has expired: ask an admin of tenant %s for a new one", inv.Tenant)
	}
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
	// Only one of two concurrent uses updates the row (the other waits for
	// it, then finds it used).
	res, err := tx.ExecContext(ctx, `UPDATE invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL`, formatTime(s.Now()), hashToken(token))
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, inlet.Errorf(inlet.EINVALID, "this invite link was used already: sign in instead, or ask for a new one")
	}
	return inv, tx.Commit()
}

func (s *DB) Invites(ctx context.Context, tenant string) ([]inlet.Invite, error) {
	return queryAll(ctx, s, scanInvite, inviteQuery+` WHERE tenant = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC`,
		tenant, formatTime(s.Now()))
}

func (s *DB) RevokeInvite(ctx context.Context, tenant, id string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE invites SET revoked_at = ? WHERE tenant = ? AND id = ? AND used_at IS NULL AND revoked_at IS NULL`,
		formatTime(s.Now()), tenant, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return inlet.Errorf(inlet.ENOTFOUND, "no pending invite %s in tenant %s: it was used or revoked already", id, tenant)
	}
	return nil
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
	// Of two concurrent uses, one deletes the row; the other finds none.
	res, err := tx.ExecContext(ctx, `DELETE FROM secrets WHERE name = ? AND value_hash = ?`, name, stored)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return inlet.Errorf(inlet.EUNAUTHORIZED, "the %s link is not valid (it works once)", name)
	}
	return tx.Commit()
}
