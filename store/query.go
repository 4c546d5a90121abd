package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	inlet "github.com/inlet-data/inlet"
)

var (
	_ inlet.TokenStore    = (*DB)(nil)
	_ inlet.TemplateStore = (*DB)(nil)
)

// --- API tokens ---

func (s *DB) CreateAPIToken(ctx context.Context, secret string, t *inlet.APIToken) error {
	t.CreatedAt = s.Now()
	var expires any
	if t.ExpiresAt != nil {
		expires = formatTime(*t.ExpiresAt)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO api_tokens (id, token_hash, tenant, user_id, name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, hashToken(secret), t.Tenant, t.UserID, t.Name, string(t.Role), formatTime(t.CreatedAt), expires)
	return translate(err, "token "+t.Name)
}

const tokenQuery = `SELECT t.id, t.tenant, t.user_id, u.email, t.name, t.role, m.role, t.created_at, t.expires_at, t.last_used_at
	FROM api_tokens t JOIN users u ON u.id = t.user_id
	LEFT JOIN memberships m ON m.user_id = t.user_id AND m.tenant = t.tenant`

func scanToken(r scanner) (inlet.APIToken, error) {
	var t inlet.APIToken
	var member sql.NullString
	var created string
	var expires, used sql.NullString
	if err := r.Scan(&t.ID, &t.Tenant, &t.UserID, &t.UserEmail, &t.Name, &t.Role, &member, &created, &expires, &used); err != nil {
		return t, err
	}
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt = parseTime(created), parseTimePtr(expires), parseTimePtr(used)
	// A token never does more than its creator may do now.
	if !member.Valid {
		t.Role = ""
	} else if m := inlet.Role(member.String); !m.Allows(t.Role) {
		t.Role = m
	}
	return t, nil
}

func (s *DB) APIToken(ctx context.Context, secret string) (*inlet.APIToken, error) {
	now := formatTime(s.Now())
	t, err := scanToken(s.db.QueryRowContext(ctx, tokenQuery+` WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)`, hashToken(secret), now))
	if err == sql.ErrNoRows || (err == nil && t.Role == "") {
		return nil, inlet.Errorf(inlet.EUNAUTHORIZED, "the API token is unknown, revoked or expired: create a new one on the Tokens page")
	} else if err != nil {
		return nil, err
	}
	// Record the use, at most once a minute: a notebook's every query need
	// not be a write.
	if t.LastUsedAt == nil || s.Now().Sub(*t.LastUsedAt) > time.Minute {
		if _, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, t.ID); err != nil {
			return nil, err
		}
	}
	return &t, nil
}

func (s *DB) APITokens(ctx context.Context, tenant string) ([]inlet.APIToken, error) {
	return queryAll(ctx, s, scanToken, tokenQuery+` WHERE t.tenant = ? AND t.revoked_at IS NULL ORDER BY t.created_at DESC`, tenant)
}

func (s *DB) RevokeAPIToken(ctx context.Context, tenant, id string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE tenant = ? AND id = ? AND revoked_at IS NULL`, formatTime(s.Now()), tenant, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return inlet.Errorf(inlet.ENOTFOUND, "token %s not found", id)
	}
	return nil
}

// --- query templates ---

func (s *DB) CreateTemplate(ctx context.Context, t *inlet.Template) error {
	params, err := json.Marshal(t.Params)
	if err != nil {
		return err
	}
	t.Version, t.CreatedAt, t.UpdatedAt = 1, s.Now(), s.Now()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO templates (id, tenant, name, description, owner, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
		t.ID, t.Tenant, t.Name, t.Description, t.Owner, formatTime(t.CreatedAt), formatTime(t.UpdatedAt)); err != nil {
		return translate(err, fmt.Sprintf("a template named %q", t.Name))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO template_versions (template_id, version, sql, params, author, note, created_at) VALUES (?, 1, ?, ?, ?, 'created', ?)`,
		t.ID, t.SQL, string(params), t.Owner, formatTime(t.CreatedAt)); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *DB) UpdateTemplate(ctx context.Context, t *inlet.Template, author, note string) error {
	params, err := json.Marshal(t.Params)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := s.Now()
	res, err := tx.ExecContext(ctx, `UPDATE templates SET name = ?, description = ?, owner = ?, version = version + 1, updated_at = ?
		WHERE tenant = ? AND id = ? AND version = ? AND deleted_at IS NULL`,
		t.Name, t.Description, t.Owner, formatTime(now), t.Tenant, t.ID, t.Version)
	if err != nil {
		return translate(err, fmt.Sprintf("a template named %q", t.Name))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		tx.Rollback() // before another connection reads: a full pool must not wait on itself
		if _, err := s.Template(ctx, t.Tenant, t.ID); err != nil {
			return err
		}
		return inlet.Errorf(inlet.ECONFLICT, "template %q was saved by someone else since version %d: reload it and apply your change again", t.Name, t.Version)
	}
	t.Version++
	t.UpdatedAt = now
	if _, err := tx.ExecContext(ctx, `INSERT INTO template_versions (template_id, version, sql, params, author, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Version, t.SQL, string(params), author, note, formatTime(now)); err != nil {
		return err
	}
	return tx.Commit()
}

const templateQuery = `SELECT t.id, t.tenant, t.name, t.description, t.owner, u.email, t.version, v.sql, v.params, t.created_at, t.updated_at
	FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = t.version
	JOIN users u ON u.id = t.owner`

func scanTemplate(r scanner) (inlet.Template, error) {
	var t inlet.Template
	var params, created, updated string
	if err := r.Scan(&t.ID, &t.Tenant, &t.Name, &t.Description, &t.Owner, &t.OwnerEmail, &t.Version, &t.SQL, &params, &created, &updated); err != nil {
		return t, err
	}
	t.CreatedAt, t.UpdatedAt = parseTime(created), parseTime(updated)
	return t, json.Unmarshal([]byte(params), &t.Params)
}

func (s *DB) Template(ctx context.Context, tenant, id string) (*inlet.Template, error) {
	t, err := scanTemplate(s.db.QueryRowContext(ctx, templateQuery+` WHERE t.tenant = ? AND t.id = ? AND t.deleted_at IS NULL`, tenant, id))
	if err != nil {
		return nil, translate(err, "template "+id)
	}
	return &t, nil
}

func (s *DB) Templates(ctx context.Context, tenant string) ([]inlet.Template, error) {
	return queryAll(ctx, s, scanTemplate, templateQuery+` WHERE t.tenant = ? AND t.deleted_at IS NULL ORDER BY t.name`, tenant)
}

func (s *DB) TemplateVersions(ctx context.Context, tenant, id string) ([]inlet.TemplateVersion, error) {
	if _, err := s.Template(ctx, tenant, id); err != nil {
		return nil, err
	}
	return queryAll(ctx, s, func(r scanner) (inlet.TemplateVersion, error) {
		var v inlet.TemplateVersion
		var params, created string
		if err := r.Scan(&v.Version, &v.SQL, &params, &v.Author, &v.AuthorEmail, &v.Note, &created); err != nil {
			return v, err
		}
		v.CreatedAt = parseTime(created)
		return v, json.Unmarshal([]byte(params), &v.Params)
	}, `SELECT v.version, v.sql, v.params, v.author, u.email, v.note, v.created_at FROM template_versions v JOIN users u ON u.id = v.author
		WHERE v.template_id = ? ORDER BY v.version DESC`, id)
}

// DeleteTemplate hides a template; its history stays for audit, and its
// name is free again.
func (s *DB) DeleteTemplate(ctx context.Context, tenant, id string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE templates SET deleted_at = ?, name = name || ' (deleted ' || id || ')' WHERE tenant = ? AND id = ? AND deleted_at IS NULL`,
		formatTime(s.Now()), tenant, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return inlet.Errorf(inlet.ENOTFOUND, "template %s not found", id)
	}
	return nil
}
