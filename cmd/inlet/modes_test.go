package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

func writeFile(t *testing.T, path, body string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func ingestJSON(t *testing.T, data string, args ...string) (*inlet.IngestResult, string) {
	t.Helper()
	out, stderr, code := cli(t, data, append([]string{"ingest", "--json"}, args...)...)
	if code != 0 {
		return nil, stderr
	}
	var res inlet.IngestResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("ingest output %q: %v", out, err)
	}
	return &res, stderr
}

func countRows(t *testing.T, data, table string) (int64, []string) {
	tbl := describeTable(t, data, table)
	db := openDuckDB(t)
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM read_parquet(" + parquetList(tbl.DataFiles) + ", union_by_name = true)").Scan(&n); err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, c := range tbl.Columns {
		cols = append(cols, c.Name+":"+string(c.Type))
	}
	return n, cols
}

func TestWriteModes(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	a := writeFile(t, filepath.Join(dir, "a.csv"), "id,amount\n1,10.5\n2,3\n")
	b := writeFile(t, filepath.Join(dir, "b.csv"), "id,amount,region\n3,1.25,north\n")
	c := writeFile(t, filepath.Join(dir, "c.csv"), "id,amount\nx1,7\n")

	if _, stderr := ingestJSON(t, data, a, "--table", "s.t"); stderr != "" && !strings.Contains(stderr, "ingest done") {
		t.Fatalf("create: %s", stderr)
	}
	if _, stderr := ingestJSON(t, data, a, "--table", "s.t"); !strings.Contains(stderr, "table s.t already exists") {
		t.Errorf("second create: got %q, want a conflict", stderr)
	}
	if _, stderr := ingestJSON(t, data, a, "--table", "s.missing", "--mode", "append"); !strings.Contains(stderr, "table s.missing does not exist") {
		t.Errorf("append to missing: got %q", stderr)
	}
	// Append with a new column: the schema grows, old rows read NULL.
	if res, stderr := ingestJSON(t, data, b, "--table", "s.t", "--mode", "append"); res == nil {
		t.Fatalf("append: %s", stderr)
	}
	n, cols := countRows(t, data, "s.t")
	if n != 3 || strings.Join(cols, ",") != "id:bigint,amount:decimal(18,2),region:string" {
		t.Errorf("after append: %d rows, columns %v", n, cols)
	}
	// An append whose types do not fit the table is refused, naming the column.
	if _, stderr := ingestJSON(t, data, c, "--table", "s.t", "--mode", "append"); !strings.Contains(stderr, "id is bigint in the table but string in the file") {
		t.Errorf("incompatible append: got %q", stderr)
	}
	// Overwrite replaces every row, in one snapshot.
	if res, stderr := ingestJSON(t, data, c, "--table", "s.t", "--mode", "overwrite"); res == nil {
		t.Fatalf("overwrite: %s", stderr)
	}
	n, cols = countRows(t, data, "s.t")
	if n != 1 || !strings.Contains(strings.Join(cols, ","), "id:string") {
		t.Errorf("after overwrite: %d rows, columns %v", n, cols)
	}
	tbl := describeTable(t, data, "s.t")
	var ops []string
	for _, s := range tbl.Snapshots {
		ops = append(ops, s.Operation+":"+string(s.Lineage.Mode))
	}
	if got := strings.Join(ops, ","); got != "append:create,append:append,overwrite:overwrite" {
		t.Errorf("snapshots: got %s", got)
	}
}

// A sample that misleads inference: the value that does not fit comes after
// the sampled rows. The column is widened and every row is kept.
func TestWidenPastSample(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	var b strings.Builder
	b.WriteString("n,code\n")
	for i := 0; i < 15000; i++ {
		fmt.Fprintf(&b, "%d,%d\n", i, i)
	}
	b.WriteString("1.5,ABC\n")
	src := writeFile(t, filepath.Join(dir, "late.csv"), b.String())
	res, stderr := ingestJSON(t, data, src, "--table", "s.late")
	if res == nil {
		t.Fatalf("ingest: %s", stderr)
	}
	if res.Rows != 15001 || len(res.Widened) != 2 {
		t.Errorf("got %d rows, widened %v; want 15001 rows and both columns widened", res.Rows, res.Widened)
	}
	_, cols := countRows(t, data, "s.late")
	if got := strings.Join(cols, ","); got != "n:decimal(18,2),code:string" {
		t.Errorf("columns: got %s", got)
	}

	// With on-error=skip the row is dropped and reported, by line and column.
	res, stderr = ingestJSON(t, data, src, "--table", "s.skipped", "--on-error", "skip", "--type", "n=bigint")
	if res == nil {
		t.Fatalf("ingest skip: %s", stderr)
	}
	if res.Rows != 15000 || res.SkippedRows != 1 || len(res.RowErrors) != 1 || res.RowErrors[0].Line != 15002 || res.RowErrors[0].Column != "n" {
		t.Errorf("skip: got %+v", res)
	}
	// With on-error=fail the first bad value stops the ingest.
	if _, stderr = ingestJSON(t, data, src, "--table", "s.failed", "--on-error", "fail"); !strings.Contains(stderr, "late.csv: line 15002, column 1 (n): value is not a valid bigint") {
		t.Errorf("fail: got %q", stderr)
	}
	if files := lakeFiles(t, data); strings.Contains(strings.Join(files, " "), "failed") {
		t.Errorf("files left by the failed ingest: %v", files)
	}
}

func TestColumnChoices(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := writeFile(t, filepath.Join(dir, "c.csv"), "Email,Phone,Name,Zip\nann@example.com,+1 415 555 0101,Ann Lee,02134\nbo@example.com,+1 415 555 0102,Bo Chan,10001\n")
	res, stderr := ingestJSON(t, data, src, "--table", "s.choices", "--pii", "Email=mask", "--pii", "Phone=drop",
		"--pii", "Name=keep", "--reason", "Name=display in reports", "--rename", "Zip=postal_code", "--type", "Zip=string")
	if res == nil {
		t.Fatalf("ingest: %s", stderr)
	}
	tbl := describeTable(t, data, "s.choices")
	var got []string
	for _, c := range tbl.Columns {
		s := c.Name + ":" + string(c.Type)
		if c.PII != nil {
			s += ":" + string(c.PII.Entity) + "/" + string(c.PII.Action)
		}
		got = append(got, s)
	}
	if want := "email:string:email/mask,name:string:person_name/keep,postal_code:string"; strings.Join(got, ",") != want {
		t.Errorf("columns: got %s, want %s", strings.Join(got, ","), want)
	}
	db := openDuckDB(t)
	var email, name, zip string
	if err := db.QueryRow("SELECT email, name, postal_code FROM read_parquet("+parquetList(tbl.DataFiles)+") ORDER BY postal_code LIMIT 1").Scan(&email, &name, &zip); err != nil {
		t.Fatal(err)
	}
	if email != "a***@e***.com" || name != "Ann Lee" || zip != "02134" {
		t.Errorf("got %q %q %q", email, name, zip)
	}
	lin := tbl.Snapshots[0].Lineage
	decisions := map[string]string{}
	for _, d := range lin.PII {
		decisions[d.Column] = string(d.Action) + ":" + d.Reason
	}
	if decisions["name"] != "keep:display in reports" || decisions["phone"] != "drop:" || decisions["email"] != "mask:" {
		t.Errorf("lineage decisions: %v", decisions)
	}
}

// A gzipped CSV ingests like the CSV; the lineage checksum is the file's
// as uploaded (compressed), taken while it was read.
func TestIngestGzip(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := filepath.Join(dir, "customers.csv")
	ps := people(3000)
	writeCustomersCSV(t, src, ps)
	raw, _ := os.ReadFile(src)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(raw)
	w.Close()
	gzPath := writeFile(t, filepath.Join(dir, "customers.csv.gz"), gz.String())
	if res, stderr := ingestJSON(t, data, gzPath, "--table", "s.gz"); res == nil || res.Rows != int64(len(ps)) {
		t.Fatalf("ingest: %+v %s", res, stderr)
	}
	n, _ := countRows(t, data, "s.gz")
	sum := sha256.Sum256(gz.Bytes())
	if lin := describeTable(t, data, "s.gz").Snapshots[0].Lineage; n != int64(len(ps)) || lin.SourceSHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("rows %d, sha256 %s; want %d and the .gz file's", n, lin.SourceSHA256, len(ps))
	}
}

// With on-error=skip a ragged row is skipped and listed; the rest lands.
func TestSkipRaggedRows(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := writeFile(t, filepath.Join(dir, "ragged.csv"), "id,name\n1,a\n2\n3,c,extra\n4,d\n")
	res, stderr := ingestJSON(t, data, src, "--table", "s.ragged", "--on-error", "skip")
	if res == nil {
		t.Fatalf("ingest: %s", stderr)
	}
	if res.Rows != 2 || res.SkippedRows != 2 || len(res.RowErrors) != 2 || res.RowErrors[0].Line != 3 || res.RowErrors[1].Line != 4 {
		t.Errorf("got %+v", res)
	}
}
