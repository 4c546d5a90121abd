package export

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/google/go-cmp/cmp"
	inlet "github.com/inlet-data/inlet"
)

// fakeRows is an inlet.ResultRows over rows in memory, reusing one slice
// for Values as the engine does.
type fakeRows struct {
	cols []inlet.ResultColumn
	data [][]any
	i    int
	vals []any
	err  error // returned by Err once the rows run out
}

func newRows(cols []inlet.ResultColumn, data [][]any) *fakeRows {
	return &fakeRows{cols: cols, data: data, vals: make([]any, len(cols))}
}

func (f *fakeRows) Columns() []inlet.ResultColumn { return f.cols }
func (f *fakeRows) Next() bool {
	if f.i >= len(f.data) {
		return false
	}
	copy(f.vals, f.data[f.i])
	f.i++
	return true
}
func (f *fakeRows) Values() []any { return f.vals }
func (f *fakeRows) Err() error {
	if f.i >= len(f.data) {
		return f.err
	}
	return nil
}
func (f *fakeRows) Close() error { return nil }

var sampleCols = []inlet.ResultColumn{
	{Name: "id", Type: inlet.TypeBigint}, {Name: "amount", Type: "decimal(20,2)"}, {Name: "score", Type: inlet.TypeDouble},
	{Name: "active", Type: inlet.TypeBoolean}, {Name: "day", Type: inlet.TypeDate}, {Name: "at", Type: inlet.TypeTimestamp},
	{Name: "name", Type: inlet.TypeString}, {Name: "note", Type: inlet.TypeString},
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sampleData has every type, NULLs, unicode, CSV's special characters,
// negative numbers, formula-looking and number-looking text.
func sampleData() [][]any {
	return [][]any{
		{int64(1), "12345678901234567.89", 3.25, true, day(1955, 3, 4), time.Date(2024, 2, 29, 13, 45, 1, 123456000, time.UTC), "山田 太郎", "plain"},
		{int64(-2), "-1234.50", -0.5, false, day(1969, 12, 31), time.Date(1960, 1, 2, 3, 4, 5, 0, time.UTC), "محمد علي", `say "hi", then; go|tab` + "\tend"},
		{nil, nil, nil, nil, nil, nil, nil, nil},
		{int64(4), "0.05", 1e300, true, day(2000, 1, 1), time.Date(2000, 1, 1, 0, 0, 0, 1000, time.UTC), "🎉 party", "line one\nline two\r\nline three"},
		{int64(5), "-0.01", -42.0, false, day(2024, 12, 31), time.Date(2024, 12, 31, 23, 59, 59, 999999000, time.UTC), "=1+2", "@SUM(A1)"},
		{int64(6), "7.00", 0.0, true, day(1970, 1, 1), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), "+cmd|' /C calc'!A0", "-2+3"},
		{int64(7), "1.00", 2.5, false, day(1990, 6, 15), time.Date(1990, 6, 15, 12, 0, 0, 0, time.UTC), "\tindented", "\rcarriage"},
		{int64(8), "2.00", 1.0, true, day(1991, 6, 15), time.Date(1991, 6, 15, 12, 0, 0, 0, time.UTC), "-42", "+3.5"},
		{int64(9), "3.00", 1.5, true, day(1992, 6, 15), time.Date(1992, 6, 15, 12, 0, 0, 0, time.UTC), "-0.5e3", ""},
		{int64(10), "4.00", 2.0, false, day(1899, 1, 1), time.Date(1899, 1, 1, 6, 0, 0, 0, time.UTC), " leading space", `\.`},
	}
}

// neutralised is what a text cell of sampleData reads back as from CSV
// and XLSX.
var neutralised = map[string]string{"=1+2": "'=1+2", "@SUM(A1)": "'@SUM(A1)", "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
	"-2+3": "'-2+3", "\tindented": "'\tindented", "\rcarriage": "'\rcarriage"}

// wantText is sampleData as DuckDB casts it to text; safe applies the
// formula neutralisation of CSV and XLSX.
func wantText(safe bool) [][]*string {
	var out [][]*string
	for _, r := range sampleData() {
		row := make([]*string, len(r))
		for i, v := range r {
			if v == nil {
				continue
			}
			var s string
			switch x := v.(type) {
			case int64:
				s = fmt.Sprint(x)
			case float64:
				s = strconv.FormatFloat(x, 'g', -1, 64)
				if !strings.ContainsAny(s, ".e") {
					s += ".0" // as DuckDB writes a whole double
				}
			case bool:
				s = fmt.Sprint(x)
			case time.Time:
				if sampleCols[i].Type == inlet.TypeDate {
					s = x.Format("2006-01-02")
				} else {
					s = x.Format("2006-01-02 15:04:05.999999")
				}
			case string:
				s = x
				if n, ok := neutralised[x]; ok && safe && sampleCols[i].Type == inlet.TypeString {
					s = n
				}
			}
			row[i] = &s
		}
		out = append(out, row)
	}
	return out
}

func openDuckDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// readText reads every column of sampleCols as text from a DuckDB source.
func readText(t *testing.T, db *sql.DB, from string) [][]*string {
	t.Helper()
	var sel []string
	for _, c := range sampleCols {
		sel = append(sel, fmt.Sprintf("%q::VARCHAR", c.Name))
	}
	rows, err := db.Query("SELECT " + strings.Join(sel, ", ") + " FROM " + from)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]*string
	for rows.Next() {
		vals := make([]sql.NullString, len(sampleCols))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]*string, len(vals))
		for i, v := range vals {
			if v.Valid {
				row[i] = &v.String
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// duckColumns is sampleCols as DuckDB's columns= option of read_csv and read_json.
func duckColumns() string {
	types := map[inlet.Type]string{inlet.TypeBigint: "BIGINT", "decimal(20,2)": "DECIMAL(20,2)", inlet.TypeDouble: "DOUBLE",
		inlet.TypeBoolean: "BOOLEAN", inlet.TypeDate: "DATE", inlet.TypeTimestamp: "TIMESTAMP", inlet.TypeString: "VARCHAR"}
	var kv []string
	for _, c := range sampleCols {
		kv = append(kv, fmt.Sprintf("'%s': '%s'", c.Name, types[c.Type]))
	}
	return "{" + strings.Join(kv, ", ") + "}"
}

func write(t *testing.T, opts Options, data [][]any) (string, []Part) {
	t.Helper()
	dir := t.TempDir()
	parts, err := Write(context.Background(), newRows(sampleCols, data), DirSink(dir), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	return dir, parts
}

func TestCSVReadsBackInDuckDB(t *testing.T) {
	for _, delim := range []byte{0, ',', ';', '\t', '|'} {
		for _, bom := range []bool{false, true} {
			t.Run(fmt.Sprintf("delim %q bom %v", delim, bom), func(t *testing.T) {
				dir, parts := write(t, Options{Format: CSV, Delimiter: delim, BOM: bom, BaseName: "x"}, sampleData())
				if len(parts) != 1 || parts[0].Name != "x.csv" || parts[0].Rows != 10 {
					t.Fatalf("parts: got %+v, want one x.csv of 10 rows", parts)
				}
				b, _ := os.ReadFile(filepath.Join(dir, "x.csv"))
				if int64(len(b)) != parts[0].Bytes {
					t.Errorf("bytes: got %d, want %d", parts[0].Bytes, len(b))
				}
				if got := bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")); got != bom {
					t.Errorf("BOM: got %v, want %v", got, bom)
				}
				if !bytes.HasSuffix(b, []byte("\r\n")) {
					t.Errorf("records end in %q, want CRLF", b[len(b)-2:])
				}
				d := delim
				if d == 0 {
					d = ','
				}
				from := fmt.Sprintf("read_csv('%s', header = true, delim = '%s', quote = '\"', escape = '\"', allow_quoted_nulls = false, columns = %s)",
					filepath.Join(dir, "x.csv"), string(d), duckColumns())
				if diff := cmp.Diff(wantText(true), readText(t, openDuckDB(t), from)); diff != "" {
					t.Errorf("read back (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestCSVText(t *testing.T) {
	cols := []inlet.ResultColumn{{Name: "n", Type: inlet.TypeBigint}, {Name: "s", Type: inlet.TypeString}, {Name: "d", Type: "decimal(5,2)"}}
	dir := t.TempDir()
	_, err := Write(context.Background(), newRows(cols, [][]any{{int64(-7), "-7", "-7.00"}, {nil, "", nil}, {int64(1), "=HYPERLINK(\"x\")", "1.50"}}),
		DirSink(dir), Options{Format: CSV, BaseName: "t"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "t.csv"))
	want := "n,s,d\r\n-7,-7,-7.00\r\n,\"\",\r\n1,\"'=HYPERLINK(\"\"x\"\")\",1.50\r\n"
	if string(b) != want {
		t.Errorf("got %q, want %q", b, want)
	}
}

// TestCSVQuotingIsEncodingCSVs checks the hand-written quoting against
// encoding/csv on fields without line breaks (which it rewrites).
func TestCSVQuotingIsEncodingCSVs(t *testing.T) {
	fields := []string{"a", "a b", " a", "\ta", "a,b", "a;b", "a|b", "a\tb", `a"b`, `"`, `\.`, "\u00a0x", "日本", "x "}
	for _, d := range []byte{',', ';', '\t', '|'} {
		c := &csvWriter{delim: d}
		for _, f := range fields {
			var buf bytes.Buffer
			w := csv.NewWriter(&buf)
			w.Comma = rune(d)
			w.Write([]string{f})
			w.Flush()
			want := strings.TrimSuffix(buf.String(), "\n")
			if got := string(c.appendField(nil, f)); got != want {
				t.Errorf("delim %q field %q: got %s, want %s", d, f, got, want)
			}
		}
	}
}

func TestParquetReadsBackInDuckDB(t *testing.T) {
	dir, parts := write(t, Options{Format: Parquet, BaseName: "x"}, sampleData())
	if len(parts) != 1 || parts[0].Name != "x.parquet" || parts[0].Rows != 10 {
		t.Fatalf("parts: got %+v", parts)
	}
	db := openDuckDB(t)
	from := fmt.Sprintf("read_parquet('%s')", filepath.Join(dir, "x.parquet"))
	if diff := cmp.Diff(wantText(false), readText(t, db, from)); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	rows, err := db.Query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + from + ")")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var n, typ string
		rows.Scan(&n, &typ)
		got = append(got, n+" "+typ)
	}
	want := []string{"id BIGINT", "amount DECIMAL(20,2)", "score DOUBLE", "active BOOLEAN", "day DATE", "at TIMESTAMP", "name VARCHAR", "note VARCHAR"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
	var codec string
	if err := db.QueryRow("SELECT DISTINCT compression FROM parquet_metadata('" + filepath.Join(dir, "x.parquet") + "')").Scan(&codec); err != nil {
		t.Fatal(err)
	}
	if codec != "ZSTD" {
		t.Errorf("compression: got %s, want ZSTD", codec)
	}
}

func TestJSONLReadsBackInDuckDB(t *testing.T) {
	dir, _ := write(t, Options{Format: JSONL, BaseName: "x"}, sampleData())
	path := filepath.Join(dir, "x.jsonl")
	from := fmt.Sprintf("read_json('%s', format = 'newline_delimited', columns = %s)", path, duckColumns())
	got := readText(t, openDuckDB(t), from)
	// DuckDB reads a JSON number through a double: the decimal beyond 15
	// digits is checked exactly below, with encoding/json's json.Number.
	want := wantText(false)
	want[0][1], got[0][1] = nil, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	b, _ := os.ReadFile(path)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	for i, r := range sampleData() {
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			t.Fatal(err)
		}
		if r[1] == nil {
			continue
		}
		if n, ok := obj["amount"].(json.Number); !ok || string(n) != r[1] {
			t.Errorf("line %d: amount %#v, want the JSON number %s", i+1, obj["amount"], r[1])
		}
	}
	first, _, _ := strings.Cut(string(b), "\n")
	want1 := `{"id":1,"amount":12345678901234567.89,"score":3.25,"active":true,"day":"1955-03-04","at":"2024-02-29T13:45:01.123456","name":"山田 太郎","note":"plain"}`
	if first != want1 {
		t.Errorf("first line: got %s, want %s", first, want1)
	}
	if !strings.Contains(string(b), `{"id":null,"amount":null,"score":null,"active":null,"day":null,"at":null,"name":null,"note":null}`) {
		t.Errorf("no line of NULLs in %s", b)
	}
}

// safeTextCases are SafeText's answers, which safeTextSQL must give too.
var safeTextCases = map[string]string{
	"=1+2": "'=1+2", "+cmd": "'+cmd", "-cmd": "'-cmd", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
	"-": "'-", "+": "'+", "-1+2": "'-1+2", "-Inf": "'-Inf", "-0x10": "'-0x10", "-1e": "'-1e", "- 1": "'- 1",
	"-42": "-42", "+3.5": "+3.5", "-0.5e3": "-0.5e3", "-.5": "-.5", "-5.": "-5.", "1e-3": "1e-3", "-1E+7": "-1E+7",
	"-1.2.3": "'-1.2.3", "-١٢": "'-١٢", "=山": "'=山", "@": "'@", "-.": "'-.", "+1e5x": "'+1e5x",
	"": "", "plain": "plain", "a=b": "a=b", "'already": "'already", "山田": "山田", " =x": " =x",
	// Dropped by readers before what follows: a NUL, and a byte order mark
	// (as a file's first header name).
	"\x00=1+1": "'\x00=1+1", "\x00\x00=HYPERLINK(A1)": "'\x00\x00=HYPERLINK(A1)", "\x00": "'\x00",
	"\uFEFF=1+1": "'\uFEFF=1+1", "\uFEFF": "'\uFEFF", "a\uFEFF=x": "a\uFEFF=x", "a\x00=x": "a\x00=x",
}

func TestSafeText(t *testing.T) {
	for in, want := range safeTextCases {
		if got := SafeText(in); got != want {
			t.Errorf("SafeText(%q): got %q, want %q", in, got, want)
		}
	}
}

// TestSafeTextSQL holds the engine's form of the rule to the Go one: a CSV
// the engine writes itself is neutralised exactly as one written here.
func TestSafeTextSQL(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cases := maps.Clone(safeTextCases)
	// Every first byte of ASCII, alone and followed by a letter, a digit or
	// enough to be stored out of line, and first characters past ASCII: the
	// byte-wise prefilter must let every risky value through to the exact test.
	for b := 1; b < 128; b++ {
		for _, rest := range []string{"", "x", "1", "12345678901234567890"} {
			in := string(rune(b)) + rest
			cases[in] = SafeText(in)
		}
	}
	for _, in := range []string{"é=x", "ÿ", "\u00a0=x", "\uff1d1", "\U0001F600=", "\u200b=x"} {
		cases[in] = SafeText(in)
	}
	// A template may give its text a collation, under which comparisons are
	// no longer byte-wise (th ignores - and @): the rule must not change.
	for _, value := range []string{"?::VARCHAR", "(?::VARCHAR COLLATE th)", "(?::VARCHAR COLLATE de)",
		"(?::VARCHAR COLLATE nocase)", "(?::VARCHAR COLLATE noaccent)", "(?::VARCHAR COLLATE nocase.noaccent)", "(?::VARCHAR COLLATE ja)"} {
		expr := strings.ReplaceAll(safeTextSQL, "{}", value)
		for in, want := range cases {
			args := make([]any, strings.Count(safeTextSQL, "{}"))
			for i := range args {
				args[i] = in
			}
			var got string
			if err := db.QueryRow("SELECT "+expr, args...).Scan(&got); err != nil {
				t.Fatalf("%s, %q: %v", value, in, err)
			}
			if got != want {
				t.Errorf("safeTextSQL(%s = %q): got %q, want %q", value, in, got, want)
			}
		}
	}
	var null sql.NullString
	if err := db.QueryRow("SELECT " + strings.ReplaceAll(safeTextSQL, "{}", "NULL::VARCHAR")).Scan(&null); err != nil || null.Valid {
		t.Errorf("NULL: got %v, %v; want NULL", null, err)
	}
}

func TestParts(t *testing.T) {
	for _, tc := range []struct {
		rows, partRows int
		want           []int64
	}{{10, 4, []int64{4, 4, 2}}, {8, 4, []int64{4, 4}}, {0, 4, []int64{0}}, {3, 0, []int64{3}}, {0, 0, []int64{0}}} {
		for _, f := range Formats {
			t.Run(fmt.Sprintf("%s %d by %d", f, tc.rows, tc.partRows), func(t *testing.T) {
				// Rows without the one of NULLs: a spreadsheet reader skips an
				// empty last row.
				sample := append(sampleData()[:2], sampleData()[3:]...)
				data := make([][]any, tc.rows)
				for i := range data {
					data[i] = sample[i%len(sample)]
				}
				dir, parts := write(t, Options{Format: f, PartRows: int64(tc.partRows), BaseName: "p"}, data)
				var got []int64
				for i, p := range parts {
					got = append(got, p.Rows)
					want := fmt.Sprintf("p-part-%04d.%s", i+1, f)
					if tc.partRows == 0 {
						want = "p." + string(f)
					}
					if p.Name != want {
						t.Errorf("part %d: got name %s, want %s", i, p.Name, want)
					}
					fi, err := os.Stat(filepath.Join(dir, p.Name))
					if err != nil || fi.Size() != p.Bytes || (p.Bytes == 0 && !(f == JSONL && p.Rows == 0)) {
						t.Errorf("part %s: %v, size on disk vs Bytes %d", p.Name, err, p.Bytes)
					}
					if n := countRows(t, filepath.Join(dir, p.Name), f); n != p.Rows {
						t.Errorf("part %s: the file has %d rows, the part says %d", p.Name, n, p.Rows)
					}
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("rows per part (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// countRows counts a file's rows with an independent reader.
func countRows(t *testing.T, path string, f Format) int64 {
	t.Helper()
	var from string
	switch f {
	case CSV:
		from = fmt.Sprintf("read_csv('%s', header = true, columns = %s)", path, duckColumns())
	case Parquet:
		from = fmt.Sprintf("read_parquet('%s')", path)
	case JSONL:
		from = fmt.Sprintf("read_json('%s', format = 'newline_delimited', columns = %s)", path, duckColumns())
	case XLSX:
		return int64(len(xlsxRows(t, path, "Sheet1")) - 1)
	}
	var n int64
	if err := openDuckDB(t).QueryRow("SELECT count(*) FROM " + from).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestZipStoresCompressedParts: Parquet (and XLSX) parts go into the zip
// stored, not deflated a second time, and come out as they went in.
func TestZipStoresCompressedParts(t *testing.T) {
	dir, parts := write(t, Options{Format: Parquet, PartRows: 4, BaseName: "p"}, sampleData())
	sink := DirSink(dir)
	zp, err := Zip(context.Background(), sink, "p.zip", parts, sink.Open)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(filepath.Join(dir, zp.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 3 {
		t.Fatalf("%d entries, want 3", len(zr.File))
	}
	for _, f := range zr.File {
		if f.Method != zip.Store {
			t.Errorf("%s: method %d, want store", f.Name, f.Method)
		}
		r, _ := f.Open()
		got, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := os.ReadFile(filepath.Join(dir, f.Name)); !bytes.Equal(got, want) {
			t.Errorf("%s: unzipped differs from the part", f.Name)
		}
	}
}

func TestZip(t *testing.T) {
	dir, parts := write(t, Options{Format: CSV, PartRows: 3, BaseName: "z"}, sampleData())
	sink := DirSink(dir)
	zp, err := Zip(context.Background(), sink, "z.zip", parts, sink.Open)
	if err != nil {
		t.Fatal(err)
	}
	if zp.Rows != 10 || zp.Name != "z.zip" {
		t.Errorf("zip part: got %+v, want z.zip of 10 rows", zp)
	}
	zr, err := zip.OpenReader(filepath.Join(dir, "z.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if fi, _ := os.Stat(filepath.Join(dir, "z.zip")); fi.Size() != zp.Bytes {
		t.Errorf("bytes: got %d, want %d", zp.Bytes, fi.Size())
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Method != zip.Deflate {
			t.Errorf("%s: method %d, want deflate", f.Name, f.Method)
		}
		r, _ := f.Open()
		got, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(filepath.Join(dir, f.Name))
		if !bytes.Equal(got, want) {
			t.Errorf("%s: unzipped differs from the part", f.Name)
		}
	}
	if diff := cmp.Diff([]string{"z-part-0001.csv", "z-part-0002.csv", "z-part-0003.csv", "z-part-0004.csv"}, names); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

func TestOptionErrors(t *testing.T) {
	for _, o := range []Options{{Format: "pdf"}, {Format: CSV, Delimiter: ':'}, {Format: CSV, BaseName: "../x"}, {Format: CSV, PartRows: -1}} {
		_, err := Write(context.Background(), newRows(sampleCols, nil), DirSink(t.TempDir()), o, nil)
		if inlet.ErrorCode(err) != inlet.EINVALID {
			t.Errorf("%+v: got %v, want EINVALID", o, err)
		}
	}
	if _, err := ParseFormat("PDF"); inlet.ErrorCode(err) != inlet.EINVALID || !strings.Contains(err.Error(), "csv, xlsx, parquet or jsonl") {
		t.Errorf("ParseFormat: got %v, want EINVALID naming the choices", err)
	}
	if f, err := ParseFormat(" Parquet "); err != nil || f != Parquet {
		t.Errorf("ParseFormat: got %v %v, want parquet", f, err)
	}
}

// TestFailures: a failure part-way returns the error and the parts to delete.
func TestFailures(t *testing.T) {
	boom := errors.New("boom")
	t.Run("rows error", func(t *testing.T) {
		r := newRows(sampleCols, sampleData())
		r.err = boom
		parts, err := Write(context.Background(), r, DirSink(t.TempDir()), Options{Format: Parquet, PartRows: 4}, nil)
		if !errors.Is(err, boom) || len(parts) != 3 {
			t.Errorf("got %v and %d parts, want boom and 3", err, len(parts))
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		parts, err := Write(ctx, newRows(sampleCols, sampleData()), DirSink(t.TempDir()), Options{Format: CSV}, nil)
		if !errors.Is(err, context.Canceled) || len(parts) != 1 {
			t.Errorf("got %v and %d parts, want context.Canceled and 1", err, len(parts))
		}
	})
	t.Run("sink error", func(t *testing.T) {
		parts, err := Write(context.Background(), newRows(sampleCols, sampleData()), failSink{boom}, Options{Format: JSONL}, nil)
		if !errors.Is(err, boom) || len(parts) != 1 {
			t.Errorf("got %v and %d parts, want boom and 1", err, len(parts))
		}
	})
}

type failSink struct{ err error }

func (s failSink) Create(ctx context.Context, name string) (io.WriteCloser, error) {
	return failWriter(s), nil
}

type failWriter failSink

func (w failWriter) Write(p []byte) (int, error) { return 0, w.err }
func (w failWriter) Close() error                { return nil }

// genRows makes n rows on the fly, as a big table's engine does.
type genRows struct {
	n, i int64
	vals []any
}

var genCols = []inlet.ResultColumn{{Name: "id", Type: inlet.TypeBigint}, {Name: "email", Type: inlet.TypeString}, {Name: "amount", Type: "decimal(18,2)"},
	{Name: "score", Type: inlet.TypeDouble}, {Name: "active", Type: inlet.TypeBoolean}, {Name: "day", Type: inlet.TypeDate}, {Name: "at", Type: inlet.TypeTimestamp}}

func (g *genRows) Columns() []inlet.ResultColumn { return genCols }
func (g *genRows) Next() bool {
	if g.i >= g.n {
		return false
	}
	g.i++
	i := g.i
	g.vals = append(g.vals[:0], i, fmt.Sprintf("user%d@example.com", i*7919%1000003), fmt.Sprintf("%d.%02d", i%100000-50000, i%100),
		float64(i%1000)/7, i%3 == 0, day(2000, 1, 1).AddDate(0, 0, int(i%9000)), time.UnixMicro(1.7e15+i*1234567).UTC())
	return true
}
func (g *genRows) Values() []any { return g.vals }
func (g *genRows) Err() error    { return nil }
func (g *genRows) Close() error  { return nil }

type countSink struct{}

func (countSink) Create(ctx context.Context, name string) (io.WriteCloser, error) {
	return nopCloser{io.Discard}, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// TestMemoryIsFlat writes 2,000,000 rows and checks the heap in use after
// a GC, sampled as the export goes, stays under a bound that has nothing
// to do with the row count.
func TestMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 2,000,000 rows")
	}
	const bound = 64 << 20
	for _, f := range []Format{CSV, Parquet} {
		t.Run(string(f), func(t *testing.T) {
			var peak uint64
			sample := func(Progress) {
				runtime.GC()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
			parts, err := Write(context.Background(), &genRows{n: 2_000_000}, countSink{}, Options{Format: f}, sample)
			if err != nil {
				t.Fatal(err)
			}
			if parts[0].Rows != 2_000_000 {
				t.Errorf("rows: got %d, want 2000000", parts[0].Rows)
			}
			t.Logf("%s: %d bytes, peak heap in use %.1f MB", f, parts[0].Bytes, float64(peak)/(1<<20))
			if peak > bound {
				t.Errorf("peak heap in use: got %.1f MB, want under %d MB", float64(peak)/(1<<20), bound>>20)
			}
		})
	}
}
