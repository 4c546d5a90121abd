package storetest

import (
	"time"

	inlet "github.com/inlet-data/inlet"
)

var throttleCases = []testCase{
	{"throttle", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		const window = 15 * time.Minute
		if n, last, err := db.Failures(ctx, "ip:1", window); err != nil || n != 0 || !last.IsZero() {
			t.Fatalf("no failures yet: got %d, %v, %v", n, last, err)
		}
		for i := 0; i < 3; i++ {
			e.clk.Add(time.Minute)
			if err := db.Fail(ctx, "ip:1", window); err != nil {
				t.Fatal(err)
			}
		}
		if n, last, _ := db.Failures(ctx, "ip:1", window); n != 3 || !last.Equal(e.now()) {
			t.Errorf("failures: got %d at %v, want 3 at %v", n, last, e.now())
		}
		if n, _, _ := db.Failures(ctx, "ip:2", window); n != 0 {
			t.Errorf("another key: got %d, want 0", n)
		}
		// Quiet for longer than the window: forgotten, and counting starts again.
		e.clk.Add(window + time.Second)
		if n, _, _ := db.Failures(ctx, "ip:1", window); n != 0 {
			t.Errorf("after the window: got %d, want 0", n)
		}
		db.Fail(ctx, "ip:1", window)
		if n, _, _ := db.Failures(ctx, "ip:1", window); n != 1 {
			t.Errorf("after the window and one more: got %d, want 1", n)
		}
		if err := db.ForgetFailures(ctx, "ip:1"); err != nil {
			t.Fatal(err)
		}
		if n, _, _ := db.Failures(ctx, "ip:1", window); n != 0 {
			t.Errorf("forgotten: got %d, want 0", n)
		}
		// Replicas counting at once lose no failure.
		const replicas = 10
		errs := make([]error, replicas)
		parallel(replicas, func(i int) { errs[i] = db.Fail(ctx, "user:ana", window) })
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n, _, _ := db.Failures(ctx, "user:ana", window); n != replicas {
			t.Errorf("concurrent failures: got %d, want %d", n, replicas)
		}
		e.clk.Add(3 * time.Hour)
		if err := db.DeleteStaleFailures(ctx, 2*time.Hour); err != nil {
			t.Fatal(err)
		}
		// Stale rows went; a new failure starts from one.
		db.Fail(ctx, "user:ana", 100*time.Hour)
		if n, _, _ := db.Failures(ctx, "user:ana", 100*time.Hour); n != 1 {
			t.Errorf("after deleting stale counters: got %d, want 1", n)
		}
	}},
}

var ruleCases = []testCase{
	{"pii rules", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		if r, err := db.PIIRules(ctx, "default"); err != nil || r.Version != 0 || len(r.DenyColumns) != 0 {
			t.Fatalf("no rules yet: got %+v, %v", r, err)
		}
		r := &inlet.PIIRules{Region: "FR", Countries: []string{"FR", "DE"}, DenyColumns: []string{"nir"}}
		if err := db.SavePIIRules(ctx, "default", r, "u1"); err != nil || r.Version != 1 || r.UpdatedBy != "u1" {
			t.Fatalf("save: %v, got %+v", err, r)
		}
		stale := &inlet.PIIRules{Version: 0, Region: "GB"}
		if err := db.SavePIIRules(ctx, "default", stale, "u2"); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("a stale save: got %v, want ECONFLICT", err)
		}
		e.clk.Add(time.Minute)
		r.AllowValues = []string{"support@example.com"}
		if err := db.SavePIIRules(ctx, "default", r, "u2"); err != nil || r.Version != 2 {
			t.Fatalf("second save: %v, version %d", err, r.Version)
		}
		got, err := db.PIIRules(ctx, "default")
		if err != nil || got.Version != 2 || got.Region != "FR" || got.AllowValues[0] != "support@example.com" || got.UpdatedBy != "u2" || !got.UpdatedAt.Equal(e.now()) {
			t.Errorf("current rules: got %+v, %v", got, err)
		}
		vs, err := db.PIIRulesVersions(ctx, "default")
		if err != nil || len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 || vs[1].UpdatedBy != "u1" || len(vs[1].AllowValues) != 0 {
			t.Errorf("versions: got %+v, %v", vs, err)
		}
		if other, _ := db.PIIRules(ctx, "acme"); other.Version != 0 {
			t.Errorf("another tenant's rules: got version %d, want 0", other.Version)
		}
		// Two editors saving the same version at once: one wins.
		const n = 6
		errs := make([]error, n)
		parallel(n, func(i int) {
			edit := *got
			errs[i] = db.SavePIIRules(ctx, "default", &edit, "u3")
		})
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if inlet.ErrorCode(err) != inlet.ECONFLICT {
				t.Errorf("a losing save: got %v, want ECONFLICT", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d concurrent saves won, want 1", ok)
		}
	}},
}
