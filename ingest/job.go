package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// Runner executes ingest jobs from the durable queue.
type Runner struct {
	Jobs     inlet.JobStore
	Uploads  inlet.UploadStore
	Staging  inlet.Staging
	Ingester *Ingester
	// Rejects keeps the rows a job skipped for errors (zero: not kept).
	Rejects RejectsDir
	// Rules are the tenants' PII rules, read when a job starts (nil: none).
	Rules  inlet.PIIRulesStore
	Logger *slog.Logger
	Lease  time.Duration // a job not heard from for this long is taken over
	Poll   time.Duration // how often an idle worker looks for work
	// Bell, when set, wakes an idle worker as soon as this process queues
	// a job (a JobBell, the JobStore the services create jobs with).
	Bell interface{ Waiting() <-chan struct{} }
	// CancelOnShutdown fails a job interrupted by ctx (a command line user
	// pressing Ctrl-C) instead of leaving it to be taken over and retried.
	CancelOnShutdown bool
	// Kinds run the jobs of other kinds (exports) from the same queue: the
	// runner claims them and hands them over whole.
	Kinds map[string]func(ctx context.Context, j *inlet.Job)
	// Audit, when set, records how each job ended.
	Audit inlet.AuditLog
	// Observe, when set, is told how each job ended.
	Observe func(j *inlet.Job, res *inlet.IngestResult, err error, took time.Duration)
}

func (r *Runner) lease() time.Duration {
	if r.Lease <= 0 {
		return 30 * time.Second
	}
	return r.Lease
}

// Run claims and runs jobs until ctx ends.
func (r *Runner) Run(ctx context.Context) { r.Work(ctx, ctx) }

// Work claims jobs until claim ends and runs each under run: a server
// shutting down ends claim first, so no new job starts while the running
// one may still finish, then run, which interrupts it and hands it back to
// the queue for another worker.
func (r *Runner) Work(claim, run context.Context) {
	poll := r.Poll
	if poll <= 0 {
		poll = time.Second
	}
	for claim.Err() == nil && run.Err() == nil {
		var rung <-chan struct{} // without a bell, only the poll wakes
		if r.Bell != nil {
			rung = r.Bell.Waiting()
		}
		j, err := r.Jobs.ClaimJob(claim, r.lease())
		if err != nil {
			if claim.Err() == nil {
				r.Logger.Error("claim job", "err", err)
			}
		} else if j != nil {
			ctx := run
			if kind, ok := r.Kinds[j.Kind]; ok {
				kind(ctx, j)
			} else if j.Kind == inlet.JobIngest || j.Kind == "" {
				r.RunJob(ctx, j)
			} else {
				r.finish(ctx, r.Logger.With("job", j.ID), j, nil, nil, inlet.Errorf(inlet.EINTERNAL, "this server cannot run %s jobs", j.Kind))
			}
			continue
		}
		select {
		case <-claim.Done():
		case <-run.Done():
		case <-rung:
		case <-time.After(poll):
		}
	}
}

// release hands a job interrupted by a shutdown back to the queue, so that
// another worker takes it now rather than after its lease.
func (r *Runner) release(ctx context.Context, log *slog.Logger, j *inlet.Job) {
	if err := r.Jobs.ReleaseJob(context.WithoutCancel(ctx), j.ID, j.Attempts); err != nil {
		log.Error("release job", "err", err)
		return
	}
	log.Info("job handed back to the queue")
}

// RunJob runs one claimed job to its end and records the outcome.
func (r *Runner) RunJob(ctx context.Context, j *inlet.Job) (*inlet.IngestResult, error) {
	start := time.Now()
	log := r.Logger.With("job", j.ID, "tenant", j.Tenant, "attempt", j.Attempts)
	// A heartbeat that finds the job taken over (this worker stalled past
	// its lease) stops the work, which then publishes nothing.
	ctx, stopWork := context.WithCancelCause(ctx)
	defer stopWork(nil)
	var spec inlet.IngestJobSpec
	if err := json.Unmarshal(j.Spec, &spec); err != nil {
		err = inlet.Errorf(inlet.EINVALID, "job spec: %v", err)
		r.finish(ctx, log, j, nil, nil, err)
		return nil, err
	}
	upload, err := r.Uploads.Upload(ctx, j.Tenant, spec.UploadID)
	if err != nil {
		r.finish(ctx, log, j, nil, nil, err)
		return nil, err
	}
	// A job that fails before it reads the file gives the upload back, as
	// one that fails later does.
	giveBack := func(err error) (*inlet.IngestResult, error) {
		r.finish(ctx, log, j, upload, nil, err)
		if serr := r.Uploads.SetUploadState(context.WithoutCancel(ctx), j.Tenant, upload.ID, inlet.UploadStaged); serr != nil {
			log.Error("set upload state", "err", serr)
		}
		return nil, err
	}
	path := spec.SourcePath
	if path == "" {
		if path, err = r.Staging.Path(j.Tenant, upload.ID); err != nil {
			return giveBack(err)
		}
	}
	if r.Rules != nil {
		if spec.Options.Rules, err = r.Rules.PIIRules(ctx, j.Tenant); err != nil {
			return giveBack(err)
		}
	}
	// The lease is renewed by progress reports and by a heartbeat while a
	// phase reports nothing (commit, re-inference).
	var mu sync.Mutex
	last := inlet.JobProgress{Phase: "starting"}
	beat := func() {
		mu.Lock()
		p := last
		mu.Unlock()
		if err := r.Jobs.UpdateJobProgress(context.WithoutCancel(ctx), j.ID, j.Attempts, p, r.lease()); errors.Is(err, inlet.ErrLeaseLost) {
			log.Warn("job taken over by another worker: stopping")
			stopWork(inlet.ErrLeaseLost)
		} else if err != nil {
			log.Warn("job heartbeat", "err", err)
		}
	}
	hbCtx, stopHB := context.WithCancel(ctx)
	go func() {
		// Often enough for a progress bar, well inside the lease.
		t := time.NewTicker(min(max(r.lease()/3, 200*time.Millisecond), time.Second))
		defer t.Stop()
		for {
			select {
			case <-hbCtx.Done():
				return
			case <-t.C:
				beat()
			}
		}
	}()
	log.Info("ingest started", "table", spec.Table.String(), "mode", spec.Mode, "bytes", upload.Size, "pii_rules", rulesVersion(spec.Options.Rules))
	var rejects *os.File
	if spec.OnError == "skip" && r.Rejects.Dir != "" {
		if rejects, err = r.Rejects.Create(j.Tenant, j.ID); err != nil {
			stopHB()
			return giveBack(err)
		}
	}
	res, err := r.Ingester.Ingest(ctx, Request{
		Tenant: j.Tenant, JobID: j.ID, Attempt: j.Attempts, Path: path, FileName: spec.FileName, SHA256: spec.SHA256, Uploader: upload.UploadedBy,
		// Just before the commit the lease must still be this worker's (and
		// is renewed for a whole lease): a stalled worker never commits a
		// job another has taken over.
		Fence: func(ctx context.Context) error {
			mu.Lock()
			p := last
			mu.Unlock()
			return r.Jobs.UpdateJobProgress(ctx, j.ID, j.Attempts, p, r.lease())
		},
		Spec: spec.IngestSpec, Rejects: writerOrNil(rejects),
		Progress: func(p inlet.JobProgress) {
			mu.Lock()
			last = p
			mu.Unlock()
		},
	})
	stopHB()
	if rejects != nil {
		cerr := rejects.Close()
		if err == nil && cerr != nil {
			err = fmt.Errorf("write rejected rows: %w", cerr)
		}
		// A failed job wrote no table, so its rejects mean nothing; a
		// success without skipped rows has none.
		if err != nil || res.SkippedRows == 0 {
			if rerr := r.Rejects.Remove(j.Tenant, j.ID); rerr != nil {
				log.Error("remove rejects file", "err", rerr)
			}
		} else {
			res.RejectsFile = true
		}
	}
	if errors.Is(context.Cause(ctx), inlet.ErrLeaseLost) || errors.Is(err, inlet.ErrLeaseLost) {
		// The job, its upload and its files are the new owner's now.
		log.Warn("ingest abandoned: another worker took the job over")
		return nil, inlet.ErrLeaseLost
	}
	if ctx.Err() != nil && err != nil && !r.CancelOnShutdown {
		// Shutting down: the job goes back to the queue, for another
		// worker (or the next start) to run from the beginning.
		log.Info("ingest interrupted by shutdown")
		r.release(ctx, log, j)
		return nil, err
	}
	if res != nil {
		mu.Lock()
		last = inlet.JobProgress{Phase: "done", RowsDone: res.Rows, BytesDone: upload.Size, BytesTotal: upload.Size}
		mu.Unlock()
		beat()
	}
	// A failed ingest keeps the upload, staged as before, so the uploader
	// can change a choice and ingest again; it goes when it expires or is
	// cancelled. After a success the raw file, which held PII, goes now.
	// The upload's state is set before the job ends, so whoever sees the
	// job finished sees the upload as it is now.
	state := inlet.UploadIngested
	if err != nil {
		state = inlet.UploadStaged
	} else if spec.SourcePath == "" {
		if derr := r.Staging.Delete(context.WithoutCancel(ctx), j.Tenant, upload.ID); derr != nil {
			log.Error("delete staged upload", "err", derr)
		}
	}
	if serr := r.Uploads.SetUploadState(context.WithoutCancel(ctx), j.Tenant, upload.ID, state); serr != nil {
		log.Error("set upload state", "err", serr)
	}
	r.finish(ctx, log, j, upload, res, err)
	if r.Observe != nil {
		r.Observe(j, res, err, time.Since(start))
	}
	if err == nil {
		log.Info("ingest done", "table", spec.Table.String(), "rows", res.Rows, "snapshot", res.SnapshotID,
			"files", len(res.Files), "seconds", time.Since(start).Seconds())
	}
	return res, err
}

// finish records the job's end. Application errors are shown to the user as
// they are; anything else is logged here and shown as an internal error.
func (r *Runner) finish(ctx context.Context, log *slog.Logger, j *inlet.Job, upload *inlet.Upload, res *inlet.IngestResult, err error) {
	defer r.audit(ctx, log, j, upload, res, err)
	var result json.RawMessage
	var jobErr *inlet.Error
	if err != nil {
		var e *inlet.Error
		if errors.As(err, &e) {
			jobErr = e
			log.Info("ingest failed", "code", e.Code, "reason", e.Message)
		} else {
			jobErr = inlet.Errorf(inlet.EINTERNAL, "internal error while ingesting (job %s); the server log has details", j.ID)
			log.Error("ingest failed", "err", err)
		}
	} else {
		result, _ = json.Marshal(res)
	}
	if ferr := r.Jobs.FinishJob(context.WithoutCancel(ctx), j.ID, j.Attempts, result, jobErr); errors.Is(ferr, inlet.ErrLeaseLost) {
		log.Warn("finish job: another worker took the job over")
	} else if ferr != nil {
		log.Error("finish job", "err", ferr)
	}
}

// audit records the job's end: the table, mode, counts and the PII
// decision on each column, from the result; a failure's error code, never
// its message (it may quote the file's name).
func (r *Runner) audit(ctx context.Context, log *slog.Logger, j *inlet.Job, upload *inlet.Upload, res *inlet.IngestResult, err error) {
	if r.Audit == nil {
		return
	}
	var spec inlet.IngestJobSpec
	json.Unmarshal(j.Spec, &spec)
	e := &inlet.AuditEvent{Tenant: j.Tenant, Action: "ingest.finish", Object: "table:" + spec.Table.String(), Outcome: "ok",
		Detail: map[string]any{"job": j.ID, "upload": spec.UploadID, "mode": spec.Mode, "attempt": j.Attempts}}
	if upload != nil {
		e.Actor = upload.Owner
	}
	if err != nil {
		e.Outcome = "failed"
		e.Detail["error"] = inlet.ErrorCode(err)
	} else if res != nil {
		e.Detail["rows"], e.Detail["skipped"], e.Detail["snapshot"] = res.Rows, res.SkippedRows, strconv.FormatInt(res.SnapshotID, 10)
		if spec.Mode == inlet.ModeUpsert {
			e.Detail["updated"], e.Detail["inserted"] = res.Updated, res.Inserted
		}
		pii := []map[string]any{}
		for _, d := range res.PII {
			pii = append(pii, map[string]any{"column": d.Column, "entity": d.Entity, "action": d.Action, "key_id": d.KeyID})
		}
		e.Detail["pii"] = pii
	}
	if aerr := r.Audit.RecordAudit(context.WithoutCancel(ctx), e); aerr != nil {
		log.Error("audit ingest", "err", aerr)
	}
}

func rulesVersion(r *inlet.PIIRules) int {
	if r == nil {
		return 0
	}
	return r.Version
}

// writerOrNil keeps a nil *os.File from becoming a non-nil io.Writer.
func writerOrNil(f *os.File) io.Writer {
	if f == nil {
		return nil
	}
	return f
}
