package query

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/google/go-cmp/cmp"
	inlet "github.com/inlet-data/inlet"
)

var now = time.Date(2026, 3, 18, 15, 4, 5, 0, time.UTC) // a Wednesday

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

var params = []Param{
	{Name: "period", Type: ParamDateRange, Default: "last_7_days"},
	{Name: "regions", Type: ParamMulti, Choices: []string{"north", "south", "east", "west"}},
	{Name: "min_amount", Type: ParamNumber},
	{Name: "search", Type: ParamText},
	{Name: "active", Type: ParamBoolean},
	{Name: "segment", Type: ParamChoice, Choices: []string{"smb", "enterprise"}},
	{Name: "since", Type: ParamDate},
}

const tmpl = `SELECT region, sum(amount) AS total -- by region
FROM sales.orders
WHERE order_date >= {{period.start}} AND order_date < {{period.end}}
[[AND region IN ({{regions}})]]
[[AND amount >= {{min_amount}}]]
[[AND note ILIKE '%' || {{search}} || '%']]
[[AND active = {{active}}]] [[AND segment = {{segment}}]] [[AND order_date >= {{since}}]]
GROUP BY region`

func TestRender(t *testing.T) {
	tests := []struct {
		name   string
		values map[string][]string
		sql    []string // fragments the SQL must contain
		absent []string // fragments it must not
		args   []any
	}{
		{"defaults only", nil, []string{"order_date >= ? AND order_date < ?"}, []string{"region IN", "amount >=", "ILIKE"},
			[]any{day("2026-03-12"), day("2026-03-19")}},
		{"every parameter", map[string][]string{"period": {"2026-01-01", "2026-01-31"}, "regions": {"north", "south", "north"},
			"min_amount": {"10.5"}, "search": {"vip"}, "active": {"true"}, "segment": {"smb"}, "since": {"2026-01-15"}},
			[]string{"region IN (?, ?)", "amount >= ?", "ILIKE '%' || ? || '%'", "active = ?", "segment = ?"}, nil,
			[]any{day("2026-01-01"), day("2026-02-01"), "north", "south", 10.5, "vip", true, "smb", day("2026-01-15")}},
		{"preset", map[string][]string{"period": {"this_month"}}, nil, nil, []any{day("2026-03-01"), day("2026-04-01")}},
		{"blank values vanish", map[string][]string{"regions": {"", " "}, "search": {""}}, nil, []string{"region IN", "ILIKE"},
			[]any{day("2026-03-12"), day("2026-03-19")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Render(tmpl, params, tt.values, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.sql {
				if !strings.Contains(r.SQL, f) {
					t.Errorf("SQL lacks %q:\n%s", f, r.SQL)
				}
			}
			for _, f := range tt.absent {
				if strings.Contains(r.SQL, f) {
					t.Errorf("SQL has %q:\n%s", f, r.SQL)
				}
			}
			if diff := cmp.Diff(tt.args, r.Args); diff != "" {
				t.Errorf("args (-want +got):\n%s", diff)
			}
			if strings.Count(r.SQL, "?") != len(r.Args) {
				t.Errorf("%d placeholders, %d args", strings.Count(r.SQL, "?"), len(r.Args))
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name, src string
		values    map[string][]string
		want      string
	}{
		{"undeclared", "SELECT {{nope}}", nil, "declares no parameter"},
		{"bare missing value", "SELECT * FROM t WHERE a = {{search}}", nil, "no value for {{search}}"},
		{"inside a string", "SELECT '{{search}}'", map[string][]string{"search": {"x"}}, "inside a quoted string"},
		{"bad number", "SELECT {{min_amount}}", map[string][]string{"min_amount": {"1; DROP TABLE t"}}, "is not a number"},
		{"bad date", "SELECT {{since}}", map[string][]string{"since": {"2026-13-40"}}, "not a date"},
		{"bad choice", "SELECT {{segment}}", map[string][]string{"segment": {"x' OR '1'='1"}}, "not one of the choices"},
		{"bad multi", "SELECT {{regions}}", map[string][]string{"regions": {"north", "'); DROP TABLE t; --"}}, "not one of the choices"},
		{"bad range", "SELECT {{period.start}}", map[string][]string{"period": {"2026-02-01", "2026-01-01"}}, "end is before the start"},
		{"bad preset", "SELECT {{period.start}}", map[string][]string{"period": {"last_century"}}, "neither START,END nor a preset"},
		{"unclosed clause", "SELECT 1 [[ AND {{search}}", nil, "unclosed [["},
		{"bad name", "SELECT {{a b}}", nil, "invalid parameter name"},
		{"bare date range", "SELECT *\nFROM t WHERE day = {{period}}", nil, "line 2, column 20: {{period}} is a date range, which is two values: write {{period.start}}"},
		{"start of a date", "SELECT {{since.start}}", nil, "line 1, column 8: {{since.start}}: only a date range has .start and .end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Render(tt.src, params, tt.values, now)
			if err == nil || inlet.ErrorCode(err) != inlet.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

// Injection attempts through every parameter type: the value is bound as
// data, so it never appears in the SQL text, and the query means what the
// template says. Checked by running it in DuckDB.
func TestInjectionAttemptsAreBound(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (name VARCHAR, region VARCHAR, amount DOUBLE); INSERT INTO t VALUES ('alice','north',10), ('bob','south',20)`); err != nil {
		t.Fatal(err)
	}
	free := []Param{{Name: "search", Type: ParamText}, {Name: "regions", Type: ParamMulti}, {Name: "choice", Type: ParamChoice}}
	attacks := []string{
		"' OR '1'='1",
		"'; DROP TABLE t; --",
		"bob' UNION SELECT name, region, amount FROM t --",
		"\\'; DELETE FROM t; --",
		"$$ OR 1=1 $$",
		"x'); COPY t TO '/tmp/out.csv'; --",
		"{{search}}",
		"]] OR 1=1 [[",
	}
	for _, a := range attacks {
		for _, p := range []string{"search", "regions", "choice"} {
			src := map[string]string{
				"search":  "SELECT count(*) FROM t WHERE name = {{search}}",
				"regions": "SELECT count(*) FROM t WHERE region IN ({{regions}})",
				"choice":  "SELECT count(*) FROM t WHERE name = {{choice}}",
			}[p]
			r, err := Render(src, free, map[string][]string{p: {a}}, now)
			if err != nil {
				t.Fatalf("%s %q: %v", p, a, err)
			}
			if strings.Contains(r.SQL, strings.TrimSpace(a)) && strings.TrimSpace(a) != "{{search}}" {
				t.Fatalf("%s: the value %q reached the SQL text: %s", p, a, r.SQL)
			}
			var n int
			if err := db.QueryRow(r.SQL, r.Args...).Scan(&n); err != nil {
				t.Fatalf("%s %q: %v", p, a, err)
			}
			if n != 0 {
				t.Errorf("%s %q matched %d rows, want 0", p, a, n)
			}
		}
	}
	var rows int
	db.QueryRow("SELECT count(*) FROM t").Scan(&rows)
	if rows != 2 {
		t.Errorf("table has %d rows after the attacks, want 2", rows)
	}
	// Typed parameters refuse what is not their type before any SQL runs.
	for _, p := range []Param{{Name: "n", Type: ParamNumber}, {Name: "d", Type: ParamDate}, {Name: "b", Type: ParamBoolean}, {Name: "r", Type: ParamDateRange}} {
		ref := p.Name
		if p.Type == ParamDateRange {
			ref += ".start"
		}
		if _, err := Render("SELECT {{"+ref+"}}", []Param{p}, map[string][]string{p.Name: {"1 OR 1=1"}}, now); inlet.ErrorCode(err) != inlet.EINVALID {
			t.Errorf("%s accepted an injection: %v", p.Type, err)
		}
	}
}

// The rendered SQL runs as the template means it, in DuckDB.
func TestRenderedRunsInDuckDB(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Exec(`CREATE SCHEMA sales; CREATE TABLE sales.orders (region VARCHAR, amount DOUBLE, order_date DATE, note VARCHAR, active BOOLEAN, segment VARCHAR);
		INSERT INTO sales.orders VALUES ('north', 5, DATE '2026-03-15', 'vip customer', true, 'smb'), ('south', 50, DATE '2026-03-16', 'x', false, 'smb'),
		('north', 20, DATE '2026-01-10', 'vip', true, 'enterprise')`)
	r, err := Render(tmpl, params, map[string][]string{"regions": {"north", "south"}, "min_amount": {"4"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(r.SQL, r.Args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, r.SQL)
	}
	defer rows.Close()
	got := map[string]float64{}
	for rows.Next() {
		var region string
		var total float64
		rows.Scan(&region, &total)
		got[region] = total
	}
	if diff := cmp.Diff(map[string]float64{"north": 5, "south": 50}, got); diff != "" {
		t.Errorf("totals in the last 7 days (-want +got):\n%s", diff)
	}
}

// FuzzRender: any template and value either renders with as many
// placeholders as arguments, no value in the SQL text, or fails with EINVALID.
func FuzzRender(f *testing.F) {
	f.Add(tmpl, "vip")
	f.Add("SELECT {{search}} [[ AND x = {{search}} ]]", "' OR 1=1 --")
	f.Add("SELECT '{{x}}' -- {{y}}", "")
	f.Fuzz(func(t *testing.T, src, value string) {
		ps := []Param{{Name: "search", Type: ParamText}, {Name: "regions", Type: ParamMulti}}
		r, err := Render(src, ps, map[string][]string{"search": {value}, "regions": {value, "b"}}, now)
		if err != nil {
			if inlet.ErrorCode(err) != inlet.EINVALID {
				t.Fatalf("non-EINVALID error %v", err)
			}
			return
		}
		if got := len(r.Args); got != strings.Count(placeholderView(r.SQL), "?")-strings.Count(placeholderView(src), "?") {
			t.Fatalf("%d args for the placeholders of %q", got, r.SQL)
		}
	})
}

// placeholderView blanks quoted strings and comments, where a ? is text.
func placeholderView(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\'' || s[i] == '"':
			end := quoted(s, i)
			if end < 0 {
				return b.String()
			}
			i = end
		case strings.HasPrefix(s[i:], "--"):
			end := strings.IndexByte(s[i:], '\n')
			if end < 0 {
				return b.String()
			}
			i += end
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			i += end + 4
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// A bare date range is refused when the template is saved, on its
// parameter, with where the SQL uses it.
func TestCheckBareDateRange(t *testing.T) {
	err := Check("SELECT *\nFROM t\nWHERE day BETWEEN {{ period }} AND now()", params)
	var e *inlet.Error
	if !errors.As(err, &e) || e.Code != inlet.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	if want := "line 3, column 19: {{period}} is a date range"; !strings.HasPrefix(e.Message, want) {
		t.Errorf("got %q, want it to start with %q", e.Message, want)
	}
	if !strings.Contains(e.Fields["period"], "{{period.end}}") {
		t.Errorf("got fields %v, want period to explain .start and .end", e.Fields)
	}
}

// Locate turns a position in the rendered SQL, where references became
// placeholders and dropped clauses vanished, into the template's.
func TestLocate(t *testing.T) {
	src := "SELECT region\nFROM sales.orders\nWHERE day >= {{period.start}} [[AND region IN ({{regions}})]] AND day < {{period.end}} oops\nGROUP BY 1"
	r, err := Render(src, params, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	// The rendered third line is "WHERE day >= ?  AND day < ? oops".
	off := strings.Index(r.SQL, "oops")
	line, col := position(r.SQL, off)
	got := r.Locate(inlet.Errorf(inlet.EINVALID, "line %d, column %d: syntax error at or near \"oops\"", line, col))
	wantLine, wantCol := position(src, strings.Index(src, "oops"))
	want := fmt.Sprintf("line %d, column %d: syntax error at or near \"oops\"", wantLine, wantCol)
	if inlet.ErrorMessage(got) != want || inlet.ErrorCode(got) != inlet.EINVALID {
		t.Errorf("got %v, want EINVALID %q", got, want)
	}
	// At a placeholder, the position is the reference's.
	line, col = position(r.SQL, strings.Index(r.SQL, "?"))
	got = r.Locate(inlet.Errorf(inlet.EFORBIDDEN, "line %d, column %d: no", line, col))
	if want := "line 3, column 14: no"; inlet.ErrorMessage(got) != want {
		t.Errorf("got %q, want %q", inlet.ErrorMessage(got), want)
	}
	// An error without a position passes unchanged.
	plain := inlet.Errorf(inlet.EINVALID, "the query is empty")
	if got := r.Locate(plain); got != error(plain) {
		t.Errorf("got %v, want %v", got, plain)
	}
}
