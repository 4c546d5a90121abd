package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func probe(t *testing.T, h http.Handler, path string) (int, readiness, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	var r readiness
	json.Unmarshal(rec.Body.Bytes(), &r)
	return rec.Code, r, rec.Body.String()
}

// /healthz needs nothing: no stores are set, and it still answers, at the
// root, under /api/v1, and under its older name /api/v1/health.
func TestHealthz(t *testing.T) {
	s := &Server{Logger: slog.Default(), Ready: []ReadyCheck{{Name: "db", Check: func(context.Context) error { return errors.New("down") }}}}
	h, err := s.Handler()
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/healthz", "/api/v1/healthz", "/api/v1/health"} {
		if code, _, body := probe(t, h, path); code != http.StatusOK || !strings.Contains(body, `"status":"ok"`) {
			t.Errorf("%s: got %d %s, want 200 ok", path, code, body)
		}
	}
	s.Drain()
	if code, _, _ := probe(t, h, "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz while draining: got %d, want 200 (the process is alive)", code)
	}
}

func TestReadyz(t *testing.T) {
	secret := "postgres://inlet:hunter2@db.internal:5432/inlet"
	var dbErr error
	s := &Server{Logger: slog.New(slog.DiscardHandler), ReadyTimeout: 100 * time.Millisecond, Ready: []ReadyCheck{
		{Name: "db", Check: func(context.Context) error { return dbErr }},
		{Name: "lake", Check: func(context.Context) error { return nil }},
		{Name: "keys", Check: func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }},
	}}
	h, err := s.Handler()
	if err != nil {
		t.Fatal(err)
	}
	status := func(r readiness) map[string]string {
		m := map[string]string{}
		for _, c := range r.Checks {
			m[c.Name] = c.Status
		}
		return m
	}
	t.Run("a check times out", func(t *testing.T) {
		code, r, body := probe(t, h, "/readyz")
		if got := status(r); code != http.StatusServiceUnavailable || r.Status != "unavailable" || got["keys"] != "timeout" || got["db"] != "ok" || got["lake"] != "ok" {
			t.Errorf("got %d %s, want 503 with keys timed out", code, body)
		}
	})
	s.Ready[2].Check = func(context.Context) error { return nil }
	t.Run("all pass", func(t *testing.T) {
		for _, path := range []string{"/readyz", "/api/v1/readyz"} {
			if code, r, body := probe(t, h, path); code != http.StatusOK || r.Status != "ok" || len(r.Checks) != 3 {
				t.Errorf("%s: got %d %s, want 200 with 3 checks", path, code, body)
			}
		}
	})
	t.Run("a check fails without saying why", func(t *testing.T) {
		dbErr = errors.New("dial " + secret + ": connection refused")
		code, r, body := probe(t, h, "/readyz")
		if status(r)["db"] != "failed" || code != http.StatusServiceUnavailable {
			t.Errorf("got %d %s, want 503 with db failed", code, body)
		}
		if strings.Contains(body, "hunter2") || strings.Contains(body, "db.internal") || strings.Contains(body, "refused") {
			t.Errorf("the public answer carries the error: %s", body)
		}
		dbErr = nil
	})
	t.Run("a check that ignores its context still answers in time", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		s.Ready[1].Check = func(context.Context) error { <-release; return nil }
		start := time.Now()
		code, r, _ := probe(t, h, "/readyz")
		if took := time.Since(start); took > time.Second || code != http.StatusServiceUnavailable || status(r)["lake"] != "timeout" {
			t.Errorf("got %d %v after %v, want 503 with lake timed out within the timeout", code, r, took)
		}
		s.Ready[1].Check = func(context.Context) error { return nil }
	})
	t.Run("draining", func(t *testing.T) {
		s.Drain()
		code, r, body := probe(t, h, "/readyz")
		if code != http.StatusServiceUnavailable || status(r)["shutdown"] != "failed" {
			t.Errorf("got %d %s, want 503 naming shutdown", code, body)
		}
	})
}
