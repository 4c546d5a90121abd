package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

// rowsOf reads a table's current rows with DuckDB from the data files the
// catalog lists: the independent reader.
func rowsOf(t *testing.T, data, table, columns string) []string {
	t.Helper()
	tbl := describeTable(t, data, table)
	db := openDuckDB(t)
	rows, err := db.Query("SELECT concat_ws('|', " + columns + ") FROM read_parquet(" + parquetList(tbl.DataFiles) + ", union_by_name = true) ORDER BY ALL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// An upsert updates the rows whose key is in the file and inserts the
// others, in one snapshot; a key repeated in the file is refused with its
// lines; the history says how many rows each did.
func TestUpsert(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	a := writeFile(t, filepath.Join(dir, "a.csv"), "order,line,qty,status\n1,1,5,open\n1,2,3,open\n2,1,7,open\n3,1,1,closed\n")
	b := writeFile(t, filepath.Join(dir, "b.csv"), "order,line,qty,status\n1,2,4,shipped\n2,1,8,shipped\n4,1,2,open\n")
	if res, stderr := ingestJSON(t, data, a, "--table", "s.orders"); res == nil {
		t.Fatal(stderr)
	}
	if _, stderr, code := cli(t, data, "ingest", b, "--table", "s.orders", "--mode", "upsert"); code != exitUsage || !strings.Contains(stderr, "--key") {
		t.Errorf("upsert without a key: exit %d %q, want a usage error naming --key", code, stderr)
	}
	if _, stderr, code := cli(t, data, "ingest", b, "--table", "s.orders", "--mode", "upsert", "--key", "nope"); code == 0 || !strings.Contains(stderr, "merge key nope") {
		t.Errorf("upsert on a missing column: exit %d %q", code, stderr)
	}
	res, stderr := ingestJSON(t, data, b, "--table", "s.orders", "--mode", "upsert", "--key", "order,line")
	if res == nil {
		t.Fatal(stderr)
	}
	if res.Updated != 2 || res.Inserted != 1 {
		t.Errorf("upsert: updated %d, inserted %d; want 2 and 1", res.Updated, res.Inserted)
	}
	want := []string{"1|1|5|open", "1|2|4|shipped", "2|1|8|shipped", "3|1|1|closed", "4|1|2|open"}
	if got := rowsOf(t, data, "s.orders", `"order", line, qty, status`); !slices.Equal(got, want) {
		t.Errorf("rows after the upsert:\n%v\nwant\n%v", got, want)
	}
	tbl := describeTable(t, data, "s.orders")
	last := tbl.Snapshots[len(tbl.Snapshots)-1]
	if len(tbl.Snapshots) != 2 || last.Lineage == nil || last.Lineage.Mode != inlet.ModeUpsert || !slices.Equal(last.Lineage.Keys, []string{"order", "line"}) || last.Lineage.Updated != 2 {
		t.Errorf("history after the upsert: %+v", last.Lineage)
	}
	// The same (order, line) twice in one file: which would win?
	dup := writeFile(t, filepath.Join(dir, "dup.csv"), "order,line,qty,status\n5,1,1,open\n1,1,9,open\n1,1,8,open\n")
	if _, stderr, code := cli(t, data, "ingest", dup, "--table", "s.orders", "--mode", "upsert", "--key", "order,line"); code == 0 || !strings.Contains(stderr, "line 4 repeats line 3") {
		t.Errorf("duplicate keys: exit %d %q, want a refusal naming lines 3 and 4", code, stderr)
	}
	if n := len(describeTable(t, data, "s.orders").Snapshots); n != 2 {
		t.Errorf("%d snapshots after a refused upsert, want 2", n)
	}
	// Time travel still reads the rows before the upsert.
	first := tbl.Snapshots[0].ID
	old := describeTableAt(t, data, "s.orders", first)
	if old.AsOf == nil || *old.AsOf != first || old.Rows != 4 {
		t.Errorf("as of the first snapshot: as_of %v, %d rows; want %d, 4", old.AsOf, old.Rows, first)
	}
}

func describeTableAt(t *testing.T, data, table string, snapshot int64) *inlet.Table {
	t.Helper()
	out, stderr, code := cli(t, data, "table", table, "--json", "--snapshot", strconv.FormatInt(snapshot, 10))
	if code != 0 {
		t.Fatalf("inlet table --snapshot: exit %d: %s", code, stderr)
	}
	var tbl inlet.Table
	if err := json.Unmarshal([]byte(out), &tbl); err != nil {
		t.Fatal(err)
	}
	return &tbl
}

// Column profiles come with the table: counts for every column, values
// (min, max, top, histogram) never for personal data; an append merges
// them; time travel shows each snapshot's own.
func TestColumnProfiles(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	var b strings.Builder
	b.WriteString("id,email,country,amount,signup\n")
	for i := 1; i <= 200; i++ {
		amount := fmt.Sprintf("%d.%02d", i%50, i%100)
		if i%10 == 0 {
			amount = ""
		}
		fmt.Fprintf(&b, "%d,user%d@example.com,%s,%s,2024-%02d-%02d\n", i, i, []string{"DE", "FR", "JP"}[i%3], amount, 1+i%12, 1+i%28)
	}
	a := writeFile(t, filepath.Join(dir, "a.csv"), b.String())
	if res, stderr := ingestJSON(t, data, a, "--table", "s.p"); res == nil {
		t.Fatal(stderr)
	}
	tbl := describeTable(t, data, "s.p")
	prof := map[string]*inlet.ColumnProfile{}
	for _, c := range tbl.Columns {
		if c.Profile == nil {
			t.Fatalf("column %s has no profile", c.Name)
		}
		prof[c.Name] = c.Profile
	}
	if p := prof["email"]; p.Min != nil || p.Max != nil || len(p.Top) > 0 || len(p.Histogram) > 0 || p.Distinct < 195 || p.Distinct > 205 {
		t.Errorf("email (hashed) profile shows values or a wrong count: %+v", p)
	}
	if p := prof["amount"]; p.Nulls != 20 || p.Min == nil || *p.Min != "1.01" || *p.Max != "49.99" || len(p.Histogram) != 10 {
		t.Errorf("amount profile: %+v (min %v max %v)", p, deref(p.Min), deref(p.Max))
	} else {
		total := int64(0)
		for _, bin := range p.Histogram {
			total += bin.Count
		}
		if total != 180 {
			t.Errorf("amount histogram counts %d values, want 180", total)
		}
	}
	if p := prof["country"]; len(p.Top) != 3 || p.Top[0].Count+p.Top[1].Count+p.Top[2].Count != 200 || p.Distinct != 3 {
		t.Errorf("country top values: %+v", p.Top)
	}
	if p := prof["id"]; len(p.Top) != 0 || *p.Min != "1" || *p.Max != "200" {
		t.Errorf("id profile: %+v", p)
	}
	if p := prof["signup"]; *p.Min != "2024-01-01" || *p.Max != "2024-12-28" {
		t.Errorf("signup range %s..%s", *p.Min, *p.Max)
	}
	more := writeFile(t, filepath.Join(dir, "b.csv"), "id,email,country,amount,signup\n201,new@example.com,BR,99.50,2025-01-01\n")
	if res, stderr := ingestJSON(t, data, more, "--table", "s.p", "--mode", "append", "--type", "amount=decimal(4,2)"); res == nil {
		t.Fatal(stderr)
	}
	after := describeTable(t, data, "s.p")
	for _, c := range after.Columns {
		switch c.Name {
		case "amount":
			if *c.Profile.Max != "99.50" || c.Profile.Nulls != 20 {
				t.Errorf("amount after the append: %+v", c.Profile)
			}
		case "country":
			if len(c.Profile.Top) != 4 {
				t.Errorf("country after the append: %+v", c.Profile.Top)
			}
		}
	}
	then := describeTableAt(t, data, "s.p", tbl.Snapshots[0].ID)
	for _, c := range then.Columns {
		if c.Name == "amount" && *c.Profile.Max != "49.99" {
			t.Errorf("amount as of the first snapshot: max %s, want 49.99", *c.Profile.Max)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// An owner's expectations block a write that breaks them, naming every
// rule and the failing lines, and leave nothing behind; a write that meets
// them lands.
func TestExpectationsBlockBadAppends(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	a := writeFile(t, filepath.Join(dir, "a.csv"), "id,code,amount,status\n1,A1,10,open\n2,A2,20,closed\n3,A3,30,open\n")
	if res, stderr := ingestJSON(t, data, a, "--table", "s.e"); res == nil {
		t.Fatal(stderr)
	}
	if _, stderr, code := cli(t, data, "expect", "s.e", "--range", "nope=0..1"); code == 0 || !strings.Contains(stderr, "nope") {
		t.Errorf("expectation on a missing column: exit %d %q", code, stderr)
	}
	if _, stderr, code := cli(t, data, "expect", "s.e", "--not-null", "amount", "--unique", "code", "--range", "amount=0..100",
		"--allowed", "status=open|closed", "--row-count", "50"); code != 0 {
		t.Fatal(stderr)
	}
	before := lakeFiles(t, data)
	bad := writeFile(t, filepath.Join(dir, "bad.csv"), "id,code,amount,status\n4,A4,,open\n5,A1,500,open\n6,A6,40,pending\n7,A7,41,open\n")
	_, stderr, code := cli(t, data, "ingest", bad, "--table", "s.e", "--mode", "append")
	for _, want := range []string{"amount must not be NULL: 1 row (line 2)", "code must be unique: 1 row (line 3 repeats a value already in the table)",
		"amount must be between 0 and 100: 1 row (line 3)", "status must be one of 2 allowed values: 1 row (line 4)"} {
		if code == 0 || !strings.Contains(stderr, want) {
			t.Errorf("bad append: exit %d, stderr lacks %q:\n%s", code, want, stderr)
		}
	}
	if after := lakeFiles(t, data); !slices.Equal(before, after) {
		t.Errorf("a refused append left files: before %d, after %d", len(before), len(after))
	}
	big := writeFile(t, filepath.Join(dir, "big.csv"), "id,code,amount,status\n8,B1,1,open\n9,B2,1,open\n10,B3,1,open\n11,B4,1,open\n12,B5,1,open\n")
	if _, stderr, code := cli(t, data, "ingest", big, "--table", "s.e", "--mode", "append"); code == 0 || !strings.Contains(stderr, "66.7 % away from the last upload's 3") {
		t.Errorf("row count: exit %d %q", code, stderr)
	}
	dupInFile := writeFile(t, filepath.Join(dir, "dup.csv"), "id,code,amount,status\n13,C1,1,open\n14,C1,2,open\n")
	if _, stderr, code := cli(t, data, "ingest", dupInFile, "--table", "s.e", "--mode", "append"); code == 0 || !strings.Contains(stderr, "line 3 repeats line 2") {
		t.Errorf("duplicate in the file: exit %d %q", code, stderr)
	}
	good := writeFile(t, filepath.Join(dir, "good.csv"), "id,code,amount,status\n15,D1,1,open\n16,D2,2,closed\n")
	if res, stderr := ingestJSON(t, data, good, "--table", "s.e", "--mode", "append"); res == nil {
		t.Errorf("a good append was refused: %s", stderr)
	}
	// An upsert that rewrites a row may repeat that row's own unique value.
	fix := writeFile(t, filepath.Join(dir, "fix.csv"), "id,code,amount,status\n15,D1,3,closed\n")
	if res, stderr := ingestJSON(t, data, fix, "--table", "s.e", "--mode", "upsert", "--key", "id"); res == nil {
		t.Errorf("an upsert of a row with its own unique value was refused: %s", stderr)
	}
	if tbl := describeTable(t, data, "s.e"); len(tbl.Expectations) != 5 {
		t.Errorf("table lists %d expectations, want 5", len(tbl.Expectations))
	}
	if _, stderr, code := cli(t, data, "expect", "s.e", "--clear"); code != 0 {
		t.Fatal(stderr)
	}
	if _, stderr, code := cli(t, data, "ingest", bad, "--table", "s.e", "--mode", "append"); code != 0 {
		t.Errorf("after clearing the expectations the append is still refused: %s", stderr)
	}
}

// A diff between two snapshots names the rows, files and columns that changed.
func TestSnapshotDiff(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	a := writeFile(t, filepath.Join(dir, "a.csv"), "id,amount\n1,10\n2,3\n")
	b := writeFile(t, filepath.Join(dir, "b.csv"), "id,amount,region\n3,1,north\n4,2,south\n5,9,east\n")
	first, stderr := ingestJSON(t, data, a, "--table", "s.d")
	if first == nil {
		t.Fatal(stderr)
	}
	if res, stderr := ingestJSON(t, data, b, "--table", "s.d", "--mode", "append"); res == nil {
		t.Fatal(stderr)
	}
	out, stderr, code := cli(t, data, "diff", "s.d", strconv.FormatInt(first.SnapshotID, 10), "--json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var d inlet.SnapshotDiff
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.RowsBefore != 2 || d.RowsAfter != 5 || d.RowsInAddedFiles != 3 || d.RowsInRemovedFiles != 0 || d.FilesAdded != 1 ||
		len(d.ColumnsAdded) != 1 || d.ColumnsAdded[0].Name != "region" || len(d.Between) != 1 || d.Between[0].Lineage.SourceFile != "b.csv" {
		t.Errorf("diff: %+v", d)
	}
}

// Rows skipped at ingest are kept as a rejects file on the job: line,
// column, reason and the row with its PII actions applied, never raw.
func TestRejectsFile(t *testing.T) {
	dir := t.TempDir()
	url, token := startServer(t, filepath.Join(dir, "data"))
	c := setUp(t, url+"/api/v1", token)
	csv := "id,email,amount\n1,anna.k@example.com,10\n2,bruno@example.org,ten\n3,chen@example.cn,3\n4,dana@example.de\n5,emil@example.com,x5\n"
	var up struct{ Upload inlet.Upload }
	if code, b := c.upload("r.csv", []byte(csv), &up); code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, b)
	}
	var job inlet.Job
	if code, b := c.do(http.MethodPost, "/uploads/"+up.Upload.ID+"/ingest", map[string]any{"table": map[string]string{"database": "d", "name": "r"},
		"on_error": "skip", "columns": []map[string]string{{"source": "amount", "type": "bigint"}}}, &job); code >= 300 {
		t.Fatalf("ingest: %d %s", code, b)
	}
	done := waitJob(t, c, job.ID)
	var res inlet.IngestResult
	if err := json.Unmarshal(done.Result, &res); err != nil || !res.RejectsFile || res.SkippedRows != 3 {
		t.Fatalf("job: %s (%v)", done.Result, err)
	}
	code, body := c.do(http.MethodGet, "/jobs/"+job.ID+"/rejects", nil, nil)
	if code != http.StatusOK {
		t.Fatalf("rejects: %d %s", code, body)
	}
	got := string(body)
	for _, raw := range []string{"bruno@example.org", "emil@example.com", "dana@example.de"} {
		if strings.Contains(got, raw) {
			t.Errorf("rejects file holds raw PII %q:\n%s", raw, got)
		}
	}
	lines := strings.Split(strings.TrimSpace(got), "\n")
	slices.Sort(lines[1:]) // workers write them as they meet them
	if len(lines) != 4 || lines[0] != "line,column,reason,id,email,amount" || !strings.HasPrefix(lines[1], "3,amount,value is not a valid bigint,2,") ||
		!strings.HasSuffix(lines[1], ",ten") || lines[2] != `5,,"expected 3 fields, found 2"` || !strings.HasPrefix(lines[3], "6,amount,") {
		t.Fatalf("rejects file:\n%s", got)
	}
	hasher := tenantHasher(t, filepath.Join(dir, "data"))
	if want := string(hasher.HashIn(inlet.EntityEmail, []byte("bruno@example.org"), "")); !strings.Contains(lines[1], want) {
		t.Errorf("rejected row's email is not the table's hash %s: %s", want, lines[1])
	}
	if code, _ := c.do(http.MethodGet, "/jobs/job-nope/rejects", nil, nil); code != http.StatusNotFound {
		t.Errorf("rejects of a missing job: %d", code)
	}
}
