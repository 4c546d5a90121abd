package store

import (
	"context"
	"database/sql"

	inlet "github.com/inlet-data/inlet"
)

var _ inlet.IdentityStore = (*DB)(nil)

func (s *DB) UserByIdentity(ctx context.Context, issuer, subject string) (*inlet.User, error) {
	var u inlet.User
	var created string
	err := s.db.QueryRowContext(ctx, `SELECT u.id, u.email, u.name, u.site_admin, u.created_at
		FROM oidc_identities i JOIN users u ON u.id = i.user_id WHERE i.issuer = ? AND i.subject = ?`, issuer, subject).
		Scan(&u.ID, &u.Email, &u.Name, &u.SiteAdmin, &created)
	if err != nil {
		return nil, translate(err, "identity")
	}
	u.CreatedAt = parseTime(created)
	return &u, nil
}

func (s *DB) CreateIdentityUser(ctx context.Context, issuer, subject string, u *inlet.User) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u.Email = normEmail(u.Email)
	// An empty password hash: checkPassword matches no password against it.
	if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, site_admin, created_at) VALUES (?, ?, ?, '', ?, ?)`,
		u.ID, u.Email, u.Name, boolInt(u.SiteAdmin), formatTime(u.CreatedAt)); err != nil {
		return translate(err, "user "+u.Email)
	}
	now := formatTime(s.Now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO oidc_identities (issuer, subject, user_id, created_at, last_login_at) VALUES (?, ?, ?, ?, ?)`,
		issuer, subject, u.ID, now, now); err != nil {
		return translate(err, "identity")
	}
	return tx.Commit()
}

func (s *DB) UpdateIdentityUser(ctx context.Context, issuer, subject string, u *inlet.User) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u.Email = normEmail(u.Email)
	if _, err := tx.ExecContext(ctx, `UPDATE users SET email = ?, name = ? WHERE id = ?`, u.Email, u.Name, u.ID); err != nil {
		return translate(err, "user "+u.Email)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE oidc_identities SET last_login_at = ? WHERE issuer = ? AND subject = ?`,
		formatTime(s.Now()), issuer, subject); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *DB) SyncMemberships(ctx context.Context, userID string, ms []inlet.Membership) ([]inlet.Membership, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := formatTime(s.Now())
	want := map[string]bool{}
	for _, m := range ms {
		if err := inlet.ValidateTenant(m.Tenant); err != nil {
			return nil, err
		}
		want[m.Tenant] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			m.Tenant, m.Tenant, now); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (user_id, tenant, role, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, tenant) DO UPDATE SET role = excluded.role`, userID, m.Tenant, string(m.Role), now); err != nil {
			return nil, translate(err, "membership")
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT tenant, role FROM memberships WHERE user_id = ?`, userID)
	if err != nil {
		return nil, err
	}
	var removed []inlet.Membership
	for rows.Next() {
		m := inlet.Membership{UserID: userID}
		if err := rows.Scan(&m.Tenant, &m.Role); err != nil {
			rows.Close()
			return nil, err
		}
		if !want[m.Tenant] {
			removed = append(removed, m)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, m := range removed {
		if _, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE user_id = ? AND tenant = ?`, userID, m.Tenant); err != nil {
			return nil, err
		}
		// As RemoveMember: the tokens would stop working anyway; revoked,
		// they stay dead if the role comes back.
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE tenant = ? AND user_id = ? AND revoked_at IS NULL`,
			now, m.Tenant, userID); err != nil {
			return nil, err
		}
	}
	return removed, tx.Commit()
}

func (s *DB) CreateOIDCLogin(ctx context.Context, state string, l *inlet.OIDCLogin) error {
	// Sign-ins abandoned at the provider go here, before a new one is kept.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM oidc_logins WHERE expires_at < ?`, formatTime(s.Now())); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO oidc_logins (state_hash, browser_hash, nonce, verifier, next_path, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		hashToken(state), l.Browser, l.Nonce, l.Verifier, l.Next, formatTime(l.ExpiresAt))
	return translate(err, "sign-in")
}

func (s *DB) TakeOIDCLogin(ctx context.Context, state string) (*inlet.OIDCLogin, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var l inlet.OIDCLogin
	var expires string
	err = tx.QueryRowContext(ctx, `SELECT browser_hash, nonce, verifier, next_path, expires_at FROM oidc_logins WHERE state_hash = ?`, hashToken(state)).
		Scan(&l.Browser, &l.Nonce, &l.Verifier, &l.Next, &expires)
	if err == sql.ErrNoRows {
		return nil, inlet.Errorf(inlet.ENOTFOUND, "no sign-in under way with this state")
	} else if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM oidc_logins WHERE state_hash = ?`, hashToken(state)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	l.ExpiresAt = parseTime(expires)
	if !l.ExpiresAt.After(s.Now()) {
		return nil, inlet.Errorf(inlet.ENOTFOUND, "the sign-in under way with this state has expired")
	}
	return &l, nil
}
