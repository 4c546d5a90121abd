package inlet

import (
	"context"
	"time"
)

// AuditEvent is one entry of the audit log: who did what to which object,
// when, from where, and how it ended. Detail holds ids, counts and hashes,
// never raw values (they may be personal data).
type AuditEvent struct {
	Seq     int64          `json:"seq"`
	At      time.Time      `json:"at"`
	Tenant  string         `json:"tenant"`
	Actor   string         `json:"actor"`  // user id, or "cli:NAME"
	Action  string         `json:"action"` // e.g. upload.view, query.run
	Object  string         `json:"object"` // e.g. upload:ID, table:crm.customers
	IP      string         `json:"ip,omitempty"`
	Outcome string         `json:"outcome"` // ok, denied or failed
	Detail  map[string]any `json:"detail,omitempty"`
}

// AuditFilter selects audit events of a tenant; zero fields match all.
type AuditFilter struct {
	Actor, Action, Object string
	Since, Until          time.Time
	Limit                 int
}

// AuditLog is append-only: events are recorded and read, never changed.
type AuditLog interface {
	RecordAudit(ctx context.Context, e *AuditEvent) error
	AuditEvents(ctx context.Context, tenant string, f AuditFilter) ([]AuditEvent, error)
}
