// Package testkit starts the real components Inlet's tests run against
// (Postgres, an S3 server, Dex as the OIDC provider, local-kms) on
// 127.0.0.1, from binaries the test command (scripts/test) installs, builds
// and caches under ~/.cache/inlet-testkit/bin. Under CI=true a missing
// component fails the test; elsewhere the test is skipped with a message
// saying how to get it. Only tests import it.
package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// toolPath is where a component's binary is: the environment variable env
// when set, else the cache scripts/test fills,
// ~/.cache/inlet-testkit/bin/NAME-VERSION.
func toolPath(env, name, version string) string {
	if p := os.Getenv(env); p != "" {
		return p
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "inlet-testkit", "bin", name+"-"+version)
}

// startTool starts a component's process with its output in logPath,
// stops it when t ends (showing the log if t failed), and returns once
// ready says it answers: t fails if the process exits first or is not
// ready within the given time.
func startTool(t testing.TB, name string, cmd *exec.Cmd, logPath string, within, poll time.Duration, ready func() bool) {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); logf.Close(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			log, _ := os.ReadFile(logPath)
			t.Logf("%s log:\n%s", name, log)
		}
	})
	deadline := time.Now().Add(within)
	for !ready() {
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			t.Fatalf("%s exited (%v): %s", name, waitErr, log)
		case <-time.After(poll):
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logPath)
			t.Fatalf("%s did not start in %s: %s", name, within, log)
		}
	}
}
