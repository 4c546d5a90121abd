package store

import (
	"context"
	"encoding/base64"
	"fmt"

	inlet "github.com/inlet-data/inlet"
)

var _ inlet.WrappedKeyStore = (*DB)(nil)

// WrappedKeys returns the tenant's wrapped key versions, oldest first.
func (s *DB) WrappedKeys(ctx context.Context, tenant string) ([]inlet.WrappedKey, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, key_id, kek, ciphertext, created_at FROM tenant_keys WHERE tenant = ? ORDER BY version`, tenant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []inlet.WrappedKey
	for rows.Next() {
		k := inlet.WrappedKey{Tenant: tenant}
		var blob, created string
		if err := rows.Scan(&k.Version, &k.ID, &k.KEK, &blob, &created); err != nil {
			return nil, err
		}
		if k.Ciphertext, err = base64.StdEncoding.DecodeString(blob); err != nil {
			return nil, fmt.Errorf("tenant %s key version %d: %w", tenant, k.Version, err)
		}
		k.CreatedAt = parseTime(created)
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// CreateWrappedKey stores a new version of a tenant's key; ECONFLICT if
// the tenant has that version (or that key ID) already.
func (s *DB) CreateWrappedKey(ctx context.Context, k *inlet.WrappedKey) error {
	if k.Version < 1 || k.ID == "" || k.KEK == "" || len(k.Ciphertext) == 0 {
		return inlet.Errorf(inlet.EINVALID, "a wrapped key needs a version from 1, an ID, a key-encryption key and a ciphertext")
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = s.Now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO tenant_keys (tenant, version, key_id, kek, ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		k.Tenant, k.Version, k.ID, k.KEK, base64.StdEncoding.EncodeToString(k.Ciphertext), formatTime(k.CreatedAt))
	return translate(err, fmt.Sprintf("tenant %s key version %d", k.Tenant, k.Version))
}
