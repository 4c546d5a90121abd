package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// Ingester turns a staged file into a table snapshot: inspect, apply the
// uploader's choices, write Parquet data files, commit them atomically.
type Ingester struct {
	Inspector *Inspector
	Keyring   inlet.Keyring
	Lake      inlet.Lake
	Catalog   inlet.Catalog
	Logger    *slog.Logger
	Now       func() time.Time
}

// Request is one ingest.
type Request struct {
	Tenant string
	JobID  string
	// Attempt is the job's attempt: data files are named after it, so a
	// stalled earlier attempt never overwrites this one's files.
	Attempt  int
	Path     string // the staged file
	FileName string
	SHA256   string // of the file; "" to have the ingest compute it as it reads
	Uploader string
	Spec     inlet.IngestSpec
	Progress func(inlet.JobProgress)
	// Rejects, when set, receives the rows skipped for errors as CSV (see
	// rejects); only with on_error skip.
	Rejects io.Writer
	// Fence, when set, is asked just before the commit whether the job is
	// still this worker's (inlet.ErrLeaseLost if not).
	Fence func(context.Context) error
}

// Ingest runs req to completion. On any failure nothing is visible and no
// data file is left behind.
func (g *Ingester) Ingest(ctx context.Context, req Request) (*inlet.IngestResult, error) {
	spec := req.Spec
	if spec.Mode == "" {
		spec.Mode = inlet.ModeCreate
	}
	if _, err := inlet.ParseWriteMode(string(spec.Mode)); err != nil {
		return nil, err
	}
	switch spec.OnError {
	case "":
		spec.OnError = "widen"
	case "widen", "skip", "fail":
	default:
		return nil, inlet.Errorf(inlet.EINVALID, "unknown on_error %q: use widen, skip or fail", spec.OnError)
	}
	if err := inlet.ValidateName("database", spec.Table.Database); err != nil {
		return nil, err
	}
	if err := inlet.ValidateName("table", spec.Table.Name); err != nil {
		return nil, err
	}
	report := func(phase string, rows, bytes, total int64) {
		if req.Progress != nil {
			req.Progress(inlet.JobProgress{Phase: phase, RowsDone: rows, BytesDone: bytes, BytesTotal: total})
		}
	}
	// A job retried after a crash may have committed already.
	if snap, err := g.Catalog.JobSnapshot(ctx, req.Tenant, spec.Table, req.JobID); err != nil {
		return nil, err
	} else if snap != nil && snap.Lineage != nil {
		return &inlet.IngestResult{Table: spec.Table, SnapshotID: snap.ID, Rows: snap.Lineage.Rows, PII: snap.Lineage.PII}, nil
	}
	report("inspecting", 0, 0, 0)
	t0 := time.Now()
	ins, p, err := g.Inspector.inspect(ctx, req.Path, req.FileName, spec.Options, spec.OnError == "skip")
	if err != nil {
		return nil, err
	}
	// The review's checks, again: a choice the file or the table no longer
	// allows stops here, before anything is written.
	existing, err := g.Catalog.Table(ctx, req.Tenant, spec.Table)
	if err != nil && inlet.ErrorCode(err) != inlet.ENOTFOUND {
		return nil, err
	}
	if err := CheckPlan(ins, spec, existing); err != nil {
		return nil, err
	}
	key, err := g.hashKey(ctx, req.Tenant, spec.Mode, existing)
	if err != nil {
		return nil, err
	}
	region := g.Inspector.region(spec.Options)
	res, err := resolveTargets(p, spec, key.ID, region)
	if err != nil {
		return nil, err
	}
	cols, targets := res.cols, res.targets
	var keys []string
	if spec.Mode == inlet.ModeUpsert {
		keys = spec.Keys
	}
	wp, err := g.Catalog.PlanWrite(ctx, inlet.WriteRequest{Tenant: req.Tenant, Ref: spec.Table, Mode: spec.Mode, JobID: req.JobID, Columns: cols, Keys: keys})
	if err != nil {
		return nil, err
	}
	var rules []inlet.Expectation
	if existing != nil {
		rules = existing.Expectations
	}
	expect, err := newExpectations(rules, targets, keys)
	if err != nil {
		return nil, err
	}
	if spec.Mode != inlet.ModeOverwrite {
		for _, col := range expect.uniqueColumns() {
			if err := g.Catalog.ScanKeys(ctx, req.Tenant, spec.Table, expect.seedColumns(col, keys), func(k []byte) { expect.seed(col, k) }); err != nil {
				return nil, err
			}
		}
	}
	personal := make([]bool, len(cols))
	for i, c := range cols {
		personal[i] = c.PII != nil
	}
	// abort removes every file this job wrote (its own location for a new
	// table, files named after the job otherwise).
	// A worker that lost its job to another leaves the files alone: they
	// may be the new owner's.
	abort := func() {
		if errors.Is(context.Cause(ctx), inlet.ErrLeaseLost) {
			return
		}
		if err := g.Catalog.Abort(context.WithoutCancel(ctx), wp); err != nil {
			g.Logger.Error("abort write", "job", req.JobID, "table", spec.Table.String(), "err", err)
		}
	}
	// Leftovers of an earlier attempt of this job (killed mid-write) go first.
	abort()
	if err := adoptTableTypes(targets, wp); err != nil {
		return nil, err
	}
	total := fileSize(req.Path)
	job := &writeJob{plan: p, targets: targets, onError: spec.OnError, key: key, region: region, now: g.now(),
		lake: g.Lake, dataDir: wp.DataDir, prefix: filePrefix(req), cfg: g.Inspector.Config, personal: personal, expect: expect,
		progress: func(rows, bytes int64) { report("writing", rows, bytes, total) }}
	if req.Rejects != nil && spec.OnError == "skip" {
		job.rejects = newRejects(req.Rejects, targets)
	}
	t1 := time.Now()
	out, err := job.run(ctx)
	var widened []string
	if w, ok := err.(*errWiden); ok {
		// The sample misled inference: type every row, then write again.
		g.Logger.Info("re-inferring types over the whole file", "job", req.JobID, "column", w.column)
		report("re-inferring types", 0, 0, total)
		if widened, err = widenTargets(ctx, p, targets); err == nil {
			out, err = job.run(ctx)
		}
	}
	if err != nil {
		abort()
		if w, ok := err.(*errWiden); ok {
			return nil, inlet.Errorf(inlet.EINVALID, "%s: column %s has values of no single type", req.FileName, w.column)
		}
		return nil, err
	}
	if n, err := job.rejects.close(); err != nil {
		abort()
		return nil, fmt.Errorf("write rejected rows: %w", err)
	} else if job.rejects != nil && n != out.skipped {
		// Each skipped row is in the file: the two counts are one.
		g.Logger.Error("rejects file and skipped rows disagree", "job", req.JobID, "rejects", n, "skipped", out.skipped)
	}
	if out.rows == 0 {
		abort()
		return nil, inlet.Errorf(inlet.EINVALID, "%s: no rows to ingest (%d rows were skipped for errors)", req.FileName, out.skipped)
	}
	if err := expect.err(req.FileName, out.failures); err != nil {
		abort()
		return nil, err
	}
	if err := expect.checkRowCount(req.FileName, out.rows, lastUploadRows(existing)); err != nil {
		abort()
		return nil, err
	}
	if err := g.writeProfiles(ctx, wp, existing, targets, out); err != nil {
		abort()
		return nil, err
	}
	sha := req.SHA256
	if sha == "" {
		if sha = out.sha256; sha == "" { // a workbook: not read front to back
			if _, sha, err = HashFile(req.Path); err != nil {
				abort()
				return nil, err
			}
		}
	}
	report("committing", out.rows, total, total)
	if req.Fence != nil {
		if err := req.Fence(ctx); errors.Is(err, inlet.ErrLeaseLost) {
			return nil, err // no abort: the files may be the new owner's
		} else if err != nil {
			abort()
			return nil, fmt.Errorf("renew the job's lease before committing: %w", err)
		}
	}
	t2 := time.Now()
	for i := range wp.Columns { // cols and targets are parallel
		wp.Columns[i].Type = targets[i].typ
	}
	lineage := inlet.Lineage{JobID: req.JobID, SourceFile: req.FileName, SourceSHA256: sha, Sheet: p.sheet,
		Uploader: req.Uploader, Time: g.now(), Rows: out.rows, Mode: spec.Mode, PII: res.decisions, Keys: keys, Profile: wp.Profile}
	snap, err := g.Catalog.Commit(ctx, wp, out.files, lineage)
	if err != nil {
		abort()
		return nil, err
	}
	g.Logger.Debug("ingest phases", "job", req.JobID, "inspect_ms", t1.Sub(t0).Milliseconds(),
		"write_ms", t2.Sub(t1).Milliseconds(), "commit_ms", time.Since(t2).Milliseconds())
	result := &inlet.IngestResult{Table: spec.Table, SnapshotID: snap.ID, Rows: out.rows, SkippedRows: out.skipped,
		RowErrors: out.rowErrors, Widened: widened, Uncertain: res.uncertain, PII: res.decisions}
	if snap.Lineage != nil {
		result.Updated, result.Inserted = snap.Lineage.Updated, snap.Lineage.Inserted
	}
	for _, f := range out.files {
		result.Files = append(result.Files, f.Location)
	}
	return result, nil
}

func (g *Ingester) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now().UTC()
}

func fileSize(path string) int64 {
	n, _ := statFile(path)
	return n
}

// lastUploadRows is the row count of the table's last upload, 0 if none.
func lastUploadRows(t *inlet.Table) int64 {
	if t == nil {
		return 0
	}
	for i := len(t.Snapshots) - 1; i >= 0; i-- {
		if l := t.Snapshots[i].Lineage; l != nil {
			return l.Rows
		}
	}
	return 0
}

// writeProfiles stores the table's column profiles as of the new snapshot:
// the write's, merged into the table's for an append or upsert (columns
// the file lacks carry on, their new rows NULL).
func (g *Ingester) writeProfiles(ctx context.Context, wp *inlet.WritePlan, existing *inlet.Table, targets []target, out *writeOutcome) error {
	if wp.Profile == "" || out.profiles == nil {
		return nil
	}
	cols, ids := out.profiles, append([]int(nil), wp.FieldIDs...)
	rows := out.rows
	if existing != nil && (wp.Mode == inlet.ModeAppend || wp.Mode == inlet.ModeUpsert) {
		prev, prevRows, err := g.readProfiles(ctx, existing)
		if err != nil {
			g.Logger.Warn("table profile unreadable: profiling this write alone", "table", wp.Ref.String(), "err", err)
		}
		if prev != nil {
			rows += prevRows
			for i := range cols {
				if p, ok := prev[ids[i]]; ok && p.Kind == cols[i].Kind {
					cols[i].merge(p)
					delete(prev, ids[i])
				}
				cols[i].Approx = cols[i].Approx || wp.Mode == inlet.ModeUpsert
			}
			for _, c := range existing.Columns {
				if p, ok := prev[c.FieldID]; ok && slices.Contains(wp.MissingColumns, c.Name) {
					p.kind, p.scale = kindAndScale(c.Type)
					p.Nulls += out.rows
					p.Approx = p.Approx || wp.Mode == inlet.ModeUpsert
					cols = append(cols, *p)
					ids = append(ids, c.FieldID)
				}
			}
		}
	}
	b, err := encodeProfiles(rows, ids, cols)
	if err != nil {
		return err
	}
	w, err := g.Lake.Create(ctx, wp.Profile)
	if err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		w.Close()
		return fmt.Errorf("write profile: %w", err)
	}
	return w.Close()
}

// readProfiles reads the merge state of a table's current profile.
func (g *Ingester) readProfiles(ctx context.Context, t *inlet.Table) (map[int]*colProfile, int64, error) {
	loc := ""
	for _, s := range t.Snapshots {
		if t.CurrentSnapshot != nil && s.ID == *t.CurrentSnapshot && s.Lineage != nil {
			loc = s.Lineage.Profile
		}
	}
	if loc == "" {
		return nil, 0, nil // written before profiles, or by a rollback to such a snapshot
	}
	r, err := g.Lake.Open(ctx, loc)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, 0, err
	}
	states, err := decodeProfileStates(b)
	if err != nil {
		return nil, 0, err
	}
	for _, st := range states {
		st.kind, st.scale = kindAndScale(inlet.Type(st.Kind))
	}
	return states, profileRows(b), nil
}

// filePrefix starts the names of a job's data files: the job id (which
// Catalog.Abort removes by), then the attempt.
func filePrefix(req Request) string {
	if req.Attempt == 0 {
		return req.JobID
	}
	return fmt.Sprintf("%s-a%d", req.JobID, req.Attempt)
}

// hashKey is the key a write hashes with: the tenant's current one, except
// for rows added to a table hashed before a key rotation, which keep the
// key its columns name, so its hashes stay comparable (joins, upsert
// keys). An overwrite replaces every row, so it takes the current key.
func (g *Ingester) hashKey(ctx context.Context, tenant string, mode inlet.WriteMode, existing *inlet.Table) (inlet.Key, error) {
	if existing != nil && mode != inlet.ModeOverwrite {
		for _, c := range existing.Columns {
			if c.PII != nil && c.PII.KeyID != "" {
				key, err := g.Keyring.KeyByID(ctx, tenant, c.PII.KeyID)
				if err != nil {
					return inlet.Key{}, fmt.Errorf("key %s that column %s of %s was hashed with: %w", c.PII.KeyID, c.Name, existing.Ref, err)
				}
				return key, nil
			}
		}
	}
	return g.Keyring.TenantKey(ctx, tenant)
}
