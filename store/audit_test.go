package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	inlet "github.com/inlet-data/inlet"
)

// The log reads back newest first, filtered by actor (id or email), action
// (exact or a prefix), object and time, and pages back by seq.
func TestAuditEvents(t *testing.T) {
	db, now := openTest(t)
	ctx := context.Background()
	if err := db.CreateUser(ctx, &inlet.User{ID: "u1", Email: "Ana@Example.com", Name: "Ana", CreatedAt: *now}, "x"); err != nil {
		t.Fatal(err)
	}
	t0 := *now
	record := func(actor, action, object string) {
		t.Helper()
		*now = now.Add(time.Minute)
		if err := db.RecordAudit(ctx, &inlet.AuditEvent{Tenant: "default", Actor: actor, Action: action, Object: object, Outcome: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	record("u1", "table.drop", "table:crm.a")           // 1, t0+1m
	record("u1", "table_x.drop", "table:crm.b")         // 2: not under "table."
	record("cli:root", "table.rollback", "table:crm.a") // 3
	record("u1", "query.run", "sql:abc")                // 4
	record("", "session.sign_in", "session")            // 5
	db.RecordAudit(ctx, &inlet.AuditEvent{Tenant: "acme", Actor: "u1", Action: "table.drop", Object: "table:crm.a", Outcome: "ok"})

	seqs := func(f inlet.AuditFilter) []int64 {
		t.Helper()
		events, err := db.AuditEvents(ctx, "default", f)
		if err != nil {
			t.Fatal(err)
		}
		out := []int64{}
		for _, e := range events {
			out = append(out, e.Seq)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    inlet.AuditFilter
		want []int64
	}{
		{"all, newest first", inlet.AuditFilter{}, []int64{5, 4, 3, 2, 1}},
		{"actor id", inlet.AuditFilter{Actor: "u1"}, []int64{4, 2, 1}},
		{"actor email, any case", inlet.AuditFilter{Actor: "ana@EXAMPLE.com"}, []int64{4, 2, 1}},
		{"cli actor", inlet.AuditFilter{Actor: "cli:root"}, []int64{3}},
		{"exact action", inlet.AuditFilter{Action: "table.drop"}, []int64{1}},
		{"action prefix", inlet.AuditFilter{Action: "table."}, []int64{3, 1}},
		{"action prefix with star", inlet.AuditFilter{Action: "table.*"}, []int64{3, 1}},
		{"no partial word match", inlet.AuditFilter{Action: "table"}, []int64{}},
		{"object", inlet.AuditFilter{Object: "table:crm.a"}, []int64{3, 1}},
		{"since", inlet.AuditFilter{Since: t0.Add(4 * time.Minute)}, []int64{5, 4}},
		{"until is exclusive", inlet.AuditFilter{Until: t0.Add(2 * time.Minute)}, []int64{1}},
		{"limit", inlet.AuditFilter{Limit: 2}, []int64{5, 4}},
		{"next page", inlet.AuditFilter{Limit: 2, Before: 4}, []int64{3, 2}},
		{"last page", inlet.AuditFilter{Limit: 2, Before: 2}, []int64{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, seqs(tc.f)); diff != "" {
				t.Errorf("seqs (-want +got):\n%s", diff)
			}
		})
	}

	// The actor's email comes from the account; other actors have none.
	events, _ := db.AuditEvents(ctx, "default", inlet.AuditFilter{})
	if events[4].ActorEmail != "ana@example.com" || events[2].ActorEmail != "" || events[0].ActorEmail != "" {
		t.Errorf("actor emails: got %q, %q, %q; want ana@example.com and none", events[4].ActorEmail, events[2].ActorEmail, events[0].ActorEmail)
	}
}
