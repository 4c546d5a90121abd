package server

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	inlet "github.com/inlet-data/inlet"
)

// The audit log is read by the tenant's admins (and site admins), in the
// session's or the token's tenant. An admin token may read it: that is how
// a SIEM collects it.
func (s *Server) registerAuditRoutes(r *gin.RouterGroup) {
	r.GET("/audit", s.handle(s.listAudit))
}

// audit records an event of the caller's, in their current tenant.
func (s *Server) audit(c *gin.Context, action, object, outcome string, detail map[string]any) error {
	id := identity(c)
	return s.recordAudit(c, &inlet.AuditEvent{Tenant: id.Tenant, Actor: id.User, Action: action, Object: object, Outcome: outcome, Detail: detail})
}

// recordAudit appends an event with the caller's address, for events whose
// tenant or actor is not the caller's current one.
func (s *Server) recordAudit(c *gin.Context, e *inlet.AuditEvent) error {
	e.IP = c.ClientIP()
	return s.appendAudit(c.Request.Context(), e)
}

// auditAs records an event of a caller outside a gin handler (a tus hook).
func (s *Server) auditAs(ctx context.Context, id Identity, action, object, outcome string, detail map[string]any) error {
	return s.appendAudit(ctx, &inlet.AuditEvent{Tenant: id.Tenant, Actor: id.User, IP: id.ip, Action: action, Object: object, Outcome: outcome, Detail: detail})
}

// appendAudit stamps an event and appends it. It is written even when the
// client has gone away: what happened happened.
func (s *Server) appendAudit(ctx context.Context, e *inlet.AuditEvent) error {
	e.At = s.now()
	if s.Audit == nil {
		return nil
	}
	if err := s.Audit.RecordAudit(context.WithoutCancel(ctx), e); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// logAudit records an event whose response has gone out already: a
// failure to record it can only be logged.
func (s *Server) logAudit(c *gin.Context, action, object, outcome string, detail map[string]any) {
	if err := s.audit(c, action, object, outcome, detail); err != nil {
		s.Logger.Error("audit", "action", action, "err", err)
	}
}

// sha256Hex is how the log names text it must not hold: SQL (it may carry
// literals that are personal data) and the email of a failed sign-in.
func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// errorOutcome is how an event that failed ends, and the error code the
// detail names (never the message: messages may quote file names).
func errorOutcome(err error) (string, string) {
	if inlet.ErrorCode(err) == inlet.EFORBIDDEN {
		return "refused", inlet.EFORBIDDEN
	}
	return "failed", inlet.ErrorCode(err)
}

// auditPage is one page of the log; NextBefore, when set, is the before=
// value of the next (older) page.
type auditPage struct {
	Events     []inlet.AuditEvent `json:"events"`
	NextBefore int64              `json:"next_before,omitempty"`
}

const (
	defaultAuditLimit = 100
	maxAuditLimit     = 1000
)

// listAudit reads the tenant's audit log, newest first, as JSON pages or
// as CSV (?format=csv or Accept: text/csv), which streams every matching
// event unless limit is given.
func (s *Server) listAudit(c *gin.Context) error {
	id, err := signedIn(c)
	if err != nil {
		return err
	}
	if !id.Role.Allows(inlet.RoleAdmin) && !id.SiteAdmin {
		return inlet.Errorf(inlet.EFORBIDDEN, "the audit log is for admins of tenant %s; you are %s", id.Tenant, roleName(id.Role))
	}
	if s.Audit == nil {
		return inlet.Errorf(inlet.EINTERNAL, "no audit log configured")
	}
	f, limited, err := auditFilter(c)
	if err != nil {
		return err
	}
	format := c.Query("format")
	if format == "" && strings.Contains(c.GetHeader("Accept"), "text/csv") {
		format = "csv"
	}
	switch format {
	case "", "json":
		want := f.Limit
		f.Limit++ // one more says whether there is a next page
		events, err := s.Audit.AuditEvents(c.Request.Context(), id.Tenant, f)
		if err != nil {
			return err
		}
		page := auditPage{Events: events}
		if len(events) > want {
			page.Events = events[:want]
			page.NextBefore = page.Events[want-1].Seq
		}
		if page.Events == nil {
			page.Events = []inlet.AuditEvent{}
		}
		c.JSON(http.StatusOK, page)
		return nil
	case "csv":
		return s.auditCSV(c, id.Tenant, f, limited)
	}
	return &inlet.Error{Code: inlet.EINVALID, Message: fmt.Sprintf("format %q: use json or csv", format), Fields: map[string]string{"format": "use json or csv"}}
}

// auditFilter reads the query's filter; a value it cannot read is an
// error on its field. limited says whether the caller gave a limit.
func auditFilter(c *gin.Context) (inlet.AuditFilter, bool, error) {
	f := inlet.AuditFilter{Actor: strings.TrimSpace(c.Query("actor")), Action: strings.TrimSpace(c.Query("action")),
		Object: strings.TrimSpace(c.Query("object")), Limit: defaultAuditLimit}
	bad := func(field, why string) (inlet.AuditFilter, bool, error) {
		return f, false, &inlet.Error{Code: inlet.EINVALID, Message: fmt.Sprintf("%s: %s", field, why), Fields: map[string]string{field: why}}
	}
	for field, v := range map[string]string{"actor": f.Actor, "action": f.Action, "object": f.Object} {
		if len(v) > 300 {
			return bad(field, "at most 300 characters")
		}
	}
	for field, t := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		v := strings.TrimSpace(c.Query(field))
		if v == "" {
			continue
		}
		var err error
		if *t, err = time.Parse(time.RFC3339, v); err != nil {
			if *t, err = time.Parse(time.DateOnly, v); err != nil {
				return bad(field, "use RFC 3339 (2026-01-31T00:00:00Z) or a date (2026-01-31)")
			}
		}
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
		return bad("until", "must be after since")
	}
	if v := c.Query("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return bad("before", "a positive event number (seq)")
		}
		f.Before = n
	}
	limited := false
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxAuditLimit {
			return bad("limit", fmt.Sprintf("a whole number from 1 to %d", maxAuditLimit))
		}
		f.Limit, limited = n, true
	}
	return f, limited, nil
}

// auditCSVHeader names the CSV's columns; detail is the event's detail as JSON.
var auditCSVHeader = []string{"seq", "at", "actor", "actor_email", "action", "object", "ip", "outcome", "detail"}

// auditCSV streams the matching events as CSV, a page at a time.
func (s *Server) auditCSV(c *gin.Context, tenant string, f inlet.AuditFilter, limited bool) error {
	ctx := c.Request.Context()
	left := -1 // no limit: every matching event
	if limited {
		left = f.Limit
	}
	f.Limit = maxAuditLimit
	if left >= 0 {
		f.Limit = min(left, maxAuditLimit)
	}
	events, err := s.Audit.AuditEvents(ctx, tenant, f)
	if err != nil {
		return err // nothing sent yet: a proper error
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="audit-%s-%s.csv"`, tenant, s.now().Format("20060102-150405")))
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	w.Write(auditCSVHeader)
	for {
		for _, e := range events {
			detail, _ := json.Marshal(e.Detail)
			if e.Detail == nil {
				detail = []byte("{}")
			}
			w.Write([]string{strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), safeCell(e.Actor), safeCell(e.ActorEmail),
				safeCell(e.Action), safeCell(e.Object), safeCell(e.IP), safeCell(e.Outcome), string(detail)})
		}
		n := len(events)
		if left >= 0 {
			left -= n
		}
		if n < f.Limit || left == 0 {
			break
		}
		f.Before = events[n-1].Seq
		if left > 0 {
			f.Limit = min(left, maxAuditLimit)
		}
		w.Flush()
		if events, err = s.Audit.AuditEvents(ctx, tenant, f); err != nil {
			// The status line has gone out: break the stream, so that no
			// one takes a part for the whole.
			s.Logger.Error("audit CSV", "err", err)
			panic(http.ErrAbortHandler)
		}
	}
	w.Flush()
	return w.Error()
}

// safeCell keeps a spreadsheet from running a cell as a formula (OWASP
// CSV injection): an email or object may start with = + - @.
func safeCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
