package main

import (
	"bytes"
	"context"
	"os"
	"os/signal"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/inlet-data/inlet/internal/testkit"
)

// TestMain lets tests run the real command as a child process (to kill it
// mid-ingest): the test binary re-executes itself with INLET_TEST_MAIN=1.
func TestMain(m *testing.M) {
	if os.Getenv("INLET_TEST_MAIN") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	code := m.Run()
	testkit.StopPostgres()
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer runs `inlet serve` in-process on a free loopback port and
// returns its base URL and, on a first start, the one-time setup token; the
// server stops when the test ends.
func startServer(t *testing.T, dataDir string, extra ...string) (string, string) {
	t.Helper()
	url, token, _ := startServerLogs(t, dataDir, extra...)
	return url, token
}

// startServerLogs is startServer that also returns what the server logs.
func startServerLogs(t *testing.T, dataDir string, extra ...string) (string, string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout syncBuffer
	stderr := &syncBuffer{}
	done := make(chan int, 1)
	// A job still running when the test ends is handed back within 5s (the
	// cleanup below waits 15s).
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir, "--shutdown-timeout", "5s"}, extra...)
	go func() { done <- run(ctx, args, &stdout, stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d: %s", code, stderr.String())
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	})
	re := regexp.MustCompile(`running at (http://[0-9.:]+)`)
	setup := regexp.MustCompile(`/setup#([A-Za-z0-9_-]+)`)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			time.Sleep(50 * time.Millisecond) // the setup line follows
			token := ""
			if s := setup.FindStringSubmatch(stdout.String()); s != nil {
				token = s[1]
			}
			return m[1], token, stderr
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start: %s", stderr.String())
	return "", "", nil
}
