package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/catalog"
	"github.com/inlet-data/inlet/export"
	"github.com/inlet-data/inlet/frontend"
	"github.com/inlet-data/inlet/ingest"
	"github.com/inlet-data/inlet/server"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("serve", &cfg, stderr)
	fs.Var((*stringValue)(&cfg.Addr), "addr", "listen address (INLET_ADDR)")
	fs.Var((*sizeValue)(&cfg.MaxUploadBytes), "max-upload-bytes", "largest upload accepted, e.g. 10GB (INLET_MAX_UPLOAD_BYTES)")
	fs.Var((*durationValue)(&cfg.UploadTTL), "upload-ttl", "how long a staged upload waits for its ingest, e.g. 24h or 2d (INLET_UPLOAD_TTL)")
	fs.Var((*durationValue)(&cfg.JobLease), "job-lease", "a job not heard from for this long is taken over (INLET_JOB_LEASE)")
	fs.Var((*intValue)(&cfg.JobWorkers), "job-workers", "jobs run at once (INLET_JOB_WORKERS)")
	var proxies, metricsAddr, metricsToken string
	var shutdownTimeout time.Duration
	fs.duration(&shutdownTimeout, "shutdown-timeout", "SHUTDOWN_TIMEOUT", 30*time.Second,
		"on SIGTERM, how long running jobs and requests in flight may take to finish; jobs still running then go back to the queue")
	fs.str(&proxies, "trusted-proxies", "TRUSTED_PROXIES", "", "comma-separated addresses or CIDRs of proxies whose X-Forwarded-For/-Proto are believed")
	fs.str(&metricsAddr, "metrics-addr", "METRICS_ADDR", "", "serve Prometheus metrics on this address of their own (e.g. 127.0.0.1:9090)")
	fs.str(&metricsToken, "metrics-token", "METRICS_TOKEN", "", "serve /metrics on the main address to requests with this bearer token (INLET_METRICS_TOKEN_FILE reads it from a file)")
	fs.setting((*boolValue)(&cfg.WebhookLoopback), "webhook-allow-loopback", "WEBHOOK_ALLOW_LOOPBACK",
		"let export schedules call webhooks on this machine (localhost), for development; off, only public addresses are called")
	oidcSet := oidcFlags(fs)
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return &usageError{"serve takes no arguments"}
	}
	oidcCfg, err := oidcSet.server()
	if err != nil {
		return err
	}
	if shutdownTimeout < 0 {
		return &usageError{"--shutdown-timeout must not be negative"}
	}
	applyMemoryLimit(&cfg, 0)
	logger := newLogger(&cfg, stderr)
	a, err := openApp(ctx, &cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := newIngestMetrics(reg)
	a.runner.Observe = m.observe

	engine, err := a.queryEngine()
	if err != nil {
		return err
	}
	links, err := a.exportLinks()
	if err != nil {
		return err
	}
	srv := &server.Server{
		Engine: engine, QueryRowLimit: cfg.QueryRowLimit, Tokens: a.db, Templates: a.db, TemplateShares: a.db, Iceberg: a.catalog,
		Uploads: a.db, Jobs: a.jobs, Ingest: a.ingest, Catalog: a.catalog,
		Rules: a.db, PhoneRegion: a.ingester.Inspector.Config.PhoneRegion,
		Nulls:    defaultNulls(a.ingester.Inspector.Config.Nulls),
		Accounts: a.db, Tenants: a.db,
		Glue: func(ctx context.Context, tenant string, ref inlet.TableRef) ([]byte, error) {
			in, err := a.catalog.GlueTableInput(ctx, tenant, ref)
			if err != nil {
				return nil, err
			}
			return catalog.MarshalGlue(in)
		},
		OIDC: oidcCfg, Identities: a.db, NoPasswordLogin: !oidcSet.passwordLogin,
		Audit: a.db, Throttle: a.db, TrustedProxies: splitList(proxies), MetricsToken: metricsToken, Rejects: a.runner.Rejects,
		Exports: a.db, ExportLinks: links, ExportFiles: a.exports,
		Logger: logger, Registry: reg, MaxUploadBytes: cfg.MaxUploadBytes,
		TusDir: filepath.Join(cfg.DataDir, "staging", ".tus"),
		UI:     frontend.FS(),
		Ready:  a.readyChecks(),
	}
	// Schedules repeat exports through the same queue as POST /exports;
	// webhook secrets derive from a key in the data directory.
	hookKey, err := export.OpenWebhookKey(filepath.Join(cfg.DataDir, "keys", "webhooks.key"))
	if err != nil {
		return err
	}
	hooks := &export.Webhooks{Key: hookKey, AllowLoopback: cfg.WebhookLoopback, Audit: a.db, Logger: logger}
	a.scheduler = &export.Scheduler{Schedules: a.db, Exports: a.db, Files: a.exports, Audit: a.db, Webhooks: hooks, Logger: logger,
		Queue: &export.Queue{Exports: a.db, Jobs: a.jobs, Templates: a.db, Catalog: a.catalog, Engine: engine, Members: a.db}}
	srv.Schedules, srv.Scheduler, srv.WebhookSecrets, srv.WebhookLoopback = a.db, a.scheduler, hooks, cfg.WebhookLoopback
	if srv.TusS3, err = a.tusS3(); err != nil {
		return err
	}
	srv.TusLocks = a.db
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return inlet.Errorf(inlet.EINVALID, "cannot listen on %s: %v", cfg.Addr, err)
	}
	handler, err := srv.Handler()
	if err != nil {
		return err
	}
	httpSrv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "Inlet is running at http://%s (data in %s). Press Ctrl-C to stop.\n", ln.Addr(), cfg.DataDir)
	if users, err := a.db.CountUsers(ctx); err != nil {
		return err
	} else if users == 0 && oidcSet.passwordLogin {
		// No default password: the first admin signs up through a link
		// that works once, made anew at every start until then.
		token := server.NewToken()
		if err := a.db.SetSecret(ctx, "setup", token); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Create the first admin account (this link works once): http://%s/setup#%s\n", ln.Addr(), token)
	}
	if host, _, _ := net.SplitHostPort(cfg.Addr); !isLoopback(host) {
		logger.Warn("listening beyond this machine: put TLS in front (sign-in cookies are marked Secure behind an https proxy)", "addr", cfg.Addr)
	}
	if oidcCfg != nil {
		logger.Info("sign-in through an OIDC provider", "issuer", oidcCfg.Issuer, "password_login", oidcSet.passwordLogin, "role_map_entries", len(oidcCfg.RoleMap))
	}
	logger.Info("serving", "addr", ln.Addr().String(), "data_dir", cfg.DataDir)

	// Exports run from the same durable queue as ingests.
	exports := &export.Runner{Exports: a.db, Jobs: a.db, Templates: a.db, Catalog: a.catalog, Engine: engine, Area: a.exports,
		Logger: logger, Lease: cfg.JobLease, Observe: a.scheduler.Finished}
	a.runner.Kinds = map[string]func(context.Context, *inlet.Job){inlet.JobExport: exports.Run}
	// Workers claim jobs until the signal (claimCtx) and run them until the
	// shutdown deadline (runCtx): a job still running then is handed back.
	claimCtx, stopClaims := context.WithCancel(ctx)
	runCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer stopJobs()
	var workers, wg sync.WaitGroup
	for i := 0; i < max(cfg.JobWorkers, 1); i++ {
		workers.Add(1)
		go func() { defer workers.Done(); a.runner.Work(claimCtx, runCtx) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); a.janitor(claimCtx) }()
	stopWork := func() {
		stopClaims()
		stopJobs()
		workers.Wait()
		wg.Wait()
	}

	errc := make(chan error, 2)
	go func() { errc <- httpSrv.Serve(ln) }()
	if metricsAddr != "" {
		mln, err := net.Listen("tcp", metricsAddr)
		if err != nil {
			stopWork()
			return inlet.Errorf(inlet.EINVALID, "cannot listen on --metrics-addr %s: %v", metricsAddr, err)
		}
		msrv := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- msrv.Serve(mln) }()
		defer msrv.Close()
		logger.Info("serving metrics", "addr", mln.Addr().String())
	} else if metricsToken == "" {
		logger.Info("metrics are off: set --metrics-addr or --metrics-token to scrape them")
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		stopWork()
		return err
	}
	stopClaims()
	return shutdown(logger, srv, httpSrv, shutdownTimeout, &workers, stopJobs, wg.Wait)
}

// shutdown stops a server within timeout of the signal. At once /readyz
// turns 503 (a load balancer sends new traffic elsewhere) and no job starts;
// the server keeps serving while running jobs finish, until a quarter of
// the timeout is left, then stops accepting connections and lets requests in
// flight finish. At the deadline, jobs still running are interrupted and
// handed back to the queue (another replica, or the next start, takes them
// at once: their lease is released, not left to run out), and connections
// still open are closed.
func shutdown(logger *slog.Logger, srv *server.Server, httpSrv *http.Server, timeout time.Duration,
	workers *sync.WaitGroup, stopJobs func(), others func()) error {
	deadline := time.Now().Add(timeout)
	srv.Drain()
	logger.Info("shutting down: not ready, no new jobs; running jobs and requests may finish", "timeout", timeout.String())
	jobsDone := make(chan struct{})
	go func() { workers.Wait(); close(jobsDone) }()
	select {
	case <-jobsDone:
	case <-time.After(time.Until(deadline.Add(-timeout / 4))):
	}
	httpCtx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	httpDone := make(chan error, 1)
	go func() { httpDone <- httpSrv.Shutdown(httpCtx) }()
	select {
	case <-jobsDone:
	case <-time.After(time.Until(deadline)):
		logger.Warn("jobs still running at the shutdown deadline: handing them back to the queue")
		stopJobs()
		<-jobsDone
	}
	err := <-httpDone
	if errors.Is(err, context.DeadlineExceeded) {
		logger.Warn("requests still in flight at the shutdown deadline: closing their connections")
		err = httpSrv.Close()
	}
	others()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	logger.Info("stopped")
	return err
}

// splitList splits a comma-separated setting, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// janitor deletes staged uploads that were never ingested once they expire
// (raw files with PII must not linger) and expired exports, and runs the
// export schedules that are due.
func (a *app) janitor(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		if err := a.ingest.Expire(ctx, time.Now().UTC()); err != nil && ctx.Err() == nil {
			a.logger.Error("list expired uploads", "err", err)
		}
		a.expireExports(ctx)
		if a.scheduler != nil {
			a.scheduler.RunDue(ctx)
		}
		if err := a.db.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			a.logger.Error("delete expired sessions", "err", err)
		}
		if err := a.db.DeleteStaleFailures(ctx, 2*time.Hour); err != nil && ctx.Err() == nil {
			a.logger.Error("delete stale sign-in counters", "err", err)
		}
		if err := a.db.DeleteStaleLocks(ctx, time.Hour); err != nil && ctx.Err() == nil {
			a.logger.Error("delete stale locks", "err", err)
		}
		// Resumable uploads abandoned half way go after the same time, and
		// so do the rows ingests skipped.
		sweepOlder(filepath.Join(a.cfg.DataDir, "staging", ".tus"), a.cfg.UploadTTL)
		a.sweepTusS3(ctx)
		a.runner.Rejects.Sweep(a.cfg.UploadTTL)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// expireExports deletes exports past their expiry: files first, then the
// row, so a failure leaves the row to try again (nothing orphaned).
func (a *app) expireExports(ctx context.Context) {
	es, err := a.db.ExpiredExports(ctx, time.Now().UTC())
	if err != nil && ctx.Err() == nil {
		a.logger.Error("list expired exports", "err", err)
	}
	for _, e := range es {
		if e.State == inlet.ExportRunning || e.State == inlet.ExportQueued {
			continue // its job ends it first
		}
		if err := a.exports.Delete(ctx, e); err != nil {
			a.logger.Error("delete expired export files", "export", e.ID, "err", err)
			continue
		}
		if err := a.db.DeleteExport(ctx, e.Tenant, e.ID); err != nil {
			a.logger.Error("delete expired export", "export", e.ID, "err", err)
			continue
		}
		_ = a.db.RecordAudit(ctx, &inlet.AuditEvent{At: time.Now().UTC(), Tenant: e.Tenant, Actor: "janitor", Action: "export.expire",
			Object: "export:" + e.ID, Outcome: "ok", Detail: map[string]any{"files": len(e.Files)}})
		a.logger.Info("expired export deleted", "export", e.ID, "tenant", e.Tenant)
	}
}

// sweepOlder removes the files in dir not touched for longer than age.
func sweepOlder(dir string, age time.Duration) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && !e.IsDir() && time.Since(fi.ModTime()) > age {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// defaultNulls is the server's null vocabulary, as inspection applies it.
func defaultNulls(configured []string) []string {
	if configured != nil {
		return configured
	}
	return ingest.DefaultNulls
}
