package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
	"github.com/inlet-data/inlet/store"
)

// An ingest killed mid-write (SIGKILL: no cleanup runs) leaves no visible
// table; the next start takes the job over, and afterwards the table holds
// every row exactly once and the lake holds no file the table does not use.
// On Postgres (INLET_DB) the server that takes the job over is another
// replica of the killed process.
func TestKilledIngestRecoversOnNextStart(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 40 MB file")
	}
	t.Run("sqlite", func(t *testing.T) { killedIngestRecovers(t, "") })
	t.Run("postgres", func(t *testing.T) {
		pg := testkit.Postgres(t)
		t.Setenv("INLET_DB", pg) // the child, the CLI and the server all read it
		killedIngestRecovers(t, pg)
	})
}

func killedIngestRecovers(t *testing.T, dbURL string) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := filepath.Join(dir, "big.csv")
	ps := people(300000)
	writeCustomersCSV(t, src, ps)

	cmd := exec.Command(os.Args[0], "ingest", src, "--table", "s.crash", "--data-dir", data, "--ingest-workers", "2")
	cmd.Env = append(os.Environ(), "INLET_TEST_MAIN=1", "INLET_JOB_LEASE=1s")
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it as soon as data files are being written.
	deadline := time.Now().Add(60 * time.Second)
	for {
		files := lakeFiles(t, data)
		if strings.Contains(strings.Join(files, " "), ".parquet") {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no data file appeared: %s", stderr.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if strings.Contains(stderr.String(), "ingest done") {
		t.Skip("the ingest finished before it could be killed")
	}
	if out, _, _ := cli(t, data, "tables", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("a table is visible after the kill: %s", out)
	}
	if len(lakeFiles(t, data)) == 0 {
		t.Fatal("the killed ingest left nothing to clean: the test proves nothing")
	}

	// The next start: the server takes the job over once its lease expires.
	startServer(t, data) // the job is taken over without anyone signing in
	if dbURL == "" {
		dbURL = filepath.Join(data, "inlet.db")
	}
	db, err := store.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var job *inlet.Job
	deadline = time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		jobs, err := db.Jobs(t.Context(), inlet.DefaultTenant, 1)
		if err != nil {
			t.Fatal(err)
		}
		if job = jobs[0]; job.State == inlet.JobSucceeded || job.State == inlet.JobFailed {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if job.State != inlet.JobSucceeded || job.Attempts != 2 {
		t.Fatalf("job after restart: state %s, attempts %d, error %+v", job.State, job.Attempts, job.Error)
	}
	n, _ := countRows(t, data, "s.crash")
	if n != int64(len(ps)) {
		t.Errorf("table has %d rows, want %d", n, len(ps))
	}
	// Every file in the table's data directory is one the table uses, and
	// the killed attempt's files are gone.
	tbl := describeTable(t, data, "s.crash")
	used := map[string]bool{}
	for _, f := range tbl.DataFiles {
		used[strings.TrimPrefix(f, "file://")] = true
	}
	dataDir := strings.TrimPrefix(tbl.Location, "file://") + "/data/"
	for _, f := range lakeFiles(t, data) {
		if strings.HasPrefix(f, dataDir) && !used[f] {
			t.Errorf("orphan file in the lake: %s", f)
		}
	}
}
