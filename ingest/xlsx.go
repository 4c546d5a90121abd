package ingest

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxLimits bound what a workbook may expand to, against zip bombs.
type xlsxLimits struct {
	MaxUnzipped int64  // total uncompressed bytes
	MaxRatio    int64  // uncompressed/compressed for any large entry
	TmpDir      string // where excelize spills big sheets; cleaned by the caller
}

// checkZip rejects archives that are not workbooks or would expand beyond the
// limits, before excelize reads a byte of them.
func checkZip(path string, lim xlsxLimits) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("the file is not a valid XLSX workbook (%v)", err)
	}
	defer zr.Close()
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if strings.EqualFold(f.Name, "xl/workbook.xml") {
			workbook = true
		}
		if f.UncompressedSize64 > 16<<20 && f.CompressedSize64 > 0 &&
			f.UncompressedSize64/f.CompressedSize64 > uint64(lim.MaxRatio) {
			return fmt.Errorf("the workbook part %s expands %d times (limit %d): refusing a possible zip bomb",
				f.Name, f.UncompressedSize64/f.CompressedSize64, lim.MaxRatio)
		}
	}
	if total > uint64(lim.MaxUnzipped) {
		return fmt.Errorf("the workbook expands to %s, over the %s limit", byteSize64(int64(total)), byteSize64(lim.MaxUnzipped))
	}
	if !workbook {
		return errors.New("the file is a zip archive but not an XLSX workbook")
	}
	return nil
}

func byteSize64(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// openWorkbook opens a checked workbook.
func openWorkbook(path string, lim xlsxLimits) (*excelize.File, error) {
	if err := checkZip(path, lim); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{
		UnzipSizeLimit:    lim.MaxUnzipped,
		UnzipXMLSizeLimit: 16 << 20,
		TmpDir:            lim.TmpDir,
		// Built-in date formats render as ISO dates, which type inference reads
		// unambiguously; custom formats render as their format code says.
		ShortDatePattern: "yyyy-mm-dd",
		LongTimePattern:  "hh:mm:ss",
	})
	if err != nil {
		return nil, fmt.Errorf("the workbook cannot be read (%v)", err)
	}
	return f, nil
}

// visibleSheets lists the worksheets of a workbook in order.
func visibleSheets(f *excelize.File) []string {
	return f.GetSheetList()
}

// sheetRows streams one sheet. It reads each row twice, raw and formatted,
// from two iterators in lockstep: raw values keep numbers exact (currency and
// percent formats would turn them into text), formatted values turn
// date-formatted serial numbers into dates.
type sheetRows struct {
	raw, fmtd *excelize.Rows
	row       int
	cells     [][]byte
	width     int // short rows are padded with empty cells to this width
	maxCols   int // a wider row is an error (0: no limit)
}

func openSheet(f *excelize.File, sheet string, maxCols int) (*sheetRows, error) {
	raw, err := f.Rows(sheet)
	if err != nil {
		var notExist excelize.ErrSheetNotExist
		if errors.As(err, &notExist) {
			return nil, fmt.Errorf("the workbook has no sheet named %q (sheets: %s)", sheet, strings.Join(visibleSheets(f), ", "))
		}
		return nil, err
	}
	fmtd, err := f.Rows(sheet)
	if err != nil {
		raw.Close()
		return nil, err
	}
	return &sheetRows{raw: raw, fmtd: fmtd, maxCols: maxCols}, nil
}

// Next returns the next non-empty row, trailing empty cells trimmed.
func (s *sheetRows) Next() ([][]byte, error) {
	for {
		if !s.raw.Next() {
			if err := s.raw.Error(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		s.fmtd.Next()
		s.row++
		rawCells, err := s.raw.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("row %d: %v", s.row, err)
		}
		fmtCells, err := s.fmtd.Columns()
		if err != nil {
			return nil, fmt.Errorf("row %d: %v", s.row, err)
		}
		n := len(rawCells)
		for n > 0 && strings.TrimSpace(rawCells[n-1]) == "" {
			n--
		}
		if n == 0 {
			continue // empty rows are not records
		}
		if s.maxCols > 0 && n > s.maxCols {
			return nil, &parseError{Line: s.row, Column: s.maxCols + 1, Reason: fmt.Sprintf("the row has %d columns, more than the %d allowed (--max-columns raises the limit)", n, s.maxCols)}
		}
		s.cells = s.cells[:0]
		for i := 0; i < n; i++ {
			v := rawCells[i]
			if i < len(fmtCells) && fmtCells[i] != v && isSerialNumber(v) {
				if _, ok := scanDateTime([]byte(fmtCells[i]), orderAll); ok != 0 || looksLikeTime(fmtCells[i]) {
					v = fmtCells[i]
				}
			}
			s.cells = append(s.cells, []byte(v))
		}
		for len(s.cells) < s.width {
			s.cells = append(s.cells, nil)
		}
		return s.cells, nil
	}
}

// Line is the 1-based row number of the last row returned.
func (s *sheetRows) Line() int { return s.row }

func (s *sheetRows) Close() error {
	return errors.Join(s.raw.Close(), s.fmtd.Close())
}

func isSerialNumber(v string) bool {
	_, ok := scanNumber([]byte(v), styleDot)
	return ok
}

func looksLikeTime(v string) bool {
	var p parsedTime
	return scanTime([]byte(v), &p)
}
