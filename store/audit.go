package store

import (
	"context"
	"encoding/json"
	"strings"

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
	return s.db.QueryRowContext(ctx, `INSERT INTO audit (at, tenant, actor, action, object, ip, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
		formatTime(e.At), e.Tenant, e.Actor, e.Action, e.Object, e.IP, e.Outcome, string(detail)).Scan(&e.Seq)
}

// maxAuditEvents caps one read of the log.
const maxAuditEvents = 10000

// AuditEvents lists a tenant's events, newest first, with each actor's
// current email where the actor is an account.
func (s *DB) AuditEvents(ctx context.Context, tenant string, f inlet.AuditFilter) ([]inlet.AuditEvent, error) {
	q := `SELECT a.seq, a.at, a.tenant, a.actor, COALESCE(u.email, ''), a.action, a.object, a.ip, a.outcome, a.detail
		FROM audit a LEFT JOIN users u ON u.id = a.actor WHERE a.tenant = ?`
	args := []any{tenant}
	if f.Actor != "" {
		if strings.Contains(f.Actor, "@") {
			q += " AND u.email = ?" // emails are stored lower-cased
			args = append(args, normEmail(f.Actor))
		} else {
			q += " AND a.actor = ?"
			args = append(args, f.Actor)
		}
	}
	if p, ok := f.ActionPrefix(); ok {
		// substr, not LIKE: an action's "_" is no wildcard.
		q += " AND substr(a.action, 1, ?) = ?"
		args = append(args, len(p), p)
	} else if f.Action != "" {
		q += " AND a.action = ?"
		args = append(args, f.Action)
	}
	if f.Object != "" {
		q += " AND a.object = ?"
		args = append(args, f.Object)
	}
	if !f.Since.IsZero() {
		q += " AND a.at >= ?"
		args = append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		q += " AND a.at < ?"
		args = append(args, formatTime(f.Until))
	}
	if f.Before > 0 {
		q += " AND a.seq < ?"
		args = append(args, f.Before)
	}
	if f.Limit <= 0 || f.Limit > maxAuditEvents {
		f.Limit = 1000
	}
	q += " ORDER BY a.seq DESC LIMIT ?"
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
		if err := rows.Scan(&e.Seq, &at, &e.Tenant, &e.Actor, &e.ActorEmail, &e.Action, &e.Object, &e.IP, &e.Outcome, &detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		json.Unmarshal([]byte(detail), &e.Detail)
		out = append(out, e)
	}
	return out, rows.Err()
}
