// Package storetest is the contract every metadata store obeys, as a test
// suite, in the style of query/querytest: the SQLite and the Postgres
// backends of package store both run it. It covers what the rest of Inlet
// relies on: tenants, accounts, sessions, invites, one-time secrets, API
// tokens, uploads, the job queue (claims, leases and heartbeats, take-over
// of a dead worker's job exactly once, concurrent claimers), templates,
// exports and their schedules, the audit log, the sign-in throttle, PII
// rules, OIDC identities and wrapped tenant keys. It imports the root
// package only.
package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// Store is everything Inlet asks of its metadata database.
type Store interface {
	inlet.UploadStore
	inlet.JobStore
	inlet.AccountStore
	inlet.TokenStore
	inlet.TemplateStore
	inlet.AuditLog
	inlet.PIIRulesStore
	inlet.ExportStore
	inlet.ExportScheduleStore
	inlet.IdentityStore
	inlet.WrappedKeyStore
	inlet.TemplateShareStore

	EnsureTenant(ctx context.Context, id, name string) error
	CreateTenant(ctx context.Context, t *inlet.Tenant) error
	Tenants(ctx context.Context) ([]inlet.Tenant, error)
	Jobs(ctx context.Context, tenant string, limit int) ([]*inlet.Job, error)
	Uploads(ctx context.Context, tenant string, limit int) ([]*inlet.Upload, error)
	DeleteExpiredSessions(ctx context.Context) error

	// The sign-in throttle, shared by every replica.
	Failures(ctx context.Context, key string, window time.Duration) (int, time.Time, error)
	Fail(ctx context.Context, key string, window time.Duration) error
	ForgetFailures(ctx context.Context, key string) error
	DeleteStaleFailures(ctx context.Context, window time.Duration) error

	// Named locks, shared by every replica.
	TryLock(ctx context.Context, name, holder string, lease time.Duration) (bool, error)
	Unlock(ctx context.Context, name, holder string) error
	DeleteStaleLocks(ctx context.Context, age time.Duration) error
}

// Open returns a fresh, empty, migrated store that reads the time from now,
// closed when the test ends. Each call is a new database; Run calls it
// once per case.
type Open func(t *testing.T, now func() time.Time) Store

// Start is the time every case starts at.
var Start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Clock is a test's settable time, safe to read from several goroutines.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock on by d and returns the new time.
func (c *Clock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// env is one case's store and clock, with a "default" tenant.
type env struct {
	t   *testing.T
	s   Store
	clk *Clock
	ctx context.Context
}

func (e *env) now() time.Time { return e.clk.Now() }

type testCase struct {
	name string
	run  func(e *env)
}

// Run runs the contract against stores made by open.
func Run(t *testing.T, open Open) {
	var cases []testCase
	cases = append(cases, tenantCases...)
	cases = append(cases, accountCases...)
	cases = append(cases, tokenCases...)
	cases = append(cases, uploadCases...)
	cases = append(cases, jobCases...)
	cases = append(cases, templateCases...)
	cases = append(cases, exportCases...)
	cases = append(cases, scheduleCases...)
	cases = append(cases, auditCases...)
	cases = append(cases, throttleCases...)
	cases = append(cases, ruleCases...)
	cases = append(cases, oidcCases...)
	cases = append(cases, keyCases...)
	cases = append(cases, templateShareCases...)
	cases = append(cases, lockCases...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := &Clock{t: Start}
			s := open(t, clk.Now)
			ctx := context.Background()
			if err := s.EnsureTenant(ctx, "default", "Default"); err != nil {
				t.Fatal(err)
			}
			tc.run(&env{t: t, s: s, clk: clk, ctx: ctx})
		})
	}
}

// parallel runs f n times at once and waits for all of them.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f(i)
		}()
	}
	close(start)
	wg.Wait()
}

// addMember creates a user and makes them a member of the default tenant.
func (e *env) addMember(id string, role inlet.Role) *inlet.User {
	e.t.Helper()
	u := &inlet.User{ID: id, Email: id + "@example.com", Name: id, CreatedAt: e.now()}
	if err := e.s.CreateUser(e.ctx, u, "x"); err != nil {
		e.t.Fatal(err)
	}
	if err := e.s.SetMembership(e.ctx, inlet.Membership{UserID: id, Tenant: "default", Role: role}); err != nil {
		e.t.Fatal(err)
	}
	return u
}

var tenantCases = []testCase{
	{"tenants", func(e *env) {
		t, ctx := e.t, e.ctx
		if err := e.s.EnsureTenant(ctx, "default", "Other name"); err != nil {
			t.Fatalf("ensure an existing tenant: %v", err)
		}
		if err := e.s.CreateTenant(ctx, &inlet.Tenant{ID: "acme", Name: "Acme"}); err != nil {
			t.Fatal(err)
		}
		if err := e.s.CreateTenant(ctx, &inlet.Tenant{ID: "acme", Name: "Acme 2"}); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("create twice: got %v, want ECONFLICT", err)
		}
		if err := e.s.CreateTenant(ctx, &inlet.Tenant{ID: "Bad Id!", Name: "x"}); inlet.ErrorCode(err) != inlet.EINVALID {
			t.Errorf("invalid id: got %v, want EINVALID", err)
		}
		ts, err := e.s.Tenants(ctx)
		if err != nil || len(ts) != 2 || ts[0].ID != "acme" || ts[1].ID != "default" || ts[1].Name != "Default" || !ts[0].CreatedAt.Equal(Start) {
			t.Errorf("tenants: got %+v, %v, want acme and default", ts, err)
		}
	}},
}
