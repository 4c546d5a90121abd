package ingest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
)

// Service is inlet.IngestService: an upload from staging through review to
// its ingest job, or to its expiry, over the stores, staging, background
// inspection and the job runner.
type Service struct {
	Uploads inlet.UploadStore
	Jobs    inlet.JobStore
	Staging inlet.Staging
	// Inspections inspect staged uploads off the request path.
	Inspections *Background
	// Runner runs the jobs of IngestFile (its lease is theirs).
	Runner *Runner
	// Catalog has the tables settings are checked against.
	Catalog inlet.Catalog
	// Rules are the tenants' PII rules (nil: none).
	Rules inlet.PIIRulesStore
	// UploadTTL is how long a staged upload waits for its ingest.
	UploadTTL time.Duration
	Logger    *slog.Logger
	Now       func() time.Time
}

var _ inlet.IngestService = (*Service)(nil)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now().UTC()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// inspectionKey keys an upload's inspections in Background.
func inspectionKey(u *inlet.Upload) string { return u.Tenant + "/" + u.ID }

// newUpload sets what a new upload starts with.
func (s *Service) newUpload(u *inlet.Upload, state string) {
	u.State = state
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.now()
	}
	if u.ExpiresAt.IsZero() {
		u.ExpiresAt = u.CreatedAt.Add(s.UploadTTL)
	}
}

func (s *Service) Stage(ctx context.Context, u *inlet.Upload, r io.Reader, wait time.Duration) (*inlet.StagedUpload, error) {
	s.newUpload(u, inlet.UploadStaged)
	size, sum, err := s.Staging.Put(ctx, u.Tenant, u.ID, r)
	if err != nil {
		return nil, err
	}
	u.Size, u.SHA256 = size, sum
	return s.record(ctx, u, wait)
}

func (s *Service) Adopt(ctx context.Context, u *inlet.Upload, path string, wait time.Duration) (*inlet.StagedUpload, error) {
	s.newUpload(u, inlet.UploadStaged)
	size, sum, err := s.Staging.Adopt(ctx, u.Tenant, u.ID, path)
	if err != nil {
		return nil, err
	}
	u.Size, u.SHA256 = size, sum
	return s.record(ctx, u, wait)
}

// record records a staged upload and starts its inspection; a file Inlet
// cannot read is refused, and deleted.
func (s *Service) record(ctx context.Context, u *inlet.Upload, wait time.Duration) (*inlet.StagedUpload, error) {
	path, err := s.Staging.Path(u.Tenant, u.ID)
	if err != nil {
		return nil, err
	}
	if u.Format, err = SniffFormat(path, u.FileName); err != nil {
		s.Staging.Delete(ctx, u.Tenant, u.ID)
		return nil, err
	}
	opts, err := s.withRules(ctx, u.Tenant, inlet.InspectOptions{})
	if err == nil {
		err = s.Uploads.CreateUpload(ctx, u)
	}
	if err != nil {
		s.Staging.Delete(ctx, u.Tenant, u.ID)
		return nil, err
	}
	ins, progress, err := s.Inspections.Inspect(inspectionKey(u), path, u.FileName, opts, wait)
	if err != nil {
		s.refuse(ctx, u)
		return nil, err
	}
	return &inlet.StagedUpload{Upload: u, Inspection: ins, Inspecting: progress}, nil
}

// refuse ends an upload whose file Inlet cannot read: the raw file and
// what inspection kept of it go now.
func (s *Service) refuse(ctx context.Context, u *inlet.Upload) {
	ctx = context.WithoutCancel(ctx)
	if err := s.Staging.Delete(ctx, u.Tenant, u.ID); err != nil {
		s.logger().Error("delete a refused upload", "upload", u.ID, "err", err)
	}
	s.Inspections.Forget(inspectionKey(u))
	if err := s.Uploads.SetUploadState(ctx, u.Tenant, u.ID, inlet.UploadFailed); err != nil {
		s.logger().Error("mark a refused upload", "upload", u.ID, "err", err)
	}
	u.State = inlet.UploadFailed
}

func (s *Service) Inspect(ctx context.Context, u *inlet.Upload, opts inlet.InspectOptions, wait time.Duration) (*inlet.Inspection, *inlet.InspectProgress, error) {
	if u.State != inlet.UploadStaged {
		return nil, nil, inlet.Errorf(inlet.ECONFLICT, "upload %s is %s: its raw file is gone", u.ID, u.State)
	}
	opts, err := s.withRules(ctx, u.Tenant, opts)
	if err != nil {
		return nil, nil, err
	}
	path, err := s.Staging.Path(u.Tenant, u.ID)
	if err != nil {
		return nil, nil, err
	}
	ins, progress, err := s.Inspections.Inspect(inspectionKey(u), path, u.FileName, opts, wait)
	if err != nil && isDefaultInspection(opts) {
		s.refuse(ctx, u) // the file itself cannot be read
	}
	return ins, progress, err
}

// withRules adds the tenant's PII rules to an inspection's options.
func (s *Service) withRules(ctx context.Context, tenant string, opts inlet.InspectOptions) (inlet.InspectOptions, error) {
	if s.Rules == nil {
		return opts, nil
	}
	r, err := s.Rules.PIIRules(ctx, tenant)
	if err != nil {
		return opts, err
	}
	opts.Rules = r
	return opts, nil
}

// isDefaultInspection reports whether no option steers an inspection: its
// failure is the file's, not a choice the uploader can change back.
func isDefaultInspection(o inlet.InspectOptions) bool {
	return o.Sheet == "" && o.Delimiter == "" && o.Quote == "" && o.Encoding == "" && o.Header == nil && o.SkipRows == nil &&
		o.Nulls == nil && o.PhoneRegion == "" && !o.IgnoreExtraCells
}

// checkWait is how long a check waits for an inspection (of these
// options) before it leaves the checking to the job.
const checkWait = time.Second

func (s *Service) Check(ctx context.Context, u *inlet.Upload, spec inlet.IngestSpec) error {
	if u.State != inlet.UploadStaged {
		return inlet.Errorf(inlet.ECONFLICT, "upload %s is %s and cannot be ingested again: upload the file again", u.ID, u.State)
	}
	if !u.ExpiresAt.IsZero() && s.now().After(u.ExpiresAt) {
		return inlet.Errorf(inlet.ECONFLICT, "upload %s expired at %s: upload the file again", u.ID, u.ExpiresAt.Format(time.RFC3339))
	}
	opts, err := s.withRules(ctx, u.Tenant, spec.Options)
	if err != nil {
		return err
	}
	path, err := s.Staging.Path(u.Tenant, u.ID)
	if err != nil {
		return err
	}
	ins, progress, err := s.Inspections.Inspect(inspectionKey(u), path, u.FileName, opts, checkWait)
	if err != nil && spec.OnError == "skip" {
		return nil // the job samples past malformed rows when told to skip them, then checks
	}
	if err != nil || progress != nil {
		return err
	}
	var existing *inlet.Table
	if inlet.ValidateName("database", spec.Table.Database) == nil && inlet.ValidateName("table", spec.Table.Name) == nil {
		if existing, err = s.Catalog.Table(ctx, u.Tenant, spec.Table); err != nil && inlet.ErrorCode(err) != inlet.ENOTFOUND {
			return err
		}
	}
	return CheckPlan(ins, spec, existing)
}

func (s *Service) Submit(ctx context.Context, u *inlet.Upload, spec inlet.IngestSpec, createdBy string) (*inlet.Job, error) {
	// The same check as the review page's: a fixable choice is refused on
	// its field, before a job starts, and the upload stays.
	if err := s.Check(ctx, u, spec); err != nil {
		return nil, err
	}
	spec.UploadID = u.ID
	body, err := json.Marshal(inlet.IngestJobSpec{IngestSpec: spec, FileName: u.FileName, SHA256: u.SHA256})
	if err != nil {
		return nil, err
	}
	s.Inspections.Forget(inspectionKey(u)) // the job inspects afresh; the raw sample can go
	if err := s.Uploads.TransitionUpload(ctx, u.Tenant, u.ID, inlet.UploadStaged, inlet.UploadIngesting); err != nil {
		if inlet.ErrorCode(err) == inlet.ECONFLICT {
			return nil, inlet.Errorf(inlet.ECONFLICT, "upload %s is already being ingested", u.ID)
		}
		return nil, err
	}
	j := &inlet.Job{ID: newJobID(), Tenant: u.Tenant, Kind: inlet.JobIngest, State: inlet.JobQueued, Spec: body,
		CreatedBy: createdBy, CreatedAt: s.now()}
	if err := s.Jobs.CreateJob(ctx, j); err != nil {
		s.Uploads.TransitionUpload(context.WithoutCancel(ctx), u.Tenant, u.ID, inlet.UploadIngesting, inlet.UploadStaged)
		return nil, err
	}
	u.State = inlet.UploadIngesting
	return j, nil
}

func (s *Service) IngestFile(ctx context.Context, u *inlet.Upload, spec inlet.IngestSpec, path string) (*inlet.Job, *inlet.IngestResult, error) {
	if u.FileName == "" {
		u.FileName = filepath.Base(path)
	}
	format, err := SniffFormat(path, u.FileName)
	if err != nil {
		return nil, nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if u.ID == "" {
		u.ID = uuid.NewString()
	}
	// The checksum is taken while the ingest reads the file: the file is read once.
	u.Size, u.Format = fi.Size(), format
	s.newUpload(u, inlet.UploadIngesting)
	if err := s.Uploads.CreateUpload(ctx, u); err != nil {
		return nil, nil, err
	}
	spec.UploadID = u.ID
	body, err := json.Marshal(inlet.IngestJobSpec{IngestSpec: spec, FileName: u.FileName, SourcePath: path})
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	lease := now.Add(s.Runner.lease())
	j := &inlet.Job{ID: newJobID(), Tenant: u.Tenant, Kind: inlet.JobIngest,
		State: inlet.JobRunning, Attempts: 1, Spec: body, CreatedBy: u.UploadedBy, CreatedAt: now, StartedAt: &now, LeaseUntil: &lease}
	// Created as running under our lease, so a server sharing the metadata
	// does not take it; if this process dies, it takes it over.
	if err := s.Jobs.CreateJob(ctx, j); err != nil {
		return nil, nil, err
	}
	res, err := s.Runner.RunJob(ctx, j)
	return j, res, err
}

func (s *Service) Expire(ctx context.Context, now time.Time) error {
	ups, err := s.Uploads.ExpiredUploads(ctx, now)
	if err != nil {
		return err
	}
	log := s.logger()
	for _, u := range ups {
		// Expired first, and only if still staged: an ingest that began
		// meanwhile (on any replica) owns the upload and its raw file.
		if err := s.Uploads.TransitionUpload(ctx, u.Tenant, u.ID, inlet.UploadStaged, inlet.UploadExpired); inlet.ErrorCode(err) == inlet.ECONFLICT || inlet.ErrorCode(err) == inlet.ENOTFOUND {
			continue
		} else if err != nil {
			log.Error("expire upload", "upload", u.ID, "err", err)
			continue
		}
		s.Inspections.Forget(inspectionKey(u))
		if err := s.Staging.Delete(ctx, u.Tenant, u.ID); err != nil {
			log.Error("delete expired upload", "upload", u.ID, "err", err)
			// Staged again, so the next sweep deletes it: no ingest can
			// start meanwhile, since the upload is past its expiry.
			if err := s.Uploads.TransitionUpload(context.WithoutCancel(ctx), u.Tenant, u.ID, inlet.UploadExpired, inlet.UploadStaged); err != nil {
				log.Error("give an expired upload back for another sweep", "upload", u.ID, "err", err)
			}
			continue
		}
		log.Info("expired upload deleted", "upload", u.ID, "tenant", u.Tenant)
	}
	return nil
}

// newJobID returns a time-ordered, unguessable id.
func newJobID() string {
	return "job-" + uuid.Must(uuid.NewV7()).String()
}
