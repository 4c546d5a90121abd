package export_test

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/export"
	"github.com/inlet-data/inlet/lake/local"
	"github.com/inlet-data/inlet/store"
)

type fakeTemplates struct {
	inlet.TemplateStore
	t *inlet.Template
}

func (f fakeTemplates) Template(_ context.Context, tenant, id string) (*inlet.Template, error) {
	if f.t.Tenant != tenant || f.t.ID != id {
		return nil, inlet.Errorf(inlet.ENOTFOUND, "template %s not found", id)
	}
	return f.t, nil
}

type fakeEngine struct{}

func (fakeEngine) Check(context.Context, inlet.Query) error { return nil }
func (fakeEngine) Query(context.Context, inlet.Query) (inlet.ResultRows, error) {
	return nil, errors.New("fake engine: no rows")
}

type fakeMembers struct{}

func (fakeMembers) Members(context.Context, string) ([]inlet.Membership, error) {
	return []inlet.Membership{{UserID: "cust-1", Role: inlet.RoleCustomer}}, nil
}

// clock is a fake clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type fixture struct {
	db    *store.DB
	area  export.Area
	lake  string
	clock *clock
	tmpl  *inlet.Template
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := store.OpenSQLite(context.Background(), filepath.Join(dir, "inlet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.EnsureTenant(context.Background(), "default", "Default"); err != nil {
		t.Fatal(err)
	}
	lake, err := local.New(filepath.Join(dir, "lake"))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &inlet.Template{ID: "tpl-1", Tenant: "default", Name: "weekly sales",
		SQL:    "SELECT * FROM shop.orders WHERE day >= {{period.start}} AND day < {{period.end}}",
		Params: []inlet.TemplateParam{{Name: "period", Type: inlet.ParamDateRange, Required: true}}}
	return &fixture{db: db, area: export.Area{Lake: lake, Root: lake.URL()}, lake: filepath.Join(dir, "lake"), tmpl: tmpl,
		clock: &clock{t: time.Date(2026, 5, 4, 4, 0, 0, 0, time.UTC)}}
}

func (f *fixture) scheduler(hooks *export.Webhooks) *export.Scheduler {
	return &export.Scheduler{Schedules: f.db, Exports: f.db, Files: f.area, Audit: f.db, Webhooks: hooks, Now: f.clock.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Queue:  &export.Queue{Exports: f.db, Jobs: f.db, Templates: fakeTemplates{t: f.tmpl}, Engine: fakeEngine{}, Members: fakeMembers{}}}
}

func (f *fixture) schedule(t *testing.T, keep int, webhook string) *inlet.ExportSchedule {
	t.Helper()
	sch := &inlet.ExportSchedule{ID: "sch-1", Tenant: "default", Name: "Weekly sales", Cadence: "daily", At: "07:00", Zone: "Europe/Berlin", Keep: keep,
		WebhookURL: webhook, WebhookSalt: export.NewSalt(), CreatedBy: "user-ana", CreatedAt: f.clock.Now(),
		Export: inlet.ExportRequest{Source: inlet.ExportSource{TemplateID: "tpl-1", Values: map[string][]string{"period": {"last_7_days"}}}, Format: "csv", ShareWith: []string{"cust-1"}}}
	if err := sch.Validate(); err != nil {
		t.Fatal(err)
	}
	var err error
	if sch.NextRunAt, err = sch.Next(f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.db.CreateSchedule(context.Background(), sch); err != nil {
		t.Fatal(err)
	}
	return sch
}

// finish does what the export job would: a file in the area, succeeded.
func (f *fixture) finish(t *testing.T, e *inlet.Export) {
	t.Helper()
	ctx := context.Background()
	w, err := f.area.Sink(e).Create(ctx, e.Name+".csv")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "day\n2026-05-01\n")
	w.Close()
	e.State, e.Files = inlet.ExportRunning, nil
	if err := f.db.TransitionExport(ctx, e, inlet.ExportQueued); err != nil {
		t.Fatal(err)
	}
	e.State, e.Files = inlet.ExportSucceeded, []inlet.ExportFile{{Name: e.Name + ".csv", Rows: 1, Bytes: 15}}
	if err := f.db.TransitionExport(ctx, e, inlet.ExportRunning); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) exports(t *testing.T) []*inlet.Export {
	t.Helper()
	es, err := f.db.Exports(context.Background(), "default", inlet.ExportFilter{Schedule: "sch-1"})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// A due schedule runs once per due time, as its creator, at the run's
// time; after each run only its newest keep exports are left, files and
// rows.
func TestSchedulerRunsDueAndKeepsLastN(t *testing.T) {
	f := newFixture(t)
	s := f.scheduler(nil)
	ctx := context.Background()
	sch := f.schedule(t, 2, "")
	if want := time.Date(2026, 5, 4, 5, 0, 0, 0, time.UTC); !sch.NextRunAt.Equal(want) {
		t.Fatalf("next run %s, want %s (07:00 in Berlin)", sch.NextRunAt, want)
	}
	s.RunDue(ctx) // 04:00 UTC: not due
	if n := len(f.exports(t)); n != 0 {
		t.Fatalf("got %d exports before the time, want 0", n)
	}
	var made []*inlet.Export
	for day := range 4 {
		at := time.Date(2026, 5, 4+day, 5, 0, 30, 0, time.UTC)
		f.clock.Set(at)
		s.RunDue(ctx)
		s.RunDue(ctx) // once per due time
		es := f.exports(t)
		if len(es) == 0 || (len(made) > 0 && es[0].ID == made[len(made)-1].ID) {
			t.Fatalf("day %d: no new export", day)
		}
		e := es[0]
		if !e.CreatedAt.Equal(at) || e.CreatedBy != "user-ana" || e.Schedule != "sch-1" || len(e.SharedWith) != 1 {
			t.Errorf("day %d: got created %s by %s schedule %q shared %v, want %s by user-ana, sch-1, [cust-1]", day, e.CreatedAt, e.CreatedBy, e.Schedule, e.SharedWith, at)
		}
		f.finish(t, e)
		made = append(made, e)
		got, _ := f.db.Schedule(ctx, "default", "sch-1")
		if want := time.Date(2026, 5, 5+day, 5, 0, 0, 0, time.UTC); !got.NextRunAt.Equal(want) || got.LastExport != e.ID {
			t.Errorf("day %d: next run %s last export %s, want %s and %s", day, got.NextRunAt, got.LastExport, want, e.ID)
		}
	}
	// Pruned after the 4th run: runs 1 and 2 went (the 3rd was pruned
	// against keep 2 only once it finished, at the next run).
	es := f.exports(t)
	if len(es) != 2 || es[0].ID != made[3].ID || es[1].ID != made[2].ID {
		t.Fatalf("got %d exports, want the newest 2", len(es))
	}
	for i, e := range made {
		_, err := os.Stat(filepath.Join(f.lake, "_exports", "default", e.ID))
		if gone := os.IsNotExist(err); gone != (i < 2) {
			t.Errorf("export %d: files gone %v, want %v", i, gone, i < 2)
		}
		if _, err := f.db.Export(ctx, "default", e.ID); (inlet.ErrorCode(err) == inlet.ENOTFOUND) != (i < 2) {
			t.Errorf("export %d: row lookup %v", i, err)
		}
	}
	// The template's last_7_days resolved against the run's time, not the
	// schedule's creation.
	q, err := export.Statement(made[3], f.tmpl, nil, made[3].CreatedBy, made[3].CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	start, end := q.Args[0].(time.Time), q.Args[1].(time.Time)
	if want := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC); !start.Equal(want) || !end.Equal(time.Date(2026, 5, 8, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("got last_7_days %s to %s, want 2026-05-01 to 2026-05-08 (run on 7 May)", start, end)
	}
}

// Two replicas that both see a schedule due run it once.
func TestScheduleClaimedOnce(t *testing.T) {
	f := newFixture(t)
	f.schedule(t, 7, "")
	f.clock.Set(time.Date(2026, 5, 4, 5, 0, 1, 0, time.UTC))
	a, b := f.scheduler(nil), f.scheduler(nil)
	var wg sync.WaitGroup
	for _, s := range []*export.Scheduler{a, b, a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); s.RunDue(context.Background()) }()
	}
	wg.Wait()
	if n := len(f.exports(t)); n != 1 {
		t.Errorf("got %d exports, want 1", n)
	}
}

// The webhook is signed with the schedule's secret, carries no rows, and
// is retried after a 500.
func TestScheduleWebhookSignedAndRetried(t *testing.T) {
	f := newFixture(t)
	var calls atomic.Int32
	var body []byte
	var secret string
	var bad atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if want := export.Sign(secret, b); !hmac.Equal([]byte(r.Header.Get(export.SignatureHeader)), []byte(want)) {
			bad.Store("signature " + r.Header.Get(export.SignatureHeader) + ", want " + want)
		}
		if ts, err := strconv.ParseInt(r.Header.Get(export.TimestampHeader), 10, 64); err != nil || ts != f.clock.Now().Unix() {
			bad.Store("timestamp " + r.Header.Get(export.TimestampHeader))
		}
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		body = b
	}))
	defer srv.Close()
	hooks := &export.Webhooks{Key: []byte("0123456789abcdef0123456789abcdef"), Client: srv.Client(), Audit: f.db, Now: f.clock.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), FirstWait: 10 * time.Millisecond}
	s := f.scheduler(hooks)
	sch := f.schedule(t, 7, srv.URL+"/hook")
	secret = hooks.Secret(sch)
	if other := hooks.Secret(&inlet.ExportSchedule{Tenant: sch.Tenant, ID: sch.ID, WebhookSalt: export.NewSalt()}); other == secret {
		t.Fatal("a new salt gave the same secret")
	}
	f.clock.Set(time.Date(2026, 5, 4, 5, 0, 1, 0, time.UTC))
	s.RunDue(context.Background())
	e := f.exports(t)[0]
	f.finish(t, e)
	s.Finished(e, nil, time.Second)
	hooks.Wait()
	if msg := bad.Load(); msg != nil {
		t.Fatal(msg)
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("got %d calls, want 2 (a 500, then a retry)", n)
	}
	var ev export.WebhookEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Event != "export.succeeded" || ev.Schedule != "sch-1" || ev.Export != e.ID || ev.Rows != 1 || len(ev.Files) != 1 || ev.ExpiresAt == nil {
		t.Errorf("got %s", body)
	}
	events, err := f.db.AuditEvents(context.Background(), "default", inlet.AuditFilter{Action: "export.webhook"})
	if err != nil || len(events) != 1 || events[0].Outcome != "ok" || events[0].Detail["status"] != float64(200) || events[0].Detail["attempts"] != float64(2) {
		t.Errorf("got audit %+v %v, want one export.webhook, ok, status 200 after 2 attempts", events, err)
	}
}
