package server

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/export"
)

// ExportLinks signs download links and checks them (export.LinkKeys in the
// embedded mode).
type ExportLinks interface {
	Link(e *inlet.Export, file string, now, expires time.Time) (string, error)
	Verify(tenant, exportID, file string, q url.Values, now time.Time) (*export.LinkClaims, error)
}

// ExportFiles opens and removes the files of exports (export.Area).
type ExportFiles interface {
	Open(ctx context.Context, e *inlet.Export, file string) (io.ReadCloser, error)
	Delete(ctx context.Context, e *inlet.Export) error
}

// customerLinkTTL is how long a link a customer's page makes works: long
// enough to download a large file, short enough that a copied link soon
// stops working.
const customerLinkTTL = time.Hour

func (s *Server) registerExportRoutes(r *gin.RouterGroup, e *gin.Engine) {
	r.POST("/exports", s.need(inlet.RoleAnalyst, s.createExport))
	r.GET("/exports", s.need(inlet.RoleAnalyst, s.listExports))
	r.GET("/exports/:id", s.need(inlet.RoleAnalyst, s.getExport))
	r.POST("/exports/:id/cancel", s.need(inlet.RoleAnalyst, s.cancelExport))
	r.POST("/exports/:id/revoke", s.need(inlet.RoleAnalyst, s.revokeExportLinks))
	r.PUT("/exports/:id/share", s.need(inlet.RoleAnalyst, s.shareExport))
	r.POST("/exports/:id/link", s.need(inlet.RoleAnalyst, s.exportLink))
	r.DELETE("/exports/:id", s.need(inlet.RoleAnalyst, s.deleteExport))
	r.GET("/customers", s.need(inlet.RoleAnalyst, s.listCustomers))
	r.GET("/my/exports", s.need(inlet.RoleCustomer, s.myExports))
	r.POST("/my/exports/:id/link", s.need(inlet.RoleCustomer, s.myExportLink))
	// Downloads carry their own authority: the link's signature.
	e.GET("/d/:tenant/:export/:file", s.download)
}

// exportQueue builds, checks and queues exports; schedules use the same.
func (s *Server) exportQueue() *export.Queue {
	return &export.Queue{Exports: s.Exports, Jobs: s.Jobs, Templates: s.Templates, Catalog: s.Catalog, Engine: s.Engine, Members: s.Accounts}
}

// createExport checks an export as the job will run it (statement, guard,
// values, sharing) and queues it: a mistake is refused on its field now,
// not reported by a failed job later.
func (s *Server) createExport(c *gin.Context) error {
	id := identity(c)
	var req inlet.ExportRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	e, err := s.exportQueue().Create(c.Request.Context(), id.Tenant, id.User, req, s.now())
	if err != nil {
		return err
	}
	if err := s.audit(c, "export.create", "export:"+e.ID, "ok", exportDetail(e)); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, e)
	return nil
}

// listCustomers lists the tenant's customers, for analysts to share
// exports with (the member list itself is for admins).
func (s *Server) listCustomers(c *gin.Context) error {
	members, err := s.Accounts.Members(c.Request.Context(), identity(c).Tenant)
	if err != nil {
		return err
	}
	out := []inlet.Membership{}
	for _, m := range members {
		if m.Role == inlet.RoleCustomer {
			out = append(out, m)
		}
	}
	c.JSON(http.StatusOK, gin.H{"customers": out})
	return nil
}

func (s *Server) listExports(c *gin.Context) error {
	es, err := s.Exports.Exports(c.Request.Context(), identity(c).Tenant, inlet.ExportFilter{Limit: limitParam(c, 100)})
	if err != nil {
		return err
	}
	if es == nil {
		es = []*inlet.Export{}
	}
	c.JSON(http.StatusOK, gin.H{"exports": es})
	return nil
}

func (s *Server) loadExport(c *gin.Context) (*inlet.Export, error) {
	return s.Exports.Export(c.Request.Context(), identity(c).Tenant, c.Param("id"))
}

func (s *Server) getExport(c *gin.Context) error {
	e, err := s.loadExport(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, e)
	return nil
}

// cancelExport stops a queued or running export; its job sees the state
// and removes what it wrote.
func (s *Server) cancelExport(c *gin.Context) error {
	e, err := s.loadExport(c)
	if err != nil {
		return err
	}
	if e.State != inlet.ExportQueued && e.State != inlet.ExportRunning {
		return inlet.Errorf(inlet.ECONFLICT, "export %s is %s: only a queued or running export can be cancelled", e.ID, e.State)
	}
	now := s.now()
	e.State, e.FinishedAt = inlet.ExportCancelled, &now
	if err := s.Exports.TransitionExport(c.Request.Context(), e, inlet.ExportQueued, inlet.ExportRunning); err != nil {
		return err
	}
	if err := s.audit(c, "export.cancel", "export:"+e.ID, "ok", nil); err != nil {
		return err
	}
	c.JSON(http.StatusOK, e)
	return nil
}

// revokeExportLinks makes every link handed out so far stop working; new
// links can be made afterwards.
func (s *Server) revokeExportLinks(c *gin.Context) error {
	e, err := s.loadExport(c)
	if err != nil {
		return err
	}
	// Links carry their signing time in whole seconds: a link signed in
	// this second is revoked too.
	now := s.now().Truncate(time.Second).Add(time.Second)
	e.LinksNotBefore = &now
	if err := s.Exports.SetExportAccess(c.Request.Context(), e); err != nil {
		return err
	}
	if err := s.audit(c, "export.link.revoke", "export:"+e.ID, "ok", nil); err != nil {
		return err
	}
	c.JSON(http.StatusOK, e)
	return nil
}

func (s *Server) shareExport(c *gin.Context) error {
	e, err := s.loadExport(c)
	if err != nil {
		return err
	}
	var body struct {
		UserIDs []string `json:"user_ids"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if e.SharedWith, err = s.exportQueue().Customers(c.Request.Context(), e.Tenant, body.UserIDs); err != nil {
		return err
	}
	if err := s.Exports.SetExportAccess(c.Request.Context(), e); err != nil {
		return err
	}
	if err := s.audit(c, "export.share", "export:"+e.ID, "ok", map[string]any{"customers": e.SharedWith}); err != nil {
		return err
	}
	c.JSON(http.StatusOK, e)
	return nil
}

func (s *Server) deleteExport(c *gin.Context) error {
	e, err := s.loadExport(c)
	if err != nil {
		return err
	}
	if e.State == inlet.ExportQueued || e.State == inlet.ExportRunning {
		return inlet.Errorf(inlet.ECONFLICT, "export %s is %s: cancel it first", e.ID, e.State)
	}
	if err := s.ExportFiles.Delete(c.Request.Context(), e); err != nil {
		return err
	}
	if err := s.Exports.DeleteExport(c.Request.Context(), e.Tenant, e.ID); err != nil {
		return err
	}
	if err := s.audit(c, "export.delete", "export:"+e.ID, "ok", nil); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// exportLink signs a link to one file for staff to hand on:
// {"file": NAME, "expires_in_hours": N} (at most until the export expires).
func (s *Server) exportLink(c *gin.Context) error {
	e, err := s.loadExport(c)
	if err != nil {
		return err
	}
	var body struct {
		File           string `json:"file"`
		ExpiresInHours int    `json:"expires_in_hours"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	ttl := inlet.ExportDefaultTTL
	if body.ExpiresInHours > 0 {
		ttl = time.Duration(body.ExpiresInHours) * time.Hour
	}
	return s.link(c, e, body.File, ttl)
}

func (s *Server) link(c *gin.Context, e *inlet.Export, file string, ttl time.Duration) error {
	if e.State != inlet.ExportSucceeded {
		return inlet.Errorf(inlet.ECONFLICT, "export %s is %s: links are for finished exports", e.ID, e.State)
	}
	if file == "" && len(e.Files) > 0 {
		file = e.Files[0].Name
	}
	if !slices.ContainsFunc(e.Files, func(f inlet.ExportFile) bool { return f.Name == file }) {
		return withField(inlet.Errorf(inlet.ENOTFOUND, "export %s has no file %q", e.ID, file), "file")
	}
	now := s.now()
	expires := now.Add(ttl)
	if expires.After(e.ExpiresAt) {
		expires = e.ExpiresAt
	}
	if !expires.After(now) {
		return inlet.Errorf(inlet.EINVALID, "export %s has expired", e.ID)
	}
	path, err := s.ExportLinks.Link(e, file, now, expires)
	if err != nil {
		return err
	}
	if err := s.audit(c, "export.link", "export:"+e.ID, "ok", map[string]any{"file": file, "expires_at": expires}); err != nil {
		return err
	}
	if !strings.HasPrefix(path, "/") {
		// An absolute URL: the object store's own presigned link.
		c.JSON(http.StatusOK, gin.H{"url": path, "expires_at": expires})
		return nil
	}
	c.JSON(http.StatusOK, gin.H{"url": s.origin(c) + path, "expires_at": expires})
	return nil
}

// origin is the scheme and host the caller reached Inlet at.
func (s *Server) origin(c *gin.Context) string {
	scheme := "http"
	if s.https(c) {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// myExports lists the finished, unexpired exports shared with the caller.
func (s *Server) myExports(c *gin.Context) error {
	id := identity(c)
	es, err := s.Exports.Exports(c.Request.Context(), id.Tenant, inlet.ExportFilter{SharedWith: id.User, Limit: limitParam(c, 100)})
	if err != nil {
		return err
	}
	now := s.now()
	out := []customerExport{}
	for _, e := range es {
		// Finished and unexpired; or, while it runs or if it failed, one
		// the customer made themselves (from a template shared with them).
		if now.Before(e.ExpiresAt) && (e.State == inlet.ExportSucceeded || (e.CreatedBy == id.User && e.State != inlet.ExportCancelled)) {
			out = append(out, customerView(e))
		}
	}
	c.JSON(http.StatusOK, gin.H{"exports": out})
	return nil
}

// customerExport is what a customer sees of an export: not its source
// (table names, filters and values are the tenant's business).
type customerExport struct {
	ID         string               `json:"id"`
	Name       string               `json:"name"`
	Format     string               `json:"format"`
	State      string               `json:"state"`
	Progress   inlet.ExportProgress `json:"progress"`
	Files      []inlet.ExportFile   `json:"files"`
	Rows       int64                `json:"rows"`
	CreatedAt  time.Time            `json:"created_at"`
	ExpiresAt  time.Time            `json:"expires_at"`
	FinishedAt *time.Time           `json:"finished_at,omitempty"`
}

func customerView(e *inlet.Export) customerExport {
	return customerExport{ID: e.ID, Name: e.Name, Format: e.Format, State: e.State, Progress: e.Progress, Files: e.Files, Rows: e.Rows(), CreatedAt: e.CreatedAt, ExpiresAt: e.ExpiresAt, FinishedAt: e.FinishedAt}
}

// myExportLink signs a short link for a customer to one of their exports;
// another customer's export is not found, as if it did not exist.
func (s *Server) myExportLink(c *gin.Context) error {
	id := identity(c)
	e, err := s.Exports.Export(c.Request.Context(), id.Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	if !slices.Contains(e.SharedWith, id.User) || e.State != inlet.ExportSucceeded || !s.now().Before(e.ExpiresAt) {
		return inlet.Errorf(inlet.ENOTFOUND, "export %s not found", c.Param("id"))
	}
	var body struct {
		File string `json:"file"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	return s.link(c, e, body.File, customerLinkTTL)
}

// download serves one file of an export to whoever holds a valid link:
// signature, expiry, revocation and the export's own state are checked,
// ranges work (browsers and curl -C - resume), and the download is audited.
func (s *Server) download(c *gin.Context) {
	ctx := c.Request.Context()
	tenant, exportID, file := c.Param("tenant"), c.Param("export"), c.Param("file")
	refuse := func(status int, title, msg string) {
		c.Header("Cache-Control", "no-store")
		c.Status(status)
		c.Header("Content-Type", "text/html; charset=utf-8")
		_ = refusalPage.Execute(c.Writer, map[string]string{"Title": title, "Message": msg})
	}
	claims, err := s.ExportLinks.Verify(tenant, exportID, file, c.Request.URL.Query(), s.now())
	if errors.Is(err, export.ErrLinkExpired) {
		s.Logger.Info("download refused", "reason", "expired", "export", exportID)
		refuse(http.StatusGone, "This link has expired", "Download links work for a limited time. Ask the person who shared the file for a new link, or open your exports page again.")
		return
	} else if err != nil {
		s.Logger.Info("download refused", "reason", "bad signature")
		refuse(http.StatusForbidden, "This link is not valid", "The link may have been changed or cut short when it was copied. Ask for a new link.")
		return
	}
	e, err := s.Exports.Export(ctx, claims.Tenant, claims.ExportID)
	switch {
	case err != nil || e.State != inlet.ExportSucceeded:
		refuse(http.StatusNotFound, "This export is gone", "It was deleted or has expired. Ask for a new export.")
		return
	case !s.now().Before(e.ExpiresAt):
		refuse(http.StatusGone, "This export has expired", "Its files were removed at the end of its time. Ask for a new export.")
		return
	case e.LinksNotBefore != nil && claims.Issued.Before(*e.LinksNotBefore):
		s.Logger.Info("download refused", "reason", "revoked", "export", e.ID)
		refuse(http.StatusForbidden, "This link was revoked", "The person who shared the file withdrew this link. Ask them for a new one.")
		return
	}
	var size int64
	for _, f := range e.Files {
		if f.Name == claims.File {
			size = f.Bytes
		}
	}
	r, err := s.ExportFiles.Open(ctx, e, claims.File)
	if err != nil {
		refuse(http.StatusNotFound, "This file is gone", "Ask for a new export.")
		return
	}
	defer r.Close()
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": claims.File}))
	c.Header("Content-Type", contentType(e.Format, claims.File))
	c.Header("Cache-Control", "private, no-store")
	cw := &countingResponse{ResponseWriter: c.Writer}
	if rs, ok := r.(io.ReadSeeker); ok {
		modified := e.CreatedAt
		if e.FinishedAt != nil {
			modified = *e.FinishedAt
		}
		http.ServeContent(cw, c.Request, "", modified, rs)
	} else {
		c.Header("Content-Length", fmt.Sprint(size))
		_, _ = io.Copy(cw, r)
	}
	outcome := "ok"
	if c.Writer.Status() >= 400 {
		outcome = "failed"
	}
	_ = s.recordAudit(c, &inlet.AuditEvent{Tenant: e.Tenant, Actor: "link:" + claims.Issued.Format(time.RFC3339), Action: "export.download",
		Object: "export:" + e.ID, Outcome: outcome, Detail: map[string]any{"file": claims.File, "bytes": cw.n, "range": c.GetHeader("Range") != "", "status": c.Writer.Status()}})
}

type countingResponse struct {
	gin.ResponseWriter
	n int64
}

func (w *countingResponse) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

func contentType(format, file string) string {
	switch {
	case strings.HasSuffix(file, ".zip"):
		return "application/zip"
	case format == "csv":
		return "text/csv; charset=utf-8"
	case format == "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case format == "jsonl":
		return "application/x-ndjson"
	}
	return "application/vnd.apache.parquet"
}

var refusalPage = template.Must(template.New("refusal").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · Inlet</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #1c2330">
<main><h1 style="font-size: 1.4rem">{{.Title}}</h1><p>{{.Message}}</p></main></body></html>`))

func exportDetail(e *inlet.Export) map[string]any {
	d := map[string]any{"format": e.Format, "expires_at": e.ExpiresAt, "customers": len(e.SharedWith)}
	if e.Source.Table != nil {
		d["table"], d["snapshot"] = e.Source.Table.String(), e.Source.SnapshotID
		d["columns"] = len(e.Source.Columns)
		d["filtered"] = e.Source.Where != ""
	} else {
		d["template"] = e.Source.TemplateID
	}
	return d
}

// withField puts an error on a request field, keeping its message.
func withField(err error, field string) error {
	var e *inlet.Error
	if !errors.As(err, &e) {
		return err
	}
	if len(e.Fields) > 0 {
		return e
	}
	return &inlet.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{field: e.Message}}
}
