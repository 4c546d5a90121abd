package store

import "testing"

func TestRebind(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE a = ? AND b IN (?, ?)`, `SELECT a FROM t WHERE a = $1 AND b IN ($2, $3)`},
		{`UPDATE t SET name = name || ' (deleted?) ' || id WHERE id = ?`, `UPDATE t SET name = name || ' (deleted?) ' || id WHERE id = $1`},
		{`SELECT "odd?col", 'it''s?' FROM t WHERE x = ?`, `SELECT "odd?col", 'it''s?' FROM t WHERE x = $1`},
	} {
		if got := dialectPostgres.rebind(tc.in); got != tc.want {
			t.Errorf("rebind %q: got %q, want %q", tc.in, got, tc.want)
		}
		if got := dialectSQLite.rebind(tc.in); got != tc.in {
			t.Errorf("sqlite rebind %q: got %q, want it unchanged", tc.in, got)
		}
	}
}
