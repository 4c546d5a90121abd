package export

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/parquet"
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
	if ctx.Err() != nil && err != nil {
		log.Info("export interrupted by shutdown: another worker takes it over")
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
	if u, ok := r.Engine.(Unloader); ok {
		return r.unload(ctx, log, j, e, q, u)
	}
	rows, err := r.Engine.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return r.writeRows(ctx, log, j, e, rows)
}

// Unloader is an engine that writes a statement's result to a Parquet
// object itself (DuckDB's COPY; Athena's UNLOAD), streaming inside the
// engine: an export of any size then keeps flat memory here and there.
type Unloader interface {
	Unload(ctx context.Context, q inlet.Query, location string, compress bool) (int64, error)
}

// unload has the engine write the rows: straight into the export's file
// for an unsplit Parquet export, else into a scratch file that the writers
// read back batch by batch.
func (r *Runner) unload(ctx context.Context, log *slog.Logger, j *inlet.Job, e *inlet.Export, q inlet.Query, u Unloader) ([]inlet.ExportFile, error) {
	beat := func(rows int64) {
		if err := r.Jobs.UpdateJobProgress(context.WithoutCancel(ctx), j.ID, inlet.JobProgress{Phase: "unloading", RowsDone: rows}, r.lease()); err != nil {
			log.Warn("export heartbeat", "err", err)
		}
	}
	// The engine reports nothing while it writes: the lease is kept and
	// a cancellation watched meanwhile.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
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
			if state, err := r.Exports.SetExportProgress(context.WithoutCancel(ctx), e.Tenant, e.ID, inlet.ExportProgress{}); err == nil && state == inlet.ExportCancelled {
				cancel(errCancelled)
			}
			beat(0)
		}
	}()
	direct := Format(e.Format) == Parquet && e.Options.PartRows == 0 && !e.Options.Zip
	name := ".unload-" + j.ID + ".parquet"
	if direct {
		name = e.Name + ".parquet"
	}
	n, err := u.Unload(ctx, q, r.Area.Location(e, name), direct)
	close(stop)
	watch.Wait()
	if errors.Is(context.Cause(ctx), errCancelled) {
		return nil, errCancelled
	}
	if err != nil {
		return nil, err
	}
	f, err := r.Area.Open(ctx, e, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ra, ok := f.(parquet.ReaderAtSeeker)
	if !ok {
		return nil, fmt.Errorf("export area: %T is not seekable", f)
	}
	if direct {
		size, err := ra.Seek(0, io.SeekEnd)
		if err != nil {
			return nil, err
		}
		return []inlet.ExportFile{{Name: name, Rows: n, Bytes: size}}, nil
	}
	defer r.Area.Lake.Delete(context.WithoutCancel(ctx), r.Area.Location(e, name))
	rows, err := openParquetRows(ctx, ra)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return r.writeRows(ctx, log, j, e, rows)
}

// writeRows streams rows into the export's files.
func (r *Runner) writeRows(ctx context.Context, log *slog.Logger, j *inlet.Job, e *inlet.Export, rows inlet.ResultRows) ([]inlet.ExportFile, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

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
			if err := r.Jobs.UpdateJobProgress(context.WithoutCancel(ctx), j.ID, inlet.JobProgress{Phase: "exporting", RowsDone: p.Rows, BytesDone: p.Bytes}, r.lease()); err != nil {
				log.Warn("export heartbeat", "err", err)
			}
		}
	}()
	opts := Options{Format: Format(e.Format), BOM: e.Options.BOM, PartRows: e.Options.PartRows, BaseName: e.Name}
	if d := e.Options.Delimiter; d != "" {
		opts.Delimiter = d[0]
	}
	sink := r.Area.Sink(e)
	parts, err := Write(ctx, rows, sink, opts, func(p Progress) {
		mu.Lock()
		last = p
		mu.Unlock()
	})
	close(stop)
	watch.Wait()
	if cause := context.Cause(ctx); errors.Is(cause, errCancelled) {
		return nil, errCancelled
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
	if ferr := r.Jobs.FinishJob(context.WithoutCancel(ctx), j.ID, result, jobErr); ferr != nil {
		log.Error("finish export job", "err", ferr)
	}
}

// WriteQuery writes a statement's rows into sink: through an unload into a
// scratch file of e's in the export area when the engine can (flat memory),
// else row by row. The scratch file is gone when it returns.
func WriteQuery(ctx context.Context, engine inlet.Engine, q inlet.Query, area Area, e *inlet.Export, sink Sink, opts Options, progress func(Progress)) ([]Part, error) {
	u, ok := engine.(Unloader)
	if !ok {
		rows, err := engine.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return Write(ctx, rows, sink, opts, progress)
	}
	name := ".unload-" + e.ID + ".parquet"
	defer area.Delete(context.WithoutCancel(ctx), e)
	direct := opts.Format == Parquet && opts.PartRows == 0
	n, err := u.Unload(ctx, q, area.Location(e, name), direct)
	if err != nil {
		return nil, err
	}
	f, err := area.Open(ctx, e, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if direct {
		// The engine's file is the export: copied, not rewritten.
		p := Part{Name: cmp.Or(opts.BaseName, "export") + ".parquet", Rows: n}
		w, err := sink.Create(ctx, p.Name)
		if err != nil {
			return nil, err
		}
		if p.Bytes, err = io.Copy(w, f); err != nil {
			w.Close()
			return []Part{p}, err
		}
		return []Part{p}, w.Close()
	}
	ra, ok := f.(parquet.ReaderAtSeeker)
	if !ok {
		return nil, fmt.Errorf("export area: %T is not seekable", f)
	}
	rows, err := openParquetRows(ctx, ra)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return Write(ctx, rows, sink, opts, progress)
}
