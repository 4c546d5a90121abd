package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

func openTest(t *testing.T) (*DB, *time.Time) {
	t.Helper()
	db, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "inlet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	if err := db.EnsureTenant(context.Background(), "default", "Default"); err != nil {
		t.Fatal(err)
	}
	return db, &now
}

func TestMigrationsAreIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inlet.db")
	for i := 0; i < 2; i++ {
		db, err := OpenSQLite(context.Background(), path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		db.Close()
	}
}

func TestJobQueue(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	for i, id := range []string{"job-a", "job-b"} {
		j := &inlet.Job{ID: id, Tenant: "default", Kind: inlet.JobIngest, State: inlet.JobQueued, Spec: []byte(`{}`),
			CreatedBy: "u", CreatedAt: now.Add(time.Duration(i) * time.Second)}
		if err := db.CreateJob(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.CreateJob(ctx, &inlet.Job{ID: "job-a", Tenant: "default", Spec: []byte(`{}`), CreatedAt: *now}); inlet.ErrorCode(err) != inlet.ECONFLICT {
		t.Errorf("duplicate job: got %v, want ECONFLICT", err)
	}
	// Oldest first, one claimant each.
	a, err := db.ClaimJob(ctx, time.Minute)
	if err != nil || a == nil || a.ID != "job-a" || a.State != inlet.JobRunning || a.Attempts != 1 {
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
	if err := db.UpdateJobProgress(ctx, "job-a", inlet.JobProgress{Phase: "writing", RowsDone: 10}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishJob(ctx, "job-b", []byte(`{"rows":1}`), nil); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(2 * time.Minute)
	again, _ := db.ClaimJob(ctx, time.Minute)
	if again == nil || again.ID != "job-a" || again.Attempts != 2 || again.Progress.RowsDone != 10 {
		t.Fatalf("takeover: %+v", again)
	}
	// After MaxAttempts lapses the job is failed for good.
	for i := again.Attempts; i < MaxAttempts; i++ {
		*now = now.Add(2 * time.Minute)
		if j, _ := db.ClaimJob(ctx, time.Minute); j == nil {
			t.Fatalf("claim %d: nothing", i)
		}
	}
	*now = now.Add(2 * time.Minute)
	if j, _ := db.ClaimJob(ctx, time.Minute); j != nil {
		t.Fatalf("claimed %s beyond MaxAttempts", j.ID)
	}
	j, err := db.Job(ctx, "default", "job-a")
	if err != nil || j.State != inlet.JobFailed || j.Error == nil || j.Error.Code != inlet.EINTERNAL {
		t.Fatalf("given-up job: %+v, %v", j, err)
	}
	b, _ = db.Job(ctx, "default", "job-b")
	if b.State != inlet.JobSucceeded || string(b.Result) != `{"rows":1}` || b.FinishedAt == nil {
		t.Errorf("finished job: %+v", b)
	}
	// Tenants see only their own jobs.
	if _, err := db.Job(ctx, "other", "job-b"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Errorf("other tenant's job: got %v, want ENOTFOUND", err)
	}
}

func TestUploads(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	u := &inlet.Upload{ID: "u1", Tenant: "default", FileName: "a.csv", Size: 3, SHA256: "x", Format: inlet.FormatCSV,
		State: inlet.UploadStaged, UploadedBy: "me", CreatedAt: *now, ExpiresAt: now.Add(time.Hour)}
	if err := db.CreateUpload(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := db.Upload(ctx, "default", "u1")
	if err != nil || got.FileName != "a.csv" || !got.ExpiresAt.Equal(u.ExpiresAt) {
		t.Fatalf("upload: %+v, %v", got, err)
	}
	if exp, _ := db.ExpiredUploads(ctx, now.Add(30*time.Minute)); len(exp) != 0 {
		t.Errorf("expired too early: %v", exp)
	}
	if exp, _ := db.ExpiredUploads(ctx, now.Add(2*time.Hour)); len(exp) != 1 {
		t.Errorf("expired: got %d, want 1", len(exp))
	}
	if err := db.SetUploadState(ctx, "default", "u1", inlet.UploadIngested); err != nil {
		t.Fatal(err)
	}
	if exp, _ := db.ExpiredUploads(ctx, now.Add(2*time.Hour)); len(exp) != 0 {
		t.Errorf("an ingested upload expired: %v", exp)
	}
	if _, err := db.Upload(ctx, "other", "u1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Errorf("other tenant's upload: got %v", err)
	}
}
