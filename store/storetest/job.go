package storetest

import (
	"errors"
	"fmt"
	"sync"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// maxClaims bounds the claims a job may get before the store gives it up.
const maxClaims = 10

func (e *env) queue(ids ...string) {
	e.t.Helper()
	for i, id := range ids {
		j := &inlet.Job{ID: id, Tenant: "default", Kind: inlet.JobIngest, State: inlet.JobQueued, Spec: []byte(`{"upload":"x"}`),
			CreatedBy: "u", CreatedAt: e.now().Add(time.Duration(i) * time.Millisecond)}
		if err := e.s.CreateJob(e.ctx, j); err != nil {
			e.t.Fatal(err)
		}
	}
}

var jobCases = []testCase{
	{"jobs/queue", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		e.queue("job-a", "job-b")
		if err := db.CreateJob(ctx, &inlet.Job{ID: "job-a", Tenant: "default", Spec: []byte(`{}`), CreatedAt: e.now()}); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("duplicate job: got %v, want ECONFLICT", err)
		}
		// Oldest first, one claimant each.
		a, err := db.ClaimJob(ctx, time.Minute)
		if err != nil || a == nil || a.ID != "job-a" || a.State != inlet.JobRunning || a.Attempts != 1 || string(a.Spec) != `{"upload":"x"}` ||
			a.StartedAt == nil || a.LeaseUntil == nil || !a.LeaseUntil.Equal(e.now().Add(time.Minute)) {
			t.Fatalf("first claim: %+v, %v", a, err)
		}
		b, _ := db.ClaimJob(ctx, time.Minute)
		if b == nil || b.ID != "job-b" {
			t.Fatalf("second claim: %+v", b)
		}
		if none, _ := db.ClaimJob(ctx, time.Minute); none != nil {
			t.Fatalf("third claim: got %s, want nothing", none.ID)
		}
		// Progress extends the lease; a lapsed lease lets another worker take over.
		if err := db.UpdateJobProgress(ctx, "job-a", 1, inlet.JobProgress{Phase: "writing", RowsDone: 10}, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishJob(ctx, "job-b", 1, []byte(`{"rows":1}`), nil); err != nil {
			t.Fatal(err)
		}
		e.clk.Add(2 * time.Minute)
		again, _ := db.ClaimJob(ctx, time.Minute)
		if again == nil || again.ID != "job-a" || again.Attempts != 2 || again.Progress.RowsDone != 10 {
			t.Fatalf("takeover: %+v", again)
		}
		// After enough lapses the job is failed for good.
		claims := again.Attempts
		for ; claims < maxClaims; claims++ {
			e.clk.Add(2 * time.Minute)
			if j, _ := db.ClaimJob(ctx, time.Minute); j == nil {
				break
			}
		}
		if claims == maxClaims {
			t.Fatalf("job-a was claimed %d times and is not given up", claims)
		}
		j, err := db.Job(ctx, "default", "job-a")
		if err != nil || j.State != inlet.JobFailed || j.Error == nil || j.Error.Code != inlet.EINTERNAL || j.FinishedAt == nil || j.LeaseUntil != nil {
			t.Fatalf("given-up job: %+v, %v", j, err)
		}
		b, _ = db.Job(ctx, "default", "job-b")
		if b.State != inlet.JobSucceeded || string(b.Result) != `{"rows":1}` || b.FinishedAt == nil || b.Error != nil {
			t.Errorf("finished job: %+v", b)
		}
		// Tenants see only their own jobs.
		if _, err := db.Job(ctx, "other", "job-b"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("other tenant's job: got %v, want ENOTFOUND", err)
		}
		if list, err := db.Jobs(ctx, "default", 10); err != nil || len(list) != 2 || list[0].ID != "job-b" {
			t.Errorf("jobs: got %v, %v, want job-b first", list, err)
		}
		if list, _ := db.Jobs(ctx, "other", 10); len(list) != 0 {
			t.Errorf("another tenant lists %d jobs", len(list))
		}
	}},
	{"jobs/a failed job keeps its error", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		e.queue("job-a")
		db.ClaimJob(ctx, time.Minute)
		if err := db.FinishJob(ctx, "job-a", 1, nil, inlet.Errorf(inlet.EINVALID, "column 3 is not a date")); err != nil {
			t.Fatal(err)
		}
		j, _ := db.Job(ctx, "default", "job-a")
		if j.State != inlet.JobFailed || j.Error == nil || j.Error.Code != inlet.EINVALID || j.Error.Message != "column 3 is not a date" || j.Result != nil {
			t.Errorf("failed job: %+v", j)
		}
		e.clk.Add(time.Hour)
		if j, _ := db.ClaimJob(ctx, time.Minute); j != nil {
			t.Errorf("a finished job was claimed again: %+v", j)
		}
	}},
	{"jobs/heartbeats keep the lease", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		e.queue("job-a")
		if j, _ := db.ClaimJob(ctx, time.Minute); j == nil {
			t.Fatal("nothing claimed")
		}
		// Well past the first lease, but a heartbeat came every 40 s.
		for i := 0; i < 10; i++ {
			e.clk.Add(40 * time.Second)
			if err := db.UpdateJobProgress(ctx, "job-a", 1, inlet.JobProgress{RowsDone: int64(i)}, time.Minute); err != nil {
				t.Fatal(err)
			}
			if j, _ := db.ClaimJob(ctx, time.Minute); j != nil {
				t.Fatalf("after %d heartbeats a live job was taken over", i+1)
			}
		}
		// The heartbeats stop: the worker died.
		e.clk.Add(61 * time.Second)
		if j, _ := db.ClaimJob(ctx, time.Minute); j == nil || j.ID != "job-a" || j.Attempts != 2 || j.Progress.RowsDone != 9 {
			t.Fatalf("take-over after the heartbeats stopped: got %+v", j)
		}
	}},
	{"jobs/claims are fair across tenants", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		if err := db.EnsureTenant(ctx, "acme", "Acme"); err != nil {
			t.Fatal(err)
		}
		// One tenant's burst, then another tenant's single job.
		e.queue("burst-1", "burst-2", "burst-3")
		if err := db.CreateJob(ctx, &inlet.Job{ID: "acme-1", Tenant: "acme", Kind: inlet.JobIngest, State: inlet.JobQueued, Spec: []byte(`{}`),
			CreatedBy: "u", CreatedAt: e.now().Add(time.Second)}); err != nil {
			t.Fatal(err)
		}
		var order []string
		for range 4 {
			j, err := db.ClaimJob(ctx, time.Minute)
			if err != nil || j == nil {
				t.Fatalf("claim %d: %+v, %v", len(order)+1, j, err)
			}
			order = append(order, j.ID)
		}
		// The burst's first runs; then acme's, whose tenant runs nothing,
		// comes before the rest of the burst though it was queued last.
		if want := []string{"burst-1", "acme-1", "burst-2", "burst-3"}; fmt.Sprint(order) != fmt.Sprint(want) {
			t.Errorf("claim order %v, want %v", order, want)
		}
	}},
	{"jobs/a released job is claimed again at once", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		e.queue("job-a")
		a, _ := db.ClaimJob(ctx, time.Hour)
		if a == nil {
			t.Fatal("nothing claimed")
		}
		db.UpdateJobProgress(ctx, "job-a", a.Attempts, inlet.JobProgress{Phase: "writing", RowsDone: 5}, time.Hour)
		if err := db.ReleaseJob(ctx, "job-a", a.Attempts); err != nil {
			t.Fatal(err)
		}
		j, _ := db.Job(ctx, "default", "job-a")
		if j.State != inlet.JobQueued || j.LeaseUntil != nil || j.Attempts != 0 {
			t.Errorf("released job: state %s, lease %v, attempts %d; want queued, no lease, 0", j.State, j.LeaseUntil, j.Attempts)
		}
		// No clock moves: the hour-long lease does not hold it back.
		again, err := db.ClaimJob(ctx, time.Minute)
		if err != nil || again == nil || again.ID != "job-a" || again.Attempts != 1 || again.State != inlet.JobRunning {
			t.Fatalf("claim after release: got %+v, %v; want job-a, attempt 1", again, err)
		}
		// A finished job is not put back, nor one another worker took over.
		if err := db.FinishJob(ctx, "job-a", again.Attempts, []byte(`{}`), nil); err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseJob(ctx, "job-a", again.Attempts); !errors.Is(err, inlet.ErrLeaseLost) {
			t.Fatalf("release of a finished job: got %v, want ErrLeaseLost", err)
		}
		if j, _ := db.Job(ctx, "default", "job-a"); j.State != inlet.JobSucceeded {
			t.Errorf("release of a finished job: state %s, want succeeded", j.State)
		}
	}},
	{"jobs/concurrent claimers never share a job", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		const jobs, workers = 30, 6
		ids := make([]string, jobs)
		for i := range ids {
			ids[i] = fmt.Sprintf("job-%02d", i)
		}
		e.queue(ids...)
		var mu sync.Mutex
		got := map[string]int{}
		var errs []error
		parallel(workers, func(int) {
			for {
				j, err := db.ClaimJob(ctx, time.Minute)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else if j != nil {
					got[j.ID]++
				}
				mu.Unlock()
				if j == nil || err != nil {
					return
				}
			}
		})
		if len(errs) > 0 {
			t.Fatalf("claim errors: %v", errs)
		}
		for _, id := range ids {
			if got[id] != 1 {
				t.Errorf("%s was claimed %d times, want 1", id, got[id])
			}
		}
	}},
	{"jobs/a dead worker's job is taken over exactly once", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		e.queue("job-a", "job-b", "job-c")
		for range 3 {
			if j, _ := db.ClaimJob(ctx, time.Minute); j == nil {
				t.Fatal("nothing claimed")
			}
		}
		// job-b's worker keeps beating; the others died.
		e.clk.Add(50 * time.Second)
		db.UpdateJobProgress(ctx, "job-b", 1, inlet.JobProgress{}, time.Minute)
		e.clk.Add(20 * time.Second)
		const workers = 8
		var mu sync.Mutex
		got := map[string]int{}
		parallel(workers, func(int) {
			for {
				j, err := db.ClaimJob(ctx, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if j == nil {
					return
				}
				mu.Lock()
				got[j.ID]++
				mu.Unlock()
			}
		})
		if got["job-a"] != 1 || got["job-c"] != 1 || got["job-b"] != 0 || len(got) != 2 {
			t.Errorf("take-overs: got %v, want job-a and job-c once each", got)
		}
		for _, id := range []string{"job-a", "job-c"} {
			if j, _ := db.Job(ctx, "default", id); j.Attempts != 2 || j.State != inlet.JobRunning {
				t.Errorf("%s: %d attempts, state %s, want 2, running", id, j.Attempts, j.State)
			}
		}
	}},
	{"jobs/a stalled worker is fenced off its taken-over job", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		e.queue("job-a")
		first, _ := db.ClaimJob(ctx, time.Minute)
		if first == nil {
			t.Fatal("nothing claimed")
		}
		// The first worker stalls past its lease; a second takes over.
		e.clk.Add(2 * time.Minute)
		second, _ := db.ClaimJob(ctx, time.Minute)
		if second == nil || second.Attempts != first.Attempts+1 {
			t.Fatalf("take-over: %+v", second)
		}
		// The first wakes up: its heartbeat and its finish are refused, and
		// the second's lease and outcome stand.
		if err := db.UpdateJobProgress(ctx, "job-a", first.Attempts, inlet.JobProgress{RowsDone: 99}, time.Hour); !errors.Is(err, inlet.ErrLeaseLost) {
			t.Errorf("stalled heartbeat: got %v, want ErrLeaseLost", err)
		}
		if err := db.FinishJob(ctx, "job-a", first.Attempts, []byte(`{"rows":99}`), nil); !errors.Is(err, inlet.ErrLeaseLost) {
			t.Errorf("stalled finish: got %v, want ErrLeaseLost", err)
		}
		if err := db.UpdateJobProgress(ctx, "job-a", second.Attempts, inlet.JobProgress{RowsDone: 5}, time.Minute); err != nil {
			t.Fatalf("owner's heartbeat: %v", err)
		}
		if err := db.FinishJob(ctx, "job-a", second.Attempts, []byte(`{"rows":5}`), nil); err != nil {
			t.Fatalf("owner's finish: %v", err)
		}
		j, _ := db.Job(ctx, "default", "job-a")
		if j.State != inlet.JobSucceeded || string(j.Result) != `{"rows":5}` || j.Progress.RowsDone != 5 {
			t.Errorf("job after both: %+v", j)
		}
		// A finished job takes no more heartbeats from anyone.
		if err := db.UpdateJobProgress(ctx, "job-a", second.Attempts, inlet.JobProgress{}, time.Minute); !errors.Is(err, inlet.ErrLeaseLost) {
			t.Errorf("heartbeat of a finished job: got %v, want ErrLeaseLost", err)
		}
	}},
}
