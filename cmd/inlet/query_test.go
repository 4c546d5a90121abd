package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// A table Inlet wrote is queryable through the CLI: the notebook user's
// typical point lookup on a hashed email finds the right row, time travel
// reads an earlier snapshot, and escapes exit non-zero with the reason.
func TestQueryCLI(t *testing.T) {
	dir, src, ps := ingestCustomers(t, 300)
	between := time.Now().UTC()
	time.Sleep(5 * time.Millisecond)
	if _, stderr, code := cli(t, dir, "ingest", src, "--table", "crm.customers", "--mode", "append"); code != 0 {
		t.Fatalf("append: %s", stderr)
	}

	// Every snapshot names a schema that has the table's columns (readers
	// that time travel use it).
	raw, err := os.ReadFile(strings.TrimPrefix(describeTable(t, dir, "crm.customers").MetadataLocation, "file://"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Schemas []struct {
			ID     int   `json:"schema-id"`
			Fields []any `json:"fields"`
		} `json:"schemas"`
		Snapshots []struct {
			SchemaID int `json:"schema-id"`
		} `json:"snapshots"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	for i, snap := range meta.Snapshots {
		for _, sc := range meta.Schemas {
			if sc.ID == snap.SchemaID && len(sc.Fields) != 10 {
				t.Fatalf("snapshot %d names schema %d with %d fields, want 10", i, sc.ID, len(sc.Fields))
			}
		}
	}

	hash := string(tenantHasher(t, dir).Hash(inlet.EntityEmail, []byte(ps[42].email)))
	stdout, stderr, code := cli(t, dir, "query", "--format", "json",
		"SELECT customer_id, amount, signup_date FROM crm.customers WHERE email = '"+hash+"' ORDER BY 1")
	if code != 0 {
		t.Fatalf("query: %s", stderr)
	}
	var res struct {
		Columns []inlet.ResultColumn `json:"columns"`
		Rows    [][]any              `json:"rows"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if len(res.Rows) != 2 || res.Rows[0][0] != float64(ps[42].id) || res.Rows[0][1] != ps[42].amount {
		t.Fatalf("point lookup on the hashed email: %v, want customer %d twice with amount %s", res.Rows, ps[42].id, ps[42].amount)
	}
	if !strings.HasPrefix(string(res.Columns[1].Type), "decimal(") {
		t.Fatalf("amount typed %s", res.Columns[1].Type)
	}

	stdout, stderr, code = cli(t, dir, "query", "--format", "csv", "--as-of", between.Format(time.RFC3339Nano), "SELECT count(*) AS n FROM crm.customers")
	if code != 0 || stdout != "n\n300\n" {
		t.Fatalf("as of the first snapshot: %q %s, want 300 rows", stdout, stderr)
	}
	stdout, _, _ = cli(t, dir, "query", "--format", "csv", "SELECT count(*) AS n FROM crm.customers")
	if stdout != "n\n600\n" {
		t.Fatalf("current snapshot: %q, want 600 rows", stdout)
	}

	for sql, want := range map[string]string{
		"SELECT * FROM read_csv('/etc/passwd')":    "read_csv() reads outside Inlet's tables",
		"COPY crm.customers TO '/tmp/out.csv'":     "only read-only SELECT",
		"SELECT * FROM crm.nope":                   "line 1, column 15: table crm.nope does not exist",
		"SELECT no_such_column FROM crm.customers": "no_such_column",
		"SELECT count(*) FROM customers":           `line 1, column 22: "customers" is not a table: address tables as database.table: did you mean crm.customers?`,
	} {
		_, stderr, code := cli(t, dir, "query", sql)
		if code != exitFailed || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, %q; want exit %d saying %q", sql, code, stderr, exitFailed, want)
		}
	}
	// Another tenant of the same data directory sees none of it.
	_, stderr, code = cli(t, dir, "query", "--tenant", "globex", "SELECT count(*) FROM crm.customers")
	if code != exitFailed || !strings.Contains(stderr, "does not exist") {
		t.Fatalf("other tenant: exit %d, %s", code, stderr)
	}
}

// A column an append added reads as NULL for the rows written before it,
// and time travel reads the schema of its snapshot.
func TestQueryAfterSchemaEvolution(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	os.WriteFile(a, []byte("sku,qty\nA-1,3\nA-2,4\n"), 0o644)
	os.WriteFile(b, []byte("sku,qty,warehouse\nB-1,5,north\n"), 0o644)
	if _, stderr, code := cli(t, dir, "ingest", a, "--table", "shop.stock"); code != 0 {
		t.Fatal(stderr)
	}
	before := time.Now().UTC()
	time.Sleep(5 * time.Millisecond)
	if _, stderr, code := cli(t, dir, "ingest", b, "--table", "shop.stock", "--mode", "append"); code != 0 {
		t.Fatal(stderr)
	}
	out, stderr, code := cli(t, dir, "query", "--format", "csv", "SELECT sku, qty, warehouse FROM shop.stock ORDER BY sku")
	if code != 0 || out != "sku,qty,warehouse\nA-1,3,\nA-2,4,\nB-1,5,north\n" {
		t.Fatalf("after the append: %q %s", out, stderr)
	}
	out, stderr, code = cli(t, dir, "query", "--format", "csv", "--as-of", before.Format(time.RFC3339Nano), "SELECT * FROM shop.stock ORDER BY sku")
	if code != 0 || out != "sku,qty\nA-1,3\nA-2,4\n" {
		t.Fatalf("as of the first snapshot: %q %s", out, stderr)
	}
}

// Narrow decimals are stored in the fewest bytes their precision needs and
// read back exactly, negative ones included.
func TestNarrowDecimalsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "prices.csv")
	os.WriteFile(src, []byte("sku,price\nA,-12.34\nB,5.00\nC,99999999.99\nD,-0.01\nE,\n"), 0o644)
	if _, stderr, code := cli(t, dir, "ingest", src, "--table", "shop.prices", "--type", "price=decimal(10,2)"); code != 0 {
		t.Fatal(stderr)
	}
	out, stderr, code := cli(t, dir, "query", "--format", "csv", "SELECT sku, price FROM shop.prices ORDER BY sku")
	if code != 0 || out != "sku,price\nA,-12.34\nB,5.00\nC,99999999.99\nD,-0.01\nE,\n" {
		t.Fatalf("%q %s", out, stderr)
	}
	db := openDuckDB(t)
	var typ string
	files := describeTable(t, dir, "shop.prices").DataFiles
	if err := db.QueryRow("SELECT type_length FROM parquet_schema(" + parquetList(files) + ") WHERE name = 'price'").Scan(&typ); err != nil {
		t.Fatal(err)
	}
	if typ != "5" {
		t.Fatalf("decimal(10,2) stored in %s bytes, want 5", typ)
	}
}
