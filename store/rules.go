package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	inlet "github.com/inlet-data/inlet"
)

var _ inlet.PIIRulesStore = (*DB)(nil)

// PIIRules returns a tenant's current rules: version 0 and empty when it
// has none.
func (s *DB) PIIRules(ctx context.Context, tenant string) (*inlet.PIIRules, error) {
	var body, by, at string
	err := s.db.QueryRowContext(ctx, `SELECT body, updated_by, created_at FROM pii_rules WHERE tenant = ? ORDER BY version DESC LIMIT 1`, tenant).Scan(&body, &by, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return &inlet.PIIRules{}, nil
	} else if err != nil {
		return nil, err
	}
	var r inlet.PIIRules
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return nil, err
	}
	r.UpdatedBy, r.UpdatedAt = by, parseTime(at)
	return &r, nil
}

// SavePIIRules stores r as the next version. r.Version is the version the
// edit started from: if someone saved meanwhile, it fails with ECONFLICT.
func (s *DB) SavePIIRules(ctx context.Context, tenant string, r *inlet.PIIRules, by string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM pii_rules WHERE tenant = ?`, tenant).Scan(&current); err != nil {
		return err
	}
	if current != r.Version {
		return inlet.Errorf(inlet.ECONFLICT, "the rules changed since you opened them (now version %d): reload and edit again", current)
	}
	next := *r
	next.Version = current + 1
	next.UpdatedBy, next.UpdatedAt = "", s.Now()
	body, err := json.Marshal(next)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO pii_rules (tenant, version, body, updated_by, created_at) VALUES (?, ?, ?, ?, ?)`,
		tenant, next.Version, string(body), by, formatTime(next.UpdatedAt)); err != nil {
		return translate(err, "rules")
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	r.Version, r.UpdatedBy, r.UpdatedAt = next.Version, by, next.UpdatedAt
	return nil
}

// PIIRulesVersions lists every saved version, newest first.
func (s *DB) PIIRulesVersions(ctx context.Context, tenant string) ([]inlet.PIIRules, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT body, updated_by, created_at FROM pii_rules WHERE tenant = ? ORDER BY version DESC`, tenant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inlet.PIIRules
	for rows.Next() {
		var body, by, at string
		if err := rows.Scan(&body, &by, &at); err != nil {
			return nil, err
		}
		var r inlet.PIIRules
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			return nil, err
		}
		r.UpdatedBy, r.UpdatedAt = by, parseTime(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
