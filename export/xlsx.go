package export

import (
	"archive/zip"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/igzip"
)

// sheetRows is the most rows an Excel sheet holds, its header included.
const sheetRows = 1 << 20

// maxCellChars is the most characters an Excel cell holds.
const maxCellChars = 32767

// xlsxFlush is how much sheet XML is buffered before it goes to the zip.
const xlsxFlush = 256 << 10

// xlsxWriter streams a workbook: typed cells, a bold filled header that
// stays in view, an autofilter, and a new sheet, header repeated, each time
// one is full. It writes the SpreadsheetML itself, row by row into the zip
// entry of the sheet, with inline strings (no shared-string table to hold),
// so memory stays flat however many rows. excelize's StreamWriter did the
// same job at a quarter of the speed, most of it spent building and
// escaping each cell through general-purpose code.
type xlsxWriter struct {
	zw      *zip.Writer
	sheet   io.Writer // the current sheet's zip entry
	cols    []column
	letters []string // column letters, for a cell after a NULL
	styles  []int    // per column: the cell style of its values
	widths  []float64
	decimal []int // the scales with a number format, in style order
	sheets  int
	onSheet int // rows written on the current sheet, header included
	buf     []byte
	closed  bool
}

// The cell styles (cellXfs indices) of styles.xml; each decimal scale
// adds one after styleStamp.
const (
	styleHeader = 1
	styleDate   = 2
	styleStamp  = 3
)

func newXLSX(w io.Writer, rcols []inlet.ResultColumn) (*xlsxWriter, error) {
	zw := zip.NewWriter(w)
	// The fastest deflate with a match search: an XLSX is zipped XML, and
	// zipping is most of the time it takes to write.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return igzip.NewWriter(w, 1)
	})
	x := &xlsxWriter{zw: zw, cols: columnsOf(rcols), buf: make([]byte, 0, xlsxFlush+64<<10)}
	x.layout()
	if err := x.part("xl/styles.xml", x.stylesXML()); err != nil {
		return nil, err
	}
	if err := x.newSheet(); err != nil {
		return nil, err
	}
	return x, nil
}

// layout decides each column's letters, style and width from its name and
// type.
func (x *xlsxWriter) layout() {
	x.letters = make([]string, len(x.cols))
	x.styles = make([]int, len(x.cols))
	x.widths = make([]float64, len(x.cols))
	for i, c := range x.cols {
		x.letters[i] = columnLetters(i + 1)
		least := 12.0
		switch c.kind {
		case kindDate:
			x.styles[i] = styleDate
		case kindTimestamp:
			x.styles[i], least = styleStamp, 20
		case kindDecimal:
			// The scale's digits always show: 12.50 stays 12.50.
			if c.scale > 0 {
				k := 0
				for k < len(x.decimal) && x.decimal[k] != c.scale {
					k++
				}
				if k == len(x.decimal) {
					x.decimal = append(x.decimal, c.scale)
				}
				x.styles[i] = styleStamp + 1 + k
			}
			least = 14
		case kindBoolean:
			least = 8
		case kindString:
			least = 16
		}
		// Bold header text is about 1.2 characters wide per character, plus
		// room for the autofilter's button.
		x.widths[i] = min(max(least, float64(utf8.RuneCountInString(c.name))*1.2+3), 60)
	}
}

// columnLetters is a column's name: A, B, ..., Z, AA, ...
func columnLetters(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

func (x *xlsxWriter) stylesXML() string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	fmt.Fprintf(&b, `<numFmts count="%d"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/>`, 2+len(x.decimal))
	for k, scale := range x.decimal {
		fmt.Fprintf(&b, `<numFmt numFmtId="%d" formatCode="0.%s"/>`, 166+k, strings.Repeat("0", min(scale, 30)))
	}
	b.WriteString(`</numFmts>`)
	b.WriteString(`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
		`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>`)
	b.WriteString(`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
		`<fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill></fill></fills>`)
	b.WriteString(`<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>` +
		`<border><left/><right/><top/><bottom style="thin"><color rgb="FF8EA9DB"/></bottom><diagonal/></border></borders>`)
	b.WriteString(`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`)
	fmt.Fprintf(&b, `<cellXfs count="%d"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`, 4+len(x.decimal))
	b.WriteString(`<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf>`)
	b.WriteString(`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`)
	b.WriteString(`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`)
	for k := range x.decimal {
		fmt.Fprintf(&b, `<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`, 166+k)
	}
	b.WriteString(`</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`)
	return b.String()
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// part writes a whole small part of the package.
func (x *xlsxWriter) part(name, body string) error {
	w, err := x.zw.Create(name)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, body)
	return err
}

// newSheet starts the next sheet: view with the header row frozen,
// column widths and number formats, then the header.
func (x *xlsxWriter) newSheet() error {
	x.sheets++
	w, err := x.zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", x.sheets))
	if err != nil {
		return err
	}
	x.sheet = w
	b := append(x.buf[:0], xmlHeader+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`...)
	b = append(b, `<sheetViews><sheetView workbookViewId="0"`...)
	if x.sheets == 1 {
		b = append(b, ` tabSelected="1"`...)
	}
	b = append(b, `><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>`...)
	b = append(b, `<sheetFormatPr defaultRowHeight="15"/>`...)
	if len(x.cols) > 0 {
		b = append(b, `<cols>`...)
		for i := range x.cols {
			b = fmt.Appendf(b, `<col min="%d" max="%d" width="%.2f" customWidth="1"`, i+1, i+1, x.widths[i])
			if x.styles[i] != 0 {
				b = fmt.Appendf(b, ` style="%d"`, x.styles[i])
			}
			b = append(b, `/>`...)
		}
		b = append(b, `</cols>`...)
	}
	b = append(b, `<sheetData><row r="1" ht="20" customHeight="1">`...)
	for i, c := range x.cols {
		b = append(b, `<c r="`...)
		b = append(b, x.letters[i]...)
		b = append(b, `1" s="1" t="inlineStr"><is>`...)
		b = appendInlineText(b, SafeText(c.name))
		b = append(b, `</is></c>`...)
	}
	b = append(b, `</row>`...)
	x.buf = b
	x.onSheet = 1
	return nil
}

// endSheet closes the rows and sets the autofilter over the header and the
// rows below it.
func (x *xlsxWriter) endSheet() error {
	b := append(x.buf, `</sheetData>`...)
	if len(x.cols) > 0 {
		b = append(b, `<autoFilter ref="`...)
		b = x.appendRange(b)
		b = append(b, `"/>`...)
	}
	b = append(b, `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`...)
	x.buf = b
	return x.flush()
}

// appendRange appends the current sheet's A1:<last column><last row>.
func (x *xlsxWriter) appendRange(b []byte) []byte {
	b = append(b, "A1:"...)
	b = append(b, x.letters[len(x.letters)-1]...)
	return strconv.AppendInt(b, int64(x.onSheet), 10)
}

func (x *xlsxWriter) flush() error {
	_, err := x.sheet.Write(x.buf)
	x.buf = x.buf[:0]
	return err
}

func (x *xlsxWriter) row(vals []any) error {
	b, err := x.startRow()
	if err != nil {
		return err
	}
	gap := false // a NULL left no cell: the next one says where it is
	for i, v := range vals {
		if v == nil {
			gap = true
			continue
		}
		b = x.startCell(b, i, gap)
		gap = false
		if b, err = x.appendValue(b, v, i); err != nil {
			return err
		}
	}
	return x.endRow(b)
}

// arrowRow writes row i of rec as row writes its values, reading each
// column's typed array: a value is not boxed into an interface on the
// way, which was a fifth of an XLSX export's time.
// TestXLSXFromArrowIsTheSame holds the two to the same bytes.
func (x *xlsxWriter) arrowRow(rec arrow.RecordBatch, i int) error {
	b, err := x.startRow()
	if err != nil {
		return err
	}
	gap := false
	for c, col := range rec.Columns() {
		if col.IsNull(i) {
			gap = true
			continue
		}
		b = x.startCell(b, c, gap)
		gap = false
		switch a := col.(type) {
		case *array.String:
			b, err = x.appendString(b, a.Value(i), c)
		case *array.Int64:
			b = appendIntCell(b, a.Value(i))
		case *array.Int32:
			b = appendIntCell(b, int64(a.Value(i)))
		case *array.Boolean:
			b = appendBoolCell(b, a.Value(i))
		case *array.Date32:
			if d := int64(a.Value(i)); d > maxDays {
				b, err = x.appendValue(b, cell(col, i), c) // past microseconds' range
			} else if n, ok := excelSerialMicros(d * 86400e6); ok {
				b = appendSerialCell(b, n)
			} else {
				b, err = x.appendValue(b, cell(col, i), c)
			}
		case *array.Timestamp:
			if n, ok := excelSerialMicros(micros(int64(a.Value(i)), a.DataType().(*arrow.TimestampType).Unit)); ok {
				b = appendSerialCell(b, n)
			} else {
				b, err = x.appendValue(b, cell(col, i), c)
			}
		case *array.Decimal128:
			v := a.Value(i)
			if hi, lo := v.HighBits(), v.LowBits(); hi == 0 && lo>>63 == 0 || hi == -1 && lo>>63 == 1 {
				scale := int(a.DataType().(*arrow.Decimal128Type).Scale)
				b = append(appendScaled(append(b, `><v>`...), int64(lo), scale), `</v></c>`...)
			} else {
				b, err = x.appendValue(b, cell(col, i), c)
			}
		default:
			b, err = x.appendValue(b, cell(col, i), c)
		}
		if err != nil {
			return err
		}
	}
	return x.endRow(b)
}

// micros is a timestamp of unit in microseconds, rounded down as
// time.Time's UnixMicro does.
func micros(v int64, unit arrow.TimeUnit) int64 {
	switch unit {
	case arrow.Second:
		return v * 1e6
	case arrow.Millisecond:
		return v * 1e3
	case arrow.Nanosecond:
		if v < 0 && v%1000 != 0 {
			return v/1000 - 1
		}
		return v / 1000
	}
	return v
}

// maxDays is the last day whose microseconds since 1970 fit 64 bits.
const maxDays = math.MaxInt64 / (86400 * 1_000_000)

// appendIntCell, appendBoolCell and appendSerialCell append the rest of a
// cell, from the end of its attributes: the writers of both row paths.
func appendIntCell(b []byte, n int64) []byte {
	return append(strconv.AppendInt(append(b, `><v>`...), n, 10), `</v></c>`...)
}

func appendBoolCell(b []byte, v bool) []byte {
	if v {
		return append(b, ` t="b"><v>1</v></c>`...)
	}
	return append(b, ` t="b"><v>0</v></c>`...)
}

// appendSerialCell appends an Excel date-time number, which the column's
// date format shows as a date.
func appendSerialCell(b []byte, n float64) []byte {
	return append(strconv.AppendFloat(append(b, `><v>`...), n, 'f', -1, 64), `</v></c>`...)
}

// startRow starts the next row, on a new sheet when this one is full.
func (x *xlsxWriter) startRow() ([]byte, error) {
	if x.onSheet == sheetRows {
		if err := x.endSheet(); err != nil {
			return nil, err
		}
		if err := x.newSheet(); err != nil {
			return nil, err
		}
	}
	x.onSheet++
	b := append(x.buf, `<row r="`...)
	b = strconv.AppendInt(b, int64(x.onSheet), 10)
	return append(b, `">`...), nil
}

// startCell opens column col's cell, with its reference after a gap and
// its style.
func (x *xlsxWriter) startCell(b []byte, col int, gap bool) []byte {
	b = append(b, `<c`...)
	if gap {
		b = append(b, ` r="`...)
		b = append(b, x.letters[col]...)
		b = strconv.AppendInt(b, int64(x.onSheet), 10)
		b = append(b, '"')
	}
	if s := x.styles[col]; s != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(s), 10)
		b = append(b, '"')
	}
	return b
}

func (x *xlsxWriter) endRow(b []byte) error {
	b = append(b, `</row>`...)
	x.buf = b
	if len(b) >= xlsxFlush {
		return x.flush()
	}
	return nil
}

// appendValue appends the rest of a cell, from the end of its attributes:
// numbers, booleans and dates as such, text inline and formula-safe.
func (x *xlsxWriter) appendValue(b []byte, v any, col int) ([]byte, error) {
	switch t := v.(type) {
	case string:
		return x.appendString(b, t, col)
	case int64:
		return appendIntCell(b, t), nil
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return appendTextCell(b, strconv.FormatFloat(t, 'g', -1, 64)), nil // Excel has no such number
		}
		b = append(b, `><v>`...)
		b = strconv.AppendFloat(b, t, 'g', -1, 64)
		return append(b, `</v></c>`...), nil
	case bool:
		return appendBoolCell(b, t), nil
	case time.Time:
		if n, ok := excelSerial(t); ok {
			return appendSerialCell(b, n), nil
		}
		return appendTextCell(b, string(appendText(nil, t, x.cols[col].kind, ' '))), nil // before Excel's first day
	}
	return appendTextCell(b, fmt.Sprint(v)), nil
}

// appendString appends the rest of a text value's cell: a decimal's exact
// text as a number, anything else as formula-safe inline text.
func (x *xlsxWriter) appendString(b []byte, t string, col int) ([]byte, error) {
	if x.cols[col].kind == kindDecimal && plainNumber(t) {
		// A decimal's exact text is a number Excel reads as it is.
		b = append(b, `><v>`...)
		b = append(b, t...)
		return append(b, `</v></c>`...), nil
	}
	if len(t) > maxCellChars && utf8.RuneCountInString(t) > maxCellChars {
		return b, inlet.Errorf(inlet.EINVALID, "column %s, row %d of sheet %d: %d characters, more than the %d an Excel cell holds: export as CSV, Parquet or JSON Lines instead",
			x.cols[col].name, x.onSheet, x.sheets, utf8.RuneCountInString(t), maxCellChars)
	}
	return appendTextCell(b, SafeText(t)), nil
}

// appendTextCell appends an inline string cell's type and value.
func appendTextCell(b []byte, s string) []byte {
	b = append(b, ` t="inlineStr"><is>`...)
	b = appendInlineText(b, s)
	return append(b, `</is></c>`...)
}

// appendInlineText appends <t>s</t>, escaped for XML and for Excel: a
// character XML cannot hold (a control character, an invalid byte) and
// CR, which XML readers turn into LF, are written _xHHHH_, the escape
// Excel reads back, and an underscore that would start such an escape in
// the text is itself escaped (_x005F_).
func appendInlineText(b []byte, s string) []byte {
	b = append(b, `<t`...)
	if s != "" && (isXMLSpace(s[0]) || isXMLSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if xmlPlain[c] {
			i++
			continue
		}
		if c >= 0x80 {
			r, size := utf8.DecodeRuneInString(s[i:])
			var esc string
			switch {
			case r == utf8.RuneError && size == 1:
				esc = "\uFFFD" // not UTF-8: XML cannot carry the byte
			case r == 0xFFFE || r == 0xFFFF:
				esc = fmt.Sprintf("_x%04X_", r)
			}
			if esc != "" {
				b = append(b, s[start:i]...)
				b = append(b, esc...)
				start = i + size
			}
			i += size
			continue
		}
		var esc string
		switch {
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '_' && excelEscapeAt(s, i):
			esc = "_x005F_"
		case c < 0x20 && c != '\t' && c != '\n':
			esc = fmt.Sprintf("_x%04X_", c)
		default:
			i++
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, esc...)
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, `</t>`...)
}

// xmlPlain marks the bytes appendInlineText copies as they are: printable
// ASCII, tab and newline, except &, <, > and _ (which may need escaping).
var xmlPlain = func() (plain [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		plain[c] = true
	}
	plain['\t'], plain['\n'] = true, true
	plain['&'], plain['<'], plain['>'], plain['_'] = false, false, false, false
	return plain
}()

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// excelEscapeAt reports whether s[i:] starts with _xHHHH_, which Excel
// would read as an escaped character.
func excelEscapeAt(s string, i int) bool {
	if len(s)-i < 7 || s[i+1] != 'x' || s[i+6] != '_' {
		return false
	}
	for _, c := range []byte(s[i+2 : i+6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// close ends the last sheet and writes the parts that list the sheets:
// the workbook (with each sheet's filter range), its relationships and
// the content types.
func (x *xlsxWriter) close() error {
	if x.closed {
		return nil
	}
	x.closed = true
	if err := x.endSheet(); err != nil {
		return err
	}
	lastRows := x.onSheet
	var wb, rels, types strings.Builder
	wb.WriteString(xmlHeader + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	rels.WriteString(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	types.WriteString(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
	for n := 1; n <= x.sheets; n++ {
		fmt.Fprintf(&wb, `<sheet name="Sheet%d" sheetId="%d" r:id="rId%d"/>`, n, n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
	}
	wb.WriteString(`</sheets>`)
	if len(x.cols) > 0 {
		// Excel's name for a sheet's filter range.
		wb.WriteString(`<definedNames>`)
		last := x.letters[len(x.letters)-1]
		for n := 1; n <= x.sheets; n++ {
			rows := sheetRows
			if n == x.sheets {
				rows = lastRows
			}
			fmt.Fprintf(&wb, `<definedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">'Sheet%d'!$A$1:$%s$%d</definedName>`, n-1, n, last, rows)
		}
		wb.WriteString(`</definedNames>`)
	}
	wb.WriteString(`</workbook>`)
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`, x.sheets+1)
	types.WriteString(`</Types>`)
	for _, p := range []struct{ name, body string }{
		{"xl/workbook.xml", wb.String()},
		{"xl/_rels/workbook.xml.rels", rels.String()},
		{"[Content_Types].xml", types.String()},
		{"_rels/.rels", xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	} {
		if err := x.part(p.name, p.body); err != nil {
			return err
		}
	}
	if err := x.zw.Close(); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}
