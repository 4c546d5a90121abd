package store

import (
	"context"
	"encoding/json"

	inlet "github.com/inlet-data/inlet"
)

var _ inlet.AuditLog = (*DB)(nil)

// RecordAudit appends an event.
func (s *DB) RecordAudit(ctx context.Context, e *inlet.AuditEvent) error {
	if e.At.IsZero() {
		e.At = s.Now()
	}
	detail, err := json.Marshal(e.Detail)
	if err != nil || e.Detail == nil {
		detail = []byte("{}")
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO audit (at, tenant, actor, action, object, ip, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		formatTime(e.At), e.Tenant, e.Actor, e.Action, e.Object, e.IP, e.Outcome, string(detail))
	if err != nil {
		return err
	}
	e.Seq, _ = res.LastInsertId()
	return nil
}

// AuditEvents lists a tenant's events, newest first.
func (s *DB) AuditEvents(ctx context.Context, tenant string, f inlet.AuditFilter) ([]inlet.AuditEvent, error) {
	q := `SELECT seq, at, tenant, actor, action, object, ip, outcome, detail FROM audit WHERE tenant = ?`
	args := []any{tenant}
	for col, v := range map[string]string{"actor": f.Actor, "action": f.Action, "object": f.Object} {
		if v != "" {
			q += " AND " + col + " = ?"
			args = append(args, v)
		}
	}
	if !f.Since.IsZero() {
		q += " AND at >= ?"
		args = append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		q += " AND at < ?"
		args = append(args, formatTime(f.Until))
	}
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 1000
	}
	q += " ORDER BY seq DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inlet.AuditEvent
	for rows.Next() {
		var e inlet.AuditEvent
		var at, detail string
		if err := rows.Scan(&e.Seq, &at, &e.Tenant, &e.Actor, &e.Action, &e.Object, &e.IP, &e.Outcome, &detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		json.Unmarshal([]byte(detail), &e.Detail)
		out = append(out, e)
	}
	return out, rows.Err()
}
