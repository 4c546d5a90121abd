// Package catalogtest is the contract Inlet's table catalog obeys, as a test
// suite in the style of query/querytest and store/storetest: package
// catalog runs it over the Iceberg SQL catalog on SQLite and on Postgres.
// It covers what ingest, the server and the query engines rely on: plan and
// commit of create, append, overwrite and upsert with data files the suite
// writes itself; schema evolution; snapshots, time travel and lineage;
// rollback; drop; concurrent commits from separate catalog instances over
// one database; and tenant isolation. It imports the root package and
// arrow-go only.
package catalogtest

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	inlet "github.com/inlet-data/inlet"
)

// Catalog is everything Inlet asks of its table catalog: ingest plans and
// commits writes, the server lists, describes, rolls back and drops
// tables and serves their Iceberg metadata, and the query engines read
// snapshots.
type Catalog interface {
	inlet.Catalog
	inlet.SnapshotReader
	// IcebergMetadata is what the server's Iceberg REST routes hand other
	// engines: the current metadata location and document.
	IcebergMetadata(ctx context.Context, tenant string, ref inlet.TableRef) (string, []byte, error)
}

// Env is one case's backend: a fresh, empty catalog database and lake.
type Env struct {
	// Lake holds the tables' files; the suite writes data files into it
	// where the catalog's plans say.
	Lake inlet.Lake
	// Open returns a new Catalog instance over the case's database and
	// lake, as another process or replica has: its own connections, its
	// own caches. The suite calls it at least once per case.
	Open func() Catalog
	// List returns the locations of every object under a location prefix
	// in Lake, so the suite can see that refused commits leave nothing
	// behind.
	List func(prefix string) []string
}

// Setup returns a fresh Env; Run calls it once per case.
type Setup func(t *testing.T) Env

// Run runs every case of the contract against the catalog setup makes.
func Run(t *testing.T, setup Setup) {
	cases := []struct {
		name string
		fn   func(e *env)
	}{
		{"CreateAndDescribe", testCreate},
		{"CreateConflicts", testCreateConflicts},
		{"Append", testAppend},
		{"Overwrite", testOverwrite},
		{"Upsert", testUpsert},
		{"SchemaEvolution", testSchemaEvolution},
		{"TimeTravel", testTimeTravel},
		{"Lineage", testLineage},
		{"Rollback", testRollback},
		{"Drop", testDrop},
		{"Abort", testAbort},
		{"TableInfo", testTableInfo},
		{"TenantIsolation", testTenantIsolation},
		{"ConcurrentAppends", testConcurrentAppends},
		{"ConcurrentCreates", testConcurrentCreates},
		{"ConcurrentOverwriteAndAppends", testConcurrentOverwrite},
		{"ConcurrentUpsertAndAppends", testConcurrentUpsert},
		{"ConcurrentRollbackAndTableInfo", testConcurrentMetadata},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ev := setup(t)
			c.fn(&env{t: t, Env: ev, cat: ev.Open(), ctx: context.Background()})
		})
	}
}

// env is one case: its backend and a first catalog instance.
type env struct {
	Env
	t   *testing.T
	cat Catalog
	ctx context.Context
}

const tenant = "acme"

var (
	orders = inlet.TableRef{Database: "sales", Name: "orders"}
	// people is the usual fixture: a key and a name holding PII.
	people = []inlet.Column{
		{Name: "id", Type: inlet.TypeBigint, SourceName: "ID"},
		{Name: "email", Type: inlet.TypeString, Comment: "hashed address", PII: &inlet.ColumnPII{Entity: inlet.EntityEmail, Action: inlet.ActionHash, KeyID: "k1"}},
	}
)

// write is one write through the catalog, as ingest does it: plan, write
// the data files where the plan says, commit with lineage.
type write struct {
	tenant string
	ref    inlet.TableRef
	mode   inlet.WriteMode
	cols   []inlet.Column
	rows   [][]any // one value per column: int64, float64, bool, string or nil
	keys   []string
	job    string    // "" for a fresh job id
	at     time.Time // the lineage's time; zero for a fixed one per job
}

var jobSeq atomic.Int64

func newJob() string { return fmt.Sprintf("job-%d-%d", time.Now().UnixNano(), jobSeq.Add(1)) }

func (w write) withDefaults() write {
	if w.tenant == "" {
		w.tenant = tenant
	}
	if w.ref == (inlet.TableRef{}) {
		w.ref = orders
	}
	if w.cols == nil {
		w.cols = people
	}
	if w.job == "" {
		w.job = newJob()
	}
	if w.at.IsZero() {
		w.at = time.Now().UTC()
	}
	return w
}

// plan asks cat to plan w.
func (e *env) plan(cat Catalog, w write) (*inlet.WritePlan, error) {
	w = w.withDefaults()
	return cat.PlanWrite(e.ctx, inlet.WriteRequest{Tenant: w.tenant, Ref: w.ref, Mode: w.mode, JobID: w.job, Columns: w.cols, Keys: w.keys})
}

// commit writes w's rows as a data file of the plan and commits it.
func (e *env) commit(cat Catalog, wp *inlet.WritePlan, w write) (*inlet.Snapshot, error) {
	w = w.withDefaults()
	f := e.dataFile(wp, 0, w.rows)
	return cat.Commit(e.ctx, wp, []inlet.DataFile{f}, lineageOf(wp, w))
}

// do plans and commits w through cat, failing the test on an error.
func (e *env) do(cat Catalog, w write) (*inlet.WritePlan, *inlet.Snapshot) {
	e.t.Helper()
	w = w.withDefaults()
	wp, err := e.plan(cat, w)
	if err != nil {
		e.t.Fatalf("plan %s of %s: %v", w.mode, w.ref, err)
	}
	snap, err := e.commit(cat, wp, w)
	if err != nil {
		e.t.Fatalf("commit %s of %s: %v", w.mode, w.ref, err)
	}
	return wp, snap
}

func lineageOf(wp *inlet.WritePlan, w write) inlet.Lineage {
	l := inlet.Lineage{JobID: wp.JobID, SourceFile: wp.JobID + ".csv", SourceSHA256: fmt.Sprintf("%064x", len(w.rows)),
		Uploader: "alice@example.com", Time: w.at, Rows: int64(len(w.rows)), Mode: wp.Mode, Keys: wp.Keys}
	for _, c := range wp.Columns {
		if c.PII != nil {
			l.PII = append(l.PII, inlet.PIIDecision{Column: c.Name, Entity: c.PII.Entity, Action: c.PII.Action})
		}
	}
	return l
}

// dataFile writes rows as Parquet in the plan's data directory, each
// column with the field id the plan gave it, typed as the plan says, as
// ingest's writer does, and named as ingest names them (Abort removes
// DATADIR/JOB-*).
func (e *env) dataFile(wp *inlet.WritePlan, n int, rows [][]any) inlet.DataFile {
	e.t.Helper()
	fields := make([]arrow.Field, len(wp.Columns))
	for i, c := range wp.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: arrowType(e.t, c.Type), Nullable: true,
			Metadata: arrow.NewMetadata([]string{"PARQUET:field_id"}, []string{strconv.Itoa(wp.FieldIDs[i])})}
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, row := range rows {
		if len(row) != len(fields) {
			e.t.Fatalf("row %v has %d values for %d columns", row, len(row), len(fields))
		}
		for i, v := range row {
			fb := b.Field(i)
			if v == nil {
				fb.AppendNull()
				continue
			}
			switch fb := fb.(type) {
			case *array.Int64Builder:
				fb.Append(v.(int64))
			case *array.Float64Builder:
				fb.Append(v.(float64))
			case *array.BooleanBuilder:
				fb.Append(v.(bool))
			case *array.StringBuilder:
				fb.Append(v.(string))
			}
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	loc := fmt.Sprintf("%s/%s-%05d.parquet", wp.DataDir, wp.JobID, n)
	w, err := e.Lake.Create(e.ctx, loc)
	if err != nil {
		e.t.Fatal(err)
	}
	cw := &countingWriter{w: w}
	pw, err := pqarrow.NewFileWriter(schema, cw, parquet.NewWriterProperties(parquet.WithStats(true)), pqarrow.NewArrowWriterProperties())
	if err != nil {
		e.t.Fatal(err)
	}
	if err := pw.Write(rec); err != nil {
		e.t.Fatal(err)
	}
	if err := pw.Close(); err != nil { // closes w
		e.t.Fatal(err)
	}
	return inlet.DataFile{Location: loc, Rows: int64(len(rows)), Size: cw.n}
}

type countingWriter struct {
	w interface {
		Write([]byte) (int, error)
		Close() error
	}
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (c *countingWriter) Close() error { return c.w.Close() }

func arrowType(t *testing.T, typ inlet.Type) arrow.DataType {
	switch typ {
	case inlet.TypeBigint:
		return arrow.PrimitiveTypes.Int64
	case inlet.TypeDouble:
		return arrow.PrimitiveTypes.Float64
	case inlet.TypeBoolean:
		return arrow.FixedWidthTypes.Boolean
	case inlet.TypeString:
		return arrow.BinaryTypes.String
	}
	t.Fatalf("the suite writes no %s columns", typ)
	return nil
}

// ids returns the id column of the table's current rows, sorted, read
// through ScanKeys (the key encoding of a bigint: 8 bytes little-endian).
func (e *env) ids(cat Catalog, tnt string, ref inlet.TableRef) []int64 {
	e.t.Helper()
	var out []int64
	err := cat.ScanKeys(e.ctx, tnt, ref, []string{"id"}, func(k []byte) {
		out = append(out, int64(binary.LittleEndian.Uint64(k)))
	})
	if err != nil {
		e.t.Fatalf("scan keys of %s/%s: %v", tnt, ref, err)
	}
	slices.Sort(out)
	return out
}

// rows returns a table's rows at a snapshot as text, keyed by the first
// column, through Sample ("NULL" for a null).
func (e *env) rows(cat Catalog, tnt string, ref inlet.TableRef, at inlet.SnapshotSelector) (cols []string, rows []string) {
	e.t.Helper()
	r, err := cat.Sample(e.ctx, tnt, ref, at, 1000)
	if err != nil {
		e.t.Fatalf("sample %s/%s: %v", tnt, ref, err)
	}
	for _, row := range r.Rows {
		s := ""
		for i, v := range row {
			if i > 0 {
				s += ","
			}
			if v == nil {
				s += "NULL"
			} else {
				s += *v
			}
		}
		rows = append(rows, s)
	}
	sort.Strings(rows)
	return r.Columns, rows
}

func (e *env) table(cat Catalog, tnt string, ref inlet.TableRef) *inlet.Table {
	e.t.Helper()
	tb, err := cat.Table(e.ctx, tnt, ref)
	if err != nil {
		e.t.Fatalf("table %s/%s: %v", tnt, ref, err)
	}
	return tb
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if inlet.ErrorCode(err) != code {
		t.Fatalf("%s: got %v (code %q), want %s", what, err, inlet.ErrorCode(err), code)
	}
}

func idRows(from, to int64) [][]any {
	var out [][]any
	for i := from; i <= to; i++ {
		out = append(out, []any{i, fmt.Sprintf("h%d", i)})
	}
	return out
}

func span(from, to int64) []int64 {
	var out []int64
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}
