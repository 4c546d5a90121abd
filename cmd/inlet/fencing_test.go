package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// lostLease is a job store that tells its worker the job was taken over,
// as the store does to a worker that stalled past its lease.
type lostLease struct{ inlet.JobStore }

func (lostLease) UpdateJobProgress(context.Context, string, int, inlet.JobProgress, time.Duration) error {
	return inlet.ErrLeaseLost
}

// A worker that lost its job to another (it stalled past its lease) stops
// before the commit, publishes nothing and leaves the files alone; the
// new owner removes them, commits once, and the table holds every row once.
func TestStalledWorkerIsFencedOff(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "orders.csv")
	var b strings.Builder
	b.WriteString("id,amount\n")
	for i := 0; i < 5000; i++ {
		b.WriteString("1,2.50\n")
	}
	if err := os.WriteFile(src, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var cfg config
	if err := newFlags("test", &cfg, io.Discard).Parse([]string{"--data-dir", filepath.Join(dir, "data")}); err != nil {
		t.Fatal(err)
	}
	cfg.JobLease = 200 * time.Millisecond
	ctx := context.Background()
	a, err := openApp(ctx, &cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	now := time.Now().UTC()
	u := &inlet.Upload{ID: "up-1", Tenant: "default", FileName: "orders.csv", Size: int64(b.Len()), Format: "csv", State: inlet.UploadIngesting,
		UploadedBy: "t", Owner: "t", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := a.db.CreateUpload(ctx, u); err != nil {
		t.Fatal(err)
	}
	spec, _ := json.Marshal(inlet.IngestJobSpec{IngestSpec: inlet.IngestSpec{UploadID: u.ID, Table: inlet.TableRef{Database: "s", Name: "orders"}}, FileName: u.FileName, SourcePath: src})
	if err := a.db.CreateJob(ctx, &inlet.Job{ID: "job-1", Tenant: "default", Kind: inlet.JobIngest, State: inlet.JobQueued, Spec: spec, CreatedBy: "t", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	first, err := a.db.ClaimJob(ctx, cfg.JobLease)
	if err != nil || first == nil {
		t.Fatalf("claim: %v, %v", first, err)
	}
	stalled := *a.runner
	stalled.Jobs = lostLease{a.db}
	if _, err := stalled.RunJob(ctx, first); !errors.Is(err, inlet.ErrLeaseLost) {
		t.Fatalf("the stalled worker's ingest: got %v, want ErrLeaseLost", err)
	}
	if _, err := a.catalog.Table(ctx, "default", inlet.TableRef{Database: "s", Name: "orders"}); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Fatalf("the stalled worker published a table: %v", err)
	}
	left := lakeFiles(t, cfg.DataDir)
	if !strings.Contains(strings.Join(left, " "), "job-1-a1-") {
		t.Fatalf("the stalled worker removed its files (they could have been the new owner's): %v", left)
	}
	if j, _ := a.db.Job(ctx, "default", "job-1"); j.State != inlet.JobRunning {
		t.Errorf("the stalled worker finished the job: %s", j.State)
	}

	time.Sleep(cfg.JobLease + 50*time.Millisecond)
	second, err := a.db.ClaimJob(ctx, time.Minute)
	if err != nil || second == nil || second.Attempts != 2 {
		t.Fatalf("take-over: %+v, %v", second, err)
	}
	res, err := a.runner.RunJob(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 5000 {
		t.Errorf("rows: %d, want 5000", res.Rows)
	}
	for _, f := range lakeFiles(t, cfg.DataDir) {
		if strings.Contains(f, "job-1-a1-") {
			t.Errorf("the first attempt's file is left: %s", f)
		}
	}
	if j, _ := a.db.Job(ctx, "default", "job-1"); j.State != inlet.JobSucceeded {
		t.Errorf("job: %s, want succeeded", j.State)
	}
}
