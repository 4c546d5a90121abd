package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/iceberg-go"
	sqlcat "github.com/apache/iceberg-go/catalog/sql"
	"github.com/apache/iceberg-go/table"
)

// A data file bigger than the table's split size is planned by Iceberg as
// several byte ranges; the query engine and the table's file list still
// read it once. (At the default 128 MB this first showed at 10 M rows: a
// count of 43.5 M.)
func TestFilesBiggerThanTheSplitSizeAreReadOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 20 MB file")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := filepath.Join(dir, "big.csv")
	writeCustomersCSV(t, src, people(150000))
	if _, stderr, code := cli(t, data, "ingest", src, "--table", "s.big", "--ingest-workers", "1"); code != 0 {
		t.Fatal(stderr)
	}
	// Split the table's files into 64 KiB ranges, as a 128 MB split size
	// does a big file.
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, err := sqlcat.NewCatalog("default", db, sqlcat.SQLite, iceberg.Properties{"warehouse": "file://" + filepath.Join(data, "lake", "default")})
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := cat.LoadTable(ctx, table.Identifier{"s", "big"})
	if err != nil {
		t.Fatal(err)
	}
	txn := tbl.NewTransaction()
	if err := txn.SetProperties(iceberg.Properties{"read.split.target-size": "65536"}); err != nil {
		t.Fatal(err)
	}
	if _, err := txn.Commit(ctx); err != nil {
		t.Fatal(err)
	}

	out, stderr, code := cli(t, data, "query", "--format", "csv", "SELECT count(*) AS n, count(DISTINCT customer_id) AS d FROM s.big")
	if code != 0 || strings.TrimSpace(out) != "n,d\n150000,150000" {
		t.Errorf("query: %q %s, want every row once", out, stderr)
	}
	desc := describeTable(t, data, "s.big")
	seen := map[string]bool{}
	for _, f := range desc.DataFiles {
		if seen[f] {
			t.Errorf("data file listed twice: %s", f)
		}
		seen[f] = true
	}
}
