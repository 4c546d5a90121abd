package export

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	inlet "github.com/inlet-data/inlet"
	"github.com/xuri/excelize/v2"
)

// xlsxRows reads a sheet's cells as Excel shows them.
func xlsxRows(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestXLSX(t *testing.T) {
	dir, parts := write(t, Options{Format: XLSX, BaseName: "x"}, sampleData())
	if len(parts) != 1 || parts[0].Name != "x.xlsx" || parts[0].Rows != 10 {
		t.Fatalf("parts: got %+v", parts)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "x.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{"Sheet1"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	cell := func(col, row int) string {
		name, _ := excelize.CoordinatesToCellName(col, row)
		return name
	}
	// The header: the names, bold, filled.
	for i, c := range sampleCols {
		if v, _ := f.GetCellValue("Sheet1", cell(i+1, 1)); v != c.Name {
			t.Errorf("header %d: got %q, want %q", i, v, c.Name)
		}
	}
	sid, _ := f.GetCellStyle("Sheet1", "A1")
	st, err := f.GetStyle(sid)
	if err != nil {
		t.Fatal(err)
	}
	if st.Font == nil || !st.Font.Bold || st.Fill.Pattern != 1 || len(st.Fill.Color) == 0 {
		t.Errorf("header style: got font %+v fill %+v, want bold and a solid fill", st.Font, st.Fill)
	}
	panes, err := f.GetPanes("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes: got %+v, want the first row frozen", panes)
	}
	names := f.GetDefinedName()
	if len(names) != 1 || names[0].Name != "_xlnm._FilterDatabase" || names[0].RefersTo != "'Sheet1'!$A$1:$H$11" {
		t.Errorf("autofilter: got defined names %+v, want _xlnm._FilterDatabase over A1:H11", names)
	}
	if w, _ := f.GetColWidth("Sheet1", "F"); w < 19 {
		t.Errorf("timestamp column width: got %v, want room for a date-time", w)
	}

	// Typed cells: numbers are numbers, booleans booleans, dates dates with
	// a date format, text is text.
	wantType := []excelize.CellType{excelize.CellTypeUnset, excelize.CellTypeUnset, excelize.CellTypeUnset, excelize.CellTypeBool,
		excelize.CellTypeUnset, excelize.CellTypeUnset, excelize.CellTypeInlineString, excelize.CellTypeInlineString}
	for i := range sampleCols {
		typ, err := f.GetCellType("Sheet1", cell(i+1, 3)) // row 2 of the data: negatives
		if err != nil {
			t.Fatal(err)
		}
		if typ != wantType[i] {
			t.Errorf("cell type of %s: got %v, want %v", sampleCols[i].Name, typ, wantType[i])
		}
	}
	for _, tc := range []struct {
		cell, raw, shown string
	}{
		{"A3", "-2", "-2"}, {"B3", "-1234.5", "-1234.50"}, {"C3", "-0.5", "-0.5"}, {"D3", "0", "FALSE"},
		{"B2", "1.23456789012346E+16", "12345678901234600.00"}, // Excel's 15 digits: a number, not exact
		{"E2", "20152", "1955-03-04"}, {"E3", "25568", "1969-12-31"}, {"F2", "", "2024-02-29 13:45:01"}, {"F3", "", "1960-01-02 03:04:05"},
		{"G2", "山田 太郎", "山田 太郎"}, {"G3", "محمد علي", "محمد علي"}, {"G5", "🎉 party", "🎉 party"},
		{"H5", "line one\nline two\r\nline three", "line one\nline two\r\nline three"},
		// Formula neutralisation on text; numbers and numeric-looking text untouched.
		{"G6", "'=1+2", "'=1+2"}, {"H6", "'@SUM(A1)", "'@SUM(A1)"}, {"G7", "'+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"H7", "'-2+3", "'-2+3"}, {"G8", "'\tindented", "'\tindented"}, {"H8", "'\rcarriage", "'\rcarriage"},
		{"G9", "-42", "-42"}, {"H9", "+3.5", "+3.5"}, {"G10", "-0.5e3", "-0.5e3"}, {"C6", "-42", "-42"},
		// Before 1900-03-01 Excel has no date: the text says it.
		{"E11", "1899-01-01", "1899-01-01"},
	} {
		shown, err := f.GetCellValue("Sheet1", tc.cell)
		if err != nil {
			t.Fatal(err)
		}
		if shown != tc.shown {
			t.Errorf("%s shown: got %q, want %q", tc.cell, shown, tc.shown)
		}
		raw, _ := f.GetCellValue("Sheet1", tc.cell, excelize.Options{RawCellValue: true})
		if tc.raw != "" && raw != tc.raw {
			t.Errorf("%s raw: got %q, want %q", tc.cell, raw, tc.raw)
		}
	}
	// A timestamp's serial keeps its microseconds.
	raw, _ := f.GetCellValue("Sheet1", "F2", excelize.Options{RawCellValue: true})
	serial, _ := strconv.ParseFloat(raw, 64)
	want := sampleData()[0][5].(time.Time)
	// Excel's day 0 is 1899-12-30; the reader rounds to 15 digits, about 10 µs.
	got := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(serial * 86400e9))
	if got.Sub(want).Abs() > 10*time.Microsecond {
		t.Errorf("F2: serial %v is %v, want %v", serial, got, want)
	}
	// NULLs are empty cells.
	if v, _ := f.GetCellValue("Sheet1", "A4"); v != "" {
		t.Errorf("NULL: got %q, want an empty cell", v)
	}
}

// TestXLSXSheets writes one row more than a sheet holds: the last goes to
// Sheet2, under the header again.
func TestXLSXSheets(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 1,048,576 rows")
	}
	cols := []inlet.ResultColumn{{Name: "n", Type: inlet.TypeBigint}}
	const n = sheetRows // the header makes it one too many for Sheet1
	dir := t.TempDir()
	parts, err := Write(context.Background(), &oneColumn{n: n, vals: make([]any, 1), cols: cols}, DirSink(dir), Options{Format: XLSX, BaseName: "big"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if parts[0].Rows != n {
		t.Errorf("rows: got %d, want %d", parts[0].Rows, n)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "big.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{"Sheet1", "Sheet2"}, f.GetSheetList()); diff != "" {
		t.Fatalf("sheets (-want +got):\n%s", diff)
	}
	rows, err := f.GetRows("Sheet2")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"n"}, {fmt.Sprint(n)}}, rows); diff != "" {
		t.Errorf("Sheet2 (-want +got):\n%s", diff)
	}
	last, _ := f.GetCellValue("Sheet1", fmt.Sprintf("A%d", sheetRows))
	if last != fmt.Sprint(n-1) {
		t.Errorf("Sheet1's last row: got %q, want %d", last, n-1)
	}
	if panes, _ := f.GetPanes("Sheet2"); !panes.Freeze {
		t.Errorf("Sheet2's header row is not frozen")
	}
}

// oneColumn counts 1, 2, ... n in a bigint column.
type oneColumn struct {
	n, i int64
	vals []any
	cols []inlet.ResultColumn
}

func (o *oneColumn) Columns() []inlet.ResultColumn { return o.cols }
func (o *oneColumn) Next() bool {
	if o.i >= o.n {
		return false
	}
	o.i++
	o.vals[0] = o.i
	return true
}
func (o *oneColumn) Values() []any { return o.vals }
func (o *oneColumn) Err() error    { return nil }
func (o *oneColumn) Close() error  { return nil }

// TestXLSXCells: a NULL leaves its cell empty without moving the next one,
// and text comes back as written whatever it holds: XML's special
// characters, control characters, CR, a literal _xHHHH_ (Excel's own
// escape), leading and trailing spaces.
func TestXLSXCells(t *testing.T) {
	cols := []inlet.ResultColumn{{Name: "a", Type: inlet.TypeString}, {Name: "b", Type: inlet.TypeString}, {Name: "c", Type: inlet.TypeBigint}, {Name: "d", Type: inlet.TypeString}}
	texts := []string{"a & <b> \"c\" 'd'", "ctl\x01\x1fend", "cr\rlf\ntab\t", "_x0041_ stays", "  padded  ", "\uFFFEodd", "x_x00_y"}
	var data [][]any
	data = append(data, []any{nil, "second", nil, "fourth"})
	for _, s := range texts {
		data = append(data, []any{s, nil, int64(7), nil})
	}
	dir := t.TempDir()
	if _, err := Write(context.Background(), newRows(cols, data), DirSink(dir), Options{Format: XLSX, BaseName: "c"}, nil); err != nil {
		t.Fatal(err)
	}
	rows := xlsxRows(t, filepath.Join(dir, "c.xlsx"), "Sheet1")
	want := [][]string{{"a", "b", "c", "d"}, {"", "second", "", "fourth"}}
	for _, s := range texts {
		want = append(want, []string{s, "", "7"})
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
}

// An Excel cell holds 32,767 characters: a longer text refuses the export,
// naming the column and row and the formats that hold it, instead of
// cutting the value short.
func TestXLSXLongTextRefused(t *testing.T) {
	cols := []inlet.ResultColumn{{Name: "note", Type: inlet.TypeString}}
	long := strings.Repeat("é", maxCellChars+1)
	_, err := Write(context.Background(), newRows(cols, [][]any{{"short"}, {long}}), DirSink(t.TempDir()), Options{Format: XLSX}, nil)
	if err == nil || !strings.Contains(err.Error(), "column note, row 3") || !strings.Contains(err.Error(), "CSV") {
		t.Fatalf("got %v, want a refusal naming column note, row 3 and another format", err)
	}
	if _, err := Write(context.Background(), newRows(cols, [][]any{{strings.Repeat("é", maxCellChars)}}), DirSink(t.TempDir()), Options{Format: XLSX}, nil); err != nil {
		t.Errorf("a cell of exactly %d characters: %v", maxCellChars, err)
	}
}

// TestXLSXOpenpyxl reads the workbook with an independent reader, the one
// pandas uses (python3-openpyxl from apt), when it is installed.
func TestXLSXOpenpyxl(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import openpyxl").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("openpyxl is not installed (apt-get install python3-openpyxl): %v", err)
		}
		t.Skipf("openpyxl is not installed (apt-get install python3-openpyxl): %v", err)
	}
	dir, _ := write(t, Options{Format: XLSX, BaseName: "x"}, sampleData())
	script := `import json, sys, openpyxl, datetime
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Sheet1"]
out = {"sheets": wb.sheetnames, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "bold": ws["A1"].font.b,
       "rows": [[None if c is None else (c.isoformat() if isinstance(c, (datetime.date, datetime.datetime)) else c) for c in r] for r in ws.iter_rows(values_only=True)]}
print(json.dumps(out))`
	b, err := exec.Command(py, "-c", script, filepath.Join(dir, "x.xlsx")).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, b)
	}
	var got struct {
		Sheets []string
		Freeze string
		Filter string
		Bold   bool
		Rows   [][]any
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if got.Freeze != "A2" || got.Filter != "A1:H11" || !got.Bold || len(got.Rows) != 11 {
		t.Errorf("openpyxl sees freeze %q, filter %q, bold header %v, %d rows", got.Freeze, got.Filter, got.Bold, len(got.Rows))
	}
	row := got.Rows[2] // the negatives
	if row[0] != -2.0 || row[1] != -1234.5 || row[3] != false || row[6] != "محمد علي" {
		t.Errorf("row 3: %v", row)
	}
	if got.Rows[1][4] != "1955-03-04T00:00:00" {
		t.Errorf("a date: got %v, want 1955-03-04 as a date", got.Rows[1][4])
	}
}

// parquetRowsOf writes data with the Parquet export's writer and reads it
// back as the rows of an engine's unload: whole Arrow batches.
func parquetRowsOf(t *testing.T, cols []inlet.ResultColumn, data [][]any) *parquetRows {
	t.Helper()
	var buf bytes.Buffer
	p, err := newParquet(&buf, cols)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range data {
		if err := p.row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.close(); err != nil {
		t.Fatal(err)
	}
	rows, err := openParquetRows(context.Background(), bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rows.Close() })
	return rows
}

// zipEntries reads every entry of a zip file.
func zipEntries(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(b)
	}
	return out
}

// An XLSX written from Arrow batches (an engine's unload, read back
// without boxing each value) is the same workbook, byte for byte, as one
// written from the same rows one boxed value at a time: every type, NULLs,
// dates before Excel's first day, text that needs escaping or
// neutralising, NaN and infinities.
func TestXLSXFromArrowIsTheSame(t *testing.T) {
	extremeCols := []inlet.ResultColumn{{Name: "d", Type: inlet.TypeDate}, {Name: "ts", Type: inlet.TypeTimestamp}, {Name: "x", Type: inlet.TypeDouble},
		{Name: "big", Type: "decimal(38,4)"}, {Name: "s", Type: inlet.TypeString}}
	extreme := [][]any{
		{day(1900, 2, 28), time.Date(1900, 2, 28, 23, 59, 59, 0, time.UTC), math.NaN(), "12345678901234567890123456789012.3456", "_x0041_"},
		{day(1900, 3, 1), time.Date(1900, 3, 1, 0, 0, 0, 1000, time.UTC), math.Inf(1), "-0.0001", "a\x01b"},
		{day(9999, 12, 31), time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC), math.Inf(-1), "-12345678901234567890123456789012.3456", "=cmd"},
		{day(1, 1, 1), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), -0.0, "0.0000", "\uFFFE"},
	}
	cellCols := []inlet.ResultColumn{{Name: "a", Type: inlet.TypeString}, {Name: "b", Type: inlet.TypeString}, {Name: "c", Type: inlet.TypeBigint}}
	cells := [][]any{{nil, "second", nil}, {"a & <b>", nil, int64(-7)}, {"cr\rlf\n", "  padded  ", nil}, {nil, nil, nil}}
	for name, c := range map[string]struct {
		cols []inlet.ResultColumn
		data [][]any
	}{"sample": {sampleCols, sampleData()}, "extreme": {extremeCols, extreme}, "cells": {cellCols, cells}} {
		t.Run(name, func(t *testing.T) {
			boxed, batched := t.TempDir(), t.TempDir()
			opts := Options{Format: XLSX, BaseName: "x"}
			if _, err := Write(context.Background(), newRows(c.cols, c.data), DirSink(boxed), opts, nil); err != nil {
				t.Fatal(err)
			}
			rows := parquetRowsOf(t, c.cols, c.data)
			if _, err := Write(context.Background(), rows, DirSink(batched), opts, nil); err != nil {
				t.Fatal(err)
			}
			want, got := zipEntries(t, filepath.Join(boxed, "x.xlsx")), zipEntries(t, filepath.Join(batched, "x.xlsx"))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("XLSX from Arrow batches differs (-boxed +batched):\n%s", diff)
			}
		})
	}
}
