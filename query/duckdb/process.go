package duckdb

import (
	"bufio"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query"
)

// The tenant's engine process: a DuckDB of its own, started by the engine
// (engine.go) from this same binary. It holds views over one tenant's
// tables only, may read files in that tenant's lake directory only
// (DuckDB's allowed_directories with external access off, locked), and
// cannot allocate past its memory cap (RLIMIT_DATA): a statement that
// tries fails with DuckDB's out-of-memory error, and at worst this process
// dies, never the server.

// ProcessEnv, set in a process's environment, makes it a tenant's engine
// process; its value is the process's configuration as JSON.
const ProcessEnv = "INLET_QUERY_ENGINE"

// processConfig is what a tenant's engine process is started with.
type processConfig struct {
	Tenant  string `json:"tenant"`
	LakeDir string `json:"lake_dir"` // the only directory DuckDB may read
	// ExportDir is the tenant's export area: the only directory an unload
	// may write to ("" allows none).
	ExportDir string `json:"export_dir,omitempty"`
	Socket    string `json:"socket"` // where to listen for statements
	Memory    int64  `json:"memory"` // hard cap of the process's data segment, bytes
	Threads   int    `json:"threads"`
	TempDir   string `json:"temp_dir"` // where DuckDB may spill ("" disables spilling)
	MaxValue  int    `json:"max_value"`
}

// A binary that imports this package becomes a tenant's engine process
// when it is started as one (the engine starts its own executable again,
// with ProcessEnv set), before its main or its tests run: the same
// binary serves both roles, as tests and the inlet command alike.
func init() {
	raw := os.Getenv(ProcessEnv)
	if raw == "" {
		return
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var cfg processConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		log.Error("engine process: bad configuration", "err", err)
		os.Exit(2)
	}
	if err := serveProcess(cfg, log); err != nil {
		log.Error("engine process stopped", "tenant", cfg.Tenant, "err", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func serveProcess(cfg processConfig, log *slog.Logger) error {
	if cfg.Memory > 0 {
		// The hard cap: DuckDB's allocations past it fail (and DuckDB
		// reports them as out of memory); the Go side stays small.
		lim := &syscall.Rlimit{Cur: uint64(cfg.Memory), Max: uint64(cfg.Memory)}
		if err := syscall.Setrlimit(syscall.RLIMIT_DATA, lim); err != nil {
			return fmt.Errorf("limit memory: %w", err)
		}
		debug.SetMemoryLimit(64 << 20)
	}
	p, err := openProcess(cfg)
	if err != nil {
		return err
	}
	defer p.db.Close()
	os.Remove(cfg.Socket)
	ln, err := net.Listen("unix", cfg.Socket)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	fmt.Fprintln(os.Stdout, "ready") // the engine waits for this line
	go func() {
		// The engine holds stdin open: when it closes it, or dies, stop.
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go p.serve(conn)
	}
}

// process is the state of a tenant's engine process.
type process struct {
	cfg processConfig
	db  *sql.DB

	mu    sync.Mutex
	views map[string]*viewAt // "db.table" → the snapshot its view reads
	seq   int64              // names of per-statement catalogs
}

type viewAt struct {
	snapshot int64
	mu       sync.Mutex // one refresh at a time per view
}

func openProcess(cfg processConfig) (*process, error) {
	lake, err := filepath.Abs(cfg.LakeDir)
	if err != nil {
		return nil, err
	}
	cfg.LakeDir = lake
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	db := sql.OpenDB(connector)
	settings := []string{
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET allow_community_extensions = false",
		"SET allow_persistent_secrets = false",
		"SET enable_object_cache = true", // Parquet footers stay cached across statements
		// Rows come in no particular order unless the statement has an
		// ORDER BY, as in Athena and every engine reading the lake: an
		// ordered scan holds every batch a slower thread is behind on, so
		// a large export or result took memory growing with its size.
		"SET preserve_insertion_order = false",
		// The lake's files are read through the OS page cache already; a
		// second copy in DuckDB's buffer pool grew an engine's memory with
		// every row group read, to its cap.
		"SET enable_external_file_cache = false",
		// An engine stays up between statements: after one that took more
		// than 16 MB (an export's unload), its allocator gives the memory
		// back instead of keeping it (DuckDB's default is from 128 MB). A
		// server writing a 1M-row XLSX beside its idle engine peaked at
		// 150 MB of anonymous memory instead of 210.
		"SET allocator_flush_threshold = '16MB'",
		fmt.Sprintf("SET threads = %d", max(cfg.Threads, 1)),
	}
	allowed := "'" + sqlString(lake+string(filepath.Separator)) + "'"
	if cfg.ExportDir != "" {
		dir, err := filepath.Abs(cfg.ExportDir)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		cfg.ExportDir = dir
		allowed += ", '" + sqlString(dir+string(filepath.Separator)) + "'"
	}
	settings = append(settings, "SET allowed_directories = ["+allowed+"]")
	if cfg.Memory > 0 {
		// DuckDB's buffer manager keeps to 60% of the cap, leaving room for
		// what it allocates outside it (strings, lists) and the Go side.
		settings = append(settings, fmt.Sprintf("SET memory_limit = '%dMB'", cfg.Memory*6/10>>20))
	}
	if cfg.TempDir != "" {
		settings = append(settings, fmt.Sprintf("SET temp_directory = '%s'", sqlString(cfg.TempDir)))
	} else {
		settings = append(settings, "SET temp_directory = ''")
	}
	settings = append(settings,
		"SET enable_external_access = false", // files outside allowed_directories, ATTACH of files, extensions
		"SET lock_configuration = true",      // last: nothing can change the above
	)
	for _, s := range settings {
		if _, err := db.Exec(s); err != nil {
			db.Close()
			return nil, fmt.Errorf("configure duckdb (%s): %w", s, err)
		}
	}
	return &process{cfg: cfg, db: db, views: map[string]*viewAt{}}, nil
}

// serve answers one statement on one connection.
func (p *process) serve(nc net.Conn) {
	defer nc.Close()
	r := bufio.NewReader(nc)
	w := bufio.NewWriterSize(nc, 64<<10)
	defer w.Flush()
	var req request
	if err := readLine(r, &req); err != nil {
		return
	}
	// The engine closes the connection to cancel: a read that returns
	// means the statement must stop.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		io.Copy(io.Discard, r)
		cancel()
	}()
	conn, err := p.db.Conn(ctx)
	if err != nil {
		writeLine(w, reply{Error: p.wire(err)})
		return
	}
	defer conn.Close()
	switch req.Op {
	case opParse:
		var tree string
		err := conn.QueryRowContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR", req.SQL).Scan(&tree)
		if err != nil {
			writeLine(w, reply{Error: p.wire(err)})
			return
		}
		writeLine(w, reply{Tree: json.RawMessage(tree)})
	case opQuery, opUnload:
		p.query(ctx, conn, req, w)
	default:
		writeLine(w, reply{Error: &wireError{Code: inlet.EINTERNAL, Kind: "protocol"}})
	}
}

func (p *process) query(ctx context.Context, conn *sql.Conn, req request, w *bufio.Writer) {
	args, err := decodeArgs(req.Args)
	if err != nil {
		writeLine(w, reply{Error: &wireError{Code: inlet.EINVALID, Message: err.Error()}})
		return
	}
	catalog := "memory"
	if req.Pinned {
		p.mu.Lock()
		p.seq++
		catalog = fmt.Sprintf("asof_%d", p.seq)
		p.mu.Unlock()
		if _, err := conn.ExecContext(ctx, "ATTACH ':memory:' AS "+ident(catalog)); err != nil {
			writeLine(w, reply{Error: p.wire(err)})
			return
		}
		defer func() {
			bg := context.WithoutCancel(ctx)
			conn.ExecContext(bg, "USE memory")
			conn.ExecContext(bg, "DETACH "+ident(catalog))
		}()
	}
	for _, v := range req.View {
		if err := p.view(ctx, conn, catalog, v, req.Pinned); err != nil {
			writeLine(w, reply{Error: p.wire(err)})
			return
		}
	}
	if _, err := conn.ExecContext(ctx, "USE "+ident(catalog)); err != nil {
		writeLine(w, reply{Error: p.wire(err)})
		return
	}
	if req.Op == opUnload {
		p.unload(ctx, conn, req, args, w)
		return
	}
	res, err := conn.QueryContext(ctx, req.SQL, args...)
	if err != nil {
		writeLine(w, reply{Error: p.wire(err)})
		return
	}
	defer res.Close()
	sc, err := newScanner(res, p.cfg.MaxValue)
	if err != nil {
		writeLine(w, reply{Error: p.wire(err)})
		return
	}
	if err := writeLine(w, reply{Columns: sc.cols}); err != nil {
		return
	}
	err = p.stream(w, sc)
	var t trailer
	if err != nil {
		t.Error = p.wire(err)
	}
	writeLine(w, t)
}

// unload writes a statement's result to a Parquet or CSV file in the
// export area with DuckDB's COPY, which streams: memory stays flat however
// many rows. The statement is the engine's, guarded like any query; only
// the path and the options are the process's to check.
func (p *process) unload(ctx context.Context, conn *sql.Conn, req request, args []any, w *bufio.Writer) {
	out := filepath.Clean(req.Out)
	if p.cfg.ExportDir == "" || !strings.HasPrefix(out, p.cfg.ExportDir+string(filepath.Separator)) {
		writeLine(w, reply{Error: &wireError{Code: inlet.EINTERNAL, Kind: "unload outside the export area"}})
		return
	}
	if err := checkUnload(req.Unload); err != nil {
		writeLine(w, reply{Error: &wireError{Code: inlet.EINTERNAL, Kind: err.Error()}})
		return
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		writeLine(w, reply{Error: p.wire(err)})
		return
	}
	stmt, err := copyStatement(ctx, conn, req, args, out)
	var rows int64
	if err == nil {
		err = conn.QueryRowContext(ctx, stmt, args...).Scan(&rows)
	}
	if err != nil {
		os.Remove(out)
		writeLine(w, reply{Error: p.wire(err)})
		return
	}
	writeLine(w, reply{Rows: rows})
}

// checkUnload allows the formats and delimiters an export writes and
// refuses anything else: the options are spliced into a COPY statement.
func checkUnload(o inlet.UnloadOptions) error {
	switch o.Format {
	case "parquet":
	case "csv":
		switch o.Delimiter {
		case 0, ',', ';', '\t', '|':
		default:
			return fmt.Errorf("unload: delimiter %q is not one an export writes", o.Delimiter)
		}
	default:
		return fmt.Errorf("unload: format %q is not one an engine writes", o.Format)
	}
	return nil
}

// copyStatement is the COPY that unloads req's statement to out. A CSV's
// columns are selected by position, each text column through o.Text (the
// export's formula neutralisation), and the header names through o.Text
// too; the columns' names and types come from binding the statement.
func copyStatement(ctx context.Context, conn *sql.Conn, req request, args []any, out string) (string, error) {
	o := req.Unload
	if o.Format == "parquet" && !o.Plain {
		// A file people read gets DuckDB's usual row groups, cut at 8 MB
		// of rows so that a wide table's groups (held in memory per thread
		// until written) do not grow past that; a scratch file read back
		// at once gets small ones.
		codec, rowGroup := "uncompressed", "16384"
		if o.Compress {
			codec, rowGroup = "zstd", "122880, ROW_GROUP_SIZE_BYTES '8MB'"
		}
		return "COPY (" + req.SQL + "\n) TO '" + sqlString(out) + "' (FORMAT parquet, COMPRESSION " + codec + ", ROW_GROUP_SIZE " + rowGroup + ")", nil
	}
	res, err := conn.QueryContext(ctx, "SELECT * FROM ("+req.SQL+"\n) LIMIT 0", args...)
	if err != nil {
		return "", err
	}
	types, err := res.ColumnTypes()
	res.Close()
	if err != nil {
		return "", err
	}
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.Name()
	}
	if o.Format == "csv" && o.Text != "" && len(names) > 0 {
		exprs := make([]string, len(names))
		dest := make([]any, len(names))
		for i, n := range names {
			exprs[i] = strings.ReplaceAll(o.Text, "{}", "'"+sqlString(n)+"'::VARCHAR")
			dest[i] = &names[i]
		}
		if err := conn.QueryRowContext(ctx, "SELECT "+strings.Join(exprs, ", ")).Scan(dest...); err != nil {
			return "", err
		}
	}
	var sel strings.Builder
	for i, t := range types {
		if i > 0 {
			sel.WriteString(", ")
		}
		col, typ := "#"+strconv.Itoa(i+1), t.DatabaseTypeName()
		switch {
		case o.Format == "parquet": // Plain: the writers' types stay, the rest is text
			if !typedCell(typ) {
				col += "::VARCHAR"
			}
		case o.Text != "" && !plainCell(typ):
			// Default deny: a value of a type that can carry text is
			// neutralised as text (a blob, a union, a JSON value, an
			// interval's words).
			if typ != "VARCHAR" {
				col += "::VARCHAR"
			}
			col = "(" + strings.ReplaceAll(o.Text, "{}", col) + ")"
		}
		sel.WriteString(col + " AS " + ident(names[i]))
	}
	if o.Format == "parquet" {
		return "COPY (SELECT " + sel.String() + " FROM (" + req.SQL + "\n)) TO '" + sqlString(out) + "' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 16384)", nil
	}
	delim := cmp.Or(o.Delimiter, ',')
	return "COPY (SELECT " + sel.String() + " FROM (" + req.SQL + "\n)) TO '" + sqlString(out) + "' (FORMAT csv, HEADER " +
		strconv.FormatBool(o.Header) + ", DELIMITER '" + string(rune(delim)) + "', QUOTE '\"', ESCAPE '\"', NEW_LINE '\\r\\n')", nil
}

// plainCell says whether a DuckDB type's values print, in a CSV, from a
// fixed vocabulary that carries no text of anyone's choosing: numbers,
// dates and times (and their infinity, inf and nan), true/false, UUIDs. A
// spreadsheet may show -infinity as an error, but no formula can be
// written through them; every other type can carry text.
func plainCell(typ string) bool {
	return numberOrDate(typ) || typ == "UUID" || typ == "TIME"
}

// typedCell says whether an export's writers take a DuckDB type's values
// as typed cells (numbers, booleans, dates, timestamps, text); a column
// of any other type reaches them as its text.
func typedCell(typ string) bool {
	return numberOrDate(typ) || typ == "VARCHAR"
}

// numberOrDate says whether a DuckDB type is a boolean, a number, a date
// or a timestamp.
func numberOrDate(typ string) bool {
	switch typ {
	case "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
		"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE",
		"DATE", "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMPTZ":
		return true
	}
	return strings.HasPrefix(typ, "DECIMAL")
}

// rowsPerBatch and bytesPerBatch bound one Arrow record batch of a result.
const (
	rowsPerBatch  = 16384
	bytesPerBatch = 4 << 20
)

// stream writes a result's rows as an Arrow IPC stream.
func (p *process) stream(w io.Writer, sc *scanner) error {
	schema := query.ArrowSchema(sc.cols)
	iw := ipc.NewWriter(w, ipc.WithSchema(schema))
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	rows, size := 0, 0
	flush := func() error {
		rec := b.NewRecordBatch()
		defer rec.Release()
		rows, size = 0, 0
		if rec.NumRows() == 0 {
			return nil
		}
		return iw.Write(rec)
	}
	var err error
	for err == nil && sc.next() {
		for i, v := range sc.values {
			if s, ok := v.(string); ok {
				size += len(s)
			} else {
				size += 8
			}
			if err = query.AppendArrow(b.Field(i), v); err != nil {
				err = fmt.Errorf("column %s: %w", sc.cols[i].Name, err)
				break
			}
		}
		if rows++; err == nil && (rows == rowsPerBatch || size >= bytesPerBatch) {
			err = flush()
		}
	}
	if err == nil {
		err = sc.err
	}
	// What was built goes out before the error, so the engine can tell a
	// failure from a short result by the trailer.
	if ferr := flush(); err == nil {
		err = ferr
	}
	if cerr := iw.Close(); err == nil {
		err = cerr
	}
	return err
}

// view makes catalog.database.name read a snapshot's data files, unless it
// already does.
func (p *process) view(ctx context.Context, conn *sql.Conn, catalog string, v viewSpec, pinned bool) error {
	for _, f := range v.Files {
		if !strings.HasPrefix(filepath.Clean(f), p.cfg.LakeDir+string(filepath.Separator)) {
			return inlet.Errorf(inlet.EINTERNAL, "a data file of %s.%s is outside the tenant's lake", v.Database, v.Name)
		}
	}
	if pinned {
		return createView(ctx, conn, catalog, v)
	}
	key := v.Database + "." + v.Name
	p.mu.Lock()
	at, ok := p.views[key]
	if !ok {
		at = &viewAt{snapshot: -1}
		p.views[key] = at
	}
	p.mu.Unlock()
	at.mu.Lock()
	defer at.mu.Unlock()
	if at.snapshot == v.Snapshot {
		return nil
	}
	if err := createView(ctx, conn, catalog, v); err != nil {
		return err
	}
	at.snapshot = v.Snapshot
	return nil
}

// createView (re)creates catalog.database.name as a view over a snapshot's
// data files, typed as the Iceberg schema says.
func createView(ctx context.Context, conn *sql.Conn, catalog string, v viewSpec) error {
	schema := ident(catalog) + "." + ident(v.Database)
	if _, err := conn.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
		return fmt.Errorf("create schema for %s.%s: %w", v.Database, v.Name, err)
	}
	var cols []string
	for _, c := range v.Columns {
		t, err := duckType(c.Type)
		if err != nil {
			return err
		}
		if len(v.Files) == 0 {
			cols = append(cols, fmt.Sprintf("CAST(NULL AS %s) AS %s", t, ident(c.Name)))
		} else {
			cols = append(cols, fmt.Sprintf("CAST(%s AS %s) AS %s", ident(c.Name), t, ident(c.Name)))
		}
	}
	from := " WHERE false"
	if len(v.Files) > 0 {
		paths := make([]string, len(v.Files))
		for i, f := range v.Files {
			paths[i] = "'" + sqlString(f) + "'"
		}
		opts := ""
		if v.Evolved {
			opts = ", union_by_name = true" // older files lack columns added later
		}
		from = fmt.Sprintf(" FROM read_parquet([%s]%s)", strings.Join(paths, ", "), opts)
	}
	stmt := fmt.Sprintf("CREATE OR REPLACE VIEW %s.%s AS SELECT %s%s", schema, ident(v.Name), strings.Join(cols, ", "), from)
	if _, err := conn.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("create view for %s.%s at snapshot %d: %w", v.Database, v.Name, v.Snapshot, err)
	}
	return nil
}

// wire turns an error into what the engine is told: the user's mistakes
// with DuckDB's message (lake paths removed), resource limits as
// ETOOLARGE, everything else as an internal error whose message stays
// here (it may quote the SQL, and SQL may hold personal data).
func (p *process) wire(err error) *wireError {
	var ie *inlet.Error
	if errors.As(err, &ie) {
		return &wireError{Code: ie.Code, Message: p.clean(ie.Message)}
	}
	if errors.Is(err, context.Canceled) {
		return &wireError{Code: inlet.EINVALID, Message: "the query was cancelled"}
	}
	var de *duckdb.Error
	if !errors.As(err, &de) {
		// The driver's own refusals are about the result's shape (a
		// column without a name, a type it cannot read), never its values.
		return &wireError{Code: inlet.EINVALID, Message: "the result cannot be read: " + strings.TrimPrefix(err.Error(), "database/sql/driver: ")}
	}
	msg := p.clean(strings.TrimSpace(de.Msg))
	switch de.Type {
	case duckdb.ErrorTypeInterrupt:
		return &wireError{Code: inlet.EINVALID, Message: "the query was cancelled", Kind: "interrupt"}
	case duckdb.ErrorTypeOutOfMemory:
		return &wireError{Code: inlet.ETOOLARGE, Message: fmt.Sprintf("the query needs more memory than a tenant's queries may use (%s): aggregate or filter more", bytesText(p.cfg.Memory)), Kind: "out of memory"}
	case duckdb.ErrorTypePermission:
		return &wireError{Code: inlet.EFORBIDDEN, Message: "the query reaches outside the tenant's tables", Kind: "permission"}
	case duckdb.ErrorTypeParser, duckdb.ErrorTypeSyntax, duckdb.ErrorTypeBinder, duckdb.ErrorTypeCatalog,
		duckdb.ErrorTypeConversion, duckdb.ErrorTypeInvalidInput, duckdb.ErrorTypeOutOfRange,
		duckdb.ErrorTypeDivideByZero, duckdb.ErrorTypeMismatchType, duckdb.ErrorTypeInvalidType,
		duckdb.ErrorTypeNotImplemented, duckdb.ErrorTypeConstraint, duckdb.ErrorTypeSequence,
		duckdb.ErrorTypeParameterNotResolved, duckdb.ErrorTypeParameterNotAllowed, duckdb.ErrorTypeDecimal,
		duckdb.ErrorTypeExpression:
		return &wireError{Code: inlet.EINVALID, Message: msg}
	}
	return &wireError{Code: inlet.EINTERNAL, Kind: fmt.Sprintf("duckdb type %d", de.Type)}
}

// clean removes the tenant's lake directory from a message: users read
// their tables by name, and the server's paths are not theirs to know.
func (p *process) clean(msg string) string {
	return strings.ReplaceAll(msg, p.cfg.LakeDir+string(filepath.Separator), "")
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
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
