package export

import (
	"archive/zip"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	inlet "github.com/inlet-data/inlet"
	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// sheetRows is the most rows an Excel sheet holds, its header included.
const sheetRows = 1 << 20

// xlsxWriter writes a workbook through excelize's StreamWriter: typed
// cells, a bold filled header that stays in view, an autofilter, and a new
// sheet, header repeated, each time one is full.
type xlsxWriter struct {
	w       io.Writer
	f       *excelize.File
	cols    []column
	sw      *excelize.StreamWriter
	sheet   string
	sheets  int
	onSheet int // rows written on the current sheet, header included

	header     []any
	colStyle   []int // per column: the number format of dates and decimals
	widths     []float64
	vals       []any // the row handed to SetRow, reused
	firstSheet string
}

func newXLSX(w io.Writer, rcols []inlet.ResultColumn) (*xlsxWriter, error) {
	f := excelize.NewFile()
	// A fast deflate: an XLSX is zipped XML, and zipping dominates its
	// writing at the standard library's default level.
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(w, 2)
		})
		return zw
	})
	x := &xlsxWriter{w: w, f: f, cols: columnsOf(rcols)}
	if err := x.styles(); err != nil {
		f.Close()
		return nil, err
	}
	x.vals = make([]any, len(x.cols))
	x.firstSheet = f.GetSheetName(0)
	if err := x.newSheet(); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

// styles makes the header's style and the columns' number formats, and
// sizes the columns from their names and types.
func (x *xlsxWriter) styles() error {
	head, err := x.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	if err != nil {
		return err
	}
	date, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")})
	if err != nil {
		return err
	}
	stamp, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss")})
	if err != nil {
		return err
	}
	decimals := map[int]int{}
	x.colStyle = make([]int, len(x.cols))
	x.widths = make([]float64, len(x.cols))
	x.header = make([]any, len(x.cols))
	for i, c := range x.cols {
		x.header[i] = excelize.Cell{StyleID: head, Value: SafeText(c.name)}
		least := 12.0
		switch c.kind {
		case kindDate:
			x.colStyle[i] = date
		case kindTimestamp:
			x.colStyle[i], least = stamp, 20
		case kindDecimal:
			// The scale's digits always show: 12.50 stays 12.50.
			if c.scale > 0 {
				s, ok := decimals[c.scale]
				if !ok {
					if s, err = x.f.NewStyle(&excelize.Style{CustomNumFmt: ptr("0." + strings.Repeat("0", min(c.scale, 30)))}); err != nil {
						return err
					}
					decimals[c.scale] = s
				}
				x.colStyle[i] = s
			}
			least = 14
		case kindBoolean:
			least = 8
		case kindString:
			least = 16
		}
		// Bold header text is about 1.2 characters wide per character, plus
		// room for the autofilter's button.
		x.widths[i] = max(least, float64(utf8.RuneCountInString(c.name))*1.2+3)
		x.widths[i] = min(x.widths[i], 60)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// newSheet starts the next sheet: widths, number formats, frozen header
// row, then the header.
func (x *xlsxWriter) newSheet() error {
	x.sheets++
	x.sheet = x.firstSheet
	if x.sheets > 1 {
		x.sheet = "Sheet" + strconv.Itoa(x.sheets)
		if _, err := x.f.NewSheet(x.sheet); err != nil {
			return err
		}
	}
	sw, err := x.f.NewStreamWriter(x.sheet)
	if err != nil {
		return err
	}
	x.sw = sw
	for i := range x.cols {
		if err := sw.SetColWidth(i+1, i+1, x.widths[i]); err != nil {
			return err
		}
		if x.colStyle[i] != 0 {
			if err := sw.SetColStyle(i+1, i+1, x.colStyle[i]); err != nil {
				return err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	x.onSheet = 1
	return sw.SetRow("A1", x.header, excelize.RowOpts{Height: 20})
}

// endSheet sets the autofilter over the header and the rows below it and
// ends the sheet's stream.
func (x *xlsxWriter) endSheet() error {
	if len(x.cols) > 0 {
		last, err := excelize.CoordinatesToCellName(len(x.cols), x.onSheet)
		if err != nil {
			return err
		}
		if err := x.f.AutoFilter(x.sheet, "A1:"+last, nil); err != nil {
			return err
		}
	}
	return x.sw.Flush()
}

func (x *xlsxWriter) row(vals []any) error {
	if x.onSheet == sheetRows {
		if err := x.endSheet(); err != nil {
			return err
		}
		if err := x.newSheet(); err != nil {
			return err
		}
	}
	x.onSheet++
	for i, v := range vals {
		// Cells pass as the values they are where excelize types them right
		// (numbers, booleans, safe text), so most cost no allocation.
		x.vals[i] = v
		switch t := v.(type) {
		case string:
			switch x.cols[i].kind {
			case kindDecimal:
				if n, err := strconv.ParseFloat(t, 64); err == nil {
					x.vals[i] = n
				}
			case kindString:
				if risky(t) {
					x.vals[i] = "'" + t
				}
			}
		case time.Time:
			if n, ok := excelSerial(t); ok {
				x.vals[i] = n // the column's date format shows it as a date
			} else {
				x.vals[i] = string(appendText(nil, t, x.cols[i].kind, ' ')) // Excel has no such date
			}
		}
	}
	return x.sw.SetRow(cellName(x.onSheet), x.vals)
}

// cellName is "A<row>", without excelize's general conversion.
func cellName(row int) string {
	var b [24]byte
	b[0] = 'A'
	return string(strconv.AppendInt(b[:1], int64(row), 10))
}

func (x *xlsxWriter) close() error {
	if x.f == nil {
		return nil
	}
	defer func() { x.f.Close(); x.f = nil }()
	if err := x.endSheet(); err != nil {
		return err
	}
	x.f.SetActiveSheet(0)
	if err := x.f.Write(x.w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}
