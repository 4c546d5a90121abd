package catalogtest

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// A create makes the table and its first snapshot at once; the table
// describes itself as written: columns with field ids, source names,
// comments and PII decisions, rows, snapshot, data files.
func testCreate(e *env) {
	t := e.t
	if got, err := e.cat.Tables(e.ctx, tenant); err != nil || len(got) != 0 {
		t.Fatalf("tables of a new tenant: %v, %v; want none", got, err)
	}
	w := write{mode: inlet.ModeCreate, rows: idRows(1, 3)}.withDefaults()
	wp, err := e.plan(e.cat, w)
	if err != nil {
		t.Fatal(err)
	}
	if wp.Exists || !slices.Equal(wp.FieldIDs, []int{1, 2}) || wp.DataDir != wp.Location+"/data" || !strings.HasPrefix(wp.Location, "file://") && !strings.Contains(wp.Location, "://") {
		t.Fatalf("plan of a create: %+v", wp)
	}
	_, err = e.cat.Table(e.ctx, tenant, orders)
	wantCode(t, "a planned table before its commit", err, inlet.ENOTFOUND)
	snap, err := e.commit(e.cat, wp, w)
	if err != nil {
		t.Fatal(err)
	}
	for _, cat := range []Catalog{e.cat, e.Open()} { // the committing instance and another
		tb := e.table(cat, tenant, orders)
		if tb.Rows != 3 || len(tb.Snapshots) != 1 || tb.CurrentSnapshot == nil || *tb.CurrentSnapshot != snap.ID || tb.AsOf != nil || tb.Location != wp.Location || tb.Tenant != tenant {
			t.Fatalf("table after create: rows %d, snapshots %+v, current %v, as of %v, location %s (plan %s)", tb.Rows, tb.Snapshots, tb.CurrentSnapshot, tb.AsOf, tb.Location, wp.Location)
		}
		if len(tb.DataFiles) != 1 || !strings.HasPrefix(tb.DataFiles[0], wp.DataDir+"/") {
			t.Errorf("data files %v, want the one under %s", tb.DataFiles, wp.DataDir)
		}
		want := []inlet.Column{
			{FieldID: 1, Name: "id", Type: inlet.TypeBigint, SourceName: "ID"},
			{FieldID: 2, Name: "email", Type: inlet.TypeString, Comment: "hashed address", PII: people[1].PII},
		}
		for i := range tb.Columns {
			tb.Columns[i].Profile = nil
		}
		if !reflect.DeepEqual(tb.Columns, want) {
			t.Errorf("columns\n%+v\nwant\n%+v", tb.Columns, want)
		}
		sums, err := cat.Tables(e.ctx, tenant)
		if err != nil || len(sums) != 1 || sums[0].Ref != orders || sums[0].Rows != 3 || sums[0].Columns != 2 || sums[0].PIIColumns != 1 || !slices.Equal(sums[0].ColumnNames, []string{"id", "email"}) {
			t.Errorf("tables: %+v, %v", sums, err)
		}
		rs, err := cat.ReadSnapshot(e.ctx, tenant, orders, inlet.SnapshotSelector{})
		if err != nil || rs.SnapshotID != snap.ID || !slices.Equal(rs.Files, tb.DataFiles) || len(rs.Columns) != 2 || rs.Columns[0].FieldID != 1 || rs.SchemaEvolved {
			t.Errorf("read snapshot: %+v, %v", rs, err)
		}
		if got := e.ids(cat, tenant, orders); !slices.Equal(got, span(1, 3)) {
			t.Errorf("ids %v", got)
		}
		loc, doc, err := cat.IcebergMetadata(e.ctx, tenant, orders)
		var meta struct {
			Location string `json:"location"`
			Current  int64  `json:"current-snapshot-id"`
		}
		if err != nil || loc != tb.MetadataLocation || json.Unmarshal(doc, &meta) != nil || meta.Location != tb.Location || meta.Current != snap.ID {
			t.Errorf("iceberg metadata: %s %+v, %v; want %s with snapshot %d", loc, meta, err, tb.MetadataLocation, snap.ID)
		}
		if cols, rows := e.rows(cat, tenant, orders, inlet.SnapshotSelector{}); !slices.Equal(cols, []string{"id", "email"}) || !slices.Equal(rows, []string{"1,h1", "2,h2", "3,h3"}) {
			t.Errorf("sample: %v %v", cols, rows)
		}
	}
	_, err = e.cat.Table(e.ctx, tenant, inlet.TableRef{Database: "sales", Name: "other"})
	wantCode(t, "a table never made", err, inlet.ENOTFOUND)
}

// Plans refuse what cannot be written: a create of a table that exists, a
// write into one that does not; of two creates committing at once, the
// second is refused and the first's rows stay.
func testCreateConflicts(e *env) {
	t := e.t
	for _, mode := range []inlet.WriteMode{inlet.ModeAppend, inlet.ModeOverwrite, inlet.ModeUpsert} {
		_, err := e.plan(e.cat, write{mode: mode, keys: []string{"id"}})
		wantCode(t, string(mode)+" into a missing table", err, inlet.ENOTFOUND)
	}
	if _, err := e.cat.PlanWrite(e.ctx, inlet.WriteRequest{Tenant: tenant, Ref: orders, Mode: inlet.ModeCreate, Columns: people}); err == nil {
		t.Error("a plan without a job id was accepted")
	}
	first := write{mode: inlet.ModeCreate, rows: idRows(1, 2)}.withDefaults()
	second := write{mode: inlet.ModeCreate, rows: idRows(7, 9)}.withDefaults()
	wp1, err := e.plan(e.cat, first)
	if err != nil {
		t.Fatal(err)
	}
	other := e.Open()
	wp2, err := e.plan(other, second)
	if err != nil {
		t.Fatal(err)
	}
	if wp1.Location == wp2.Location {
		t.Errorf("two creates share the location %s", wp1.Location)
	}
	if _, err := e.commit(e.cat, wp1, first); err != nil {
		t.Fatal(err)
	}
	_, err = e.commit(other, wp2, second)
	wantCode(t, "the second create's commit", err, inlet.ECONFLICT)
	if err := other.Abort(e.ctx, wp2); err != nil {
		t.Fatal(err)
	}
	_, err = e.plan(e.cat, write{mode: inlet.ModeCreate})
	wantCode(t, "a create of an existing table", err, inlet.ECONFLICT)
	if got := e.ids(e.cat, tenant, orders); !slices.Equal(got, span(1, 2)) {
		t.Errorf("ids %v, want the first create's", got)
	}
}

// An append adds a snapshot on top of the last, mapping columns by name
// whatever their order; columns the file lacks read NULL.
func testAppend(e *env) {
	t := e.t
	_, s1 := e.do(e.cat, write{mode: inlet.ModeCreate, rows: idRows(1, 2)})
	wp, s2 := e.do(e.cat, write{mode: inlet.ModeAppend, rows: idRows(3, 4)})
	if !wp.Exists || !slices.Equal(wp.FieldIDs, []int{1, 2}) || len(wp.AddedColumns)+len(wp.MissingColumns) != 0 {
		t.Errorf("plan of an append: %+v", wp)
	}
	if s2.ParentID == nil || *s2.ParentID != s1.ID || s2.Operation != "append" {
		t.Errorf("append snapshot %+v, want the child of %d", s2, s1.ID)
	}
	swapped := []inlet.Column{people[1], people[0]}
	wp, _ = e.do(e.cat, write{mode: inlet.ModeAppend, cols: swapped, rows: [][]any{{"h5", int64(5)}}})
	if !slices.Equal(wp.FieldIDs, []int{2, 1}) {
		t.Errorf("field ids of columns in another order: %v, want [2 1]", wp.FieldIDs)
	}
	wp, _ = e.do(e.cat, write{mode: inlet.ModeAppend, cols: people[:1], rows: [][]any{{int64(6)}}})
	if !slices.Equal(wp.MissingColumns, []string{"email"}) {
		t.Errorf("missing columns %v, want [email]", wp.MissingColumns)
	}
	tb := e.table(e.cat, tenant, orders)
	if tb.Rows != 6 || len(tb.Snapshots) != 4 || len(tb.DataFiles) != 4 {
		t.Errorf("after appends: %d rows, %d snapshots, %d files; want 6, 4, 4", tb.Rows, len(tb.Snapshots), len(tb.DataFiles))
	}
	if _, rows := e.rows(e.cat, tenant, orders, inlet.SnapshotSelector{}); !slices.Equal(rows, []string{"1,h1", "2,h2", "3,h3", "4,h4", "5,h5", "6,NULL"}) {
		t.Errorf("rows %v", rows)
	}
}

// An overwrite replaces every row in one snapshot, and may retype a column
// (it gets a new field id); the old rows stay readable by time travel.
func testOverwrite(e *env) {
	t := e.t
	_, s1 := e.do(e.cat, write{mode: inlet.ModeCreate, rows: idRows(1, 3)})
	_, s2 := e.do(e.cat, write{mode: inlet.ModeOverwrite, rows: idRows(10, 11)})
	tb := e.table(e.cat, tenant, orders)
	if tb.Rows != 2 || len(tb.DataFiles) != 1 || *tb.CurrentSnapshot != s2.ID || s2.Operation != "overwrite" {
		t.Errorf("after overwrite: %d rows, files %v, snapshot %+v", tb.Rows, tb.DataFiles, s2)
	}
	if got := e.ids(e.cat, tenant, orders); !slices.Equal(got, []int64{10, 11}) {
		t.Errorf("ids %v", got)
	}
	if _, rows := e.rows(e.cat, tenant, orders, inlet.SnapshotSelector{ID: s1.ID}); len(rows) != 3 {
		t.Errorf("rows at the first snapshot: %v", rows)
	}
	retyped := []inlet.Column{{Name: "id", Type: inlet.TypeString}, people[1]}
	wp, _ := e.do(e.cat, write{mode: inlet.ModeOverwrite, cols: retyped, rows: [][]any{{"A-1", "x"}}})
	if wp.FieldIDs[0] == 1 {
		t.Errorf("a retyped column kept field id 1: %v", wp.FieldIDs)
	}
	tb = e.table(e.cat, tenant, orders)
	// (The replaced column comes last: iceberg-go cannot move a column
	// whose name a deleted one had.)
	byName := map[string]inlet.Column{}
	for _, c := range tb.Columns {
		byName[c.Name] = c
	}
	if id := byName["id"]; len(tb.Columns) != 2 || id.Type != inlet.TypeString || id.FieldID != wp.FieldIDs[0] {
		t.Errorf("columns after a retyping overwrite: %+v", tb.Columns)
	}
	if _, rows := e.rows(e.cat, tenant, orders, inlet.SnapshotSelector{ID: *tb.CurrentSnapshot}); len(rows) != 1 || !strings.Contains(rows[0], "A-1") {
		t.Errorf("rows %v", rows)
	}

	// Every row is replaced, so are the columns' PII decisions and source
	// names: none of the old ones is left describing the new rows.
	plain := []inlet.Column{{Name: "id", Type: inlet.TypeString}, {Name: "email", Type: inlet.TypeString}}
	e.do(e.cat, write{mode: inlet.ModeOverwrite, cols: plain, rows: [][]any{{"A-2", "not an address"}}})
	for _, c := range e.table(e.Open(), tenant, orders).Columns {
		if c.PII != nil || c.SourceName != "" {
			t.Errorf("column %s after an overwrite without PII or source names: PII %+v, source %q", c.Name, c.PII, c.SourceName)
		}
	}
	if sums, err := e.cat.Tables(e.ctx, tenant); err != nil || len(sums) != 1 || sums[0].PIIColumns != 0 {
		t.Errorf("tables after an overwrite without PII: %+v, %v", sums, err)
	}
}

// An upsert replaces the rows whose key it holds and adds the others, and
// says how many of each it did.
func testUpsert(e *env) {
	t := e.t
	e.do(e.cat, write{mode: inlet.ModeCreate, rows: [][]any{{int64(1), "a"}, {int64(2), "b"}}})
	e.do(e.cat, write{mode: inlet.ModeAppend, rows: [][]any{{int64(4), "d"}}})
	_, snap := e.do(e.cat, write{mode: inlet.ModeUpsert, keys: []string{"id"}, rows: [][]any{{int64(2), "b2"}, {int64(3), "c"}}})
	if _, rows := e.rows(e.cat, tenant, orders, inlet.SnapshotSelector{}); !slices.Equal(rows, []string{"1,a", "2,b2", "3,c", "4,d"}) {
		t.Errorf("rows after upsert: %v", rows)
	}
	l := snap.Lineage
	if l == nil || l.Mode != inlet.ModeUpsert || !slices.Equal(l.Keys, []string{"id"}) || l.Updated != 1 || l.Inserted != 1 || l.Rows != 2 {
		t.Errorf("upsert lineage %+v, want 1 updated and 1 inserted by id", l)
	}
	if tb := e.table(e.cat, tenant, orders); tb.Rows != 4 {
		t.Errorf("%d rows, want 4", tb.Rows)
	}
	// A key column the table lacks is refused, at the latest when the
	// merge reads the table.
	bad := write{mode: inlet.ModeUpsert, keys: []string{"nope"}, rows: idRows(1, 1)}.withDefaults()
	if wp, err := e.plan(e.cat, bad); err == nil {
		if _, err := e.commit(e.cat, wp, bad); err == nil {
			t.Error("an upsert on a key column the table lacks was committed")
		}
	}
}

// Appends evolve the schema: a new column is added (old rows read NULL),
// a value type that fits is taken in the table's type, one that does not
// is refused with ECONFLICT, at plan time and at commit time when another
// write changed the table in between.
func testSchemaEvolution(e *env) {
	t := e.t
	e.do(e.cat, write{mode: inlet.ModeCreate, rows: idRows(1, 2)})
	wider := append(slices.Clone(people), inlet.Column{Name: "score", Type: inlet.TypeDouble})
	wp, _ := e.do(e.cat, write{mode: inlet.ModeAppend, cols: wider, rows: [][]any{{int64(3), "h3", 0.5}}})
	if !slices.Equal(wp.AddedColumns, []string{"score"}) || !slices.Equal(wp.FieldIDs, []int{1, 2, 3}) {
		t.Errorf("plan adding a column: added %v, ids %v", wp.AddedColumns, wp.FieldIDs)
	}
	tb := e.table(e.cat, tenant, orders)
	if len(tb.Columns) != 3 || tb.Columns[2].Name != "score" || tb.Columns[2].Type != inlet.TypeDouble || tb.Columns[2].FieldID != 3 {
		t.Fatalf("columns after adding one: %+v", tb.Columns)
	}
	if _, rows := e.rows(e.cat, tenant, orders, inlet.SnapshotSelector{}); !slices.Equal(rows, []string{"1,h1,NULL", "2,h2,NULL", "3,h3,0.5"}) {
		t.Errorf("rows %v", rows)
	}
	if rs, err := e.cat.ReadSnapshot(e.ctx, tenant, orders, inlet.SnapshotSelector{}); err != nil || !rs.SchemaEvolved || len(rs.Columns) != 3 {
		t.Errorf("read snapshot after evolution: %+v, %v", rs, err)
	}

	// bigint fits a double column: the plan types it as the table does.
	wp, _ = e.do(e.cat, write{mode: inlet.ModeAppend, cols: []inlet.Column{people[0], {Name: "score", Type: inlet.TypeBigint}}, rows: [][]any{{int64(4), nil}}})
	if wp.Columns[1].Type != inlet.TypeDouble {
		t.Errorf("a bigint into a double column planned as %s", wp.Columns[1].Type)
	}

	before := len(e.table(e.cat, tenant, orders).Snapshots)
	_, err := e.plan(e.cat, write{mode: inlet.ModeAppend, cols: []inlet.Column{{Name: "id", Type: inlet.TypeString}}})
	wantCode(t, "an append of text into a bigint column", err, inlet.ECONFLICT)
	if !strings.Contains(inlet.ErrorMessage(err), "id") {
		t.Errorf("the refusal does not name the column: %v", err)
	}

	// Two appends add the same new column with different types: the
	// second's files hold the wrong type, and its commit is refused.
	addX := func(typ inlet.Type) write {
		return write{mode: inlet.ModeAppend, cols: []inlet.Column{people[0], {Name: "x", Type: typ}}}.withDefaults()
	}
	wa, wb := addX(inlet.TypeBigint), addX(inlet.TypeString)
	wa.rows, wb.rows = [][]any{{int64(5), int64(1)}}, [][]any{{int64(6), "one"}}
	other := e.Open()
	pa, err := e.plan(e.cat, wa)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := e.plan(other, wb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.commit(other, pb, wb); err != nil {
		t.Fatal(err)
	}
	_, err = e.commit(e.cat, pa, wa)
	wantCode(t, "an append whose new column another append added with another type", err, inlet.ECONFLICT)

	// Two appends add different new columns: both planned the same field
	// id, so the second's files would read as the first's column.
	wc := write{mode: inlet.ModeAppend, cols: []inlet.Column{people[0], {Name: "y", Type: inlet.TypeString}}, rows: [][]any{{int64(7), "y"}}}.withDefaults()
	wd := write{mode: inlet.ModeAppend, cols: []inlet.Column{people[0], {Name: "z", Type: inlet.TypeString}}, rows: [][]any{{int64(8), "z"}}}.withDefaults()
	pc, err := e.plan(e.cat, wc)
	if err != nil {
		t.Fatal(err)
	}
	pd, err := e.plan(other, wd)
	if err != nil {
		t.Fatal(err)
	}
	if pc.FieldIDs[1] != pd.FieldIDs[1] {
		t.Fatalf("two plans at once gave new columns ids %d and %d", pc.FieldIDs[1], pd.FieldIDs[1])
	}
	if _, err := e.commit(other, pd, wd); err != nil {
		t.Fatal(err)
	}
	_, err = e.commit(e.cat, pc, wc)
	wantCode(t, "an append whose new column's id another append took", err, inlet.ECONFLICT)

	tb = e.table(e.cat, tenant, orders)
	if len(tb.Snapshots) != before+2 {
		t.Errorf("%d snapshots, want %d: refused writes must not commit", len(tb.Snapshots), before+2)
	}
	if got := e.ids(e.cat, tenant, orders); !slices.Equal(got, []int64{1, 2, 3, 4, 6, 8}) {
		t.Errorf("ids %v, want those of the committed writes only", got)
	}
	var names []string
	for _, c := range tb.Columns {
		names = append(names, c.Name+":"+string(c.Type))
	}
	if want := []string{"id:bigint", "email:string", "score:double", "x:string", "z:string"}; !slices.Equal(names, want) {
		t.Errorf("columns %v, want %v", names, want)
	}
}

// Every snapshot stays readable by id and by time, with the schema, rows
// and files it was written with, and the whole history alongside.
func testTimeTravel(e *env) {
	t := e.t
	_, s1 := e.do(e.cat, write{mode: inlet.ModeCreate, rows: idRows(1, 2)})
	time.Sleep(20 * time.Millisecond)
	wider := append(slices.Clone(people), inlet.Column{Name: "score", Type: inlet.TypeDouble})
	_, s2 := e.do(e.cat, write{mode: inlet.ModeAppend, cols: wider, rows: [][]any{{int64(3), "h3", 1.5}}})
	time.Sleep(20 * time.Millisecond)
	_, s3 := e.do(e.cat, write{mode: inlet.ModeOverwrite, cols: wider, rows: [][]any{{int64(10), "h10", 2.5}}})

	at := func(sel inlet.SnapshotSelector) *inlet.Table {
		t.Helper()
		tb, err := e.cat.TableAt(e.ctx, tenant, orders, sel)
		if err != nil {
			t.Fatalf("table at %+v: %v", sel, err)
		}
		return tb
	}
	tb := at(inlet.SnapshotSelector{ID: s1.ID})
	if tb.AsOf == nil || *tb.AsOf != s1.ID || tb.Rows != 2 || len(tb.Columns) != 2 || len(tb.Snapshots) != 3 || *tb.CurrentSnapshot != s3.ID || len(tb.DataFiles) != 1 {
		t.Errorf("at the first snapshot: as of %v, %d rows, %d columns, %d snapshots, current %v, files %v", tb.AsOf, tb.Rows, len(tb.Columns), len(tb.Snapshots), tb.CurrentSnapshot, tb.DataFiles)
	}
	var ids []int64
	for _, s := range tb.Snapshots {
		ids = append(ids, s.ID)
	}
	if !slices.Equal(ids, []int64{s1.ID, s2.ID, s3.ID}) {
		t.Errorf("history %v, want %d %d %d oldest first", ids, s1.ID, s2.ID, s3.ID)
	}
	if tb := at(inlet.SnapshotSelector{AsOf: s2.Time}); tb.AsOf == nil || *tb.AsOf != s2.ID || tb.Rows != 3 || len(tb.Columns) != 3 || len(tb.DataFiles) != 2 {
		t.Errorf("at the second snapshot's time: as of %v, %d rows, %d columns", tb.AsOf, tb.Rows, len(tb.Columns))
	}
	if tb := at(inlet.SnapshotSelector{AsOf: s2.Time.Add(time.Millisecond)}); tb.AsOf == nil || *tb.AsOf != s2.ID {
		t.Errorf("just after the second snapshot: as of %v, want %d", tb.AsOf, s2.ID)
	}
	if tb := at(inlet.SnapshotSelector{AsOf: time.Now().Add(time.Hour)}); tb.AsOf != nil || tb.Rows != 1 {
		t.Errorf("at a later time: as of %v, %d rows; want the current snapshot", tb.AsOf, tb.Rows)
	}
	if tb := at(inlet.SnapshotSelector{}); tb.AsOf != nil || tb.Rows != 1 {
		t.Errorf("now: as of %v, %d rows", tb.AsOf, tb.Rows)
	}
	_, err := e.cat.TableAt(e.ctx, tenant, orders, inlet.SnapshotSelector{AsOf: s1.Time.Add(-time.Second)})
	wantCode(t, "a time before the table", err, inlet.ENOTFOUND)
	_, err = e.cat.TableAt(e.ctx, tenant, orders, inlet.SnapshotSelector{ID: 12345})
	wantCode(t, "an unknown snapshot", err, inlet.ENOTFOUND)
	_, err = e.cat.ReadSnapshot(e.ctx, tenant, orders, inlet.SnapshotSelector{ID: 12345})
	wantCode(t, "reading an unknown snapshot", err, inlet.ENOTFOUND)

	rs, err := e.cat.ReadSnapshot(e.ctx, tenant, orders, inlet.SnapshotSelector{ID: s1.ID})
	if err != nil || rs.SnapshotID != s1.ID || len(rs.Files) != 1 || len(rs.Columns) != 2 {
		t.Errorf("read the first snapshot: %+v, %v", rs, err)
	}
	rs, err = e.cat.ReadSnapshot(e.ctx, tenant, orders, inlet.SnapshotSelector{AsOf: s2.Time})
	if err != nil || rs.SnapshotID != s2.ID || len(rs.Files) != 2 || len(rs.Columns) != 3 {
		t.Errorf("read at the second snapshot's time: %+v, %v", rs, err)
	}
	if cols, rows := e.rows(e.cat, tenant, orders, inlet.SnapshotSelector{ID: s1.ID}); len(cols) != 2 || !slices.Equal(rows, []string{"1,h1", "2,h2"}) {
		t.Errorf("sample of the first snapshot: %v %v", cols, rows)
	}
	if _, rows := e.rows(e.cat, tenant, orders, inlet.SnapshotSelector{ID: s2.ID}); !slices.Equal(rows, []string{"1,h1,NULL", "2,h2,NULL", "3,h3,1.5"}) {
		t.Errorf("sample of the second snapshot: %v", rows)
	}
	d, err := e.cat.Diff(e.ctx, tenant, orders, s1.ID, s2.ID)
	if err != nil || d.RowsBefore != 2 || d.RowsAfter != 3 || d.FilesAdded != 1 || len(d.ColumnsAdded) != 1 || d.ColumnsAdded[0].Name != "score" {
		t.Errorf("diff of the first two snapshots: %+v, %v", d, err)
	}
}

// Each snapshot records the lineage of the write that made it, readable
// from the table's history and by job.
func testLineage(e *env) {
	t := e.t
	var writes []write
	var plans []*inlet.WritePlan
	for i, mode := range []inlet.WriteMode{inlet.ModeCreate, inlet.ModeAppend, inlet.ModeOverwrite} {
		w := write{mode: mode, rows: idRows(int64(10*i), int64(10*i+i))}.withDefaults()
		wp, _ := e.do(e.cat, w)
		writes, plans = append(writes, w), append(plans, wp)
	}
	tb := e.table(e.Open(), tenant, orders)
	if len(tb.Snapshots) != 3 {
		t.Fatalf("%d snapshots, want 3", len(tb.Snapshots))
	}
	for i, s := range tb.Snapshots {
		want := lineageOf(plans[i], writes[i])
		got := s.Lineage
		if got == nil {
			t.Errorf("snapshot %d has no lineage", i)
			continue
		}
		if !got.Time.Equal(want.Time) {
			t.Errorf("snapshot %d: lineage time %s, want %s", i, got.Time, want.Time)
		}
		got.Time, want.Time = time.Time{}, time.Time{}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("snapshot %d: lineage\n%+v\nwant\n%+v", i, *got, want)
		}
		if i > 0 && (s.ParentID == nil || *s.ParentID != tb.Snapshots[i-1].ID) {
			t.Errorf("snapshot %d's parent %v, want %d", i, s.ParentID, tb.Snapshots[i-1].ID)
		}
		js, err := e.cat.JobSnapshot(e.ctx, tenant, orders, writes[i].job)
		if err != nil || js == nil || js.ID != s.ID {
			t.Errorf("snapshot of job %s: %+v, %v; want %d", writes[i].job, js, err, s.ID)
		}
	}
	if js, err := e.cat.JobSnapshot(e.ctx, tenant, orders, "job-never-run"); js != nil || err != nil {
		t.Errorf("snapshot of a job never run: %+v, %v", js, err)
	}
	if js, err := e.cat.JobSnapshot(e.ctx, tenant, inlet.TableRef{Database: "sales", Name: "none"}, writes[0].job); js != nil || err != nil {
		t.Errorf("job snapshot of a missing table: %+v, %v", js, err)
	}
}

// A rollback makes an earlier snapshot of the current history current
// again, keeping the later ones for time travel; it refuses what Iceberg
// cannot do right.
func testRollback(e *env) {
	t := e.t
	_, s1 := e.do(e.cat, write{mode: inlet.ModeCreate, rows: idRows(1, 2)})
	_, s2 := e.do(e.cat, write{mode: inlet.ModeAppend, rows: idRows(3, 3)})
	_, s3 := e.do(e.cat, write{mode: inlet.ModeAppend, rows: idRows(4, 4)})
	if err := e.cat.Rollback(e.ctx, tenant, orders, s2.ID); err != nil {
		t.Fatal(err)
	}
	other := e.Open()
	tb := e.table(other, tenant, orders)
	if *tb.CurrentSnapshot != s2.ID || tb.Rows != 3 || len(tb.Snapshots) != 3 {
		t.Errorf("after rollback: current %d, %d rows, %d snapshots; want %d, 3, 3", *tb.CurrentSnapshot, tb.Rows, len(tb.Snapshots), s2.ID)
	}
	if got := e.ids(other, tenant, orders); !slices.Equal(got, span(1, 3)) {
		t.Errorf("ids after rollback %v", got)
	}
	if _, rows := e.rows(other, tenant, orders, inlet.SnapshotSelector{ID: s3.ID}); len(rows) != 4 {
		t.Errorf("the rolled-back snapshot reads %v, want its 4 rows", rows)
	}
	wantCode(t, "a rollback to the current snapshot", e.cat.Rollback(e.ctx, tenant, orders, s2.ID), inlet.EINVALID)
	wantCode(t, "a rollback to an unknown snapshot", e.cat.Rollback(e.ctx, tenant, orders, 12345), inlet.ENOTFOUND)
	wantCode(t, "a rollback to a snapshot a rollback left out", e.cat.Rollback(e.ctx, tenant, orders, s3.ID), inlet.EINVALID)
	wantCode(t, "a rollback of a missing table", e.cat.Rollback(e.ctx, tenant, inlet.TableRef{Database: "sales", Name: "none"}, s1.ID), inlet.ENOTFOUND)

	_, s4 := e.do(other, write{mode: inlet.ModeAppend, rows: idRows(5, 5)})
	if s4.ParentID == nil || *s4.ParentID != s2.ID {
		t.Errorf("an append after rollback has parent %v, want %d", s4.ParentID, s2.ID)
	}
	if got := e.ids(e.cat, tenant, orders); !slices.Equal(got, []int64{1, 2, 3, 5}) {
		t.Errorf("ids %v", got)
	}
	if err := e.cat.Rollback(e.ctx, tenant, orders, s1.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.ids(e.cat, tenant, orders); !slices.Equal(got, span(1, 2)) {
		t.Errorf("ids after a second rollback %v", got)
	}

	// A column replaced since (an overwrite retyped it) would read the old
	// files wrong: refused.
	ref := inlet.TableRef{Database: "sales", Name: "retyped"}
	_, r1 := e.do(e.cat, write{ref: ref, mode: inlet.ModeCreate, rows: idRows(1, 1)})
	e.do(e.cat, write{ref: ref, mode: inlet.ModeOverwrite, cols: []inlet.Column{{Name: "id", Type: inlet.TypeString}, people[1]}, rows: [][]any{{"a", "b"}}})
	err := e.cat.Rollback(e.ctx, tenant, ref, r1.ID)
	wantCode(t, "a rollback past a retyped column", err, inlet.EINVALID)
	if !strings.Contains(inlet.ErrorMessage(err), "column id of sales.retyped was replaced") {
		t.Errorf("the refusal does not name the column: %v", err)
	}
}

// A drop removes the table and its files, and returns it as it was; a
// table of the same name made later starts afresh.
func testDrop(e *env) {
	t := e.t
	keep := inlet.TableRef{Database: "sales", Name: "keep"}
	e.do(e.cat, write{ref: keep, mode: inlet.ModeCreate, rows: idRows(1, 1)})
	wp, snap := e.do(e.cat, write{mode: inlet.ModeCreate, rows: idRows(1, 3)})
	files := e.table(e.cat, tenant, orders).DataFiles
	other := e.Open()
	e.table(other, tenant, orders) // another instance has it loaded
	was, err := e.cat.DropTable(e.ctx, tenant, orders)
	if err != nil {
		t.Fatal(err)
	}
	if was.Rows != 3 || len(was.Snapshots) != 1 || was.Snapshots[0].Lineage == nil || was.Snapshots[0].Lineage.JobID != snap.Lineage.JobID {
		t.Errorf("the dropped table as it was: %+v", was)
	}
	for _, cat := range []Catalog{e.cat, other} {
		_, err = cat.Table(e.ctx, tenant, orders)
		wantCode(t, "a dropped table", err, inlet.ENOTFOUND)
		_, err = cat.ReadSnapshot(e.ctx, tenant, orders, inlet.SnapshotSelector{})
		wantCode(t, "reading a dropped table", err, inlet.ENOTFOUND)
		sums, err := cat.Tables(e.ctx, tenant)
		if err != nil || len(sums) != 1 || sums[0].Ref != keep {
			t.Errorf("tables after a drop: %+v, %v; want only %s", sums, err, keep)
		}
	}
	for _, f := range files {
		if r, err := e.Lake.Open(e.ctx, f); err == nil {
			r.Close()
			t.Errorf("data file %s is still there after the drop", f)
		}
	}
	_, err = e.cat.DropTable(e.ctx, tenant, orders)
	wantCode(t, "dropping a dropped table", err, inlet.ENOTFOUND)

	wp2, _ := e.do(other, write{mode: inlet.ModeCreate, rows: idRows(7, 7)})
	if wp2.Location == wp.Location {
		t.Errorf("the new table reuses the dropped one's location %s", wp.Location)
	}
	if tb := e.table(e.cat, tenant, orders); tb.Rows != 1 || len(tb.Snapshots) != 1 {
		t.Errorf("the new table: %d rows, %d snapshots; want 1, 1", tb.Rows, len(tb.Snapshots))
	}
	if got := e.ids(e.cat, tenant, keep); !slices.Equal(got, []int64{1}) {
		t.Errorf("the other table's ids %v", got)
	}
}

// Abort removes what an uncommitted write left, never a committed one's.
func testAbort(e *env) {
	t := e.t
	gone := func(loc string) bool {
		r, err := e.Lake.Open(e.ctx, loc)
		if err == nil {
			r.Close()
		}
		return err != nil
	}
	w := write{mode: inlet.ModeCreate}.withDefaults()
	wp, err := e.plan(e.cat, w)
	if err != nil {
		t.Fatal(err)
	}
	f := e.dataFile(wp, 0, idRows(1, 1))
	if err := e.cat.Abort(e.ctx, wp); err != nil {
		t.Fatal(err)
	}
	if !gone(f.Location) {
		t.Errorf("an aborted create left %s", f.Location)
	}

	wp, _ = e.do(e.cat, write{mode: inlet.ModeCreate, rows: idRows(1, 2)})
	if err := e.cat.Abort(e.ctx, wp); err != nil {
		t.Fatal(err)
	}
	aw, _ := e.do(e.cat, write{mode: inlet.ModeAppend, rows: idRows(3, 3)})
	if err := e.cat.Abort(e.ctx, aw); err != nil {
		t.Fatal(err)
	}
	failed := write{mode: inlet.ModeAppend}.withDefaults()
	fp, err := e.plan(e.cat, failed)
	if err != nil {
		t.Fatal(err)
	}
	ff := e.dataFile(fp, 0, idRows(4, 4))
	if err := e.cat.Abort(e.ctx, fp); err != nil {
		t.Fatal(err)
	}
	if !gone(ff.Location) {
		t.Errorf("an aborted append left %s", ff.Location)
	}
	if got := e.ids(e.cat, tenant, orders); !slices.Equal(got, span(1, 3)) {
		t.Errorf("ids %v after aborting committed writes, want all of theirs", got)
	}
}

// Description, owner and expectations are table properties: no snapshot.
func testTableInfo(e *env) {
	t := e.t
	e.do(e.cat, write{mode: inlet.ModeCreate, rows: idRows(1, 1)})
	desc, owner := "Orders by day", "sales-team"
	if err := e.cat.SetTableInfo(e.ctx, tenant, orders, inlet.TableInfo{Description: &desc, Owner: &owner}); err != nil {
		t.Fatal(err)
	}
	tb := e.table(e.Open(), tenant, orders)
	if tb.Description != desc || tb.Owner != owner || len(tb.Snapshots) != 1 {
		t.Errorf("table info: %q %q, %d snapshots", tb.Description, tb.Owner, len(tb.Snapshots))
	}
	if sums, err := e.cat.Tables(e.ctx, tenant); err != nil || len(sums) != 1 || sums[0].Description != desc {
		t.Errorf("tables: %+v, %v", sums, err)
	}
	long := strings.Repeat("x", 2049)
	wantCode(t, "a description over Glue's limit", e.cat.SetTableInfo(e.ctx, tenant, orders, inlet.TableInfo{Description: &long}), inlet.EINVALID)
	wantCode(t, "info of a missing table", e.cat.SetTableInfo(e.ctx, tenant, inlet.TableRef{Database: "sales", Name: "none"}, inlet.TableInfo{Description: &desc}), inlet.ENOTFOUND)
}

// A tenant sees only its own tables, even one of the same name as
// another's; invalid tenant ids are refused.
func testTenantIsolation(e *env) {
	t := e.t
	const other = "globex"
	_, snap := e.do(e.cat, write{mode: inlet.ModeCreate, rows: idRows(1, 2)})
	job := snap.Lineage.JobID
	second := e.Open()
	for _, cat := range []Catalog{e.cat, second} {
		_, err := cat.Table(e.ctx, other, orders)
		wantCode(t, "another tenant's table", err, inlet.ENOTFOUND)
		_, err = cat.TableAt(e.ctx, other, orders, inlet.SnapshotSelector{ID: snap.ID})
		wantCode(t, "another tenant's table at a snapshot", err, inlet.ENOTFOUND)
		_, err = cat.ReadSnapshot(e.ctx, other, orders, inlet.SnapshotSelector{})
		wantCode(t, "reading another tenant's table", err, inlet.ENOTFOUND)
		_, err = cat.Sample(e.ctx, other, orders, inlet.SnapshotSelector{}, 10)
		wantCode(t, "a sample of another tenant's table", err, inlet.ENOTFOUND)
		wantCode(t, "scanning another tenant's table", cat.ScanKeys(e.ctx, other, orders, []string{"id"}, func([]byte) {}), inlet.ENOTFOUND)
		_, _, err = cat.IcebergMetadata(e.ctx, other, orders)
		wantCode(t, "another tenant's Iceberg metadata", err, inlet.ENOTFOUND)
		_, err = cat.Diff(e.ctx, other, orders, snap.ID, snap.ID)
		wantCode(t, "a diff of another tenant's table", err, inlet.ENOTFOUND)
		wantCode(t, "a rollback of another tenant's table", cat.Rollback(e.ctx, other, orders, snap.ID), inlet.ENOTFOUND)
		desc := "mine now"
		wantCode(t, "info of another tenant's table", cat.SetTableInfo(e.ctx, other, orders, inlet.TableInfo{Description: &desc}), inlet.ENOTFOUND)
		_, err = e.plan(cat, write{tenant: other, mode: inlet.ModeAppend})
		wantCode(t, "an append to another tenant's table", err, inlet.ENOTFOUND)
		if js, err := cat.JobSnapshot(e.ctx, other, orders, job); js != nil || err != nil {
			t.Errorf("another tenant's job snapshot: %+v, %v", js, err)
		}
		if sums, err := cat.Tables(e.ctx, other); err != nil || len(sums) != 0 {
			t.Errorf("another tenant lists %+v, %v", sums, err)
		}
	}
	_, err := e.cat.DropTable(e.ctx, other, orders)
	wantCode(t, "dropping another tenant's table", err, inlet.ENOTFOUND)

	wp, _ := e.do(second, write{tenant: other, mode: inlet.ModeCreate, rows: idRows(100, 100)})
	mine := e.table(e.cat, tenant, orders)
	if wp.Location == mine.Location || strings.HasPrefix(wp.Location, mine.Location) || strings.HasPrefix(mine.Location, wp.Location) {
		t.Errorf("the tenants' tables share a location: %s and %s", wp.Location, mine.Location)
	}
	if got := e.ids(e.cat, tenant, orders); !slices.Equal(got, span(1, 2)) {
		t.Errorf("%s's ids %v", tenant, got)
	}
	if got := e.ids(e.cat, other, orders); !slices.Equal(got, []int64{100}) {
		t.Errorf("%s's ids %v", other, got)
	}
	if _, err := e.cat.DropTable(e.ctx, other, orders); err != nil {
		t.Fatal(err)
	}
	if got := e.ids(second, tenant, orders); !slices.Equal(got, span(1, 2)) {
		t.Errorf("%s's ids after %s dropped its table of the same name: %v", tenant, other, got)
	}
	for _, bad := range []string{"", "../acme", "ACME", "a b", strings.Repeat("a", 200)} {
		if _, err := e.cat.Tables(e.ctx, bad); err == nil {
			t.Errorf("tenant %q was accepted", bad)
		}
		if _, err := e.plan(e.cat, write{tenant: bad, mode: inlet.ModeCreate}); err == nil && bad != "" {
			t.Errorf("a plan for tenant %q was accepted", bad)
		}
	}
}
