package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	inlet "github.com/inlet-data/inlet"
)

// zipParts packs named parts into a zip archive, as an XLSX writer would.
func zipParts(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relNS  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/`
)

// book is a workbook package with its parts under dir (xl in most files).
type book struct {
	dir      string
	date1904 bool
	styles   string   // the <styleSheet> body
	strings  []string // shared string items (<si> bodies)
	sheets   []struct{ name, xml string }
}

func (b *book) sheet(name, rows string) *book {
	b.sheets = append(b.sheets, struct{ name, xml string }{name, `<worksheet ` + nsMain + `><sheetData>` + rows + `</sheetData></worksheet>`})
	return b
}

func (b *book) bytes(t *testing.T) []byte {
	dir := b.dir
	if dir == "" {
		dir = "xl"
	}
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + relNS + `officeDocument" Target="` + dir + `/book.xml"/></Relationships>`,
	}
	var sheets, rels strings.Builder
	for i, s := range b.sheets {
		fmt.Fprintf(&sheets, `<sheet name=%q sheetId="%d" r:id="rId%d"/>`, s.name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%sworksheet" Target="sheets/s%d.xml"/>`, i+1, relNS, i+1)
		parts[fmt.Sprintf("%s/sheets/s%d.xml", dir, i+1)] = s.xml
	}
	if b.styles != "" {
		rels.WriteString(`<Relationship Id="rSt" Type="` + relNS + `styles" Target="styles.xml"/>`)
		parts[dir+"/styles.xml"] = `<styleSheet ` + nsMain + `>` + b.styles + `</styleSheet>`
	}
	if b.strings != nil {
		rels.WriteString(`<Relationship Id="rSS" Type="` + relNS + `sharedStrings" Target="strings.xml"/>`)
		parts[dir+"/strings.xml"] = `<sst ` + nsMain + `><si>` + strings.Join(b.strings, `</si><si>`) + `</si></sst>`
	}
	pr := ""
	if b.date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	parts[dir+"/book.xml"] = `<workbook ` + nsMain + `>` + pr + `<sheets>` + sheets.String() + `</sheets></workbook>`
	parts[dir+"/_rels/book.xml.rels"] = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`
	return zipParts(t, parts)
}

// The styles of the tests: 1 a built-in date, 2 a custom day-first date,
// 3 a custom datetime, 4 a time with AM/PM, 5 an elapsed duration, 6 a
// percentage, 7 a Japanese date, 8 a date with a locale tag and colour.
const testStyles = `<numFmts>` +
	`<numFmt numFmtId="164" formatCode="dd.mm.yyyy"/>` +
	`<numFmt numFmtId="165" formatCode="dd/mm/yyyy\ hh:mm"/>` +
	`<numFmt numFmtId="166" formatCode="h:mm AM/PM"/>` +
	`<numFmt numFmtId="167" formatCode="[h]:mm:ss"/>` +
	`<numFmt numFmtId="168" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>` +
	`<numFmt numFmtId="169" formatCode="[$-409][Red]mmm d, yyyy;@"/>` +
	`</numFmts><cellXfs>` +
	`<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/>` +
	`<xf numFmtId="167"/><xf numFmtId="10"/><xf numFmtId="168"/><xf numFmtId="169"/></cellXfs>`

func row(n int, cells ...string) string {
	return fmt.Sprintf(`<row r="%d">%s</row>`, n, strings.Join(cells, ""))
}

// Cell values come out as a person sees them in Excel: booleans, dates
// under any date format, times, shared and inline strings with their
// escapes; numbers stay exact, whatever their format.
func TestXLSXCellValues(t *testing.T) {
	b := &book{styles: testStyles, strings: []string{
		`<t>name</t>`,
		`<r><t>Zoë </t></r><r><rPr><b/></rPr><t xml:space="preserve">O&apos;Brien</t></r>`,
		`<t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh>`,
		`<t>line one_x000D_&#10;line two &amp; more</t>`,
	}}
	b.sheet("Data", row(1, `<c r="A1" t="s"><v>0</v></c>`, `<c r="B1" t="inlineStr"><is><t>active</t></is></c>`,
		`<c r="C1" t="inlineStr"><is><t>joined</t></is></c>`, `<c r="D1" t="inlineStr"><is><t>day_first</t></is></c>`,
		`<c r="E1" t="inlineStr"><is><t>seen</t></is></c>`, `<c r="F1" t="inlineStr"><is><t>at</t></is></c>`,
		`<c r="G1" t="inlineStr"><is><t>duration</t></is></c>`, `<c r="H1" t="inlineStr"><is><t>share</t></is></c>`,
		`<c r="I1" t="inlineStr"><is><t>jp_date</t></is></c>`, `<c r="J1" t="inlineStr"><is><t>us_date</t></is></c>`,
		`<c r="K1" t="inlineStr"><is><t>formula</t></is></c>`, `<c r="L1" t="inlineStr"><is><t>error</t></is></c>`)+
		row(2, `<c r="A2" t="s"><v>1</v></c>`, `<c r="B2" t="b"><v>1</v></c>`, `<c r="C2" s="1"><v>44197</v></c>`,
			`<c r="D2" s="2"><v>44198</v></c>`, `<c r="E2" s="3"><v>44197.6319444444</v></c>`, `<c r="F2" s="4"><v>0.75</v></c>`,
			`<c r="G2" s="5"><v>1.5</v></c>`, `<c r="H2" s="6"><v>0.125</v></c>`, `<c r="I2" s="7"><v>45000</v></c>`,
			`<c r="J2" s="8"><v>36526</v></c>`, `<c r="K2" t="str"><f>A2&amp;"!"</f><v>Zoë O'Brien!</v></c>`, `<c r="L2" t="e"><v>#N/A</v></c>`)+
		row(3, `<c r="A3" t="s"><v>2</v></c>`, `<c r="B3" t="b" s=""><v>0</v></c>`, `<c r="C3" s="1"><v>60.5</v></c>`,
			`<c r="D3" s="2"><v>1</v></c>`, `<c r="E3" s="3"><v>2958465.5</v></c>`, `<c r="F3" s="4"><v>0.000011574</v></c>`,
			`<c r="G3" s="5"><v>30</v></c>`, `<c r="H3" s="6"><v>1</v></c>`, `<c r="I3" s="7"><v>1</v></c>`,
			`<c r="J3" s="8"><v>61</v></c>`, `<c r="K3" t="str"><v>x</v></c>`, `<c r="L3" t="e"><v>#DIV/0!</v></c>`)+
		row(4, `<c r="A4" t="s"><v>3</v></c>`, `<c r="B4" t="b"><v>1</v></c>`))
	ins, err := inspectBytes(t, "values.xlsx", b.bytes(t), inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Zoë O'Brien", "TRUE", "2021-01-01", "2021-01-02", "2021-01-01 15:10:00", "18:00:00", "1.5", "0.125", "2023-03-15", "2000-01-01", "Zoë O'Brien!", "#N/A"},
		{"山田", "FALSE", "60.5", "1900-01-01", "9999-12-31 12:00:00", "00:00:01", "30", "1", "1900-01-01", "1900-03-01", "x", "#DIV/0!"},
		{"line one\r\nline two & more", "TRUE", "", "", "", "", "", "", "", "", "", ""},
	}
	if diff := cmp.Diff(want, ins.Sample); diff != "" {
		t.Errorf("sample (-want +got):\n%s", diff)
	}
	gotTypes := types(ins)
	for col, typ := range map[string]inlet.Type{"active": inlet.TypeBoolean, "day_first": inlet.TypeDate, "seen": inlet.TypeTimestamp, "duration": "decimal(18,2)", "jp_date": inlet.TypeDate} {
		if gotTypes[col] != typ {
			t.Errorf("column %s: type %s, want %s", col, gotTypes[col], typ)
		}
	}
}

// A 1904-based workbook (old Mac Excel) counts days from 1904-01-01.
func TestXLSXDate1904(t *testing.T) {
	b := &book{date1904: true, styles: testStyles}
	b.sheet("Data", row(1, `<c r="A1" t="inlineStr"><is><t>d</t></is></c>`)+row(2, `<c r="A2" s="1"><v>42735</v></c>`)+row(3, `<c r="A3" s="1"><v>0</v></c>`))
	ins, err := inspectBytes(t, "mac.xlsx", b.bytes(t), inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"2021-01-01"}, {"1904-01-01"}}, ins.Sample); diff != "" {
		t.Errorf("sample (-want +got):\n%s", diff)
	}
}

// A workbook is found through the package relationships, wherever its
// parts are, with namespace prefixes on every element; chart sheets and
// hidden sheets are not offered.
func TestXLSXPackageLayout(t *testing.T) {
	b := &book{dir: "content/wb"}
	b.sheet("Data", row(1, `<c r="A1" t="inlineStr"><is><t>a</t></is></c>`)+row(2, `<c r="A2"><v>7</v></c>`))
	raw := b.bytes(t)
	ins, err := inspectBytes(t, "moved.xlsx", raw, inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ins.Sheet != "Data" || len(ins.Sample) != 1 || ins.Sample[0][0] != "7" {
		t.Errorf("sheet %q sample %q, want Data with one row 7", ins.Sheet, ins.Sample)
	}

	prefixed := zipParts(t, map[string]string{
		"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels":         `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="` + relNS + `officeDocument" Target="/xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets>` +
			`<x:sheet name="Chart" sheetId="1" r:id="r2"/><x:sheet name="Hidden" sheetId="2" state="hidden" r:id="r3"/><x:sheet name="Table" sheetId="3" r:id="r1"/></x:sheets></x:workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="r1" Type="` + relNS + `worksheet" Target="/xl/worksheets/sheet1.xml"/>` +
			`<Relationship Id="r2" Type="` + relNS + `chartsheet" Target="chartsheets/sheet1.xml"/>` +
			`<Relationship Id="r3" Type="` + relNS + `worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
			`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>city</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>n</x:t></x:is></x:c></x:row>` +
			`<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>Köln</x:t></x:is></x:c><x:c r="B2"><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
	})
	ins, err = inspectBytes(t, "prefixed.xlsx", prefixed, inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Table"}, ins.Sheets); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]string{{"Köln", "3"}}, ins.Sample); diff != "" {
		t.Errorf("sample (-want +got):\n%s", diff)
	}

	noWorkbook := zipParts(t, map[string]string{"[Content_Types].xml": `<Types/>`, "docProps/app.xml": `<Properties/>`})
	if _, err := inspectBytes(t, "broken.xlsx", noWorkbook, inlet.InspectOptions{}); err == nil || !strings.Contains(err.Error(), "no workbook part") {
		t.Errorf("a package without a workbook: %v", err)
	}
}

// The sheet with the most data is read, not a "Readme" in front, and the
// inspection names the others.
func TestXLSXSheetChoice(t *testing.T) {
	var data strings.Builder
	data.WriteString(row(1, `<c r="A1" t="inlineStr"><is><t>id</t></is></c>`))
	for i := 2; i < 50; i++ {
		data.WriteString(row(i, fmt.Sprintf(`<c r="A%d"><v>%d</v></c>`, i, i)))
	}
	b := (&book{}).sheet("Readme", row(1, `<c r="A1" t="inlineStr"><is><t>This workbook lists orders.</t></is></c>`)).sheet("Orders", data.String())
	ins, err := inspectBytes(t, "orders.xlsx", b.bytes(t), inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ins.Sheet != "Orders" || ins.Rows != 48 {
		t.Errorf("read sheet %q with %d rows, want Orders with 48", ins.Sheet, ins.Rows)
	}
	if w := strings.Join(ins.Warnings, "\n"); !strings.Contains(w, `"Readme"`) {
		t.Errorf("warnings %q do not name the other sheet", ins.Warnings)
	}
	ins, err = inspectBytes(t, "orders.xlsx", b.bytes(t), inlet.InspectOptions{Sheet: "Readme", Header: ptr(false)})
	if err != nil || ins.Sheet != "Readme" {
		t.Fatalf("the sheet asked for: %v %v", ins, err)
	}
}

// A note right of the table is shown, and one click ignores it; without
// that the sheet is refused at ingest, saying how to load it.
func TestXLSXCellsOutsideHeader(t *testing.T) {
	b := (&book{}).sheet("Data", row(1, `<c r="A1" t="inlineStr"><is><t>id</t></is></c>`, `<c r="B1" t="inlineStr"><is><t>amount</t></is></c>`)+
		row(2, `<c r="A2"><v>1</v></c>`, `<c r="B2"><v>9.5</v></c>`)+
		row(3, `<c r="A3"><v>2</v></c>`, `<c r="B3"><v>3.25</v></c>`, `<c r="F3" t="inlineStr"><is><t>checked by Ana</t></is></c>`)+
		row(4, `<c r="A4"><v>3</v></c>`, `<c r="B4"><v>1</v></c>`))
	raw := b.bytes(t)
	ins, err := inspectBytes(t, "notes.xlsx", raw, inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ins.Columns) != 2 || !strings.Contains(strings.Join(ins.Warnings, "\n"), "row 3 has a value in column F") {
		t.Errorf("columns %d, warnings %q: want 2 columns and a warning naming F3", len(ins.Columns), ins.Warnings)
	}
	var offered *inlet.Suggestion
	for i, s := range ins.Suggestions {
		if s.Options.IgnoreExtraCells {
			offered = &ins.Suggestions[i]
		}
	}
	if offered == nil {
		t.Fatalf("suggestions %+v do not offer to ignore the cells", ins.Suggestions)
	}

	// The rows an ingest reads: refused as they are, cut to the header
	// with the suggestion taken.
	read := func(opts inlet.InspectOptions) ([][]string, error) {
		path := t.TempDir() + "/notes.xlsx"
		writeFile(t, path, raw)
		in := NewInspector(Config{TmpDir: t.TempDir()})
		_, p, err := in.inspect(t.Context(), path, "notes.xlsx", opts, false)
		if err != nil {
			return nil, err
		}
		src, _, _, err := p.open()
		if err != nil {
			return nil, err
		}
		defer src.Close()
		var out [][]string
		for {
			rec, err := src.Next()
			if err != nil {
				return out, nil
			}
			if len(rec) > p.width {
				return nil, widthError(p, src.Line(), len(rec))
			}
			var r []string
			for _, c := range rec {
				r = append(r, string(c))
			}
			out = append(out, r)
		}
	}
	if _, err := read(inlet.InspectOptions{}); err == nil || !strings.Contains(err.Error(), "ignore_extra_cells") {
		t.Errorf("ingest without the option: %v, want a refusal naming ignore_extra_cells", err)
	}
	rows, err := read(offered.Options)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"1", "9.5"}, {"2", "3.25"}, {"3", "1"}}, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// Malformed sheets are refused with the row and a reason, never a panic.
func TestXLSXMalformed(t *testing.T) {
	tests := []struct{ name, rows, want string }{
		{"unknown shared string", row(1, `<c r="A1" t="s"><v>5</v></c>`), "shared string"},
		{"cells out of order", row(1, `<c r="B1"><v>1</v></c><c r="A1"><v>2</v></c>`), "out of order"},
		{"truncated", `<row r="1"><c r="A1"><v>1`, "not a well-formed worksheet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := (&book{strings: []string{`<t>x</t>`}}).sheet("Data", tt.rows)
			_, err := inspectBytes(t, "bad.xlsx", b.bytes(t), inlet.InspectOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "bad.xlsx") {
				t.Errorf("got %v, want an error naming the file and %q", err, tt.want)
			}
		})
	}
}

// An OLE compound file is named for what it is: a password-protected
// workbook is not "a legacy .xls".
func TestCompoundFiles(t *testing.T) {
	cfb := func(stream string) []byte {
		b := make([]byte, 1024)
		copy(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
		b[0x1E] = 9 // 512-byte sectors; the directory starts at sector 0
		for i, c := range []byte(stream) {
			b[512+2*i] = c
		}
		return b
	}
	for stream, want := range map[string]string{"EncryptedPackage": "password-protected", "Workbook": "legacy Excel 97-2003", "WordDocument": "compound file"} {
		_, err := inspectBytes(t, "f.xlsx", cfb(stream), inlet.InspectOptions{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", stream, err, want)
		}
	}
}

func TestClassifyFormat(t *testing.T) {
	for code, want := range map[string]cellFormat{
		"General": fmtNumber, "0.00": fmtNumber, "#,##0.00 €": fmtNumber, "0.00E+00": fmtNumber, `0 "days"`: fmtNumber,
		"[h]:mm": fmtNumber, "[Red]0.00": fmtNumber, "@": fmtNumber,
		"dd.mm.yyyy": fmtDate, "mmm-yy": fmtDate, "[$-F800]dddd, mmmm dd, yyyy": fmtDate, `yyyy"年"m"月"d"日"`: fmtDate, "ggge年m月d日": fmtDate,
		"yyyy-mm-dd hh:mm:ss": fmtDateTime, "m/d/yy h:mm AM/PM": fmtDateTime,
		"h:mm": fmtTime, "mm:ss.0": fmtTime, "h:mm AM/PM": fmtTime,
	} {
		if got := classifyFormat(code); got != want {
			t.Errorf("classifyFormat(%q) = %d, want %d", code, got, want)
		}
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The sheet reader meets untrusted XML: it must end with rows or an error.
func FuzzSheetRows(f *testing.F) {
	for _, s := range []string{
		`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="1"><v>44197.5</v></c></row></sheetData>`,
		`<x:sheetData><x:row><x:c t="inlineStr"><x:is><x:r><x:t>a&amp;b</x:t></x:r><x:rPh><x:t>z</x:t></x:rPh></x:is></x:c></x:row></x:sheetData>`,
		`<sheetData><row r="2"><c r="B2" t="b"><f>TRUE()</f><v>1</v></c><!-- > --><c r="Z2"><v><![CDATA[5]]></v></c></row></sheetData>`,
		`<sheetData><row r="1" spans="1:2"><c r="XFD1" t="str"><v>_x000D_</v></c></row>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sheet string) {
		wb := &workbook{formats: []cellFormat{fmtNumber, fmtDate, fmtTime}, strings: sharedStrings{text: []byte("ab"), ends: []uint32{1, 2}}}
		s := &sheetRows{rc: io.NopCloser(nil), sc: newXMLScanner(strings.NewReader(sheet)), wb: wb, name: "S", maxCols: 100}
		for range 1000 {
			if _, err := s.Next(); err != nil {
				return
			}
		}
	})
}

// Parts may be UTF-16 (Excel on Windows Phone writes them so).
func TestXLSXUTF16Parts(t *testing.T) {
	wb := `<?xml version="1.0" encoding="UTF-16" standalone="yes"?><workbook ` + nsMain + `><sheets><sheet name="Blatt1" sheetId="1" r:id="rId1"/></sheets></workbook>`
	u16 := []byte{0xFF, 0xFE}
	for _, r := range wb {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	raw := zipParts(t, map[string]string{
		"[Content_Types].xml":        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels":                `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="` + relNS + `officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            string(u16),
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + relNS + `worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   `<worksheet ` + nsMain + `><sheetData>` + row(1, `<c r="A1" t="inlineStr"><is><t>Summe</t></is></c>`) + row(2, `<c r="A2"><v>2.5</v></c>`) + `</sheetData></worksheet>`,
	})
	ins, err := inspectBytes(t, "pfand.xlsx", raw, inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ins.Sheet != "Blatt1" || len(ins.Sample) != 1 || ins.Sample[0][0] != "2.5" {
		t.Errorf("sheet %q sample %q", ins.Sheet, ins.Sample)
	}
}

// Stored numbers read as typed (1.0 is 1, 17 significant digits are the
// double's shortest text), booleans on top of booleans are data, and a row
// with a date is never skipped as a title.
func TestXLSXNumbersAndRows(t *testing.T) {
	b := (&book{styles: testStyles}).sheet("Data", row(1, `<c r="A1" t="inlineStr"><is><t>qty</t></is></c>`, `<c r="B1" t="inlineStr"><is><t>price</t></is></c>`)+
		row(2, `<c r="A2"><v>1.0</v></c>`, `<c r="B2"><v>2153.9299999999998</v></c>`)+
		row(3, `<c r="A3"><v>24315.0</v></c>`, `<c r="B3"><v>22.222200000000001</v></c>`))
	ins, err := inspectBytes(t, "n.xlsx", b.bytes(t), inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"1", "2153.93"}, {"24315", "22.2222"}}, ins.Sample); diff != "" {
		t.Errorf("sample (-want +got):\n%s", diff)
	}
	if got := types(ins)["qty"]; got != inlet.TypeBigint {
		t.Errorf("qty is %s, want bigint", got)
	}

	bools := (&book{}).sheet("Data", row(1, `<c r="A1" t="b"><v>1</v></c>`)+row(2, `<c r="A2" t="b"><v>0</v></c>`)+row(3, `<c r="A3" t="b"><v>1</v></c>`))
	ins, err = inspectBytes(t, "b.xlsx", bools.bytes(t), inlet.InspectOptions{})
	if err != nil || ins.Dialect.Header || len(ins.Sample) != 3 {
		t.Errorf("booleans: header %v, %d rows, %v; want three data rows", ins != nil && ins.Dialect.Header, len(ins.Sample), err)
	}

	dated := (&book{styles: testStyles}).sheet("Data", row(1, `<c r="A1" s="1"><v>22606</v></c>`)+
		row(2, `<c r="A2" t="inlineStr"><is><t>a</t></is></c>`, `<c r="B2" t="inlineStr"><is><t>b</t></is></c>`)+
		row(3, `<c r="A3"><v>1</v></c>`, `<c r="B3"><v>2</v></c>`)+row(4, `<c r="A4"><v>3</v></c>`, `<c r="B4"><v>4</v></c>`))
	// A date above a header of text is a note (the report's date): it is
	// skipped, and the inspection says so and offers to keep it.
	ins, err = inspectBytes(t, "d.xlsx", dated.bytes(t), inlet.InspectOptions{})
	if err != nil || ins.Dialect.SkipRows != 1 || !strings.Contains(strings.Join(ins.Warnings, "\n"), "hold notes") {
		t.Fatalf("a dated note above the header: skip %d, warnings %q, %v", ins.Dialect.SkipRows, ins.Warnings, err)
	}
	// With no header below it, a row with a date is data.
	datedData := (&book{styles: testStyles}).sheet("Data", row(1, `<c r="A1" s="1"><v>22606</v></c>`)+
		row(2, `<c r="A2" s="1"><v>22607</v></c>`, `<c r="B2"><v>5</v></c>`)+row(3, `<c r="A3" s="1"><v>22608</v></c>`, `<c r="B3"><v>6</v></c>`))
	ins, err = inspectBytes(t, "dd.xlsx", datedData.bytes(t), inlet.InspectOptions{})
	if err != nil || ins.Dialect.SkipRows != 0 || len(ins.Sample) != 3 {
		t.Errorf("dated rows: skip %d, %d rows, %v; want all 3 read", ins.Dialect.SkipRows, len(ins.Sample), err)
	}
}
