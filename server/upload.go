package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

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
}

// uploadResponse is an upload with its first inspection.
type uploadResponse struct {
	Upload     *inlet.Upload     `json:"upload"`
	Inspection *inlet.Inspection `json:"inspection"`
}

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
		name := cleanFileName(part.FileName())
		if name == "" {
			return inlet.Errorf(inlet.EINVALID, "the file part has no file name")
		}
		return s.stage(c, id, name, part)
	}
}

func (s *Server) stage(c *gin.Context, id Identity, name string, r io.Reader) error {
	ctx := c.Request.Context()
	u := s.newUpload(id, uuid.NewString(), name)
	size, sum, err := s.Staging.Put(ctx, u.Tenant, u.ID, r)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return inlet.Errorf(inlet.ETOOLARGE, "the file is larger than the upload limit")
	} else if err != nil {
		return err
	}
	u.Size, u.SHA256 = size, sum
	ins, err := s.record(ctx, u)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, uploadResponse{Upload: u, Inspection: ins})
	return nil
}

func (s *Server) newUpload(id Identity, uploadID, name string) *inlet.Upload {
	u := &inlet.Upload{ID: uploadID, Tenant: id.Tenant, FileName: name, State: inlet.UploadStaged,
		UploadedBy: id.uploader(), CreatedAt: s.now()}
	u.ExpiresAt = u.CreatedAt.Add(s.UploadTTL)
	return u
}

// record inspects a staged file and records the upload; a file Inlet cannot
// read is deleted and its error returned.
func (s *Server) record(ctx context.Context, u *inlet.Upload) (*inlet.Inspection, error) {
	ins, err := s.Inspector.InspectFile(ctx, s.Staging.Path(u.Tenant, u.ID), u.FileName, inlet.InspectOptions{})
	if err != nil {
		s.Staging.Delete(ctx, u.Tenant, u.ID)
		return nil, err
	}
	u.Format = ins.Format
	if err := s.Uploads.CreateUpload(ctx, u); err != nil {
		s.Staging.Delete(ctx, u.Tenant, u.ID)
		return nil, err
	}
	return ins, nil
}

// adopt stages a file that arrived by a resumable upload.
func (s *Server) adopt(ctx context.Context, id Identity, uploadID, name, path string) (*inlet.Upload, *inlet.Inspection, error) {
	u := s.newUpload(id, uploadID, name)
	size, sum, err := s.Staging.Adopt(ctx, u.Tenant, u.ID, path)
	if err != nil {
		return nil, nil, err
	}
	u.Size, u.SHA256 = size, sum
	ins, err := s.record(ctx, u)
	return u, ins, err
}

// cleanFileName keeps the base name of what the browser sent.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" {
		return ""
	}
	if len(name) > 255 {
		name = name[:255]
	}
	return name
}

func (s *Server) listUploads(c *gin.Context) error {
	ups, err := s.Uploads.Uploads(c.Request.Context(), identity(c).Tenant, limitParam(c, 100))
	if err != nil {
		return err
	}
	if ups == nil {
		ups = []*inlet.Upload{}
	}
	c.JSON(http.StatusOK, gin.H{"uploads": ups})
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
	u, err := s.Uploads.Upload(c.Request.Context(), identity(c).Tenant, c.Param("id"))
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
	u, err := s.Uploads.Upload(ctx, identity(c).Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	if u.State != inlet.UploadStaged {
		return inlet.Errorf(inlet.ECONFLICT, "upload %s is %s: its raw file is gone", u.ID, u.State)
	}
	opts := inlet.InspectOptions{Sheet: c.Query("sheet"), Delimiter: c.Query("delimiter"), Encoding: c.Query("encoding")}
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
	ins, err := s.Inspector.InspectFile(ctx, s.Staging.Path(u.Tenant, u.ID), u.FileName, opts)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, ins)
	return nil
}

// ingestUpload queues the ingest of a staged upload with the uploader's choices.
func (s *Server) ingestUpload(c *gin.Context) error {
	ctx := c.Request.Context()
	id := identity(c)
	u, err := s.Uploads.Upload(ctx, id.Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	if u.State != inlet.UploadStaged {
		return inlet.Errorf(inlet.ECONFLICT, "upload %s is %s and cannot be ingested again: upload the file again", u.ID, u.State)
	}
	if ct, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); ct != "application/json" {
		return inlet.Errorf(inlet.EINVALID, "send the ingest settings as application/json")
	}
	var spec inlet.IngestSpec
	dec := json.NewDecoder(io.LimitReader(c.Request.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return inlet.Errorf(inlet.EINVALID, "invalid ingest settings: %v", err)
	}
	spec.UploadID = u.ID
	if spec.Mode == "" {
		spec.Mode = inlet.ModeCreate
	}
	if _, err := inlet.ParseWriteMode(string(spec.Mode)); err != nil {
		return err
	}
	if err := inlet.ValidateName("database", spec.Table.Database); err != nil {
		return err
	}
	if err := inlet.ValidateName("table", spec.Table.Name); err != nil {
		return err
	}
	body, err := json.Marshal(jobSpec{IngestSpec: spec, FileName: u.FileName, SHA256: u.SHA256})
	if err != nil {
		return err
	}
	if err := s.Uploads.TransitionUpload(ctx, id.Tenant, u.ID, inlet.UploadStaged, inlet.UploadIngesting); err != nil {
		if inlet.ErrorCode(err) == inlet.ECONFLICT {
			return inlet.Errorf(inlet.ECONFLICT, "upload %s is already being ingested", u.ID)
		}
		return err
	}
	j := &inlet.Job{ID: newJobID(), Tenant: id.Tenant, Kind: inlet.JobIngest, State: inlet.JobQueued, Spec: body,
		CreatedBy: id.uploader(), CreatedAt: s.now()}
	if err := s.Jobs.CreateJob(ctx, j); err != nil {
		s.Uploads.TransitionUpload(context.WithoutCancel(ctx), id.Tenant, u.ID, inlet.UploadIngesting, inlet.UploadStaged)
		return err
	}
	c.Header("Location", "/api/v1/jobs/"+j.ID)
	c.JSON(http.StatusAccepted, j)
	return nil
}

// jobSpec mirrors ingest.JobSpec (the server does not import ingest).
type jobSpec struct {
	inlet.IngestSpec
	FileName string `json:"file_name"`
	SHA256   string `json:"sha256"`
}

// newJobID returns a time-ordered, unguessable id.
func newJobID() string {
	return "job-" + uuid.Must(uuid.NewV7()).String()
}
