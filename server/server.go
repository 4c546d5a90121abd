// Package server is Inlet's HTTP API (and, later, the web UI it serves). It
// is the only package that imports gin. It reaches the other parts through
// the root package's interfaces; tenant and user travel on the request
// context so the parts below can check access themselves.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	inlet "github.com/inlet-data/inlet"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Server serves the API.
type Server struct {
	Uploads   UploadStore
	Jobs      inlet.JobStore
	Staging   inlet.Staging
	Inspector Inspector
	Catalog   inlet.Catalog
	Accounts  inlet.AccountStore
	Tenants   TenantStore
	Glue      func(ctx context.Context, tenant string, ref inlet.TableRef) ([]byte, error)
	Logger    *slog.Logger
	Registry  *prometheus.Registry
	Now       func() time.Time
	// UploadTTL is how long a staged upload waits for its ingest.
	UploadTTL time.Duration
	// MaxUploadBytes bounds one upload.
	MaxUploadBytes int64
	// SessionTTL is how long a sign-in lasts (default 12h).
	SessionTTL time.Duration
	// TusDir holds resumable uploads while they arrive ("" disables them).
	TusDir string
	// UI is the built web UI; nil serves a page that says how to build it.
	UI fs.FS
	// Engine runs SQL; QueryRowLimit caps rows of interactive (JSON) results.
	Engine        inlet.Engine
	QueryRowLimit int64
	Tokens        inlet.TokenStore
	Templates     inlet.TemplateStore
	// Iceberg serves table metadata to engines through the Iceberg REST protocol.
	Iceberg IcebergTables

	engine    *gin.Engine
	failures  signInFailures
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

// Inspector inspects a staged file.
type Inspector interface {
	InspectFile(ctx context.Context, path, fileName string, opts inlet.InspectOptions) (*inlet.Inspection, error)
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
	e.Use(s.recover, s.observe, s.identify)
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
	api.GET("/health", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	api.GET("/openapi.json", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", openAPIDocument) })
	api.GET("/config", s.need(inlet.RoleViewer, func(c *gin.Context) error {
		c.JSON(http.StatusOK, gin.H{"max_upload_bytes": s.MaxUploadBytes, "accepted": []string{".csv", ".tsv", ".txt", ".xlsx", ".gz", ".zip"}})
		return nil
	}))
	s.registerSessionRoutes(api)
	s.registerTenantRoutes(api)
	s.registerUploadRoutes(api)
	if err := s.registerTusRoutes(api); err != nil {
		return nil, err
	}
	s.registerJobRoutes(api)
	s.registerTableRoutes(api)
	s.registerQueryRoutes(api)
	s.registerTokenRoutes(api)
	s.registerTemplateRoutes(api)
	s.registerIcebergRoutes(api)
	if s.Registry != nil {
		e.GET("/metrics", gin.WrapH(promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{})))
	}
	s.engine = e
	return e, nil
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

// Identity is who is calling, in which tenant, with which role there.
type Identity struct {
	User      string
	Email     string
	Tenant    string
	Role      inlet.Role // "" when not a member of Tenant
	SiteAdmin bool

	token   string // the session token, to sign out or switch tenant
	session *inlet.Session
	tokenID string // set when the caller used an API token
}

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
