package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/pii"
	"github.com/inlet-data/inlet/server"
)

// readyChecks are what /readyz checks: the metadata database answers a
// query, the lake root takes an object and gives it up again, and the
// hashing keys can be read. Each runs under the server's short timeout.
func (a *app) readyChecks() []server.ReadyCheck {
	probeID := server.NewToken()[:16] // one name per process: replicas never race on one probe
	return []server.ReadyCheck{
		{Name: "db", Check: func(ctx context.Context) error {
			var one int
			return a.db.SQL().QueryRowContext(ctx, "SELECT 1").Scan(&one)
		}},
		{Name: "lake", Check: func(ctx context.Context) error {
			return probeLake(ctx, a.lake, a.lakeURL+"/_health/"+probeID)
		}},
		{Name: "keys", Check: func(ctx context.Context) error { return a.keysReachable(ctx) }},
	}
}

// probeLake writes a small object at location and deletes it: the lake is
// reachable and writable (an S3 lake: credentials, bucket and policy too).
func probeLake(ctx context.Context, lake inlet.Lake, location string) error {
	w, err := lake.Create(ctx, location)
	if err != nil {
		return fmt.Errorf("create probe: %w", err)
	}
	if _, err := io.WriteString(w, "ok\n"); err != nil {
		w.Close()
		return fmt.Errorf("write probe: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("close probe: %w", err)
	}
	return lake.Delete(ctx, location)
}

// keysReachable reads the tenant's key where it is kept. A keyring with a
// Ping of its own (a KMS one: a call to the key service) is asked instead:
// the local keyring caches keys in memory, so only the file proves the key
// directory is still there.
func (a *app) keysReachable(ctx context.Context) error {
	switch k := a.keys.(type) {
	case interface{ Ping(context.Context) error }:
		return k.Ping(ctx)
	case *pii.LocalKeyring:
		f, err := os.Open(filepath.Join(k.Dir, a.cfg.Tenant+".key"))
		if err != nil {
			return err
		}
		return f.Close()
	}
	return fmt.Errorf("no readiness check for the keyring %T", a.keys)
}

// cmdHealthcheck asks a running server's /healthz and exits 0 when it
// answers 200: the container image's HEALTHCHECK, which has no curl.
func cmdHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("healthcheck", &cfg, stderr)
	var url string
	var timeout time.Duration
	fs.str(&url, "url", "HEALTHCHECK_URL", "", "URL to ask (default: /healthz on INLET_ADDR, a wildcard address asked on loopback)")
	fs.duration(&timeout, "timeout", "HEALTHCHECK_TIMEOUT", 3*time.Second, "how long to wait for the answer")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return &usageError{"healthcheck takes no arguments"}
	}
	if url == "" {
		url = "http://" + probeAddr(cfg.Addr) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return &usageError{fmt.Sprintf("--url %s: %v", url, err)}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return inlet.Errorf(inlet.EINVALID, "%s: %v", url, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return inlet.Errorf(inlet.EINVALID, "%s answered %s", url, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// probeAddr is where a process on the same machine reaches a server that
// listens on addr: a wildcard address (0.0.0.0, [::], ":8080") on loopback.
func probeAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
