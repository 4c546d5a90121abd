package store

import (
	"context"
	"time"

	inlet "github.com/inlet-data/inlet"
)

func (s *DB) CreateUpload(ctx context.Context, u *inlet.Upload) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO uploads (id, tenant, file_name, size, sha256, format, state, uploaded_by, owner, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Tenant, u.FileName, u.Size, u.SHA256, string(u.Format), u.State, u.UploadedBy, u.Owner, formatTime(u.CreatedAt), formatTime(u.ExpiresAt))
	return translate(err, "upload "+u.ID)
}

const uploadColumns = `id, tenant, file_name, size, sha256, format, state, uploaded_by, owner, created_at, expires_at`

func scanUpload(r scanner) (*inlet.Upload, error) {
	var u inlet.Upload
	var format, created, expires string
	if err := r.Scan(&u.ID, &u.Tenant, &u.FileName, &u.Size, &u.SHA256, &format, &u.State, &u.UploadedBy, &u.Owner, &created, &expires); err != nil {
		return nil, err
	}
	u.Format, u.CreatedAt, u.ExpiresAt = inlet.Format(format), parseTime(created), parseTime(expires)
	return &u, nil
}

// Upload returns one upload of a tenant; another tenant's upload is not found.
func (s *DB) Upload(ctx context.Context, tenant, id string) (*inlet.Upload, error) {
	u, err := scanUpload(s.db.QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE tenant = ? AND id = ?`, tenant, id))
	return u, translate(err, "upload "+id)
}

// Uploads lists a tenant's uploads, newest first.
func (s *DB) Uploads(ctx context.Context, tenant string, limit int) ([]*inlet.Upload, error) {
	return queryAll(ctx, s, scanUpload, `SELECT `+uploadColumns+` FROM uploads WHERE tenant = ? ORDER BY created_at DESC LIMIT ?`, tenant, limit)
}

func (s *DB) SetUploadState(ctx context.Context, tenant, id, state string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE uploads SET state = ? WHERE tenant = ? AND id = ?`, state, tenant, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return inlet.Errorf(inlet.ENOTFOUND, "upload %s not found", id)
	}
	return nil
}

func (s *DB) TransitionUpload(ctx context.Context, tenant, id, from, to string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE uploads SET state = ? WHERE tenant = ? AND id = ? AND state = ?`, to, tenant, id, from)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Upload(ctx, tenant, id); err != nil {
			return err
		}
		return inlet.Errorf(inlet.ECONFLICT, "upload %s is not %s", id, from)
	}
	return nil
}

func (s *DB) ExpiredUploads(ctx context.Context, t time.Time) ([]*inlet.Upload, error) {
	return queryAll(ctx, s, scanUpload, `SELECT `+uploadColumns+` FROM uploads WHERE state = ? AND expires_at < ?`, inlet.UploadStaged, formatTime(t))
}
