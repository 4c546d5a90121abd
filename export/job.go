package export

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// Runner runs export jobs from the durable queue: it reads the export's
// statement through the query engine (guard, tenant isolation and limits
// as for any query) and streams the rows into the export area. A job taken
// over after a crash starts again from nothing, so the files are whole.
type Runner struct {
	Exports   inlet.ExportStore
	Jobs      inlet.JobStore
	Templates inlet.TemplateStore
	Catalog   inlet.Catalog
	Engine    inlet.Engine
	Area      Area
	Logger    *slog.Logger
	Lease     time.Duration
	Now       func() time.Time
	// Observe, when set, hears how each export ended.
	Observe func(e *inlet.Export, err error, took time.Duration)
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now().UTC()
}

func (r *Runner) lease() time.Duration {
	if r.Lease <= 0 {
		return 30 * time.Second
	}
	return r.Lease
}

// Run runs one claimed export job to its end.
func (r *Runner) Run(ctx context.Context, j *inlet.Job) {
	start := time.Now()
	log := r.Logger.With("job", j.ID, "tenant", j.Tenant, "attempt", j.Attempts)
	var spec struct {
		ExportID string `json:"export_id"`
	}
	if err := json.Unmarshal(j.Spec, &spec); err != nil {
		r.finishJob(ctx, log, j, inlet.Errorf(inlet.EINVALID, "export job spec: %v", err))
		return
	}
	e, err := r.Exports.Export(ctx, j.Tenant, spec.ExportID)
	if err != nil {
		r.finishJob(ctx, log, j, err)
		return
	}
	log = log.With("export", e.ID)
	if e.State == inlet.ExportCancelled || e.State == inlet.ExportSucceeded || e.State == inlet.ExportFailed {
		r.finishJob(ctx, log, j, nil) // cancelled before it started, or done by an earlier attempt
		return
	}
	// Whatever an earlier attempt wrote goes: the export starts afresh.
	if err := r.Area.Delete(ctx, e); err != nil {
		r.finishJob(ctx, log, j, err)
		return
	}
	e.State, e.Progress, e.Files, e.Error = inlet.ExportRunning, inlet.ExportProgress{}, []inlet.ExportFile{}, nil
	if err := r.Exports.TransitionExport(ctx, e, inlet.ExportQueued, inlet.ExportRunning); err != nil {
		r.finishJob(ctx, log, j, nil) // cancelled meanwhile
		return
	}
	log.Info("export started", "format", e.Format)
	files, err := r.write(ctx, log, j, e)
	took := time.Since(start)
	if errors.Is(err, inlet.ErrLeaseLost) {
		// This worker stalled past its lease: the export and its files are
		// the new owner's now.
		log.Warn("export abandoned: another worker took the job over")
		return
	}
	if ctx.Err() != nil && err != nil {
		// Back to queued, so that the next attempt's transition finds it
		// so, and the job back in the queue for another worker now.
		e.State, e.Progress = inlet.ExportQueued, inlet.ExportProgress{}
		if terr := r.Exports.TransitionExport(context.WithoutCancel(ctx), e, inlet.ExportRunning); terr != nil {
			log.Info("export interrupted by shutdown and cancelled meanwhile", "err", terr)
		}
		if rerr := r.Jobs.ReleaseJob(context.WithoutCancel(ctx), j.ID, j.Attempts); rerr != nil {
			log.Error("release export job", "err", rerr)
		}
		log.Info("export interrupted by shutdown: handed back to the queue")
		return
	}
	now := r.now()
	e.FinishedAt = &now
	if err != nil {
		if derr := r.Area.Delete(context.WithoutCancel(ctx), e); derr != nil {
			log.Error("delete files of a failed export", "err", derr)
		}
		var ie *inlet.Error
		if errors.As(err, &ie) {
			e.Error = ie
		} else {
			log.Error("export failed", "err", err)
			e.Error = inlet.Errorf(inlet.EINTERNAL, "internal error while exporting (job %s); the server log has details", j.ID)
		}
		e.State = inlet.ExportFailed
		if errors.Is(err, errCancelled) {
			e.State, e.Error = inlet.ExportCancelled, nil
		}
	} else {
		e.State, e.Files = inlet.ExportSucceeded, files
		e.Progress = inlet.ExportProgress{Rows: e.Rows(), Parts: len(files)}
		for _, f := range files {
			e.Progress.Bytes += f.Bytes
		}
	}
	if terr := r.Exports.TransitionExport(context.WithoutCancel(ctx), e, inlet.ExportRunning); terr != nil {
		// Cancelled as it finished: the cancellation wins, its files go.
		_ = r.Area.Delete(context.WithoutCancel(ctx), e)
		log.Info("export cancelled as it finished", "err", terr)
	}
	if e.State == inlet.ExportFailed {
		r.finishJob(ctx, log, j, e.Error)
	} else {
		r.finishJob(ctx, log, j, nil)
	}
	if r.Observe != nil {
		r.Observe(e, err, took)
	}
	log.Info("export ended", "state", e.State, "rows", e.Rows(), "files", len(e.Files), "seconds", took.Seconds())
}

var errCancelled = errors.New("export cancelled")

// write streams the export's rows into its files, reporting progress and
// watching for a cancellation, and zips the parts when asked.
func (r *Runner) write(ctx context.Context, log *slog.Logger, j *inlet.Job, e *inlet.Export) ([]inlet.ExportFile, error) {
	var tmpl *inlet.Template
	var cols []inlet.Column
	if e.Source.TemplateID != "" {
		t, err := r.Templates.Template(ctx, e.Tenant, e.Source.TemplateID)
		if err != nil {
			return nil, err
		}
		tmpl = t
	} else if e.Source.Table != nil {
		t, err := r.Catalog.TableAt(ctx, e.Tenant, *e.Source.Table, inlet.SnapshotSelector{ID: e.Source.SnapshotID})
		if err != nil {
			return nil, err
		}
		cols = t.Columns
	}
	q, err := Statement(e, tmpl, cols, e.CreatedBy, e.CreatedAt)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	// Progress is recorded and the lease kept on a ticker, off the rows'
	// path; the same tick sees a cancellation (while the engine unloads,
	// there is no progress to report, only the lease to keep).
	var mu sync.Mutex
	var last Progress
	stop := make(chan struct{})
	var watch sync.WaitGroup
	watch.Add(1)
	go func() {
		defer watch.Done()
		t := time.NewTicker(min(max(r.lease()/3, 200*time.Millisecond), time.Second))
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			mu.Lock()
			p := last
			mu.Unlock()
			state, err := r.Exports.SetExportProgress(context.WithoutCancel(ctx), e.Tenant, e.ID, inlet.ExportProgress{Rows: p.Rows, Bytes: p.Bytes, Parts: p.Parts})
			if err == nil && state == inlet.ExportCancelled {
				cancel(errCancelled)
			}
			err = r.Jobs.UpdateJobProgress(context.WithoutCancel(ctx), j.ID, j.Attempts, inlet.JobProgress{Phase: "exporting", RowsDone: p.Rows, BytesDone: p.Bytes}, r.lease())
			if errors.Is(err, inlet.ErrLeaseLost) {
				cancel(inlet.ErrLeaseLost)
			} else if err != nil {
				log.Warn("export heartbeat", "err", err)
			}
		}
	}()
	opts := Options{Format: Format(e.Format), BOM: e.Options.BOM, PartRows: e.Options.PartRows, BaseName: e.Name}
	if d := e.Options.Delimiter; d != "" {
		opts.Delimiter = d[0]
	}
	sink := r.Area.Sink(e)
	parts, err := WriteQuery(ctx, r.Engine, q, r.Area, e, sink, opts, func(p Progress) {
		mu.Lock()
		last = p
		mu.Unlock()
	})
	close(stop)
	watch.Wait()
	if cause := context.Cause(ctx); errors.Is(cause, errCancelled) || errors.Is(cause, inlet.ErrLeaseLost) {
		return nil, cause
	}
	if err != nil {
		return nil, err
	}
	if e.Options.Zip && len(parts) > 0 {
		z, err := Zip(ctx, sink, e.Name+".zip", parts, func(ctx context.Context, name string) (io.ReadCloser, error) { return r.Area.Open(ctx, e, name) })
		if err != nil {
			return nil, err
		}
		for _, p := range parts {
			if err := r.Area.Lake.Delete(ctx, r.Area.Location(e, p.Name)); err != nil {
				return nil, err
			}
		}
		parts = []Part{z}
	}
	files := make([]inlet.ExportFile, len(parts))
	for i, p := range parts {
		files[i] = inlet.ExportFile{Name: p.Name, Rows: p.Rows, Bytes: p.Bytes}
	}
	return files, nil
}

func (r *Runner) finishJob(ctx context.Context, log *slog.Logger, j *inlet.Job, err error) {
	var jobErr *inlet.Error
	if err != nil && !errors.As(err, &jobErr) {
		log.Error("export job failed", "err", err)
		jobErr = inlet.Errorf(inlet.EINTERNAL, "internal error while exporting (job %s)", j.ID)
	}
	var result json.RawMessage
	if jobErr == nil {
		result = json.RawMessage(`{}`)
	}
	if ferr := r.Jobs.FinishJob(context.WithoutCancel(ctx), j.ID, j.Attempts, result, jobErr); errors.Is(ferr, inlet.ErrLeaseLost) {
		log.Warn("finish export job: another worker took the job over")
	} else if ferr != nil {
		log.Error("finish export job", "err", ferr)
	}
}

// Unloader is an engine that writes a statement's result to a file itself
// (DuckDB's COPY; Athena's UNLOAD), streaming inside the engine: an export
// of any size then keeps flat memory here and there.
type Unloader interface {
	Unload(ctx context.Context, q inlet.Query, location string, o inlet.UnloadOptions) (int64, error)
}

// WriteQuery writes a statement's rows into sink. An engine that unloads
// writes an unsplit CSV or Parquet export itself: in place when sink is
// e's own area on local disk, else to a scratch file (the area's Scratch
// directory on an object-store lake) moved into a sink on the same disk
// (Adopter) or copied into sink (with the BOM in front, which DuckDB cannot
// write). For the other formats the engine
// unloads an uncompressed Parquet scratch file that is read back batch by
// batch. Scratch files are gone when WriteQuery returns. Another engine's
// rows come row by row.
func WriteQuery(ctx context.Context, engine inlet.Engine, q inlet.Query, area Area, e *inlet.Export, sink Sink, opts Options, progress func(Progress)) ([]Part, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	u, ok := engine.(Unloader)
	if !ok {
		rows, err := engine.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return Write(ctx, rows, sink, opts, progress)
	}
	if opts.PartRows != 0 || (opts.Format != CSV && opts.Format != Parquet) {
		scratch := area.scratch(e, ".unload-"+e.ID+".parquet")
		defer scratch.remove(context.WithoutCancel(ctx))
		if _, err := u.Unload(ctx, q, scratch.location, inlet.UnloadOptions{Format: "parquet", Plain: true}); err != nil {
			return nil, err
		}
		f, ra, err := scratch.open(ctx)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		rows, err := openParquetRows(ctx, ra)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return Write(ctx, rows, sink, opts, progress)
	}
	uo := inlet.UnloadOptions{Format: string(opts.Format), Compress: true, Delimiter: opts.Delimiter, Header: !opts.NoHeader, Text: safeTextSQL}
	p := Part{Name: cmp.Or(opts.BaseName, "export") + "." + opts.Format.Ext()}
	bom := opts.Format == CSV && opts.BOM
	if own, ok := sink.(AreaSink); ok && own.export.ID == e.ID && !bom {
		if in := area.scratch(e, p.Name); in.inArea() {
			var err error
			if p.Rows, err = u.Unload(ctx, q, in.location, uo); err != nil {
				return nil, err
			}
			p.Bytes, err = in.size(ctx)
			return []Part{p}, err
		}
	}
	scratch := area.scratch(e, ".unload-"+e.ID+"."+opts.Format.Ext())
	defer scratch.remove(context.WithoutCancel(ctx))
	n, err := u.Unload(ctx, q, scratch.location, uo)
	if err != nil {
		return nil, err
	}
	p.Rows = n
	if ad, ok := sink.(Adopter); ok && !bom {
		// A directory on the lake's disk takes the file as it is: gigabytes
		// are not copied.
		if path, ok := localFile(scratch.location); ok {
			if fi, err := os.Stat(path); err == nil {
				if moved, err := ad.Adopt(p.Name, path); err != nil {
					return nil, err
				} else if moved {
					p.Bytes = fi.Size()
					return []Part{p}, nil
				}
			}
		}
	}
	f, _, err := scratch.open(ctx)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w, err := sink.Create(ctx, p.Name)
	if err != nil {
		return nil, err
	}
	if bom {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			w.Close()
			return nil, err
		}
		p.Bytes = int64(len("\uFEFF"))
	}
	copied, err := io.Copy(w, f)
	p.Bytes += copied
	if err != nil {
		w.Close()
		return []Part{p}, err
	}
	return []Part{p}, w.Close()
}
