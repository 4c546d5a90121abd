package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	inlet "github.com/inlet-data/inlet"
)

var auditCases = []testCase{
	// The log reads back newest first, filtered by actor (id or email),
	// action (exact or a prefix), object and time, and pages back by seq.
	{"audit", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		if err := db.CreateUser(ctx, &inlet.User{ID: "u1", Email: "Ana@Example.com", Name: "Ana", CreatedAt: e.now()}, "x"); err != nil {
			t.Fatal(err)
		}
		t0 := e.now()
		var seqs []int64 // the seq of the nth event recorded
		record := func(actor, action, object string) {
			t.Helper()
			e.clk.Add(time.Minute)
			ev := &inlet.AuditEvent{Tenant: "default", Actor: actor, Action: action, Object: object, Outcome: "ok", IP: "127.0.0.1", Detail: map[string]any{"n": len(seqs)}}
			if err := db.RecordAudit(ctx, ev); err != nil {
				t.Fatal(err)
			}
			if len(seqs) > 0 && ev.Seq <= seqs[len(seqs)-1] {
				t.Fatalf("seq %d after %d: want increasing", ev.Seq, seqs[len(seqs)-1])
			}
			seqs = append(seqs, ev.Seq)
		}
		record("u1", "table.drop", "table:crm.a")           // 1, t0+1m
		record("u1", "table_x.drop", "table:crm.b")         // 2: not under "table."
		record("cli:root", "table.rollback", "table:crm.a") // 3
		record("u1", "query.run", "sql:abc")                // 4
		record("", "session.sign_in", "session")            // 5
		db.RecordAudit(ctx, &inlet.AuditEvent{Tenant: "acme", Actor: "u1", Action: "table.drop", Object: "table:crm.a", Outcome: "ok"})

		// n lists event numbers (1-based, in recording order) as seqs.
		n := func(ns ...int) []int64 {
			out := []int64{}
			for _, i := range ns {
				out = append(out, seqs[i-1])
			}
			return out
		}
		got := func(t *testing.T, f inlet.AuditFilter) []int64 {
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
			{"all, newest first", inlet.AuditFilter{}, n(5, 4, 3, 2, 1)},
			{"actor id", inlet.AuditFilter{Actor: "u1"}, n(4, 2, 1)},
			{"actor email, any case", inlet.AuditFilter{Actor: "ana@EXAMPLE.com"}, n(4, 2, 1)},
			{"cli actor", inlet.AuditFilter{Actor: "cli:root"}, n(3)},
			{"exact action", inlet.AuditFilter{Action: "table.drop"}, n(1)},
			{"action prefix", inlet.AuditFilter{Action: "table."}, n(3, 1)},
			{"action prefix with star", inlet.AuditFilter{Action: "table.*"}, n(3, 1)},
			{"no partial word match", inlet.AuditFilter{Action: "table"}, n()},
			{"object", inlet.AuditFilter{Object: "table:crm.a"}, n(3, 1)},
			{"since", inlet.AuditFilter{Since: t0.Add(4 * time.Minute)}, n(5, 4)},
			{"until is exclusive", inlet.AuditFilter{Until: t0.Add(2 * time.Minute)}, n(1)},
			{"limit", inlet.AuditFilter{Limit: 2}, n(5, 4)},
			{"next page", inlet.AuditFilter{Limit: 2, Before: seqs[3]}, n(3, 2)},
			{"last page", inlet.AuditFilter{Limit: 2, Before: seqs[1]}, n(1)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if diff := cmp.Diff(tc.want, got(t, tc.f)); diff != "" {
					t.Errorf("seqs (-want +got):\n%s", diff)
				}
			})
		}

		// The actor's email comes from the account; other actors have none.
		events, _ := db.AuditEvents(ctx, "default", inlet.AuditFilter{})
		if events[4].ActorEmail != "ana@example.com" || events[2].ActorEmail != "" || events[0].ActorEmail != "" {
			t.Errorf("actor emails: got %q, %q, %q; want ana@example.com and none", events[4].ActorEmail, events[2].ActorEmail, events[0].ActorEmail)
		}
		if ev := events[4]; ev.IP != "127.0.0.1" || ev.Outcome != "ok" || !ev.At.Equal(t0.Add(time.Minute)) || ev.Detail["n"] != float64(0) {
			t.Errorf("first event: got %+v", ev)
		}
	}},
}
