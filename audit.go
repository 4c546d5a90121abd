package inlet

import (
	"context"
	"strings"
	"time"
)

// AuditEvent is one entry of the audit log: who did what to which object,
// when, from where, and how it ended. Detail holds ids, counts and hashes,
// never raw values (they may be personal data).
type AuditEvent struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Tenant string    `json:"tenant"`
	Actor  string    `json:"actor"` // user id, "cli:NAME", or "" when unknown (a failed sign-in)
	// ActorEmail is the actor's email as the account has it now, for
	// people to read; it is looked up when events are read, never stored.
	ActorEmail string         `json:"actor_email,omitempty"`
	Action     string         `json:"action"` // e.g. upload.view, query.run
	Object     string         `json:"object"` // e.g. upload:ID, table:crm.customers
	IP         string         `json:"ip,omitempty"`
	Outcome    string         `json:"outcome"` // ok, denied, refused or failed
	Detail     map[string]any `json:"detail,omitempty"`
}

// AuditFilter selects audit events of a tenant; zero fields match all.
type AuditFilter struct {
	// Actor is a user id, "cli:NAME", or an account's email.
	Actor string
	// Action is an action, or a prefix of actions when it ends in "." or
	// ".*": "table." matches table.drop and table.rollback.
	Action string
	Object string
	// Since and Until bound the time: Since <= at < Until.
	Since, Until time.Time
	// Before pages back: only events with a smaller Seq (0: from the newest).
	Before int64
	Limit  int
}

// ActionPrefix reports whether the filter's Action is a prefix, and the
// prefix: "table." and "table.*" are both the prefix "table.".
func (f AuditFilter) ActionPrefix() (string, bool) {
	a := strings.TrimSuffix(f.Action, "*")
	return a, strings.HasSuffix(a, ".")
}

// AuditLog is append-only: events are recorded and read, never changed.
type AuditLog interface {
	RecordAudit(ctx context.Context, e *AuditEvent) error
	// AuditEvents lists a tenant's events, newest first.
	AuditEvents(ctx context.Context, tenant string, f AuditFilter) ([]AuditEvent, error)
}
