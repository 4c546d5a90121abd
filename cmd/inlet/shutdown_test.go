package main

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/store"
)

// SIGTERM mid-ingest: /readyz turns 503 at once while the server still
// serves, the job is interrupted at the shutdown deadline and handed back
// to the queue (state queued, no lease, the attempt given back), the
// process exits 0 within its bound, and the next start takes the job at
// once, not after its lease (an hour here), and commits every row once.
func TestSIGTERMHandsBackRunningJob(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a 40 MB file")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := filepath.Join(dir, "big.csv")
	ps := people(300000)
	writeCustomersCSV(t, src, ps)
	body, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}

	const bound = 2 * time.Second
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--data-dir", data,
		"--shutdown-timeout", bound.String(), "--ingest-workers", "1")
	cmd.Env = append(os.Environ(), "INLET_TEST_MAIN=1", "INLET_JOB_LEASE=1h")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Kill()
		<-exited
	}()
	running := regexp.MustCompile(`running at (http://[0-9.:]+)`)
	setup := regexp.MustCompile(`/setup#([A-Za-z0-9_-]+)`)
	var url, token string
	for deadline := time.Now().Add(30 * time.Second); token == ""; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s %s", stdout.String(), stderr.String())
		}
		if m, s := running.FindStringSubmatch(stdout.String()), setup.FindStringSubmatch(stdout.String()); m != nil && s != nil {
			url, token = m[1], s[1]
		}
	}
	if code, _, b := get(t, url+"/readyz", nil); code != http.StatusOK {
		t.Fatalf("/readyz before the signal: %d %s", code, b)
	}
	c := setUp(t, url+"/api/v1", token)
	var up struct{ Upload inlet.Upload }
	if code, b := c.upload("big.csv", body, &up); code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, b)
	}
	var job inlet.Job
	if code, b := c.do(http.MethodPost, "/uploads/"+up.Upload.ID+"/ingest", map[string]any{"table": map[string]string{"database": "s", "name": "graceful"}}, &job); code != http.StatusAccepted {
		t.Fatalf("ingest: %d %s", code, b)
	}
	for deadline := time.Now().Add(60 * time.Second); job.State != inlet.JobRunning || job.Progress.RowsDone == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) || job.State == inlet.JobSucceeded || job.State == inlet.JobFailed {
			t.Fatalf("the job did not get going: %+v", job)
		}
		c.do(http.MethodGet, "/jobs/"+job.ID, nil, &job)
	}

	// Watch /readyz from the signal until the server stops answering.
	type answer struct {
		code int
		body string
	}
	answers := make(chan answer, 1000)
	go func() {
		defer close(answers)
		client := &http.Client{Timeout: time.Second}
		for {
			resp, err := client.Get(url + "/readyz")
			if err != nil {
				return
			}
			b := make([]byte, 512)
			n, _ := resp.Body.Read(b)
			resp.Body.Close()
			answers <- answer{resp.StatusCode, string(b[:n])}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	signalled := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		exited <- err // for the deferred Wait
		if err != nil {
			t.Fatalf("serve exited with %v after SIGTERM: %s", err, stderr.String())
		}
	case <-time.After(bound + 20*time.Second):
		t.Fatalf("serve still running %v after SIGTERM (bound %v): %s", time.Since(signalled), bound, stderr.String())
	}
	took := time.Since(signalled)
	var draining, notReady int
	for a := range answers {
		if a.code == http.StatusServiceUnavailable {
			notReady++
			if strings.Contains(a.body, `"name":"shutdown"`) {
				draining++
			}
		}
	}
	if draining == 0 || draining != notReady {
		t.Errorf("/readyz during the shutdown: %d answers 503 naming shutdown, %d answers 503; want some, all naming shutdown", draining, notReady)
	}
	logs := stderr.String()
	if strings.Contains(logs, "ingest done") {
		t.Skip("the ingest finished within the shutdown bound: nothing was handed back")
	}
	if !strings.Contains(logs, "job handed back to the queue") {
		t.Errorf("the log does not say the job was handed back: %s", logs)
	}
	if took > bound+5*time.Second {
		t.Errorf("shutdown took %v, bound %v", took, bound)
	}

	db, err := store.Open(t.Context(), filepath.Join(data, "inlet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	j, err := db.Job(t.Context(), inlet.DefaultTenant, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if j.State != inlet.JobQueued || j.LeaseUntil != nil || j.Attempts != 0 {
		t.Fatalf("after SIGTERM the job is %s, lease %v, attempts %d; want queued, no lease, 0", j.State, j.LeaseUntil, j.Attempts)
	}
	if out, _, _ := cli(t, data, "tables", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("a table is visible after the interrupted ingest: %s", out)
	}

	// The next start takes it at once (its lease of an hour is gone).
	startServer(t, data)
	for deadline := time.Now().Add(120 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if j, err = db.Job(t.Context(), inlet.DefaultTenant, job.ID); err != nil {
			t.Fatal(err)
		}
		if j.State == inlet.JobSucceeded || j.State == inlet.JobFailed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the handed-back job was not completed by the next start: %+v", j)
		}
	}
	if j.State != inlet.JobSucceeded || j.Attempts != 1 {
		t.Fatalf("job after the next start: state %s, attempts %d, error %+v", j.State, j.Attempts, j.Error)
	}
	if n, _ := countRows(t, data, "s.graceful"); n != int64(len(ps)) {
		t.Errorf("table has %d rows, want %d", n, len(ps))
	}
}
