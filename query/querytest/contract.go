// Package querytest is the contract every query engine obeys, as a test
// suite: the embedded DuckDB engine runs it, and an Athena engine will run
// it too. An engine passes when it returns the right typed values, binds
// parameters, travels in time, honours cancellation, and refuses every
// escape attempt with a clear error.
package querytest

import (
	"context"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// Table is a fixture table: its snapshots, oldest first, each given as a
// SELECT that produces the table's full contents at that snapshot.
type Table struct {
	Tenant    string
	Ref       inlet.TableRef
	Columns   []inlet.Column
	Snapshots []string
}

// Setup materialises the fixture tables where the engine reads them and
// returns the engine, plus the commit time of each table's snapshots.
type Setup func(t *testing.T, tables []Table) (inlet.Engine, map[string][]time.Time)

// Fixture is what Run asks engines to serve: two tenants, with a table of
// the same name in each and one table only the second has.
func Fixture() []Table {
	orders := []inlet.Column{
		{Name: "id", Type: inlet.TypeBigint},
		{Name: "email", Type: inlet.TypeString},
		{Name: "amount", Type: inlet.DecimalType(10, 2)},
		{Name: "day", Type: inlet.TypeDate},
		{Name: "ts", Type: inlet.TypeTimestamp},
		{Name: "paid", Type: inlet.TypeBoolean},
		{Name: "score", Type: inlet.TypeDouble},
	}
	return []Table{
		{Tenant: "acme", Ref: inlet.TableRef{Database: "sales", Name: "orders"}, Columns: orders, Snapshots: []string{
			`SELECT * FROM (VALUES
				(1, 'a1f0', 12.50, DATE '2026-01-05', TIMESTAMP '2026-01-05 10:00:00', true, 0.5),
				(2, 'b2e1', 7.25, DATE '2026-02-10', TIMESTAMP '2026-02-10 11:30:00', false, 1.5))`,
			`SELECT * FROM (VALUES
				(1, 'a1f0', 12.50, DATE '2026-01-05', TIMESTAMP '2026-01-05 10:00:00', true, 0.5),
				(2, 'b2e1', 7.25, DATE '2026-02-10', TIMESTAMP '2026-02-10 11:30:00', false, 1.5),
				(3, 'c3d2', 100.00, DATE '2026-03-15', TIMESTAMP '2026-03-15 09:15:00', true, NULL))`,
		}},
		{Tenant: "globex", Ref: inlet.TableRef{Database: "sales", Name: "orders"}, Columns: orders, Snapshots: []string{
			`SELECT * FROM (VALUES (99, 'ffff', 1.00, DATE '2026-01-01', TIMESTAMP '2026-01-01 00:00:00', true, 9.0))`,
		}},
		{Tenant: "globex", Ref: inlet.TableRef{Database: "secret", Name: "keys"}, Columns: []inlet.Column{{Name: "k", Type: inlet.TypeString}}, Snapshots: []string{
			`SELECT 'globex-only' AS k`,
		}},
	}
}

// Run runs the contract against engines made by setup.
func Run(t *testing.T, setup Setup) {
	e, times := setup(t, Fixture())
	ctx := context.Background()

	t.Run("values and types", func(t *testing.T) {
		cols, got := collect(t, e, inlet.Query{Tenant: "acme", SQL: `SELECT id, email, amount, day, ts, paid, score FROM sales.orders ORDER BY id`})
		wantTypes := []inlet.Type{inlet.TypeBigint, inlet.TypeString, inlet.DecimalType(10, 2), inlet.TypeDate, inlet.TypeTimestamp, inlet.TypeBoolean, inlet.TypeDouble}
		for i, c := range cols {
			if c.Type != wantTypes[i] {
				t.Errorf("column %s is %s, want %s", c.Name, c.Type, wantTypes[i])
			}
		}
		if len(got) != 3 {
			t.Fatalf("%d rows, want 3", len(got))
		}
		row := got[2]
		want := []any{int64(3), "c3d2", "100.00", time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 15, 9, 15, 0, 0, time.UTC), true, nil}
		for i := range want {
			if !equal(row[i], want[i]) {
				t.Errorf("row 3 column %s = %#v, want %#v", cols[i].Name, row[i], want[i])
			}
		}
	})

	t.Run("tenants see only their own rows", func(t *testing.T) {
		_, got := collect(t, e, inlet.Query{Tenant: "globex", SQL: `SELECT id FROM sales.orders`})
		if len(got) != 1 || got[0][0] != int64(99) {
			t.Fatalf("globex sees %v, want its one row 99", got)
		}
		_, got = collect(t, e, inlet.Query{Tenant: "acme", SQL: `SELECT count(*) FROM sales.orders`})
		if got[0][0] != int64(3) {
			t.Fatalf("acme counts %v, want 3", got)
		}
	})

	t.Run("parameters are bound", func(t *testing.T) {
		_, got := collect(t, e, inlet.Query{Tenant: "acme", SQL: `SELECT id FROM sales.orders WHERE email = ? OR id = ?`, Args: []any{"b2e1' OR '1'='1", int64(3)}})
		if len(got) != 1 || got[0][0] != int64(3) {
			t.Fatalf("got %v, want only id 3: the injected string must match nothing", got)
		}
	})

	t.Run("CTEs and joins of own tables", func(t *testing.T) {
		_, got := collect(t, e, inlet.Query{Tenant: "acme", SQL: `WITH big AS (SELECT * FROM sales.orders WHERE amount > 10)
			SELECT count(*) FROM big b JOIN sales.orders o ON o.id = b.id`})
		if got[0][0] != int64(2) {
			t.Fatalf("got %v, want 2", got)
		}
	})

	t.Run("time travel", func(t *testing.T) {
		ts := times["acme/sales.orders"]
		if len(ts) < 2 {
			t.Fatalf("setup reported %d snapshot times for acme/sales.orders", len(ts))
		}
		_, got := collect(t, e, inlet.Query{Tenant: "acme", SQL: `SELECT count(*) FROM sales.orders`, AsOf: ts[0]})
		if got[0][0] != int64(2) {
			t.Fatalf("as of the first snapshot: %v rows, want 2", got)
		}
		_, got = collect(t, e, inlet.Query{Tenant: "acme", SQL: `SELECT count(*) FROM sales.orders`})
		if got[0][0] != int64(3) {
			t.Fatalf("after time travel the current snapshot reads %v rows, want 3", got)
		}
		_, err := e.Query(ctx, inlet.Query{Tenant: "acme", SQL: `SELECT 1 FROM sales.orders`, AsOf: ts[0].Add(-time.Hour)})
		if inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Fatalf("before the table existed: %v, want ENOTFOUND", err)
		}
	})

	t.Run("errors name the problem", func(t *testing.T) {
		_, err := e.Query(ctx, inlet.Query{Tenant: "acme", SQL: "SELECT nope FROM sales.orders"})
		if inlet.ErrorCode(err) != inlet.EINVALID || !strings.Contains(inlet.ErrorMessage(err), "nope") {
			t.Fatalf("unknown column: %v, want EINVALID naming it", err)
		}
		_, err = e.Query(ctx, inlet.Query{Tenant: "acme", SQL: "SELECT * FROM sales.missing"})
		if inlet.ErrorCode(err) != inlet.ENOTFOUND || !strings.Contains(inlet.ErrorMessage(err), "line 1, column 15") {
			t.Fatalf("unknown table: %v, want ENOTFOUND with its position", err)
		}
		_, err = e.Query(ctx, inlet.Query{Tenant: "acme", SQL: "SELEC 1"})
		if inlet.ErrorCode(err) != inlet.EINVALID {
			t.Fatalf("syntax error: %v, want EINVALID", err)
		}
	})

	t.Run("cancellation stops a running statement", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		go func() { time.Sleep(200 * time.Millisecond); cancel() }()
		start := time.Now()
		r, err := e.Query(ctx, inlet.Query{Tenant: "acme", SQL: `WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 2000000000)
			SELECT count(*) FROM r, sales.orders`})
		if err == nil {
			for r.Next() {
			}
			err = r.Err()
			r.Close()
		}
		if err == nil {
			t.Fatal("a cancelled statement returned no error")
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("cancellation took %s", time.Since(start))
		}
	})

	t.Run("a missing parameter is named", func(t *testing.T) {
		_, err := e.Query(ctx, inlet.Query{Tenant: "acme", SQL: `SELECT id FROM sales.orders WHERE id = ? OR email = ?`, Args: []any{int64(1)}})
		if inlet.ErrorCode(err) != inlet.EINVALID || !strings.Contains(inlet.ErrorMessage(err), "2 parameters") {
			t.Fatalf("got %v, want EINVALID saying the query has 2 parameters", err)
		}
	})

	t.Run("escape attempts are refused", func(t *testing.T) {
		for _, c := range Escapes {
			t.Run(c.Class+"/"+c.SQL, func(t *testing.T) {
				r, err := e.Query(ctx, inlet.Query{Tenant: "acme", SQL: c.SQL})
				if err == nil {
					r.Close()
					t.Fatalf("%s ran", c.SQL)
				}
				if !strings.Contains(inlet.ErrorMessage(err), c.Want) {
					t.Fatalf("%s: refused with %q, want it to say %q", c.SQL, inlet.ErrorMessage(err), c.Want)
				}
				if code := inlet.ErrorCode(err); code != inlet.EFORBIDDEN && code != inlet.ENOTFOUND {
					t.Fatalf("%s: code %s, want EFORBIDDEN or ENOTFOUND", c.SQL, code)
				}
			})
		}
		// The tables are intact after all of it.
		_, got := collect(t, e, inlet.Query{Tenant: "acme", SQL: `SELECT count(*) FROM sales.orders`})
		if got[0][0] != int64(3) {
			t.Fatalf("after the escape attempts acme counts %v, want 3", got)
		}
	})
}

func collect(t *testing.T, e inlet.Engine, q inlet.Query) ([]inlet.ResultColumn, [][]any) {
	t.Helper()
	r, err := e.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q.SQL, err)
	}
	defer r.Close()
	var out [][]any
	for r.Next() {
		out = append(out, append([]any(nil), r.Values()...))
	}
	if err := r.Err(); err != nil {
		t.Fatalf("%s: %v", q.SQL, err)
	}
	return r.Columns(), out
}

func equal(a, b any) bool {
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return a == b
}
