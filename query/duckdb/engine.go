// Package duckdb is the embedded query engine: DuckDB over the Parquet
// files of each table's Iceberg snapshot. Each tenant's statements run in
// an engine process of that tenant's own (process.go), where no other
// tenant's tables exist, DuckDB may read only the tenant's lake directory,
// and memory is capped, so a statement that escapes the guard still sees
// one tenant, and one that would take all memory takes down at most its
// own tenant's engine, never the server. The engine here decides when a
// statement runs (scheduler.go), guards it (query.Guard over DuckDB's own
// parse tree) and streams its rows back. It imports the DuckDB driver;
// nothing else of Inlet does.
package duckdb

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query"
)

// Config bounds the engine.
type Config struct {
	// LakeRoot is the lake's directory; a tenant's engine may read only
	// LakeRoot/TENANT.
	LakeRoot string
	// ExportRoot, when set, lets Unload write into ExportRoot/TENANT only
	// (the lake's export area). UnloadTimeout bounds one unload; 0 means 6 h.
	ExportRoot    string
	UnloadTimeout time.Duration
	Timeout       time.Duration // per statement, once it runs; 0 means 60 s
	// Memory caps what one tenant's engine process may allocate (bytes); 0
	// means 1 GiB. DuckDB's own memory limit is 60% of it.
	Memory  int64
	Threads int    // DuckDB threads per tenant engine; 0 means one per CPU
	TempDir string // where engines may spill ("" disables spilling)
	// MaxValue bounds one value of a result (bytes); 0 means 16 MiB.
	MaxValue int
	Limits   Limits // 0 fields take their defaults
	// IdleTimeout stops a tenant's engine unused this long; 0 means 5 min,
	// and a negative one stops it as soon as no statement uses it (a
	// one-shot command, whose engine must not linger beside its writers).
	IdleTimeout time.Duration
	// Command starts an engine process; nil runs this executable again.
	Command func() *exec.Cmd
	// Copies, when set, gives local copies of table files kept elsewhere
	// (an object-store lake), at their paths under LakeRoot; without it
	// every table file must be a file:// location under LakeRoot.
	Copies FileCopies
}

// FileCopies makes local copies of lake files for the statements reading
// them (lake/mirror's Mirror).
type FileCopies interface {
	// Acquire returns local paths of the files at locations, which must
	// be the tenant's, kept until release is called.
	Acquire(ctx context.Context, tenant string, locations []string) (paths []string, release func(), err error)
}

// Engine implements inlet.Engine with DuckDB.
type Engine struct {
	tables inlet.SnapshotReader
	cfg    Config
	log    *slog.Logger
	sched  *scheduler
	stopc  chan struct{}
	wg     sync.WaitGroup
	closed sync.Once
}

var _ inlet.Engine = (*Engine)(nil)

// New returns an engine over the tables a SnapshotReader resolves.
func New(tables inlet.SnapshotReader, cfg Config, log *slog.Logger) (*Engine, error) {
	if cfg.LakeRoot == "" {
		return nil, errors.New("duckdb engine: no lake directory")
	}
	root, err := filepath.Abs(cfg.LakeRoot)
	if err != nil {
		return nil, err
	}
	cfg.LakeRoot = root
	cpus := runtime.GOMAXPROCS(0)
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.Memory <= 0 {
		cfg.Memory = 1 << 30
	}
	def(&cfg.Threads, cpus)
	def(&cfg.MaxValue, 16<<20)
	def(&cfg.Limits.Running, 4*cpus)
	def(&cfg.Limits.TenantRunning, 4)
	def(&cfg.Limits.UserRunning, 2)
	def(&cfg.Limits.TenantQueue, 32)
	def(&cfg.Limits.Engines, 4)
	if cfg.Limits.QueueTimeout <= 0 {
		cfg.Limits.QueueTimeout = 30 * time.Second
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 5 * time.Minute
	}
	if cfg.Command == nil {
		self, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("duckdb engine: find this executable: %w", err)
		}
		cfg.Command = func() *exec.Cmd { return exec.Command(self) }
	}
	e := &Engine{tables: tables, cfg: cfg, log: log, stopc: make(chan struct{})}
	e.sched = newScheduler(cfg.Limits, e.spawn)
	e.wg.Add(1)
	go e.reaper()
	return e, nil
}

// Close stops every engine process and returns once they have exited; a
// second Close does nothing.
func (e *Engine) Close() error {
	e.closed.Do(func() {
		close(e.stopc)
		e.wg.Wait()
		e.sched.stopAll()
	})
	return nil
}

func (e *Engine) reaper() {
	defer e.wg.Done()
	t := time.NewTicker(max(e.cfg.IdleTimeout/4, time.Second))
	defer t.Stop()
	for {
		select {
		case <-e.stopc:
			return
		case <-t.C:
			e.sched.reap(e.cfg.IdleTimeout)
		}
	}
}

// Statements lists a tenant's statements, running and queued.
func (e *Engine) Statements(tenant string) []inlet.Statement { return e.sched.statements(tenant) }

// spawn starts a tenant's engine process (the scheduler calls it once per
// process, on its first use).
func (e *Engine) spawn(p *proc) {
	defer close(p.started)
	dir, err := os.MkdirTemp("", "inlet-engine-") // 0700: only this user reaches the socket
	if err != nil {
		p.startErr = err
		close(p.done)
		return
	}
	cfg := processConfig{Tenant: p.tenant, LakeDir: e.lakeDir(p.tenant), Socket: filepath.Join(dir, "s"),
		Memory: e.cfg.Memory, Threads: e.cfg.Threads, MaxValue: e.cfg.MaxValue}
	if e.cfg.ExportRoot != "" {
		cfg.ExportDir = filepath.Join(e.cfg.ExportRoot, p.tenant)
	}
	if e.cfg.TempDir != "" {
		cfg.TempDir = filepath.Join(e.cfg.TempDir, p.tenant)
	}
	raw, _ := json.Marshal(cfg)
	cmd := e.cfg.Command()
	// The engine process gets its configuration and nothing else of the
	// server's environment (which may hold secrets).
	cmd.Env = []string{ProcessEnv + "=" + string(raw), "PATH=/usr/bin:/bin", "TMPDIR=" + os.TempDir()}
	p.socket = cfg.Socket
	log := e.log.With("tenant", p.tenant, "component", "query engine")
	if err := p.launch(cmd, dir, func(line string) { log.Warn("engine process", "said", line) }); err != nil {
		p.startErr = err
		log.Error("query engine did not start", "err", err)
		return
	}
	log.Debug("query engine started", "pid", cmd.Process.Pid)
	go func() {
		<-p.done
		log.Debug("query engine stopped", "pid", cmd.Process.Pid, "how", p.exitReason())
	}()
}

// release ends a statement's turn, and stops its engine process at once
// when the engine is one-shot (a negative IdleTimeout) and nothing else
// uses it.
func (e *Engine) release(turn *waiter) {
	e.sched.release(turn)
	if e.cfg.IdleTimeout < 0 {
		e.sched.reap(-1)
	}
}

func (e *Engine) lakeDir(tenant string) string { return filepath.Join(e.cfg.LakeRoot, tenant) }

// Query implements inlet.Engine.
func (e *Engine) Query(ctx context.Context, q inlet.Query) (inlet.ResultRows, error) {
	if err := inlet.ValidateTenant(q.Tenant); err != nil {
		return nil, err
	}
	if len(q.SQL) > query.MaxSQLBytes {
		return nil, inlet.Errorf(inlet.ETOOLARGE, "the query is longer than %d bytes", query.MaxSQLBytes)
	}
	args, err := encodeArgs(q.Args)
	if err != nil {
		return nil, err
	}
	turn, err := e.sched.acquire(ctx, q.Tenant, q.User, q.OnQueued)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, inlet.Errorf(inlet.EINVALID, "the query was cancelled while it waited for its turn")
		}
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	r := &rows{e: e, ctx: ctx, cancel: cancel, turn: turn}
	if err := e.start(ctx, r, q, args); err != nil {
		err = e.explain(ctx, turn.proc, err) // before Close, which ends ctx
		r.Close()
		return nil, err
	}
	return r, nil
}

// Unload runs a statement into a Parquet or CSV file at location (file://
// in the tenant's export area), as Athena's UNLOAD does into S3: the rows
// never cross into Go, so a result of any size streams in flat memory. It
// returns the rows written.
func (e *Engine) Unload(ctx context.Context, q inlet.Query, location string, o inlet.UnloadOptions) (int64, error) {
	out, err := localPath(location)
	if err != nil {
		return 0, err
	}
	if err := inlet.ValidateTenant(q.Tenant); err != nil {
		return 0, err
	}
	if e.cfg.ExportRoot == "" {
		return 0, errors.New("query engine: no export area configured")
	}
	if err := checkUnload(o); err != nil {
		return 0, err
	}
	if len(q.SQL) > query.MaxSQLBytes {
		return 0, inlet.Errorf(inlet.ETOOLARGE, "the query is longer than %d bytes", query.MaxSQLBytes)
	}
	args, err := encodeArgs(q.Args)
	if err != nil {
		return 0, err
	}
	turn, err := e.sched.acquire(ctx, q.Tenant, q.User, q.OnQueued)
	if err != nil {
		return 0, err
	}
	defer e.release(turn)
	ctx, cancel := context.WithTimeout(ctx, cmp.Or(e.cfg.UnloadTimeout, 6*time.Hour))
	defer cancel()
	views, err := e.plan(ctx, turn.proc, q, true)
	if err != nil {
		return 0, e.explain(ctx, turn.proc, err)
	}
	release, err := e.localFiles(ctx, q.Tenant, views)
	if err != nil {
		return 0, err
	}
	defer release()
	req := request{Op: opUnload, SQL: q.SQL, Args: args, View: views, Pinned: !q.AsOf.IsZero() || len(q.Snapshots) > 0, Out: out, Unload: o}
	var done reply
	if err := e.call(ctx, turn.proc, req, &done, nil); err != nil {
		return 0, e.explain(ctx, turn.proc, err)
	}
	return done.Rows, nil
}

// Check implements inlet.Engine.
func (e *Engine) Check(ctx context.Context, q inlet.Query) error {
	if err := inlet.ValidateTenant(q.Tenant); err != nil {
		return err
	}
	if len(q.SQL) > query.MaxSQLBytes {
		return inlet.Errorf(inlet.ETOOLARGE, "the query is longer than %d bytes", query.MaxSQLBytes)
	}
	turn, err := e.sched.acquire(ctx, q.Tenant, q.User, nil)
	if err != nil {
		return err
	}
	defer e.release(turn)
	_, err = e.plan(ctx, turn.proc, q, q.Args != nil)
	return e.explain(ctx, turn.proc, err)
}

// plan parses a statement in the tenant's engine, guards it, and resolves
// the tables it reads to views of their snapshots.
func (e *Engine) plan(ctx context.Context, p *proc, q inlet.Query, countArgs bool) ([]viewSpec, error) {
	var parsed reply
	if err := e.call(ctx, p, request{Op: opParse, SQL: q.SQL}, &parsed, nil); err != nil {
		return nil, err
	}
	plan, err := query.Guard(q.SQL, parsed.Tree)
	var bare *query.UnqualifiedError
	if errors.As(err, &bare) {
		return nil, e.suggest(ctx, q.Tenant, bare)
	} else if err != nil {
		return nil, err
	}
	if countArgs && plan.Params != len(q.Args) {
		return nil, inlet.Errorf(inlet.EINVALID, "the query has %d parameters (? or $n) but %d values were given: give one value per parameter, in order", plan.Params, len(q.Args))
	}
	return e.views(ctx, q, plan)
}

func (e *Engine) start(ctx context.Context, r *rows, q inlet.Query, args []arg) error {
	p := r.turn.proc
	views, err := e.plan(ctx, p, q, true)
	if err != nil {
		return err
	}
	if r.release, err = e.localFiles(ctx, q.Tenant, views); err != nil {
		return err
	}
	req := request{Op: opQuery, SQL: q.SQL, Args: args, View: views, Pinned: !q.AsOf.IsZero() || len(q.Snapshots) > 0}
	var head reply
	if err := e.call(ctx, p, req, &head, r); err != nil {
		return err
	}
	r.cols = head.Columns
	r.values = make([]any, len(r.cols))
	// The first batch is read now, so an error at the start of execution
	// is the query's error, not one that arrives after the first byte.
	rd, err := ipc.NewReader(r.br)
	if err != nil {
		return r.broken(err)
	}
	r.rd = rd
	if !r.fetch() && r.err != nil {
		return r.err
	}
	return nil
}

// call sends a request and reads the reply. For a query, the connection
// stays open in rows for the rest of the result.
func (e *Engine) call(ctx context.Context, p *proc, req request, into *reply, r *rows) error {
	conn, err := p.dial(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("reach the query engine of tenant %s: %w", p.tenant, err)
	}
	// A cancelled or timed-out statement closes its connection, which
	// interrupts DuckDB in the engine process.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	br := bufio.NewReaderSize(conn, 64<<10)
	keep := false
	defer func() {
		if !keep {
			stop()
			conn.Close()
		}
	}()
	if err := writeLine(conn, req); err != nil {
		return e.lost(ctx, p, err)
	}
	if err := readLine(br, into); err != nil {
		return e.lost(ctx, p, err)
	}
	if into.Error != nil {
		if into.Error.Code == inlet.EINTERNAL {
			e.log.Error("query engine error", "tenant", p.tenant, "kind", into.Error.Kind)
		}
		return into.Error.err()
	}
	if r != nil {
		keep = true
		r.conn, r.br, r.stop = conn, br, stop
	}
	return nil
}

// lost explains a connection that broke: the statement's own end, or the
// engine process gone.
func (e *Engine) lost(ctx context.Context, p *proc, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	select {
	case <-p.done:
	case <-time.After(2 * time.Second):
		return fmt.Errorf("query engine connection: %w", err)
	}
	e.log.Warn("query engine stopped during a statement", "tenant", p.tenant, "how", p.exitReason())
	if p.crashed() {
		return fmt.Errorf("the query engine of tenant %s crashed (%s)", p.tenant, p.exitReason())
	}
	return inlet.Errorf(inlet.ETOOLARGE, "the query needed more memory than a tenant's queries may use (%s), and its engine stopped: aggregate or filter more (the next query starts a new engine)", bytesText(e.cfg.Memory))
}

// views resolves the tables a statement reads to views of their snapshots.
func (e *Engine) views(ctx context.Context, q inlet.Query, plan *query.Plan) ([]viewSpec, error) {
	seen := map[inlet.TableRef]bool{}
	var out []viewSpec
	for _, u := range plan.Tables {
		if seen[u.Ref] {
			continue
		}
		seen[u.Ref] = true
		at := inlet.SnapshotSelector{AsOf: q.AsOf, ID: q.Snapshots[u.Ref.String()]}
		s, err := e.tables.ReadSnapshot(ctx, q.Tenant, u.Ref, at)
		if inlet.ErrorCode(err) == inlet.ENOTFOUND && u.Offset >= 0 {
			line, col := query.Position(q.SQL, u.Offset)
			return nil, inlet.Errorf(inlet.ENOTFOUND, "line %d, column %d: %s", line, col, inlet.ErrorMessage(err))
		} else if err != nil {
			return nil, err
		}
		out = append(out, viewSpec{Database: u.Ref.Database, Name: u.Ref.Name, Snapshot: s.SnapshotID, Columns: s.Columns,
			Evolved: s.SchemaEvolved, Files: s.Files})
	}
	return out, nil
}

// localFiles turns the views' file locations into paths in the tenant's
// lake directory, the only one its engine process may read: local copies
// of them (held until release) when the lake is elsewhere. A file outside
// the tenant's directory is refused, whatever the catalog says.
func (e *Engine) localFiles(ctx context.Context, tenant string, views []viewSpec) (release func(), err error) {
	lake := e.lakeDir(tenant) + string(filepath.Separator)
	var releases []func()
	release = func() {
		for _, r := range releases {
			r()
		}
	}
	for i := range views {
		v := &views[i]
		paths := slices.Clone(v.Files) // not the catalog's own slice
		if e.cfg.Copies != nil {
			var free func()
			if paths, free, err = e.cfg.Copies.Acquire(ctx, tenant, v.Files); err != nil {
				release()
				return nil, fmt.Errorf("table %s.%s: %w", v.Database, v.Name, err)
			}
			releases = append(releases, free)
		}
		for j, f := range paths {
			path, err := localPath(f)
			if err != nil || !strings.HasPrefix(path, lake) {
				release()
				return nil, fmt.Errorf("table %s.%s: data file %q is not in the tenant's lake directory", v.Database, v.Name, v.Files[j])
			}
			paths[j] = path
		}
		v.Files = paths
	}
	return release, nil
}

// localPath turns a file:// location into a clean absolute path.
func localPath(location string) (string, error) {
	u, err := url.Parse(location)
	if err != nil {
		return "", err
	}
	if u.Scheme != "file" && u.Scheme != "" {
		return "", fmt.Errorf("the DuckDB engine reads local files only, not %s", u.Scheme)
	}
	return filepath.Clean(filepath.FromSlash(u.Path)), nil
}

// suggest adds to the refusal of a bare table name the tenant's tables of
// that name: `"orders" is not a table ...: did you mean sales.orders?`.
func (e *Engine) suggest(ctx context.Context, tenant string, bare *query.UnqualifiedError) error {
	tables, err := e.tables.Tables(ctx, tenant)
	if err != nil {
		return bare.Unwrap()
	}
	var names []string
	for _, t := range tables {
		if t.Ref.Name == bare.Name {
			names = append(names, t.Ref.String())
		}
	}
	if len(names) == 0 {
		return bare.Unwrap()
	}
	return inlet.Errorf(inlet.ErrorCode(bare), "%s: did you mean %s?", inlet.ErrorMessage(bare), strings.Join(names, " or "))
}

// explain turns the statement's end into an error a user can act on.
func (e *Engine) explain(ctx context.Context, p *proc, err error) error {
	var ie *inlet.Error
	switch {
	case errors.As(err, &ie):
		return err
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return inlet.Errorf(inlet.ETOOLARGE, "the query ran longer than the %s limit", e.cfg.Timeout)
	case errors.Is(ctx.Err(), context.Canceled):
		return inlet.Errorf(inlet.EINVALID, "the query was cancelled")
	}
	return err
}
