package query

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/marcboeker/go-duckdb"
)

// DuckDBConfig bounds the embedded engine.
type DuckDBConfig struct {
	Timeout     time.Duration // per statement; 0 means 60 s
	MemoryLimit string        // DuckDB's memory_limit, e.g. "1GB"; "" leaves DuckDB's default (80% of RAM)
	Threads     int           // 0 means one per CPU
	TempDir     string        // where DuckDB may spill; "" disables spilling
	// MaxConcurrent bounds statements running at once (0: 4 per CPU); more
	// wait their turn, or their context's end.
	MaxConcurrent int
}

// DuckDB runs queries in process. Each tenant's tables are views in an
// in-memory DuckDB catalog of their own ("tenant:ID", a name no Glue
// database can spell), over the Parquet files of the tables' current
// snapshots; a statement runs with that catalog as its default, after the
// guard has allowed it. Views are refreshed when a table's snapshot
// changes. Time travel builds a private catalog for the one statement.
type DuckDB struct {
	tables inlet.SnapshotReader
	cfg    DuckDBConfig
	db     *sql.DB
	log    *slog.Logger

	mu       sync.Mutex
	attached map[string]bool    // tenant catalogs
	views    map[string]*viewAt // "tenant/db.table" → the snapshot its view reads
	seq      atomic.Int64       // names of per-statement catalogs
}

type viewAt struct {
	snapshot int64
	mu       sync.Mutex // one refresh at a time per view
}

var _ inlet.Engine = (*DuckDB)(nil)

// NewDuckDB opens an in-memory DuckDB locked down for user SQL.
func NewDuckDB(tables inlet.SnapshotReader, cfg DuckDBConfig, log *slog.Logger) (*DuckDB, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Threads <= 0 {
		cfg.Threads = runtime.GOMAXPROCS(0)
	}
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	db := sql.OpenDB(connector)
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = 4 * runtime.GOMAXPROCS(0)
	}
	db.SetMaxOpenConns(cfg.MaxConcurrent)
	db.SetMaxIdleConns(cfg.MaxConcurrent)
	settings := []string{
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET allow_community_extensions = false",
		"SET enable_object_cache = true", // Parquet footers stay cached across statements
		fmt.Sprintf("SET threads = %d", cfg.Threads),
	}
	if cfg.MemoryLimit != "" {
		settings = append(settings, fmt.Sprintf("SET memory_limit = '%s'", sqlString(cfg.MemoryLimit)))
	}
	if cfg.TempDir != "" {
		settings = append(settings, fmt.Sprintf("SET temp_directory = '%s'", sqlString(cfg.TempDir)))
	} else {
		settings = append(settings, "SET temp_directory = ''")
	}
	settings = append(settings, "SET lock_configuration = true") // last: nothing can change them after
	for _, s := range settings {
		if _, err := db.Exec(s); err != nil {
			db.Close()
			return nil, fmt.Errorf("configure duckdb (%s): %w", s, err)
		}
	}
	return &DuckDB{tables: tables, cfg: cfg, db: db, log: log, attached: map[string]bool{}, views: map[string]*viewAt{}}, nil
}

// Close releases DuckDB.
func (e *DuckDB) Close() error { return e.db.Close() }

// Query implements inlet.Engine.
func (e *DuckDB) Query(ctx context.Context, q inlet.Query) (inlet.ResultRows, error) {
	if err := inlet.ValidateTenant(q.Tenant); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	conn, err := e.db.Conn(ctx)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("duckdb connection: %w", err)
	}
	r := &rows{ctx: ctx, conn: conn, cancel: cancel, e: e}
	if err := e.start(ctx, r, q); err != nil {
		r.Close()
		return nil, e.explain(ctx, err)
	}
	return r, nil
}

func (e *DuckDB) start(ctx context.Context, r *rows, q inlet.Query) error {
	uses, err := check(ctx, r.conn, q.SQL)
	var bare *unqualified
	if errors.As(err, &bare) {
		return e.suggest(ctx, q.Tenant, bare)
	} else if err != nil {
		return err
	}
	timeTravel := !q.AsOf.IsZero() || len(q.Snapshots) > 0
	snaps := make([]*inlet.TableSnapshot, 0, len(uses))
	for _, u := range uses {
		at := inlet.SnapshotSelector{AsOf: q.AsOf, ID: q.Snapshots[u.Ref.String()]}
		s, err := e.tables.ReadSnapshot(ctx, q.Tenant, u.Ref, at)
		if inlet.ErrorCode(err) == inlet.ENOTFOUND && u.Offset >= 0 {
			line, col := position(q.SQL, u.Offset)
			return inlet.Errorf(inlet.ENOTFOUND, "line %d, column %d: %s", line, col, inlet.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		snaps = append(snaps, s)
	}
	var catalog string
	if timeTravel {
		catalog = fmt.Sprintf("query:%d", e.seq.Add(1))
		if _, err := r.conn.ExecContext(ctx, fmt.Sprintf("ATTACH ':memory:' AS %s", ident(catalog))); err != nil {
			return fmt.Errorf("attach %s: %w", catalog, err)
		}
		r.detach = catalog
		for _, s := range snaps {
			if err := e.createView(ctx, r.conn, catalog, s); err != nil {
				return err
			}
		}
	} else {
		catalog = "tenant:" + q.Tenant
		if err := e.attachTenant(ctx, r.conn, catalog); err != nil {
			return err
		}
		for _, s := range snaps {
			if err := e.refreshView(ctx, r.conn, q.Tenant, catalog, s); err != nil {
				return err
			}
		}
	}
	if _, err := r.conn.ExecContext(ctx, "USE "+ident(catalog)); err != nil {
		return fmt.Errorf("use %s: %w", catalog, err)
	}
	res, err := r.conn.QueryContext(ctx, q.SQL, q.Args...)
	if err != nil {
		return err
	}
	r.res = res
	return r.describe()
}

// suggest adds to the refusal of a bare table name the tenant's tables of
// that name: `"orders" is not a table ...: did you mean sales.orders?`.
func (e *DuckDB) suggest(ctx context.Context, tenant string, bare *unqualified) error {
	tables, err := e.tables.Tables(ctx, tenant)
	if err != nil {
		return bare.err
	}
	var names []string
	for _, t := range tables {
		if t.Ref.Name == bare.name {
			names = append(names, t.Ref.String())
		}
	}
	if len(names) == 0 {
		return bare.err
	}
	return inlet.Errorf(inlet.ErrorCode(bare.err), "%s: did you mean %s?", inlet.ErrorMessage(bare.err), strings.Join(names, " or "))
}

func (e *DuckDB) attachTenant(ctx context.Context, conn *sql.Conn, catalog string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.attached[catalog] {
		return nil
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("ATTACH ':memory:' AS %s", ident(catalog))); err != nil {
		return fmt.Errorf("attach %s: %w", catalog, err)
	}
	e.attached[catalog] = true
	return nil
}

// refreshView points a tenant's view at the table's current snapshot, if it
// does not already.
func (e *DuckDB) refreshView(ctx context.Context, conn *sql.Conn, tenant, catalog string, s *inlet.TableSnapshot) error {
	key := tenant + "/" + s.Ref.String()
	e.mu.Lock()
	v, ok := e.views[key]
	if !ok {
		v = &viewAt{snapshot: -1}
		e.views[key] = v
	}
	e.mu.Unlock()
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.snapshot == s.SnapshotID {
		return nil
	}
	if err := e.createView(ctx, conn, catalog, s); err != nil {
		return err
	}
	v.snapshot = s.SnapshotID
	return nil
}

// createView (re)creates catalog.db.table as a view over a snapshot's data
// files, typed as the Iceberg schema says.
func (e *DuckDB) createView(ctx context.Context, conn *sql.Conn, catalog string, s *inlet.TableSnapshot) error {
	schema := ident(catalog) + "." + ident(s.Ref.Database)
	if _, err := conn.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
		return fmt.Errorf("create schema for %s: %w", s.Ref, err)
	}
	var cols []string
	for _, c := range s.Columns {
		t, err := duckType(c.Type)
		if err != nil {
			return err
		}
		if len(s.Files) == 0 {
			cols = append(cols, fmt.Sprintf("CAST(NULL AS %s) AS %s", t, ident(c.Name)))
		} else {
			cols = append(cols, fmt.Sprintf("CAST(%s AS %s) AS %s", ident(c.Name), t, ident(c.Name)))
		}
	}
	from := " WHERE false"
	if len(s.Files) > 0 {
		paths := make([]string, len(s.Files))
		for i, f := range s.Files {
			paths[i] = "'" + sqlString(strings.TrimPrefix(f, "file://")) + "'"
		}
		opts := ""
		if s.SchemaEvolved {
			opts = ", union_by_name = true" // older files lack columns added later
		}
		from = fmt.Sprintf(" FROM read_parquet([%s]%s)", strings.Join(paths, ", "), opts)
	}
	stmt := fmt.Sprintf("CREATE OR REPLACE VIEW %s.%s AS SELECT %s%s", schema, ident(s.Ref.Name), strings.Join(cols, ", "), from)
	if _, err := conn.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("create view for %s at snapshot %d: %w", s.Ref, s.SnapshotID, err)
	}
	return nil
}

// explain turns engine failures into errors a user can act on.
func (e *DuckDB) explain(ctx context.Context, err error) error {
	var ie *inlet.Error
	switch {
	case errors.As(err, &ie):
		return err
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		return inlet.Errorf(inlet.ETOOLARGE, "the query ran longer than the %s limit", e.cfg.Timeout)
	case errors.Is(err, context.Canceled):
		return inlet.Errorf(inlet.EINVALID, "the query was cancelled")
	}
	var de *duckdb.Error
	if errors.As(err, &de) {
		switch de.Type {
		case duckdb.ErrorTypeInterrupt: // not the deadline: that was caught above
			return inlet.Errorf(inlet.EINVALID, "the query was cancelled")
		case duckdb.ErrorTypeOutOfMemory:
			return inlet.Errorf(inlet.ETOOLARGE, "the query needs more memory than the engine may use (%s): aggregate or filter more", e.cfg.MemoryLimit)
		case duckdb.ErrorTypeParser, duckdb.ErrorTypeBinder, duckdb.ErrorTypeCatalog, duckdb.ErrorTypeConversion,
			duckdb.ErrorTypeInvalidInput, duckdb.ErrorTypeOutOfRange, duckdb.ErrorTypeDivideByZero, duckdb.ErrorTypeMismatchType,
			duckdb.ErrorTypeInvalidType, duckdb.ErrorTypeNotImplemented, duckdb.ErrorTypeConstraint, duckdb.ErrorTypeSequence,
			duckdb.ErrorTypeParameterNotResolved, duckdb.ErrorTypeDecimal, duckdb.ErrorTypeExpression:
			return inlet.Errorf(inlet.EINVALID, "%s", strings.TrimSpace(de.Msg))
		}
	}
	return err
}

// ident quotes an identifier for DuckDB.
func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// sqlString escapes a string for a single-quoted SQL literal.
func sqlString(s string) string { return strings.ReplaceAll(s, "'", "''") }

// duckType spells a table column type for DuckDB.
func duckType(t inlet.Type) (string, error) {
	if p, s, ok := t.Decimal(); ok {
		return fmt.Sprintf("DECIMAL(%d,%d)", p, s), nil
	}
	switch t {
	case inlet.TypeBigint:
		return "BIGINT", nil
	case inlet.TypeDouble:
		return "DOUBLE", nil
	case inlet.TypeBoolean:
		return "BOOLEAN", nil
	case inlet.TypeDate:
		return "DATE", nil
	case inlet.TypeTimestamp:
		return "TIMESTAMP", nil
	case inlet.TypeString:
		return "VARCHAR", nil
	}
	return "", fmt.Errorf("no DuckDB type for %q", t)
}
