package main

import (
	"context"
	"database/sql"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
)

// With --db postgres://..., the metadata and the Iceberg catalog live in
// Postgres: two servers on one database share sessions and the sign-in
// throttle, a table the CLI ingests is listed by both, the query reads it,
// and no SQLite file appears in the data directory.
func TestPostgresMetadata(t *testing.T) {
	pg := testkit.Postgres(t)
	dir := t.TempDir()
	data, src := filepath.Join(dir, "data"), filepath.Join(dir, "customers.csv")
	ps := people(150)
	writeCustomersCSV(t, src, ps)

	url1, token := startServer(t, data, "--db", pg, "--trusted-proxies", "127.0.0.1")
	admin := setUp(t, url1+"/api/v1", token)
	url2, token2 := startServer(t, data, "--db", pg, "--trusted-proxies", "127.0.0.1")
	if token2 != "" {
		t.Errorf("the second replica printed a setup link: the first admin exists already")
	}
	// The session made on the first replica works on the second.
	other := &client{t: t, base: url2 + "/api/v1", http: admin.http, csrf: admin.csrf}
	var me struct {
		User struct{ Email string } `json:"user"`
	}
	if code, b := other.do(http.MethodGet, "/session", nil, &me); code != http.StatusOK || me.User.Email != "admin@example.com" {
		t.Fatalf("the session on the second replica: %d %s", code, b)
	}

	for _, mode := range []string{"create", "append"} {
		if _, stderr, code := cli(t, data, "ingest", src, "--table", "crm.customers", "--mode", mode, "--db", pg); code != 0 {
			t.Fatalf("ingest %s: %s", mode, stderr)
		}
	}
	for i, c := range []*client{admin, other} {
		var tables struct{ Tables []inlet.TableSummary }
		if code, b := c.do(http.MethodGet, "/tables", nil, &tables); code != http.StatusOK || len(tables.Tables) != 1 || tables.Tables[0].Rows != int64(2*len(ps)) {
			t.Errorf("tables on replica %d: %d %s, want crm.customers with %d rows", i+1, code, b, 2*len(ps))
		}
	}
	if out, stderr, code := cli(t, data, "query", "--format", "csv", "--db", pg, "SELECT count(*) AS n FROM crm.customers"); code != 0 || out != "n\n300\n" {
		t.Errorf("query: %q %s, want 300 rows", out, stderr)
	}

	// A wrong password on one replica counts on both.
	wrong := map[string]string{"email": "admin@example.com", "password": "not the password"}
	for i := 0; i < 8; i++ {
		newClient(t, url1+"/api/v1").from("203.0.113.9", http.MethodPost, "/session", wrong, nil)
	}
	if code, _ := newClient(t, url2+"/api/v1").from("203.0.113.9", http.MethodPost, "/session", wrong, nil); code != http.StatusTooManyRequests {
		t.Errorf("the guessing source on the other replica: %d, want 429", code)
	}

	db, err := sql.Open("pgx", pg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for q, want := range map[string]int{
		`SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'`: 2,
		`SELECT COUNT(*) FROM iceberg_tables`:                 1,
		`SELECT COUNT(*) FROM users`:                          1,
	} {
		var n int
		if err := db.QueryRowContext(context.Background(), q).Scan(&n); err != nil || n != want {
			t.Errorf("%s: got %d, %v, want %d", q, n, err, want)
		}
	}
	for _, name := range []string{"inlet.db", "catalog.db"} {
		if _, err := os.Stat(filepath.Join(data, name)); !os.IsNotExist(err) {
			t.Errorf("%s in the data directory: %v, want none with --db postgres://", name, err)
		}
	}
}

// A --db URL Inlet cannot use is refused, without echoing its password.
func TestBadDatabaseURL(t *testing.T) {
	data := t.TempDir()
	for _, u := range []string{"mysql://root:hunter2@db/inlet", "sqlite://"} {
		_, stderr, code := cli(t, data, "tables", "--db", u)
		if code == 0 || !strings.Contains(stderr, "--db") || strings.Contains(stderr, "hunter2") {
			t.Errorf("--db %s: exit %d, %q; want a failure naming --db, without the password", u, code, stderr)
		}
	}
}
