package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	inlet "github.com/inlet-data/inlet"
	"github.com/xuri/excelize/v2"
)

// writeWorkbook builds a workbook as people make them: a notes sheet first,
// then a data sheet with a title row, dates formatted as dates, currency
// formatting, a formula with its cached value, and styled empty cells after
// the table.
func writeWorkbook(t *testing.T, path string, ps []person) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Notes")
	f.SetCellValue("Notes", "A1", "Export of the CRM, do not edit")
	if _, err := f.NewSheet("Customers"); err != nil {
		t.Fatal(err)
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	money, _ := f.NewStyle(&excelize.Style{NumFmt: 8}) // a built-in currency format
	f.SetCellValue("Customers", "A1", "Customers Q3")
	f.SetSheetRow("Customers", "A3", &[]any{"Full Name", "Email", "Joined", "Amount", "Double"})
	for i, p := range ps {
		row := i + 4
		joined := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		f.SetSheetRow("Customers", fmt.Sprintf("A%d", row), &[]any{p.name, p.email, joined, float64(i) + 0.5})
		f.SetCellStyle("Customers", fmt.Sprintf("C%d", row), fmt.Sprintf("C%d", row), dateStyle)
		f.SetCellStyle("Customers", fmt.Sprintf("D%d", row), fmt.Sprintf("D%d", row), money)
		// A formula with its cached value, as Excel saves it.
		f.SetCellValue("Customers", fmt.Sprintf("E%d", row), 2*float64(i)+1)
		f.SetCellFormula("Customers", fmt.Sprintf("E%d", row), fmt.Sprintf("D%d*2", row))
	}
	// Styled but empty cells below and to the right of the table.
	last := len(ps) + 10
	f.SetCellStyle("Customers", "A"+fmt.Sprint(len(ps)+4), fmt.Sprintf("H%d", last), dateStyle)
	f.SetCellValue("Customers", fmt.Sprintf("G%d", last), "")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestIngestXLSX(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := filepath.Join(dir, "crm.xlsx")
	ps := people(40)
	writeWorkbook(t, src, ps)

	out, stderr, code := cli(t, data, "inspect", src, "--sheet", "Customers", "--json")
	if code != 0 {
		t.Fatalf("inspect: %s", stderr)
	}
	var ins inspectJSON
	if err := json.Unmarshal([]byte(out), &ins); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Notes", "Customers"}, ins.Sheets); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	if ins.Format != inlet.FormatXLSX || !ins.Dialect.Header || ins.Dialect.SkipRows != 2 {
		t.Errorf("got format %s dialect %+v, want xlsx with a header after 2 title rows", ins.Format, ins.Dialect)
	}
	gotTypes := map[string]inlet.Type{}
	for _, c := range ins.Columns {
		gotTypes[c.Name] = c.Type
	}
	wantTypes := map[string]inlet.Type{"full_name": "string", "email": "string", "joined": "date", "amount": "decimal(18,2)", "double": "bigint"}
	if diff := cmp.Diff(wantTypes, gotTypes); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}

	if _, stderr, code := cli(t, data, "ingest", src, "--sheet", "Customers", "--table", "crm.customers_xlsx"); code != 0 {
		t.Fatalf("ingest: %s", stderr)
	}
	tbl := describeTable(t, data, "crm.customers_xlsx")
	if tbl.Snapshots[0].Lineage.Sheet != "Customers" {
		t.Errorf("lineage sheet: got %q", tbl.Snapshots[0].Lineage.Sheet)
	}
	db := openDuckDB(t)
	rows, err := db.Query(`SELECT full_name, email, strftime(joined, '%Y-%m-%d'), CAST(amount AS VARCHAR), "double" FROM read_parquet(` + parquetList(tbl.DataFiles) + `) ORDER BY joined`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	h := tenantHasher(t, data)
	i := 0
	for rows.Next() {
		var name, email, joined, amount string
		var double int64
		if err := rows.Scan(&name, &email, &joined, &amount, &double); err != nil {
			t.Fatal(err)
		}
		p := ps[i]
		// Hash reuses its buffer: take each digest as a string before the next.
		nameHash := string(h.Hash(inlet.EntityPersonName, []byte(p.name)))
		emailHash := string(h.Hash(inlet.EntityEmail, []byte(p.email)))
		want := []any{nameHash, emailHash,
			time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02"), fmt.Sprintf("%d.50", i), int64(2*i + 1)}
		if diff := cmp.Diff(want, []any{name, email, joined, amount, double}); diff != "" {
			t.Fatalf("row %d (-want +got):\n%s", i, diff)
		}
		i++
	}
	if i != len(ps) {
		t.Fatalf("read %d rows, want %d", i, len(ps))
	}
}
