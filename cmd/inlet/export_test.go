package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// inlet export writes each format from a table Inlet wrote, with the chosen
// columns and a bound filter; an independent reader finds in the file the
// rows the same filter finds in the table's own Parquet files.
func TestExportCLI(t *testing.T) {
	data, _, _ := ingestCustomers(t, 200)
	tbl := describeTable(t, data, "crm.customers")
	db := openDuckDB(t)
	const cols = "customer_id, signup_date, amount, active, note"
	table := "(SELECT " + cols + " FROM read_parquet(" + parquetList(tbl.DataFiles) + ") WHERE customer_id < 1150)"
	var want int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if want != 150 {
		t.Fatalf("the filter picks %d rows of the table, want 150", want)
	}
	out := t.TempDir()
	for _, format := range []string{"csv", "parquet", "jsonl", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			file := filepath.Join(out, "customers."+format)
			stdout, stderr, code := cli(t, data, "export", "crm.customers", "--format", format, "--out", file,
				"--columns", strings.ReplaceAll(cols, " ", ""), "--where", "customer_id < {{before}}", "--param", "before=1150", "--bom")
			if code != 0 {
				t.Fatalf("export: exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, "150 rows") {
				t.Errorf("stdout: got %q, want it to say 150 rows", stdout)
			}
			var from string
			switch format {
			case "csv":
				from = fmt.Sprintf("read_csv('%s', header = true, allow_quoted_nulls = false, columns = {'customer_id': 'BIGINT', 'signup_date': 'DATE', 'amount': 'DECIMAL(18,2)', 'active': 'BOOLEAN', 'note': 'VARCHAR'})", file)
			case "parquet":
				from = fmt.Sprintf("read_parquet('%s')", file)
			case "jsonl":
				from = fmt.Sprintf("read_json('%s', format = 'newline_delimited', columns = {'customer_id': 'BIGINT', 'signup_date': 'DATE', 'amount': 'DECIMAL(18,2)', 'active': 'BOOLEAN', 'note': 'VARCHAR'})", file)
			case "xlsx":
				checkXLSXExport(t, file, want)
				return
			}
			for _, q := range []string{
				"SELECT count(*) FROM (SELECT * FROM " + table + " EXCEPT ALL SELECT " + cols + " FROM " + from + ")",
				"SELECT count(*) FROM (SELECT " + cols + " FROM " + from + " EXCEPT ALL SELECT * FROM " + table + ")",
			} {
				var n int
				if err := db.QueryRow(q).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != 0 {
					t.Errorf("%d rows differ between the table and the export (%s)", n, q)
				}
			}
		})
	}

	t.Run("errors", func(t *testing.T) {
		for _, args := range [][]string{
			{"--format", "pdf", "--out", filepath.Join(out, "x.pdf")},
			{"--out", filepath.Join(out, "x.csv"), "--columns", "nope"},
			{"--out", filepath.Join(out, "x.csv"), "--columns", `customer_id" FROM x; --`},
			{"--out", filepath.Join(out, "x.csv"), "--where", "customer_id = {{v}}"},
			{"--out", filepath.Join(out, "x.csv"), "--delimiter", ":"},
		} {
			if _, stderr, code := cli(t, data, append([]string{"export", "crm.customers"}, args...)...); code == 0 {
				t.Errorf("%q: exit 0, want a failure", args)
			} else if strings.Contains(stderr, "internal error") {
				t.Errorf("%q: %s", args, stderr)
			}
		}
	})

	t.Run("parts", func(t *testing.T) {
		stdout, stderr, code := cli(t, data, "export", "crm.customers", "--out", filepath.Join(out, "split.csv"), "--part-rows", "80", "--delimiter", ";")
		if code != 0 {
			t.Fatalf("export: %s", stderr)
		}
		for _, want := range []string{"split-part-0001.csv\t80 rows", "split-part-0002.csv\t80 rows", "split-part-0003.csv\t40 rows"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("stdout %q lacks %q", stdout, want)
			}
		}
	})
}

func checkXLSXExport(t *testing.T, file string, want int) {
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != want+1 || strings.Join(rows[0], ",") != "customer_id,signup_date,amount,active,note" {
		t.Fatalf("got %d rows under %q, want %d under the column names", len(rows)-1, rows[0], want)
	}
	for cell, wantType := range map[string]excelize.CellType{"A2": excelize.CellTypeUnset, "B2": excelize.CellTypeUnset, "C2": excelize.CellTypeUnset, "D2": excelize.CellTypeBool} {
		if typ, _ := f.GetCellType("Sheet1", cell); typ != wantType {
			t.Errorf("%s: cell type %v, want %v", cell, typ, wantType)
		}
	}
	if v, _ := f.GetCellValue("Sheet1", "A2"); v != "1000" {
		t.Errorf("A2: got %q, want 1000", v)
	}
	if v, _ := f.GetCellValue("Sheet1", "B2"); len(v) != 10 || v[4] != '-' {
		t.Errorf("B2: got %q, want a date shown as YYYY-MM-DD", v)
	}
}
