package duckdb

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	_ "github.com/duckdb/duckdb-go/v2"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query"
)

// lake is a SnapshotReader over one Parquet file per table, written by
// DuckDB under ROOT/TENANT/.
type lake struct {
	root   string
	tables map[string]*inlet.TableSnapshot // "tenant/db.table"
}

func newLake(t *testing.T, tables map[string]string) *lake {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	l := &lake{root: t.TempDir(), tables: map[string]*inlet.TableSnapshot{}}
	for key, src := range tables {
		tenant, name, _ := strings.Cut(key, "/")
		ref, err := inlet.ParseTableRef(name)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(l.root, tenant, ref.Database+".db")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, ref.Name+".parquet")
		if _, err := db.Exec(fmt.Sprintf("COPY (%s) TO '%s' (FORMAT parquet)", src, path)); err != nil {
			t.Fatalf("write %s: %v", key, err)
		}
		var cols []inlet.Column
		rows, err := db.Query(fmt.Sprintf("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '%s')", path))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n, ty string
			rows.Scan(&n, &ty)
			cols = append(cols, inlet.Column{Name: n, Type: neutralType(ty)})
		}
		rows.Close()
		l.tables[key] = &inlet.TableSnapshot{Ref: ref, SnapshotID: 1, Columns: cols, Files: []string{"file://" + path}}
	}
	return l
}

func (l *lake) Tables(ctx context.Context, tenant string) ([]inlet.TableSummary, error) {
	return nil, nil
}

func (l *lake) ReadSnapshot(ctx context.Context, tenant string, ref inlet.TableRef, at inlet.SnapshotSelector) (*inlet.TableSnapshot, error) {
	s, ok := l.tables[tenant+"/"+ref.String()]
	if !ok {
		return nil, inlet.Errorf(inlet.ENOTFOUND, "table %s does not exist", ref)
	}
	return s, nil
}

func twoTenants(t *testing.T) *lake {
	return newLake(t, map[string]string{
		"acme/sales.orders":  `SELECT range AS id, 'acme-' || range AS note FROM range(10)`,
		"globex/secret.keys": `SELECT 'globex-secret-' || range AS k FROM range(3)`,
	})
}

func newEngine(t *testing.T, l *lake, cfg Config) *Engine {
	t.Helper()
	cfg.LakeRoot = l.root
	e, err := New(l, cfg, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// raw runs SQL in a tenant's engine process without the guard: what a bug
// in the guard would let through.
func (e *Engine) raw(ctx context.Context, tenant, sql string) ([][]any, error) {
	turn, err := e.sched.acquire(ctx, tenant, "test", nil)
	if err != nil {
		return nil, err
	}
	r := &rows{e: e, ctx: ctx, cancel: func() {}, turn: turn}
	defer r.Close()
	var head reply
	if err := e.call(ctx, turn.proc, request{Op: opQuery, SQL: sql}, &head, r); err != nil {
		return nil, err
	}
	r.cols, r.values = head.Columns, make([]any, len(head.Columns))
	rd, err := ipc.NewReader(r.br)
	if err != nil {
		return nil, err
	}
	r.rd = rd
	var out [][]any
	for r.Next() {
		out = append(out, append([]any(nil), r.values...))
	}
	return out, r.Err()
}

func TestGuardBypassSeesOneTenant(t *testing.T) {
	l := twoTenants(t)
	e := newEngine(t, l, Config{})
	ctx := context.Background()
	// Both tenants' engines run, and acme's has its view.
	for _, q := range []inlet.Query{{Tenant: "acme", SQL: "SELECT count(*) FROM sales.orders"}, {Tenant: "globex", SQL: "SELECT count(*) FROM secret.keys"}} {
		r, err := e.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
		}
		r.Close()
	}
	globexDir := filepath.Join(l.root, "globex")
	for _, c := range []struct{ name, sql, wantErr string }{
		{"other tenants' catalogs", `SELECT string_agg(database_name, ',') FROM duckdb_databases() WHERE database_name LIKE '%globex%'`, ""},
		{"other tenants' files", fmt.Sprintf(`SELECT * FROM read_parquet('%s/*/*.parquet')`, globexDir), "reaches outside"},
		{"other tenants' files by ..", fmt.Sprintf(`SELECT * FROM read_parquet('%s/../globex/secret.db/keys.parquet')`, filepath.Join(l.root, "acme")), "reaches outside"},
		{"any file", `SELECT * FROM read_csv('/etc/passwd')`, "reaches outside"},
		{"write a file", `COPY (SELECT 1) TO '/tmp/inlet-bypass.csv'`, "reaches outside"},
		{"attach a file", `ATTACH '/tmp/inlet-bypass.db' AS x`, "reaches outside"},
		{"re-enable files", `SET enable_external_access = true`, "locked"},
		{"widen directories", `SET allowed_directories = ['/']`, "locked"},
		{"install", `INSTALL httpfs`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.raw(ctx, "acme", c.sql)
			if c.wantErr == "" {
				if c.name == "other tenants' catalogs" && (err != nil || len(got) != 1 || got[0][0] != nil) {
					t.Fatalf("acme's engine lists %v (err %v), want no globex catalog", got, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ran and returned %v, want a refusal", got)
			}
			if msg := inlet.ErrorMessage(err); !strings.Contains(msg, c.wantErr) && !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("refused with %v, want it to say %q", err, c.wantErr)
			}
		})
	}
	if _, err := os.Stat("/tmp/inlet-bypass.csv"); err == nil {
		os.Remove("/tmp/inlet-bypass.csv")
		t.Error("COPY wrote /tmp/inlet-bypass.csv")
	}
	// The only views acme's engine holds are acme's, and no view reads
	// outside acme's lake directory.
	got, err := e.raw(ctx, "acme", `SELECT schema_name || '.' || view_name, sql FROM duckdb_views() WHERE NOT internal`)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0][0] != "sales.orders" {
		t.Fatalf("acme's engine has views %v, want only sales.orders", got)
	}
	if def := got[0][1].(string); strings.Contains(def, "globex") || !strings.Contains(def, filepath.Join(l.root, "acme")) {
		t.Fatalf("acme's view reads %s", def)
	}
}

// The three statements of the review that pushed the server past 8 GB.
func TestMemoryBombsStayInTheirEngine(t *testing.T) {
	l := twoTenants(t)
	const limit = 512 << 20
	e := newEngine(t, l, Config{Memory: limit, Timeout: 2 * time.Minute})
	ctx := context.Background()
	for _, sql := range []string{
		`SELECT count(*) FROM (SELECT unnest(generate_series(1, 1000000000)))`,
		`SELECT length(list_sort(generate_series(1, 300000000)))`,
		`SELECT length(string_agg(repeat('x', 1000000), ',')) FROM range(5000)`,
		`SELECT length(list(repeat('x', 1000))) FROM range(10000000)`,
	} {
		t.Run(sql, func(t *testing.T) {
			r, err := e.Query(ctx, inlet.Query{Tenant: "acme", SQL: sql})
			if err == nil {
				for r.Next() {
				}
				err = r.Err()
				r.Close()
			}
			if inlet.ErrorCode(err) != inlet.ETOOLARGE {
				t.Fatalf("got %v, want ETOOLARGE (out of memory)", err)
			}
			hwm := e.peakRSS(t, "acme")
			t.Logf("acme's engine: peak RSS %d MiB (cap %d MiB)", hwm>>20, limit>>20)
			if hwm > limit+160<<20 {
				t.Errorf("acme's engine peaked at %d MiB, over its %d MiB cap (plus code)", hwm>>20, limit>>20)
			}
			// The tenant's next query works, and so does everyone else's.
			for _, q := range []inlet.Query{{Tenant: "acme", SQL: "SELECT count(*) FROM sales.orders"}, {Tenant: "globex", SQL: "SELECT count(*) FROM secret.keys"}} {
				r, err := e.Query(ctx, q)
				if err != nil {
					t.Fatalf("after the bomb, %s: %v", q.SQL, err)
				}
				for r.Next() {
				}
				if err := r.Err(); err != nil {
					t.Fatalf("after the bomb, %s: %v", q.SQL, err)
				}
				r.Close()
			}
		})
	}
	self := selfPeakRSS(t)
	t.Logf("server side: peak RSS %d MiB", self>>20)
	if self > 400<<20 {
		t.Errorf("the server side peaked at %d MiB", self>>20)
	}
}

// peakRSS is the peak resident size of a tenant's engine process, if it runs.
func (e *Engine) peakRSS(t *testing.T, tenant string) int64 {
	e.sched.mu.Lock()
	p := e.sched.procs[tenant]
	e.sched.mu.Unlock()
	if p == nil || p.exited() || p.cmd == nil {
		return 0
	}
	return vmHWM(t, fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
}

func selfPeakRSS(t *testing.T) int64 { return vmHWM(t, "/proc/self/status") }

func vmHWM(t *testing.T, path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0 // the process has gone
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func TestLargeValuesAreRefused(t *testing.T) {
	e := newEngine(t, twoTenants(t), Config{MaxValue: 1 << 20})
	r, err := e.Query(context.Background(), inlet.Query{Tenant: "acme", SQL: `SELECT repeat('x', 2000000) AS big`})
	if err == nil {
		for r.Next() {
		}
		err = r.Err()
		r.Close()
	}
	if inlet.ErrorCode(err) != inlet.ETOOLARGE || !strings.Contains(inlet.ErrorMessage(err), "column big") {
		t.Fatalf("got %v, want ETOOLARGE naming column big", err)
	}
}

// Every function DuckDB has is either allowed or refused on purpose, so
// an upgrade that adds functions fails here until someone decides.
func TestFunctionsClassified(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT DISTINCT lower(function_name), function_type FROM duckdb_functions() WHERE function_type <> 'pragma'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	denied := query.DeniedFunctions()
	var unclassified []string
	for rows.Next() {
		var name, kind string
		rows.Scan(&name, &kind)
		allowed := query.FunctionAllowed(name) || (kind == "table" || kind == "table_macro") && query.TableFunctionAllowed(name)
		if _, no := denied[name]; allowed && no {
			t.Errorf("%s is both allowed and denied", name)
		}
		if _, no := denied[name]; !allowed && !no && !strings.HasPrefix(name, "__internal") {
			unclassified = append(unclassified, name+" ("+kind+")")
		}
	}
	if len(unclassified) > 0 {
		t.Errorf("functions neither allowed nor denied (decide, in query/functions.go): %s", strings.Join(unclassified, ", "))
	}
}

func TestDecimalString(t *testing.T) {
	for _, c := range []struct {
		v     int64
		scale int
		want  string
	}{{10000, 2, "100.00"}, {-5, 2, "-0.05"}, {0, 3, "0.000"}, {123, 0, "123"}, {-1234567, 4, "-123.4567"}} {
		if got := decimalString(big.NewInt(c.v), c.scale); got != c.want {
			t.Errorf("decimalString(%d, %d) = %s, want %s", c.v, c.scale, got, c.want)
		}
	}
}

// A one-shot engine (negative IdleTimeout) stops a tenant's process as soon
// as its statement ends; the default keeps it for the next one. Either
// way, Close returns once the process has exited and been waited for (a
// command's CPU time then counts its engine's).
func TestOneShotEngineStopsWhenIdle(t *testing.T) {
	l := twoTenants(t)
	count := func(e *Engine) int {
		e.sched.mu.Lock()
		defer e.sched.mu.Unlock()
		return len(e.sched.procs)
	}
	for _, c := range []struct {
		idle time.Duration
		want int
	}{{-1, 0}, {0, 1}} {
		e := newEngine(t, l, Config{IdleTimeout: c.idle})
		rows, err := e.Query(context.Background(), inlet.Query{Tenant: "acme", User: "u", SQL: "SELECT count(*) FROM sales.orders"})
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
		}
		rows.Close()
		if n := count(e); n != c.want {
			t.Errorf("IdleTimeout %v: %d engine processes after the statement, want %d", c.idle, n, c.want)
		}
		// The next statement starts a process again.
		rows, err = e.Query(context.Background(), inlet.Query{Tenant: "acme", User: "u", SQL: "SELECT 1"})
		if err != nil {
			t.Fatalf("IdleTimeout %v, second statement: %v", c.idle, err)
		}
		e.sched.mu.Lock()
		p := e.sched.procs["acme"]
		e.sched.mu.Unlock()
		rows.Close()
		e.Close()
		select {
		case <-p.done:
		default:
			t.Errorf("IdleTimeout %v: Close returned before the engine process exited", c.idle)
		}
	}
}
