package server

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// ReadyCheck is one thing /readyz checks before it says the server can take
// traffic: the metadata database, the lake, the keys.
type ReadyCheck struct {
	Name  string
	Check func(ctx context.Context) error
}

// readiness is /readyz's answer. A check's status is "ok", "failed" or
// "timeout", never the error itself: the answer is public (load balancers
// call it without credentials) and a driver's error can name hosts, users
// or paths. The server log has the detail.
type readiness struct {
	Status string       `json:"status"`
	Checks []readyCheck `json:"checks"`
}

type readyCheck struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

// defaultReadyTimeout bounds each readiness check.
const defaultReadyTimeout = 2 * time.Second

// Drain makes /readyz answer 503 from now on: the server is shutting down
// and a load balancer should send its traffic elsewhere, while requests in
// flight (and job status polls) are still served.
func (s *Server) Drain() { s.draining.Store(true) }

// registerHealthRoutes serves the probes at the root, where orchestrators
// look for them, and under /api/v1 with the rest of the documented API.
// /api/v1/health is the older name of /healthz, kept for its callers.
func (s *Server) registerHealthRoutes(e *gin.Engine, api *gin.RouterGroup) {
	for _, g := range []gin.IRoutes{e, api} {
		g.GET("/healthz", s.healthz)
		g.GET("/readyz", s.readyz)
	}
	api.GET("/health", s.healthz)
}

// healthz says the process is alive and serving: no database, no lake, no
// credentials, so that a slow dependency never gets a live server killed.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz runs the readiness checks at once, each under a short timeout, and
// answers 503 naming the checks that failed, or when the server is
// shutting down.
func (s *Server) readyz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if s.draining.Load() {
		c.JSON(http.StatusServiceUnavailable, readiness{Status: "unavailable", Checks: []readyCheck{{Name: "shutdown", Status: "failed"}}})
		return
	}
	timeout := s.ReadyTimeout
	if timeout <= 0 {
		timeout = defaultReadyTimeout
	}
	out := readiness{Status: "ok", Checks: make([]readyCheck, len(s.Ready))}
	var wg sync.WaitGroup
	for i, rc := range s.Ready {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(c.Request.Context(), timeout)
			defer cancel()
			err := runCheck(ctx, rc.Check)
			out.Checks[i] = readyCheck{Name: rc.Name, Status: "ok"}
			switch {
			case err == nil:
				return
			case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
				out.Checks[i].Status = "timeout"
			default:
				out.Checks[i].Status = "failed"
			}
			s.Logger.Warn("readiness check failed", "check", rc.Name, "err", err)
		}()
	}
	wg.Wait()
	code := http.StatusOK
	for _, ch := range out.Checks {
		if ch.Status != "ok" {
			out.Status, code = "unavailable", http.StatusServiceUnavailable
		}
	}
	c.JSON(code, out)
}

// runCheck runs a check but returns when ctx ends even if the check does
// not honour it (a stuck file system): the probe answers in time.
func runCheck(ctx context.Context, check func(context.Context) error) error {
	done := make(chan error, 1)
	go func() { done <- check(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
