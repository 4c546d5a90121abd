package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"
)

// The customer data as a workbook, written with excelize's StreamWriter the
// way spreadsheet exports are: typed cells (numbers, booleans, dates and
// datetimes with number formats, decimals with a currency-like format, text).
func generateXLSX(path string, rows int, seed uint64) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})     // m/d/yyyy
	datetime, _ := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yyyy h:mm
	money, _ := f.NewStyle(&excelize.Style{CustomNumFmt: strPtr("#,##0.00")})
	custom, _ := f.NewStyle(&excelize.Style{CustomNumFmt: strPtr("dd.mm.yyyy hh:mm:ss")})
	head := []any{}
	for _, h := range []string{"customer_id", "email", "full_name", "phone", "ip_address", "signup_date", "last_login", "lifetime_value", "balance", "is_active",
		"country", "city", "segment", "score", "orders", "zip", "company", "note", "referrer", "updated_at"} {
		head = append(head, h)
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	cell := func(v any, style int) excelize.Cell { return excelize.Cell{Value: v, StyleID: style} }
	row := make([]any, 20)
	for i := 1; i <= rows; i++ {
		first, last := firsts[r.IntN(len(firsts))], lasts[r.IntN(len(lasts))]
		c := r.IntN(len(countries))
		row[0] = 100000 + i
		row[1] = fmt.Sprintf("%c%s.%d@%s", first[0]|0x20, lower(last), i, domains[r.IntN(len(domains))])
		row[2] = first + " " + last
		row[3] = fmt.Sprintf("+1 %03d-555-%04d", 200+r.IntN(700), r.IntN(10000))
		row[4] = fmt.Sprintf("%d.%d.%d.%d", 1+r.IntN(223), r.IntN(256), r.IntN(256), 1+r.IntN(254))
		row[5] = cell(time.Date(2010+r.IntN(15), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC), date)
		row[6] = cell(time.Date(2024, time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), 0, time.UTC), datetime)
		row[7] = cell(float64(r.IntN(10000000))/100, money)
		row[8] = cell(float64(r.IntN(2000000)-1000000)/100, money)
		row[9] = r.IntN(2) == 1
		row[10], row[11] = countries[c], cities[c]
		row[12] = segments[r.IntN(len(segments))]
		row[13] = float64(r.IntN(10000)) / 10000
		row[14] = r.IntN(500)
		row[15] = fmt.Sprintf("%05d", r.IntN(100000))
		row[16] = companies[r.IntN(len(companies))]
		row[17] = notes[r.IntN(len(notes))]
		row[18] = referrers[r.IntN(len(referrers))]
		row[19] = cell(time.Date(2024, 11, 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), 0, time.UTC), custom)
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(ref, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

func strPtr(s string) *string { return &s }

// openpyxlRead is the peer: openpyxl in read-only mode reading every cell's
// value, nothing more (Debian's python3-openpyxl).
const openpyxlRead = `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
ws = wb.active
ws.reset_dimensions()  # streamed workbooks do not record their size
n = 0
for row in ws.iter_rows(values_only=True):
    n += 1
print(n, "rows", file=sys.stderr)
`

// benchXLSX times Inlet ingesting the workbook against openpyxl reading it,
// run after run, in the same process tree.
func benchXLSX(dir, inletBin string, rows, runs int) error {
	path := filepath.Join(dir, fmt.Sprintf("customers-%d.xlsx", rows))
	if _, err := os.Stat(path); err != nil {
		start := time.Now()
		if err := generateXLSX(path, rows, 42); err != nil {
			return err
		}
		fmt.Printf("generated %s (%d rows, %.1fs)\n", path, rows, time.Since(start).Seconds())
	}
	fi, _ := os.Stat(path)
	python := "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import openpyxl").Run(); err != nil {
		return fmt.Errorf("the peer needs openpyxl: apt-get install python3-openpyxl (%v)", err)
	}
	v, _ := exec.Command(python, "-c", "import openpyxl; print(openpyxl.__version__)").Output()
	fmt.Printf("file: %s (%.1f MB, %d rows x 20 columns), %d cores, openpyxl %s", path, float64(fi.Size())/1e6, rows, numCPU(), v)
	var best [2]result
	for i := 0; i < runs; i++ {
		data := filepath.Join(dir, "inlet-data-xlsx")
		os.RemoveAll(data)
		in := measure("inlet", inletBin, "ingest", path, "--table", "bench.customers_xlsx", "--data-dir", data, "--log-level", "warn")
		py := measure("openpyxl", python, "-c", openpyxlRead, path)
		fmt.Printf("run %d: inlet ingest %.2fs %.0f MB, openpyxl read %.2fs %.0f MB, openpyxl/inlet %.2fx\n", i+1,
			in.wall.Seconds(), float64(in.rss)/(1<<20), py.wall.Seconds(), float64(py.rss)/(1<<20), py.wall.Seconds()/in.wall.Seconds())
		if i == 0 || in.wall < best[0].wall {
			best[0] = in
		}
		if i == 0 || py.wall < best[1].wall {
			best[1] = py
		}
	}
	fmt.Printf("%-9s %10s %12s\n", "tool", "wall", "peak RSS")
	for _, r := range best {
		fmt.Printf("%-9s %9.2fs %9.0f MB\n", r.name, r.wall.Seconds(), float64(r.rss)/(1<<20))
	}
	fmt.Printf("\nInlet ingests the workbook %.2fx as fast as openpyxl reads it (best of %d)\n", best[1].wall.Seconds()/best[0].wall.Seconds(), runs)
	return nil
}
