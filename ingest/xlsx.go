package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/inlet-data/inlet/internal/igzip"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Inlet reads workbooks itself rather than through excelize's Rows: one
// streaming pass of excelize's reader over a 200 000 × 20 sheet takes longer
// than openpyxl (bench -xlsx), and its formatted values need a second pass.
// The reader below finds the parts through the package relationships, resolves
// number formats from the styles and streams each sheet's XML once. excelize
// still writes the workbooks of the tests and the benchmark.

// xlsxLimits bound what a workbook may expand to, against zip bombs.
type xlsxLimits struct {
	MaxUnzipped int64  // total uncompressed bytes
	MaxRatio    int64  // uncompressed/compressed for any large entry
	TmpDir      string // scratch space; cleaned by the caller
}

// checkZip rejects archives that are not workbooks or would expand beyond the
// limits, before a byte of them is decompressed.
func checkZip(zr *zip.Reader, lim xlsxLimits) error {
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > 16<<20 && f.CompressedSize64 > 0 &&
			f.UncompressedSize64/f.CompressedSize64 > uint64(lim.MaxRatio) {
			return fmt.Errorf("the workbook part %s expands %d times (limit %d): refusing a possible zip bomb",
				f.Name, f.UncompressedSize64/f.CompressedSize64, lim.MaxRatio)
		}
	}
	if total > uint64(lim.MaxUnzipped) {
		return fmt.Errorf("the workbook expands to %s, over the %s limit", byteSize64(int64(total)), byteSize64(lim.MaxUnzipped))
	}
	return nil
}

func byteSize64(n int64) string {
	if n >= 1<<30 {
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// workbook is an open XLSX package: its worksheets, date system, cell
// formats and shared strings.
type workbook struct {
	zr       *zip.ReadCloser
	sheets   []sheetPart
	date1904 bool
	formats  []cellFormat // by cell style (cellXfs) index
	strings  sharedStrings
}

// sheetPart is one worksheet of a workbook.
type sheetPart struct {
	name   string
	hidden bool
	file   *zip.File
}

// openWorkbook opens a workbook and reads everything but the sheets' cells.
func openWorkbook(p string, lim xlsxLimits) (*workbook, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, fmt.Errorf("the file is not a valid XLSX workbook (%v)", err)
	}
	// ISA-L's inflater: compress/flate's was 15 % of reading a workbook.
	zr.RegisterDecompressor(zip.Deflate, igzip.NewReader)
	wb := &workbook{zr: zr}
	if err := wb.load(lim); err != nil {
		zr.Close()
		return nil, err
	}
	return wb, nil
}

func (wb *workbook) Close() error { return wb.zr.Close() }

// load follows the package relationships to the workbook part (it need not
// be xl/workbook.xml), then to its sheets, styles and shared strings.
func (wb *workbook) load(lim xlsxLimits) error {
	if err := checkZip(&wb.zr.Reader, lim); err != nil {
		return err
	}
	parts := make(map[string]*zip.File, len(wb.zr.File))
	for _, f := range wb.zr.File {
		parts[partKey(f.Name)] = f
	}
	wbPath := "xl/workbook.xml"
	if rels, err := readRels(parts, "_rels/.rels", ""); err == nil {
		if t, ok := rels.target("officeDocument"); ok {
			wbPath = t
		}
	}
	wbFile := parts[partKey(wbPath)]
	if wbFile == nil {
		return errors.New("the file is a zip archive but not an XLSX workbook (it has no workbook part)")
	}
	var doc xWorkbook
	if err := readXML(wbFile, &doc); err != nil {
		return fmt.Errorf("the workbook part %s cannot be read (%v)", wbFile.Name, err)
	}
	wb.date1904 = xmlTrue(doc.Pr.Date1904)
	dir := path.Dir(wbPath)
	rels, err := readRels(parts, path.Join(dir, "_rels", path.Base(wbPath)+".rels"), dir)
	if err != nil {
		return fmt.Errorf("the workbook's relationships cannot be read (%v)", err)
	}
	for _, s := range doc.Sheets {
		rel, ok := rels.byID[s.id()]
		if !ok || !strings.HasSuffix(rel.Type, "/worksheet") {
			continue // chart sheets and dialog sheets hold no table
		}
		f := parts[partKey(rel.target)]
		if f == nil {
			return fmt.Errorf("the workbook names sheet %q but its part %s is missing", s.Name, rel.target)
		}
		wb.sheets = append(wb.sheets, sheetPart{name: s.Name, hidden: s.State == "hidden" || s.State == "veryHidden", file: f})
	}
	if t, ok := rels.target("styles"); ok && parts[partKey(t)] != nil {
		if wb.formats, err = readFormats(parts[partKey(t)]); err != nil {
			return fmt.Errorf("the workbook's styles cannot be read (%v)", err)
		}
	}
	if t, ok := rels.target("sharedStrings"); ok && parts[partKey(t)] != nil {
		if wb.strings, err = readSharedStrings(parts[partKey(t)]); err != nil {
			return fmt.Errorf("the workbook's shared strings cannot be read (%v)", err)
		}
	}
	return nil
}

// sheetNames lists the visible worksheets in workbook order.
func (wb *workbook) sheetNames() []string {
	var names []string
	for _, s := range wb.sheets {
		if !s.hidden {
			names = append(names, s.name)
		}
	}
	return names
}

// largestSheet is the visible worksheet with the most data, measured by the
// size of its XML: a cheap and fair proxy for its cell count.
func (wb *workbook) largestSheet() string {
	best := -1
	for i, s := range wb.sheets {
		if !s.hidden && (best < 0 || s.file.UncompressedSize64 > wb.sheets[best].file.UncompressedSize64) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return wb.sheets[best].name
}

func (wb *workbook) sheet(name string) (*sheetPart, bool) {
	for i := range wb.sheets {
		if wb.sheets[i].name == name {
			return &wb.sheets[i], true
		}
	}
	return nil, false
}

// partKey is how part names are compared: OPC part names are
// case-insensitive, and some writers use backslashes.
func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

type xWorkbook struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []xSheet `xml:"sheets>sheet"`
}

type xSheet struct {
	Name  string     `xml:"name,attr"`
	State string     `xml:"state,attr"`
	Attrs []xml.Attr `xml:",any,attr"`
}

// id is the sheet's relationship id (r:id in transitional and strict OOXML).
func (s xSheet) id() string {
	for _, a := range s.Attrs {
		if a.Name.Local == "id" && a.Name.Space != "" {
			return a.Value
		}
	}
	return ""
}

func xmlTrue(v string) bool { return v == "1" || v == "true" }

type rel struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
	Mode   string `xml:"TargetMode,attr"`
	target string // resolved part name
}

type relSet struct {
	byID map[string]rel
	all  []rel
}

// target is the part of the first relationship whose type ends in kind.
func (r relSet) target(kind string) (string, bool) {
	for _, x := range r.all {
		if strings.HasSuffix(x.Type, "/"+kind) && x.Mode != "External" {
			return x.target, true
		}
	}
	return "", false
}

func readRels(parts map[string]*zip.File, name, dir string) (relSet, error) {
	f := parts[partKey(name)]
	if f == nil {
		return relSet{}, fmt.Errorf("%s is missing", name)
	}
	var doc struct {
		Rels []rel `xml:"Relationship"`
	}
	if err := readXML(f, &doc); err != nil {
		return relSet{}, err
	}
	set := relSet{byID: map[string]rel{}}
	for _, r := range doc.Rels {
		t := strings.ReplaceAll(r.Target, `\`, "/")
		if strings.HasPrefix(t, "/") {
			r.target = strings.TrimPrefix(t, "/")
		} else {
			r.target = path.Join(dir, t)
		}
		set.byID[r.ID] = r
		set.all = append(set.all, r)
	}
	return set, nil
}

// readXML decodes a small part (workbook, relationships, styles). Go's
// decoder expands no external or custom entities.
func readXML(f *zip.File, v any) error {
	rc, err := openPart(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	// openPart has made the text UTF-8 whatever the declaration says.
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "unicode":
			return r, nil
		}
		return nil, fmt.Errorf("the part is in %s; XLSX parts are UTF-8 or UTF-16", label)
	}
	return dec.Decode(v)
}

// openPart opens a part as UTF-8 text: OOXML parts may also be UTF-16
// (some phone and Mac apps write them so), told by their byte-order mark.
func openPart(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(rc)
	head, _ := br.Peek(3)
	var r io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		r = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	}
	return struct {
		io.Reader
		io.Closer
	}{r, rc}, nil
}

// sharedStrings holds a workbook's string table in one buffer.
type sharedStrings struct {
	text []byte
	ends []uint32
}

func (s *sharedStrings) get(i int) ([]byte, bool) {
	if i < 0 || i >= len(s.ends) {
		return nil, false
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.text[start:s.ends[i]], true
}

// readSharedStrings reads the string table. A rich-text string is the text
// of its runs; phonetic guides (rPh, Japanese furigana) are not part of it.
func readSharedStrings(f *zip.File) (sharedStrings, error) {
	rc, err := openPart(f)
	if err != nil {
		return sharedStrings{}, err
	}
	defer rc.Close()
	var ss sharedStrings
	sc := newXMLScanner(rc)
	var one []byte
	for sc.next() {
		if name, closing, self := sc.tagName(); name == "si" && !closing {
			one = one[:0]
			if !self {
				if one, err = sc.richText("si", one); err != nil {
					return ss, err
				}
			}
			ss.text = append(ss.text, one...)
			if uint64(len(ss.text)) > 1<<32-1 {
				return ss, errors.New("the string table is over 4 GiB")
			}
			ss.ends = append(ss.ends, uint32(len(ss.text)))
		}
	}
	return ss, sc.failed()
}

// sheetRows streams the rows of one sheet.
type sheetRows struct {
	rc      io.ReadCloser
	sc      *xmlScanner
	wb      *workbook
	name    string
	started bool
	done    bool
	row     int // 1-based number of the last row returned
	width   int // short rows are padded with empty cells to this width
	maxCols int // a wider row is an error (0: no limit)
	// keep, when set, drops cells right of this many columns (cells outside
	// the header); dropped counts them.
	keep     int
	dropped  int
	typed    bool // the last row has a number, date, boolean or error cell
	rowTyped bool
	buf      []byte
	spans    []cellSpan
	cells    [][]byte
	text     []byte
}

type cellSpan struct{ col, start, end int }

func openSheet(wb *workbook, name string, maxCols int) (*sheetRows, error) {
	sp, ok := wb.sheet(name)
	if !ok {
		return nil, fmt.Errorf("the workbook has no sheet named %q (sheets: %s)", name, strings.Join(wb.sheetNames(), ", "))
	}
	rc, err := openPart(sp.file)
	if err != nil {
		return nil, err
	}
	return &sheetRows{rc: rc, sc: newXMLScanner(rc), wb: wb, name: name, maxCols: maxCols}, nil
}

// Next returns the next row with a value, trailing empty cells trimmed and
// short rows padded to width. Dates and times are ISO text, booleans TRUE or
// FALSE, numbers as the workbook stores them (exact, unformatted).
func (s *sheetRows) Next() ([][]byte, error) {
	sc := s.sc
	if !s.started {
		s.started = true
		if !s.skipTo("sheetData") {
			s.done = true
		}
	}
	for !s.done {
		if !sc.next() {
			if err := sc.failed(); err != nil {
				return nil, s.xmlError(err)
			}
			return nil, s.xmlError(errors.New("the sheet ends inside its data"))
		}
		name, closing, self := sc.tagName()
		switch {
		case name == "sheetData" && closing:
			s.done = true
		case name == "row" && !closing:
			if r, ok := sc.attrInt("r"); ok && r > s.row {
				s.row = r
			} else {
				s.row++
			}
			if self {
				continue
			}
			if err := s.readRow(); err != nil {
				return nil, err
			}
			if len(s.spans) == 0 {
				continue // a row without values is not a record
			}
			return s.record()
		}
	}
	return nil, io.EOF
}

// readRow reads the cells of the current row up to its end tag.
func (s *sheetRows) readRow() error {
	sc := s.sc
	s.buf, s.spans = s.buf[:0], s.spans[:0]
	s.rowTyped = false
	col := -1
	for {
		if !sc.next() {
			return s.xmlError(sc.failedOr("the sheet ends inside row %d", s.row))
		}
		name, closing, self := sc.tagName()
		if name == "row" && closing {
			return nil
		}
		if name != "c" || closing {
			continue
		}
		if ref := sc.attr("r"); len(ref) > 0 {
			c, ok := columnIndex(ref)
			if !ok || c <= col {
				return &parseError{Line: s.row, Column: col + 2, Reason: fmt.Sprintf("sheet %q: the cell reference %q is invalid or out of order", s.name, ref)}
			}
			col = c
		} else {
			col++
		}
		kind := string(sc.attr("t"))
		style, _ := sc.attrInt("s") // s="" is style 0, as Excel reads it
		textCell := kind == "s" || kind == "inlineStr" || kind == "str"
		if self {
			continue // a formatted cell without a value
		}
		start := len(s.buf)
		var err error
		if s.buf, err = s.cellValue(kind, style, s.buf); err != nil {
			return err
		}
		if len(s.buf) == start {
			continue
		}
		if s.keep > 0 && col >= s.keep {
			s.dropped++
			s.buf = s.buf[:start]
			continue
		}
		if s.maxCols > 0 && col >= s.maxCols {
			return &parseError{Line: s.row, Column: col + 1, Reason: fmt.Sprintf("the row has a value in column %d, beyond the %d columns allowed (--max-columns raises the limit)", col+1, s.maxCols)}
		}
		s.spans = append(s.spans, cellSpan{col: col, start: start, end: len(s.buf)})
		s.rowTyped = s.rowTyped || !textCell
	}
}

// cellValue reads a cell's content up to its end tag and appends its value
// as text.
func (s *sheetRows) cellValue(kind string, style int, dst []byte) ([]byte, error) {
	sc := s.sc
	var v []byte
	hasV := false
	for {
		if !sc.next() {
			return dst, s.xmlError(sc.failedOr("the sheet ends inside a cell of row %d", s.row))
		}
		name, closing, self := sc.tagName()
		switch {
		case name == "c" && closing:
			if kind == "inlineStr" {
				return dst, nil
			}
			if !hasV {
				return dst, nil
			}
			return s.appendTyped(dst, kind, style, v)
		case name == "v" && !closing && !self:
			var err error
			if s.text, err = sc.textUntil("v", s.text[:0], true); err != nil {
				return dst, s.xmlError(err)
			}
			v, hasV = s.text, true
		case name == "is" && !closing && !self && kind == "inlineStr":
			var err error
			if dst, err = sc.richText("is", dst); err != nil {
				return dst, s.xmlError(err)
			}
		case name == "f" && !closing && !self:
			if _, err := sc.textUntil("f", nil, false); err != nil {
				return dst, s.xmlError(err)
			}
		}
	}
}

// appendTyped appends a <v> value as the text type inference reads.
func (s *sheetRows) appendTyped(dst []byte, kind string, style int, v []byte) ([]byte, error) {
	switch kind {
	case "s":
		i, err := strconv.Atoi(string(bytes.TrimSpace(v)))
		str, ok := s.wb.strings.get(i)
		if err != nil || !ok {
			return dst, &parseError{Line: s.row, Column: len(s.spans) + 1, Reason: fmt.Sprintf("sheet %q: a cell refers to shared string %q, which the workbook does not have", s.name, v)}
		}
		return append(dst, str...), nil
	case "b":
		switch string(bytes.TrimSpace(v)) {
		case "1", "true":
			return append(dst, "TRUE"...), nil
		case "0", "false":
			return append(dst, "FALSE"...), nil
		}
		return append(dst, v...), nil
	case "str":
		return appendUnescapedOOXML(dst, v), nil // formula text
	case "e", "d":
		// An error value such as #N/A (the null vocabulary decides), an
		// ISO 8601 date.
		return append(dst, v...), nil
	}
	v = bytes.TrimSpace(v)
	if style > 0 && style < len(s.wb.formats) {
		if f := s.wb.formats[style]; f.isTemporal() {
			if out, ok := appendSerial(dst, v, f, s.wb.date1904); ok {
				return out, nil
			}
		}
	}
	return appendNumber(dst, v), nil
}

// appendNumber appends a stored number as a person reads it. Excel writes
// doubles with 17 significant digits (2153.9299999999998) and some writers
// add ".0" to integers: the shortest text that is the same double is what
// was typed. Integers without a point stay exact, however long.
func appendNumber(dst, v []byte) []byte {
	if bytes.IndexAny(v, ".eE") < 0 {
		return append(dst, v...)
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if a := math.Abs(f); err != nil || a != 0 && (a < 1e-6 || a >= 1e15) {
		return append(dst, v...)
	}
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}

// record builds the row's cells from the spans read.
func (s *sheetRows) record() ([][]byte, error) {
	s.cells = s.cells[:0]
	for _, sp := range s.spans {
		for len(s.cells) < sp.col {
			s.cells = append(s.cells, nil)
		}
		s.cells = append(s.cells, s.buf[sp.start:sp.end])
	}
	for len(s.cells) > 0 && len(bytes.TrimSpace(s.cells[len(s.cells)-1])) == 0 {
		s.cells = s.cells[:len(s.cells)-1]
	}
	if len(s.cells) == 0 {
		return s.Next()
	}
	for len(s.cells) < s.width {
		s.cells = append(s.cells, nil)
	}
	s.typed = s.rowTyped
	return s.cells, nil
}

func (s *sheetRows) skipTo(tag string) bool {
	for s.sc.next() {
		if name, closing, self := s.sc.tagName(); name == tag && !closing {
			return !self
		}
	}
	return false
}

func (s *sheetRows) xmlError(err error) error {
	var pe *parseError
	if errors.As(err, &pe) {
		return err
	}
	return &parseError{Line: max(s.row, 1), Column: 1, Reason: fmt.Sprintf("sheet %q is not a well-formed worksheet: %v", s.name, err)}
}

// Line is the 1-based row number of the last row returned.
func (s *sheetRows) Line() int { return s.row }

// Typed reports whether the last row returned holds a number, date,
// boolean or error cell: such a row is data, never a title.
func (s *sheetRows) Typed() bool { return s.typed }

func (s *sheetRows) Close() error { return s.rc.Close() }

// columnIndex turns the letters of a cell reference ("AB12") into a 0-based
// column index.
func columnIndex(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > 16384 {
			return 0, false
		}
	}
	if i == 0 {
		return 0, false
	}
	return col - 1, true
}

// encryptedOrLegacy tells an OLE compound file apart: a password-protected
// XLSX is stored in one (streams EncryptionInfo and EncryptedPackage), as is
// a legacy .xls (stream Workbook or Book).
func encryptedOrLegacy(p string) string {
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	hdr := make([]byte, 512)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return ""
	}
	shift := binary.LittleEndian.Uint16(hdr[0x1E:])
	if shift != 9 && shift != 12 {
		return ""
	}
	size := int64(1) << shift
	dirSector := int64(binary.LittleEndian.Uint32(hdr[0x30:]))
	dir := make([]byte, size)
	if _, err := f.ReadAt(dir, (dirSector+1)*size); err != nil && err != io.EOF {
		return ""
	}
	utf16 := func(s string) []byte {
		b := make([]byte, 0, 2*len(s))
		for _, c := range []byte(s) {
			b = append(b, c, 0)
		}
		return b
	}
	switch {
	case bytes.Contains(dir, utf16("EncryptedPackage")):
		return "encrypted"
	case bytes.Contains(dir, utf16("Workbook")), bytes.Contains(dir, utf16("Book")):
		return "xls"
	}
	return ""
}
