package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query"
	"github.com/prometheus/client_golang/prometheus"
)

func (s *Server) registerQueryRoutes(r *gin.RouterGroup) {
	s.queries = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "inlet_queries_total", Help: "Queries by outcome (ok, refused, invalid, cancelled, failed)."}, []string{"outcome"})
	s.queryTime = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "inlet_query_duration_seconds", Help: "Time to run a query and stream its result.", Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 12)})
	if s.Registry != nil {
		s.Registry.MustRegister(s.queries, s.queryTime)
	}
	r.POST("/query", s.need(inlet.RoleViewer, s.postQuery))
	r.GET("/queries", s.need(inlet.RoleViewer, s.listStatements))
}

// StatementLister is what an engine tells of its running and queued
// statements.
type StatementLister interface {
	Statements(tenant string) []inlet.Statement
}

// listStatements shows the caller's statements, running and waiting for
// their turn (an admin sees the tenant's).
func (s *Server) listStatements(c *gin.Context) error {
	id := identity(c)
	out := []inlet.Statement{}
	if l, ok := s.Engine.(StatementLister); ok {
		for _, st := range l.Statements(id.Tenant) {
			if st.User == id.User || id.Role.Allows(inlet.RoleAdmin) {
				out = append(out, st)
			}
		}
	}
	c.JSON(http.StatusOK, gin.H{"statements": out})
	return nil
}

// queryRequest is the body of POST /query.
type queryRequest struct {
	SQL    string `json:"sql"`
	Params []any  `json:"params"` // bound to ? in order
	// Format is json (default), csv or arrow; an Accept header of
	// text/csv or application/vnd.apache.arrow.stream chooses too.
	Format string     `json:"format"`
	Limit  int64      `json:"limit"`
	AsOf   *time.Time `json:"as_of"`
	// Snapshots pins tables to snapshot ids, given as strings (as the API
	// writes them: JavaScript cannot hold 64 bits) or numbers.
	Snapshots map[string]json.Number `json:"snapshots"`
	// TemplateParams and Values run SQL written as a template before it is
	// saved (the workspace's preview): {{name}} is bound from Values.
	TemplateParams []inlet.TemplateParam `json:"template_params"`
	Values         map[string][]string   `json:"values"`
}

func (s *Server) postQuery(c *gin.Context) error {
	var req queryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	for i, p := range req.Params {
		switch p.(type) {
		case nil, string, float64, bool:
		default:
			return inlet.Errorf(inlet.EINVALID, "params[%d]: use a string, number, boolean or null", i)
		}
	}
	id := identity(c)
	q := inlet.Query{Tenant: id.Tenant, User: id.User, SQL: req.SQL, Args: req.Params}
	for table, v := range req.Snapshots {
		n, err := strconv.ParseInt(v.String(), 10, 64)
		if err != nil {
			return &inlet.Error{Code: inlet.EINVALID, Message: fmt.Sprintf("snapshots.%s: %q is not a snapshot id", table, v), Fields: map[string]string{"snapshots." + table: "not a snapshot id"}}
		}
		if q.Snapshots == nil {
			q.Snapshots = map[string]int64{}
		}
		q.Snapshots[table] = n
	}
	var rendered *query.Rendered // a template's positions are in its own text
	if req.TemplateParams != nil {
		if len(req.Params) > 0 {
			return inlet.Errorf(inlet.EINVALID, "give params for ? or values for {{name}}, not both")
		}
		r, err := query.Render(req.SQL, req.TemplateParams, req.Values, s.now())
		if err != nil {
			return err
		}
		q.SQL, q.Args, rendered = r.SQL, r.Args, r
	}
	if req.AsOf != nil {
		q.AsOf = *req.AsOf
	}
	return rendered.Locate(s.runQuery(c, q, req.Format, req.Limit, queryAudit(req.SQL)))
}

// runAudit is the audit event a run records when it ends: runQuery adds
// rows, ms, the outcome and an error's code.
type runAudit struct {
	action, object string
	detail         map[string]any
}

// queryAudit names a statement by its text's SHA-256: the text may hold
// literals that are personal data, and never goes in the log.
func queryAudit(sql string) runAudit {
	h := sha256Hex(sql)
	return runAudit{action: "query.run", object: "sql:" + h, detail: map[string]any{"sql_sha256": h}}
}

// resultFormat picks the format from the request, then the Accept header.
func resultFormat(c *gin.Context, format string) (string, error) {
	if format == "" {
		accept := c.GetHeader("Accept")
		switch {
		case strings.Contains(accept, "application/vnd.apache.arrow.stream"):
			format = query.FormatArrow
		case strings.Contains(accept, "text/csv"):
			format = query.FormatCSV
		default:
			format = query.FormatJSON
		}
	}
	switch format {
	case query.FormatJSON, query.FormatCSV, query.FormatArrow:
		return format, nil
	}
	return "", inlet.Errorf(inlet.EINVALID, "unknown format %q: use json, csv or arrow", format)
}

// runQuery runs a statement and streams its result. JSON results are for
// screens and stop at the row limit (saying so); CSV and Arrow stream every
// row unless a limit is asked for. The statement stops when the client goes
// away: the request's context cancels it.
func (s *Server) runQuery(c *gin.Context, q inlet.Query, format string, limit int64, ev runAudit) (err error) {
	start := time.Now()
	var rows int64 = -1
	var streamErr error // a failure a JSON result carries
	defer func() {
		// Recorded however the run ends, also when the stream breaks.
		ev.detail["ms"] = time.Since(start).Milliseconds()
		if rows >= 0 {
			ev.detail["rows"] = rows
		}
		if err == nil {
			err = streamErr
		}
		out := "ok"
		if err != nil {
			var code string
			out, code = errorOutcome(err)
			if c.Request.Context().Err() != nil {
				code = "cancelled"
			}
			ev.detail["error"] = code
		}
		s.logAudit(c, ev.action, ev.object, out, ev.detail)
	}()
	format, err = resultFormat(c, format)
	if err != nil {
		return err
	}
	if limit < 0 {
		return inlet.Errorf(inlet.EINVALID, "limit must be 0 (no limit) or more")
	}
	if format == query.FormatJSON && s.QueryRowLimit > 0 && (limit == 0 || limit > s.QueryRowLimit) {
		limit = s.QueryRowLimit
	}
	if s.Engine == nil {
		return inlet.Errorf(inlet.EINTERNAL, "no query engine configured")
	}
	ahead := -1
	q.OnQueued = func(n int) { ahead = n }
	result, err := s.Engine.Query(c.Request.Context(), q)
	if err != nil {
		s.countQuery(c, err)
		return err
	}
	defer result.Close()
	if ahead >= 0 {
		// It waited for its turn: say behind how many, for the screen.
		c.Header("Inlet-Queued-Behind", strconv.Itoa(ahead))
	}
	c.Header("Content-Type", query.ContentType(format))
	if format == query.FormatCSV {
		c.Header("Content-Disposition", `attachment; filename="result.csv"`)
	}
	c.Header("X-Content-Type-Options", "nosniff")
	c.Status(http.StatusOK)
	n, err := query.Write(c.Writer, format, result, limit)
	rows = n.Rows
	s.queryTime.Observe(time.Since(start).Seconds())
	s.countQuery(c, err)
	s.Logger.Info("query", "tenant", q.Tenant, "rows", n.Rows, "truncated", n.Truncated, "format", format,
		"ms", time.Since(start).Milliseconds(), "outcome", outcome(c, err))
	if err != nil && format != query.FormatJSON {
		// The status line has gone out: break the stream rather than end it
		// cleanly, so no client mistakes a partial result for a whole one.
		s.Logger.Warn("query failed while streaming", "tenant", q.Tenant, "code", inlet.ErrorCode(err))
		panic(http.ErrAbortHandler) // the deferred audit records it
	}
	streamErr = err
	return nil // JSON carries a failure in its "error" member
}

func outcome(c *gin.Context, err error) string {
	if err != nil && c.Request.Context().Err() != nil {
		return "cancelled" // the client went away
	}
	switch inlet.ErrorCode(err) {
	case "":
		return "ok"
	case inlet.EFORBIDDEN:
		return "refused"
	case inlet.EINVALID, inlet.ENOTFOUND:
		return "invalid"
	}
	return "failed"
}

func (s *Server) countQuery(c *gin.Context, err error) {
	if s.queries != nil {
		s.queries.WithLabelValues(outcome(c, err)).Inc()
	}
}

// errAbort reports whether a panic value is the deliberate abort of a
// response stream.
func errAbort(v any) bool {
	err, ok := v.(error)
	return ok && errors.Is(err, http.ErrAbortHandler)
}
