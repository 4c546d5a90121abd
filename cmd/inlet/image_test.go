package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
)

// The container image (INLET_TEST_IMAGE: an image built from the
// Dockerfile) runs as its non-root user on the host's network against a
// Postgres the test starts: it gets ready, its HEALTHCHECK reports healthy,
// the first admin signs up through the setup link in its log, a CSV is
// uploaded, ingested and queried through it, and `docker stop` ends it
// cleanly (exit 0, "stopped" logged). Opt-in: building the image takes
// minutes (see README, "Production-like stack").
func TestImage(t *testing.T) {
	image := os.Getenv("INLET_TEST_IMAGE")
	if image == "" {
		t.Skip("set INLET_TEST_IMAGE to an image built from the Dockerfile (docker build -t inlet .)")
	}
	pg := testkit.Postgres(t)
	port := testkit.FreePort(t)
	name := "inlet-test-" + strconv.Itoa(port)
	docker := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("docker", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("docker %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	docker("run", "-d", "--name", name, "--network", "host", "--health-interval", "1s", "--health-start-period", "1s",
		"-e", fmt.Sprintf("INLET_ADDR=127.0.0.1:%d", port), "-e", "INLET_DB="+pg, image)
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := exec.Command("docker", "logs", name).CombinedOutput()
			t.Logf("container log:\n%s", out)
		}
		exec.Command("docker", "rm", "-f", "-v", name).Run()
	})
	if user := docker("exec", name, "id", "-u"); user == "0" {
		t.Errorf("the image runs as root")
	}
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	setup := regexp.MustCompile(`/setup#([A-Za-z0-9_-]+)`)
	var token string
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if m := setup.FindStringSubmatch(docker("logs", name)); m != nil {
			if resp, err := http.Get(url + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					token = m[1]
					break
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the container did not get ready: %s", docker("logs", name))
		}
	}
	for deadline := time.Now().Add(30 * time.Second); docker("inspect", "-f", "{{.State.Health.Status}}", name) != "healthy"; time.Sleep(500 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("HEALTHCHECK: %s", docker("inspect", "-f", "{{json .State.Health}}", name))
		}
	}

	c := setUp(t, url+"/api/v1", token)
	src := filepath.Join(t.TempDir(), "customers.csv")
	ps := people(500)
	writeCustomersCSV(t, src, ps)
	body, _ := os.ReadFile(src)
	var up struct{ Upload inlet.Upload }
	if code, b := c.upload("customers.csv", body, &up); code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, b)
	}
	var job inlet.Job
	if code, b := c.do(http.MethodPost, "/uploads/"+up.Upload.ID+"/ingest", map[string]any{"table": map[string]string{"database": "crm", "name": "customers"}}, &job); code != http.StatusAccepted {
		t.Fatalf("ingest: %d %s", code, b)
	}
	if job = waitJob(t, c, job.ID); job.State != inlet.JobSucceeded {
		t.Fatalf("job: %s %+v", job.State, job.Error)
	}
	code, b := c.do(http.MethodPost, "/query", map[string]any{"sql": "SELECT count(*) AS n FROM crm.customers"}, nil)
	if code != http.StatusOK || !strings.Contains(string(b), strconv.Itoa(len(ps))) {
		t.Errorf("query: %d %s, want %d rows counted", code, b, len(ps))
	}

	docker("stop", "-t", "40", name)
	if exit := docker("inspect", "-f", "{{.State.ExitCode}}", name); exit != "0" {
		t.Errorf("exit code after docker stop: %s", exit)
	}
	if logs := docker("logs", name); !strings.Contains(logs, `"msg":"stopped"`) {
		t.Errorf("no clean shutdown in the log: %s", logs)
	}
}
