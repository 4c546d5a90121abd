package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
	"github.com/tus/tusd/v2/pkg/filelocker"
	"github.com/tus/tusd/v2/pkg/filestore"
	tusd "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
	"github.com/tus/tusd/v2/pkg/s3store"
	expslog "golang.org/x/exp/slog"
)

// tusPath is where resumable uploads are served (the tus protocol, 1.0).
const tusPath = "/api/v1/tus/"

// registerTusRoutes serves resumable uploads with tusd: a browser sends a
// file in pieces, resumes after a dropped connection or a reload, and the
// server writes each piece to disk as it arrives (memory stays flat). When
// the last byte lands, the file becomes a staged, inspected upload.
func (s *Server) registerTusRoutes(r *gin.RouterGroup) error {
	if s.TusDir == "" {
		return nil
	}
	if err := os.MkdirAll(s.TusDir, 0o700); err != nil {
		return err
	}
	var store tusStore
	composer := tusd.NewStoreComposer()
	if s.TusS3 != nil {
		st := s3store.New(s.TusS3.Bucket, s.TusS3.Client)
		st.ObjectPrefix = s.TusS3.Prefix
		st.TemporaryDirectory = s.TusDir
		st.UseIn(composer)
		// One writing request per upload: across replicas through the
		// shared locks, else (one process) in memory.
		if s.TusLocks != nil {
			newSharedLocker(s.TusLocks).UseIn(composer)
		} else {
			memorylocker.New().UseIn(composer)
		}
		store = st
	} else {
		st := filestore.New(s.TusDir)
		st.UseIn(composer)
		filelocker.New(s.TusDir).UseIn(composer)
		store = st
	}
	h, err := tusd.NewHandler(tusd.Config{
		BasePath:        tusPath,
		StoreComposer:   composer,
		MaxSize:         s.MaxUploadBytes,
		DisableDownload: true, // raw files hold PII: they only go in
		// tusd logs every request with its metadata (file names); Inlet's own
		// request log covers these routes already.
		Logger: expslog.New(expslog.NewTextHandler(io.Discard, nil)),
		// The web UI is served from this origin: no other site may use
		// these routes from a browser (tusd would reflect any Origin).
		Cors:                      &tusd.CorsConfig{Disable: true},
		PreUploadCreateCallback:   s.tusCreate,
		PreFinishResponseCallback: s.tusFinish(store),
	})
	if err != nil {
		return err
	}
	// tusd routes on the path below its base; BasePath only builds Locations.
	served := http.StripPrefix(strings.TrimSuffix(tusPath, "/"), h)
	// Only the uploader may resume, read the offset of, or cancel an upload.
	owned := func(c *gin.Context) error {
		if id := strings.Trim(c.Param("path"), "/"); id != "" {
			up, err := store.GetUpload(c.Request.Context(), id)
			if err != nil {
				return inlet.Errorf(inlet.ENOTFOUND, "no upload %s", id)
			}
			info, err := up.GetInfo(c.Request.Context())
			caller := identity(c)
			if err != nil || info.MetaData["tenant"] != caller.Tenant || info.MetaData["user"] != caller.User {
				return inlet.Errorf(inlet.ENOTFOUND, "no upload %s", id)
			}
		}
		served.ServeHTTP(c.Writer, c.Request)
		return nil
	}
	for _, m := range []string{http.MethodPost, http.MethodHead, http.MethodPatch, http.MethodDelete} {
		r.Handle(m, "/tus/*path", s.need(inlet.RoleAnalyst, owned))
	}
	return nil
}

// tusCreate names a new upload and records whose it is. The metadata is
// the server's own: whatever tenant, user or owner the client sent is
// dropped, and a refusal is an error, so that tusd creates nothing.
func (s *Server) tusCreate(hook tusd.HookEvent) (tusd.HTTPResponse, tusd.FileInfoChanges, error) {
	id, ok := IdentityFrom(hook.Context)
	if !ok {
		return tusd.HTTPResponse{}, tusd.FileInfoChanges{}, tusRefusal(inlet.Errorf(inlet.EUNAUTHORIZED, "sign in first"))
	}
	name, err := cleanFileName(hook.Upload.MetaData["filename"])
	if err != nil {
		return tusd.HTTPResponse{}, tusd.FileInfoChanges{}, tusRefusal(err)
	}
	return tusd.HTTPResponse{}, tusd.FileInfoChanges{
		ID:       uuid.NewString(),
		MetaData: tusd.MetaData{"filename": name, "tenant": id.Tenant, "user": id.User, "email": id.Email},
	}, nil
}

// tusRefusal is an error tusd sends as the response, in Inlet's error shape.
func tusRefusal(err error) error {
	return tusd.Error{ErrorCode: inlet.ErrorCode(err), Message: inlet.ErrorMessage(err), HTTPResponse: tusError(err)}
}

// TusS3 is where resumable uploads' pieces live in S3: tusd's s3store
// writes a multipart upload per file, its .info and any short last part
// under Prefix, so another replica can read the offset and carry on.
type TusS3 struct {
	Client s3store.S3API
	Bucket string
	Prefix string // key prefix, e.g. "lake/_tus/"
}

// tusStore is the part of a tusd store the routes use.
type tusStore interface {
	UseIn(*tusd.StoreComposer)
	GetUpload(ctx context.Context, id string) (tusd.Upload, error)
}

// tusFinish turns a complete upload into a staged, inspected upload before
// the last response goes out; a file Inlet cannot read is refused then.
func (s *Server) tusFinish(store tusStore) func(tusd.HookEvent) (tusd.HTTPResponse, error) {
	return func(hook tusd.HookEvent) (tusd.HTTPResponse, error) {
		ctx := context.WithoutCancel(hook.Context)
		info := hook.Upload
		if info.Storage["Type"] == "s3store" {
			return s.tusFinishS3(ctx, hook, store)
		}
		path := info.Storage["Path"]
		if path == "" {
			path = filepath.Join(s.TusDir, info.ID)
		}
		// The caller of this last PATCH owns the upload (the route checked
		// that it is the one who created it).
		caller, ok := IdentityFrom(hook.Context)
		if !ok || caller.Tenant != info.MetaData["tenant"] || caller.User != info.MetaData["user"] {
			os.Remove(path)
			return tusd.HTTPResponse{}, tusRefusal(inlet.Errorf(inlet.ENOTFOUND, "no upload %s", info.ID))
		}
		res, err := s.Ingest.Adopt(ctx, newUpload(caller, info.ID, info.MetaData["filename"]), path, firstInspectionWait)
		os.Remove(filepath.Join(s.TusDir, info.ID+".info"))
		os.Remove(filepath.Join(s.TusDir, info.ID+".lock"))
		if err != nil {
			os.Remove(path)
		}
		return s.tusFinished(ctx, caller, info.ID, res, err)
	}
}

// tusFinishS3 stages an upload whose pieces tusd put together in S3: it
// streams into staging, then tusd's object and .info go. The upload's id
// is the object's (tusd's id is object+multipart upload).
func (s *Server) tusFinishS3(ctx context.Context, hook tusd.HookEvent, store tusStore) (tusd.HTTPResponse, error) {
	info := hook.Upload
	objectID, _, _ := strings.Cut(info.ID, "+")
	up, err := store.GetUpload(ctx, info.ID)
	if err != nil {
		return tusd.HTTPResponse{}, tusRefusal(err)
	}
	terminate := func() {
		if t, ok := store.(tusd.TerminaterDataStore); ok {
			if err := t.AsTerminatableUpload(up).Terminate(ctx); err != nil {
				s.Logger.Warn("remove finished resumable upload", "upload", objectID, "err", err)
			}
		}
	}
	defer terminate()
	caller, ok := IdentityFrom(hook.Context)
	if !ok || caller.Tenant != info.MetaData["tenant"] || caller.User != info.MetaData["user"] {
		return tusd.HTTPResponse{}, tusRefusal(inlet.Errorf(inlet.ENOTFOUND, "no upload %s", objectID))
	}
	r, err := up.GetReader(ctx)
	if err != nil {
		return s.tusFinished(ctx, caller, objectID, nil, err)
	}
	defer r.Close()
	res, err := s.Ingest.Stage(ctx, newUpload(caller, objectID, info.MetaData["filename"]), r, firstInspectionWait)
	return s.tusFinished(ctx, caller, objectID, res, err)
}

// tusFinished audits a finished upload and answers its last PATCH.
func (s *Server) tusFinished(ctx context.Context, caller Identity, id string, res *inlet.StagedUpload, err error) (tusd.HTTPResponse, error) {
	u := &inlet.Upload{ID: id}
	if res != nil {
		u = res.Upload
	}
	if aerr := s.auditAs(ctx, caller, "upload.create", "upload:"+id, uploadOutcome(err), uploadDetail(u, err)); aerr != nil {
		s.Logger.Error("audit", "action", "upload.create", "err", aerr) // the upload is staged: keep it
	}
	if err != nil {
		return tusd.HTTPResponse{}, tusRefusal(err)
	}
	body, _ := json.Marshal(res)
	// 200, not tus's 204: the last response carries the staged upload.
	return tusd.HTTPResponse{StatusCode: http.StatusOK, Header: tusd.HTTPHeader{"Inlet-Upload-Id": res.Upload.ID, "Content-Type": "application/json"}, Body: string(body)}, nil
}

// tusError renders an error in Inlet's error shape for tusd to send.
func tusError(err error) tusd.HTTPResponse {
	var body errorBody
	body.Error.Code, body.Error.Message = inlet.ErrorCode(err), inlet.ErrorMessage(err)
	b, _ := json.Marshal(body)
	status, ok := statusOf[body.Error.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	return tusd.HTTPResponse{StatusCode: status, Body: string(b), Header: tusd.HTTPHeader{"Content-Type": "application/json"}}
}
