package server

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
)

func (s *Server) registerUploadRoutes(r *gin.RouterGroup) {
	r.POST("/uploads", s.need(inlet.RoleAnalyst, s.createUpload))
	r.GET("/uploads", s.need(inlet.RoleViewer, s.listUploads))
	r.GET("/uploads/:id", s.need(inlet.RoleViewer, s.getUpload))
	r.GET("/uploads/:id/inspection", s.need(inlet.RoleAnalyst, s.inspectUpload))
	r.POST("/uploads/:id/ingest", s.need(inlet.RoleAnalyst, s.ingestUpload))
	r.POST("/uploads/:id/check", s.need(inlet.RoleAnalyst, s.checkUpload))
}

// Inspections run in the background; a request waits this long for one
// before it answers with its progress.
const (
	firstInspectionWait = 3 * time.Second
	inspectionPollWait  = 1 * time.Second
)

// createUpload streams the "file" part of a multipart body into staging: the
// body is never held in memory, whatever its size. The file is inspected
// straight away; a file Inlet cannot read is refused and removed.
func (s *Server) createUpload(c *gin.Context) error {
	id := identity(c)
	if s.MaxUploadBytes > 0 {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.MaxUploadBytes+1<<20)
	}
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return inlet.Errorf(inlet.EINVALID, "send the file as multipart/form-data in a part named \"file\"")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return inlet.Errorf(inlet.EINVALID, "no part named \"file\" in the upload")
		} else if err != nil {
			return inlet.Errorf(inlet.EINVALID, "reading the upload failed: %v", err)
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		name, err := cleanFileName(part.FileName())
		if err != nil {
			return err
		}
		return s.stage(c, id, name, part)
	}
}

func (s *Server) stage(c *gin.Context, id Identity, name string, r io.Reader) error {
	ctx := c.Request.Context()
	u := newUpload(id, uuid.NewString(), name)
	res, err := s.Ingest.Stage(ctx, u, r, firstInspectionWait)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return inlet.Errorf(inlet.ETOOLARGE, "the file is larger than the upload limit")
	} else if err != nil && u.SHA256 == "" {
		return err // nothing was staged: nothing to audit
	}
	if aerr := s.audit(c, "upload.create", "upload:"+u.ID, uploadOutcome(err), uploadDetail(u, err)); aerr != nil && err == nil {
		return aerr
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, res)
	return nil
}

// uploadDetail is what the audit log says of an upload: its size, format
// and checksum, not its file name, which people choose and which often
// names a person ("salaries-jane-doe.xlsx"); the upload id leads to it
// for those who may see it.
func uploadDetail(u *inlet.Upload, err error) map[string]any {
	d := map[string]any{"size": u.Size, "format": u.Format, "sha256": u.SHA256}
	if err != nil {
		d["error"] = inlet.ErrorCode(err)
	}
	return d
}

func uploadOutcome(err error) string {
	if err != nil {
		return "failed"
	}
	return "ok"
}

// newUpload is the upload a caller sends: the service stages and records it.
func newUpload(id Identity, uploadID, name string) *inlet.Upload {
	return &inlet.Upload{ID: uploadID, Tenant: id.Tenant, FileName: name, UploadedBy: id.uploader(), Owner: id.User}
}

// cleanFileName keeps the base name of what the browser sent, without
// control characters; a name that is only dots or slashes is refused.
func cleanFileName(name string) (string, error) {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(path.Base(strings.ReplaceAll(name, "\\", "/")))
	if strings.Trim(name, "./ ") == "" {
		return "", &inlet.Error{Code: inlet.EINVALID, Message: "give the file a name (not only dots or slashes)", Fields: map[string]string{"file": "no file name"}}
	}
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name, nil
}

// rawHeld reports whether an upload's raw file (and so its raw sample)
// still exists: until then the upload is its owner's.
func rawHeld(u *inlet.Upload) bool {
	return u.State == inlet.UploadStaged || u.State == inlet.UploadIngesting
}

// uploadFor returns an upload the caller may see in full: any upload whose
// raw file is gone, and one that still holds raw data only for its owner,
// or for an admin, which the audit log records.
func (s *Server) uploadFor(c *gin.Context, uploadID, action string) (*inlet.Upload, error) {
	id := identity(c)
	u, err := s.Uploads.Upload(c.Request.Context(), id.Tenant, uploadID)
	if err != nil {
		return nil, err
	}
	if !rawHeld(u) || u.Owner == id.User {
		return u, nil
	}
	if !id.Role.Allows(inlet.RoleAdmin) {
		return nil, inlet.Errorf(inlet.ENOTFOUND, "upload %s not found: an upload is its uploader's until it is ingested", uploadID)
	}
	if err := s.audit(c, action, "upload:"+u.ID, "ok", map[string]any{"owner": u.Owner}); err != nil {
		return nil, err
	}
	return u, nil
}

// listUploads lists the tenant's uploads: others' uploads that still hold
// raw data show only that they exist.
func (s *Server) listUploads(c *gin.Context) error {
	id := identity(c)
	ups, err := s.Uploads.Uploads(c.Request.Context(), id.Tenant, limitParam(c, 100))
	if err != nil {
		return err
	}
	out := make([]*inlet.Upload, 0, len(ups))
	for _, u := range ups {
		if rawHeld(u) && u.Owner != id.User {
			u = &inlet.Upload{ID: u.ID, Tenant: u.Tenant, State: u.State, UploadedBy: u.UploadedBy, CreatedAt: u.CreatedAt, ExpiresAt: u.ExpiresAt}
		}
		out = append(out, u)
	}
	c.JSON(http.StatusOK, gin.H{"uploads": out})
	return nil
}

func limitParam(c *gin.Context, def int) int {
	n, err := strconv.Atoi(c.Query("limit"))
	if err != nil || n <= 0 || n > 1000 {
		return def
	}
	return n
}

func (s *Server) getUpload(c *gin.Context) error {
	u, err := s.uploadFor(c, c.Param("id"), "upload.view")
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, u)
	return nil
}

// inspectUpload re-inspects a staged upload with options: sheet, delimiter,
// encoding, header, skip_rows, null markers.
func (s *Server) inspectUpload(c *gin.Context) error {
	ctx := c.Request.Context()
	u, err := s.uploadFor(c, c.Param("id"), "upload.inspect")
	if err != nil {
		return err
	}
	opts := inlet.InspectOptions{Sheet: c.Query("sheet"), Delimiter: c.Query("delimiter"), Quote: c.Query("quote"), Encoding: c.Query("encoding"),
		PhoneRegion: strings.ToUpper(strings.TrimSpace(c.Query("phone_region")))}
	if v := c.Query("ignore_extra_cells"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return inlet.Errorf(inlet.EINVALID, "ignore_extra_cells must be true or false")
		}
		opts.IgnoreExtraCells = b
	}
	if v := c.Query("header"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return inlet.Errorf(inlet.EINVALID, "header must be true or false")
		}
		opts.Header = &b
	}
	if v := c.Query("skip_rows"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return inlet.Errorf(inlet.EINVALID, "skip_rows must be a whole number")
		}
		opts.SkipRows = &n
	}
	if v := c.Query("preview_rows"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return inlet.Errorf(inlet.EINVALID, "preview_rows must be 1 to 10000")
		}
		opts.PreviewRows = n
	}
	if v, ok := c.GetQueryArray("null"); ok {
		opts.Nulls = v
	}
	ins, progress, err := s.Ingest.Inspect(ctx, u, opts, inspectionPollWait)
	if err != nil {
		return err
	}
	if progress != nil {
		c.JSON(http.StatusAccepted, gin.H{"inspecting": progress})
		return nil
	}
	c.JSON(http.StatusOK, ins)
	return nil
}

// ingestUpload queues the ingest of a staged upload with the uploader's choices.
func (s *Server) ingestUpload(c *gin.Context) error {
	ctx := c.Request.Context()
	id := identity(c)
	u, spec, err := s.uploadSpec(c)
	if err != nil {
		return err
	}
	j, err := s.Ingest.Submit(ctx, u, spec, id.uploader())
	if err != nil {
		return err
	}
	if err := s.audit(c, "ingest.queue", "table:"+spec.Table.String(), "ok",
		map[string]any{"job": j.ID, "upload": u.ID, "mode": spec.Mode}); err != nil {
		return err
	}
	c.Header("Location", "/api/v1/jobs/"+j.ID)
	c.JSON(http.StatusAccepted, j)
	return nil
}

// checkUpload checks ingest settings without ingesting: 200 with
// {"ok": true} when the ingest may go ahead, else the problems on their
// fields. The review page calls it as the uploader edits.
func (s *Server) checkUpload(c *gin.Context) error {
	u, spec, err := s.uploadSpec(c)
	if err != nil {
		return err
	}
	if err := s.Ingest.Check(c.Request.Context(), u, spec); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"ok": true})
	return nil
}

// uploadSpec is the upload of the request and its ingest settings: what
// both the check and the ingest start from.
func (s *Server) uploadSpec(c *gin.Context) (*inlet.Upload, inlet.IngestSpec, error) {
	u, err := s.uploadFor(c, c.Param("id"), "upload.ingest_other")
	if err != nil {
		return nil, inlet.IngestSpec{}, err
	}
	spec, err := readIngestSpec(c)
	return u, spec, err
}

// readIngestSpec decodes an ingest settings body.
func readIngestSpec(c *gin.Context) (inlet.IngestSpec, error) {
	var spec inlet.IngestSpec
	if ct, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); ct != "application/json" {
		return spec, inlet.Errorf(inlet.EINVALID, "send the ingest settings as application/json")
	}
	dec := json.NewDecoder(io.LimitReader(c.Request.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return spec, inlet.Errorf(inlet.EINVALID, "invalid ingest settings: %v", err)
	}
	if spec.Mode == "" {
		spec.Mode = inlet.ModeCreate
	}
	return spec, nil
}
