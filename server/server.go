// Package server is Inlet's HTTP API (and, later, the web UI it serves). It
// is the only package that imports gin. It reaches the other parts through
// the root package's interfaces; tenant and user travel on the request
// context so the parts below can check access themselves.
package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	inlet "github.com/inlet-data/inlet"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Server serves the API.
type Server struct {
	Uploads UploadStore
	Jobs    inlet.JobStore
	// Ingest stages, inspects, checks and queues uploads.
	Ingest inlet.IngestService
	// Rules are each tenant's PII rules; PhoneRegion is the region phone
	// numbers are read in when neither the upload nor the tenant names one.
	Rules       inlet.PIIRulesStore
	PhoneRegion string
	// Nulls are the cell values read as NULL unless an upload says otherwise.
	Nulls    []string
	Catalog  inlet.Catalog
	Accounts inlet.AccountStore
	Tenants  TenantStore
	Glue     func(ctx context.Context, tenant string, ref inlet.TableRef) ([]byte, error)
	Logger   *slog.Logger
	Registry *prometheus.Registry
	Now      func() time.Time
	// MaxUploadBytes bounds one upload.
	MaxUploadBytes int64
	// SessionTTL is how long a sign-in lasts (default 12h).
	SessionTTL time.Duration
	// TusDir holds resumable uploads while they arrive ("" disables them).
	TusDir string
	// TusS3, when set, keeps resumable uploads' pieces in S3 instead (TusDir
	// then only buffers a part), so an upload resumes on any replica.
	TusS3 *TusS3
	// TusLocks, with TusS3, keeps an upload to one writing request across
	// every replica.
	TusLocks Locks
	// UI is the built web UI; nil serves a page that says how to build it.
	UI fs.FS
	// Engine runs SQL; QueryRowLimit caps rows of interactive (JSON) results.
	Engine        inlet.Engine
	QueryRowLimit int64
	Tokens        inlet.TokenStore
	Templates     inlet.TemplateStore
	// TemplateShares are templates shared with customers.
	TemplateShares inlet.TemplateShareStore
	// Iceberg serves table metadata to engines through the Iceberg REST protocol.
	Iceberg IcebergTables
	// Exports are data exports; ExportLinks signs their download links and
	// ExportFiles opens and removes their files.
	Exports     inlet.ExportStore
	ExportLinks ExportLinks
	ExportFiles ExportFiles
	// Schedules repeat exports; Scheduler runs one now, and
	// WebhookSecrets derives each schedule's webhook secret.
	Schedules      inlet.ExportScheduleStore
	Scheduler      ScheduleRunner
	WebhookSecrets WebhookSecrets
	// WebhookLoopback allows webhooks to this machine (for development).
	WebhookLoopback bool
	// Rejects opens the rows an ingest job skipped, as CSV.
	Rejects interface {
		Open(tenant, jobID string) (*os.File, error)
	}
	// Audit records who did what; Throttle counts failed sign-ins.
	Audit    inlet.AuditLog
	Throttle Throttle
	// TrustedProxies are the addresses (CIDRs) whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; none by default.
	TrustedProxies []string
	// MetricsToken, if set, serves /metrics to requests bearing it; without
	// it /metrics is not served here (serve it on a listener of its own
	// with MetricsHandler).
	MetricsToken string
	// OIDC, if set, signs people in through an OpenID Connect provider,
	// whose users Identities links; NoPasswordLogin turns local password
	// sign-in (and the setup link and invites) off.
	OIDC            *OIDC
	Identities      inlet.IdentityStore
	NoPasswordLogin bool
	// Ready are the checks /readyz runs, each within ReadyTimeout (2s by
	// default); Drain turns it to 503 for a shutdown.
	Ready        []ReadyCheck
	ReadyTimeout time.Duration

	draining  atomic.Bool
	engine    *gin.Engine
	proxies   []*net.IPNet
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	queries   *prometheus.CounterVec
	queryTime prometheus.Histogram
}

// UploadStore is what the server needs of upload records.
type UploadStore interface {
	inlet.UploadStore
	Uploads(ctx context.Context, tenant string, limit int) ([]*inlet.Upload, error)
}

// Handler builds the routes. Call once.
func (s *Server) Handler() (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "inlet_http_requests_total", Help: "HTTP requests by route and status."}, []string{"method", "route", "code"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "inlet_http_request_duration_seconds", Help: "HTTP request latency by route.", Buckets: prometheus.DefBuckets}, []string{"method", "route"})
	if s.Registry != nil {
		s.Registry.MustRegister(s.requests, s.latency)
	}
	if err := s.parseProxies(); err != nil {
		return nil, err
	}
	if err := e.SetTrustedProxies(s.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	e.Use(s.recover, s.observe, s.secure, s.identify)
	e.NoRoute(s.handle(func(c *gin.Context) error {
		if !strings.HasPrefix(c.Request.URL.Path, "/api/") && c.Request.Method == http.MethodGet {
			s.serveUI(c)
			return nil
		}
		return inlet.Errorf(inlet.ENOTFOUND, "no such endpoint: %s %s", c.Request.Method, c.Request.URL.Path)
	}))
	e.NoMethod(s.handle(func(c *gin.Context) error {
		return &inlet.Error{Code: "EMETHOD", Message: "method not allowed"}
	}))
	api := e.Group("/api/v1")
	s.registerHealthRoutes(e, api)
	api.GET("/openapi.json", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", openAPIDocument) })
	api.GET("/config", s.need(inlet.RoleViewer, func(c *gin.Context) error {
		c.JSON(http.StatusOK, gin.H{"max_upload_bytes": s.MaxUploadBytes, "accepted": []string{".csv", ".tsv", ".txt", ".xlsx", ".gz", ".zip"},
			"phone_region": s.PhoneRegion, "phone_regions": phoneRegions(), "nulls": s.Nulls})
		return nil
	}))
	s.registerSessionRoutes(api)
	s.registerTenantRoutes(api)
	s.registerUploadRoutes(api)
	s.registerSettingsRoutes(api)
	if err := s.registerTusRoutes(api); err != nil {
		return nil, err
	}
	s.registerJobRoutes(api)
	s.registerTableRoutes(api)
	s.registerQueryRoutes(api)
	s.registerTokenRoutes(api)
	s.registerTemplateRoutes(api)
	s.registerTemplateShareRoutes(api)
	s.registerIcebergRoutes(api)
	s.registerExportRoutes(api, e)
	s.registerScheduleRoutes(api)
	s.registerAuditRoutes(api)
	if s.Registry != nil && s.MetricsToken != "" {
		metrics := s.MetricsHandler()
		e.GET("/metrics", s.handle(func(c *gin.Context) error {
			got, _ := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
			if subtle.ConstantTimeCompare([]byte(got), []byte(s.MetricsToken)) != 1 {
				return inlet.Errorf(inlet.EUNAUTHORIZED, "metrics need the bearer token configured with --metrics-token")
			}
			metrics.ServeHTTP(c.Writer, c.Request)
			return nil
		}))
	}
	s.engine = e
	return e, nil
}

// MetricsHandler serves the Prometheus metrics.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{})
}

// contentSecurityPolicy allows the page's own scripts, styles, images and
// API calls, and nothing framed or from elsewhere. No inline script runs;
// inline styles may apply, because the SQL editor (CodeMirror) and the
// charts set style attributes.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure sets the security headers of every response.
func (s *Server) secure(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.https(c) {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	c.Next()
}

// https reports whether the client reached Inlet over https: directly, or
// through a trusted proxy that says so.
func (s *Server) https(c *gin.Context) bool {
	if c.Request.TLS != nil {
		return true
	}
	if c.GetHeader("X-Forwarded-Proto") != "https" {
		return false
	}
	ip := net.ParseIP(c.RemoteIP())
	for _, n := range s.proxies {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// parseProxies reads TrustedProxies: CIDRs or single addresses.
func (s *Server) parseProxies() error {
	for _, p := range s.TrustedProxies {
		if !strings.Contains(p, "/") {
			if ip := net.ParseIP(p); ip != nil && ip.To4() != nil {
				p += "/32"
			} else {
				p += "/128"
			}
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return fmt.Errorf("trusted proxy %q: %w", p, err)
		}
		s.proxies = append(s.proxies, n)
	}
	return nil
}

// noUIPage is served when the binary was built without the web UI.
var noUIPage = []byte(`<!doctype html><meta charset="utf-8"><title>Inlet</title>
<p>This Inlet binary was built without its web UI: run <code>./scripts/run</code> (or <code>npm ci && npm run build</code> in frontend/, then go build). The API is at <a href="/api/v1/openapi.json">/api/v1</a>.</p>`)

// serveUI serves the single-page app: a file of the build when one matches
// the path, else index.html, whose router shows the page.
func (s *Server) serveUI(c *gin.Context) {
	if s.UI == nil {
		c.Data(http.StatusOK, "text/html; charset=utf-8", noUIPage)
		return
	}
	name := strings.TrimPrefix(path.Clean(c.Request.URL.Path), "/")
	if name != "" && name != "index.html" {
		if f, err := fs.Stat(s.UI, name); err == nil && !f.IsDir() {
			if strings.HasPrefix(name, "assets/") { // content-hashed names
				c.Header("Cache-Control", "public, max-age=31536000, immutable")
			}
			c.FileFromFS(name, http.FS(s.UI))
			return
		}
	}
	index, err := fs.ReadFile(s.UI, "index.html")
	if err != nil {
		c.Data(http.StatusOK, "text/html; charset=utf-8", noUIPage)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", index)
}

// Routes lists the registered routes as "METHOD /path", for the OpenAPI check.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.engine.Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now().UTC()
}

// Identity is who is calling, and the scope of the credential they call
// with: the tenant they act in, their role there, and the roles the
// credential holds in other tenants. It is set once per request, from the
// session (the user's memberships, read anew each request) or from an API
// token (its one tenant, its role capped at its creator's): handlers check
// this scope, never the user's memberships.
type Identity struct {
	User      string
	Email     string
	Tenant    string
	Role      inlet.Role // "" when not a member of Tenant
	SiteAdmin bool       // only through a session: tokens never carry it

	roles   map[string]inlet.Role // the credential's role per tenant
	token   string                // the session token, to sign out or switch tenant
	session *inlet.Session
	tokenID string // set when the caller used an API token
	ip      string // the client's address, as the audit log records it
}

// RoleIn is the credential's role in a tenant ("" when it has none).
func (id Identity) RoleIn(tenant string) inlet.Role { return id.roles[tenant] }

// viaToken reports whether the caller used an API token.
func (id Identity) viaToken() bool { return id.tokenID != "" }

type identityKey struct{}

// WithIdentity puts an identity on a context.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the caller's identity.
func IdentityFrom(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}

// uploader names the caller in lineage: people recognise an email, not an id.
func (id Identity) uploader() string {
	if id.Email != "" {
		return id.Email
	}
	return id.User
}

func identity(c *gin.Context) Identity {
	id, _ := IdentityFrom(c.Request.Context())
	return id
}

func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	rid := c.GetHeader("X-Request-Id")
	if rid == "" || len(rid) > 64 {
		b := make([]byte, 8)
		rand.Read(b)
		rid = hex.EncodeToString(b)
	}
	c.Set("request_id", rid)
	c.Header("X-Request-Id", rid)
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	code := c.Writer.Status()
	s.requests.WithLabelValues(c.Request.Method, route, http.StatusText(code)).Inc()
	s.latency.WithLabelValues(c.Request.Method, route).Observe(time.Since(start).Seconds())
	// Paths and query strings name tables and options, never cell values.
	s.Logger.Info("http", "method", c.Request.Method, "route", route, "status", code,
		"ms", time.Since(start).Milliseconds(), "request_id", rid)
}

func (s *Server) recover(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if errAbort(r) {
				panic(r) // net/http ends the response without logging it
			}
			s.Logger.Error("panic", "route", c.FullPath(), "panic", r)
			s.writeError(c, errors.New("panic"))
		}
	}()
	c.Next()
}

// statusOf maps error codes to HTTP statuses: the one table of it.
var statusOf = map[string]int{
	inlet.EINVALID:      http.StatusBadRequest,
	inlet.ENOTFOUND:     http.StatusNotFound,
	inlet.ECONFLICT:     http.StatusConflict,
	inlet.EFORBIDDEN:    http.StatusForbidden,
	inlet.EUNAUTHORIZED: http.StatusUnauthorized,
	inlet.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	inlet.ETOOMANY:      http.StatusTooManyRequests,
	inlet.EINTERNAL:     http.StatusInternalServerError,
	"EMETHOD":           http.StatusMethodNotAllowed,
}

// handle adapts a handler that returns an error.
func (s *Server) handle(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.writeError(c, err)
		}
	}
}

type errorBody struct {
	Error struct {
		Code      string            `json:"code"`
		Message   string            `json:"message"`
		Fields    map[string]string `json:"fields,omitempty"`
		RequestID string            `json:"request_id,omitempty"`
	} `json:"error"`
}

func (s *Server) writeError(c *gin.Context, err error) {
	var body errorBody
	body.Error.Code = inlet.ErrorCode(err)
	body.Error.Message = inlet.ErrorMessage(err)
	var e *inlet.Error
	if errors.As(err, &e) {
		body.Error.Fields = e.Fields
	}
	status, ok := statusOf[body.Error.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status == http.StatusInternalServerError {
		rid, _ := c.Get("request_id")
		body.Error.RequestID, _ = rid.(string)
		s.Logger.Error("request failed", "route", c.FullPath(), "request_id", body.Error.RequestID, "err", err)
	}
	c.AbortWithStatusJSON(status, body)
}
