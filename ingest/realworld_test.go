package ingest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// shape sums up what an inspection made of a file, in one comparable line.
func shape(ins *inlet.Inspection) string {
	var cols, typs []string
	for _, c := range ins.Columns {
		cols = append(cols, c.SourceName)
		typs = append(typs, string(c.Type))
	}
	d := ins.Dialect
	return fmt.Sprintf("delim=%q quote=%q header=%v skip=%d cols=%s types=%s rows=%d", d.Delimiter, d.Quote, d.Header, d.SkipRows,
		strings.Join(cols, "|"), strings.Join(typs, "|"), ins.Rows)
}

func mustEncode(t *testing.T, enc interface{ Bytes([]byte) ([]byte, error) }, s string) []byte {
	t.Helper()
	b, err := enc.Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The classes of real files that came out silently wrong (issue "Real-world
// files"), each as a small file with what a person reads in it.
func TestRealWorldShapes(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
		warn string // a warning that must be given, if any
	}{
		{"a trailing delimiter on every line", "a,b,c,\n1,x,2,\n3,y,4,\n",
			`delim="," quote="\"" header=true skip=0 cols=a|b|c types=bigint|string|bigint rows=2`, ""},
		{"a trailing delimiter on the data lines only", "c1,c2\n1,2,\n3,4,\n",
			`delim="," quote="\"" header=true skip=0 cols=c1|c2 types=bigint|bigint rows=2`, ""},
		{"pandas' unnamed index column", ",name,score\n0,ann,1.5\n1,bob,2.5\n2,cy,3.5\n",
			`delim="," quote="\"" header=true skip=0 cols=|name|score types=bigint|string|decimal(18,2) rows=3`, ""},
		{"a repeated name", "a,b,a\n1,x,2\n3,y,4\n",
			`delim="," quote="\"" header=true skip=0 cols=a|b|a types=bigint|string|bigint rows=2`, ""},
		{"years as column names", "country,2019,2020,2021\nFrance,1.5,2.5,3.5\nSpain,1.25,2.25,3.25\n",
			`delim="," quote="\"" header=true skip=0 cols=country|2019|2020|2021 types=string|decimal(18,2)|decimal(18,2)|decimal(18,2) rows=2`, ""},
		{"short code-like names over same-length values", "id,cd,nm\n10,AB,Xy\n11,CD,Zz\n12,EF,Ab\n",
			`delim="," quote="\"" header=true skip=0 cols=id|cd|nm types=bigint|string|string rows=3`, ""},
		{"codes under a label of the same length", "code,name\nAB12,Alpha\nCD34,Beta\nEF56,Gamma\n",
			`delim="," quote="\"" header=true skip=0 cols=code|name types=string|string rows=3`, ""},
		{"a header one field longer than the data", "one,two,three,four\n1,a,alice\n2,b,bob\n",
			`delim="," quote="\"" header=true skip=0 cols=one|two|three|four types=bigint|string|string|string rows=2`, "four"},
		{"a header one field shorter than the data (row names)", "x,y\nr1,1,a\nr2,2,b\nr3,3,c\n",
			`delim="," quote="\"" header=true skip=0 cols=|x|y types=string|bigint|string rows=3`, "no name"},
		{"title lines padded with delimiters", "Quarterly report,,,\nGenerated 2024-01-05,,,\nregion,q1,q2,q3\nnorth,1,2,3\nsouth,4,5,6\n",
			`delim="," quote="\"" header=true skip=2 cols=region|q1|q2|q3 types=string|bigint|bigint|bigint rows=2`, ""},
		{"classic Mac line endings (CR only)", "id,name\r1,ann\r2,bob\r3,cy\r",
			`delim="," quote="\"" header=true skip=0 cols=id|name types=bigint|string rows=3`, ""},
		{"quotes that are not quoting", "title\tyear\n\"Weird Al\" Yankovic\t1983\nThe \"Best\" Of\t1990\nPlain\t2001\n",
			`delim="\t" quote="" header=true skip=0 cols=title|year types=string|bigint rows=3`, ""},
		{"comment lines before the data", "# exported by tool 3.1\n# 2024-01-05\na;b\n1;2\n3;4\n",
			`delim=";" quote="\"" header=true skip=0 cols=a|b types=bigint|bigint rows=2`, "comment"},
		{"comment lines among the data", "# exported\na;b\n1;2\n# a note\n3;4\n",
			`delim=";" quote="\"" header=true skip=0 cols=a|b types=bigint|bigint rows=2`, "comment"},
		{"a malformed date is not a date", "d,n\n08/01/2019,1\n08//01/2019,2\n09/01/2019,3\n",
			`delim="," quote="\"" header=true skip=0 cols=d|n types=string|bigint rows=3`, ""},
		{"spaces around quotes", "a,b,c\n1, \"x, y\",2\n3, \"z\",4\n",
			`delim="," quote="\"" header=true skip=0 cols=a|b|c types=bigint|string|bigint rows=2`, ""},
		{"space after closing quote", "id,city\n\"17\"  ,\"Oslo\"\n\"18\" ,\"Rome\"\n",
			`delim="," quote="\"" header=true skip=0 cols=id|city types=bigint|string rows=2`, ""},
		{"a lone Y is a letter", "A,B,C\nX,Y,Z\n",
			`delim="," quote="\"" header=false skip=0 cols=col_1|col_2|col_3 types=string|string|string rows=2`, ""},
		{"phone numbers with a plus are text", "phone\n+318855443322\n+491701234567\n",
			`delim="," quote="\"" header=true skip=0 cols=phone types=string rows=2`, ""},
		{"an empty header line", ",,\n1,2,3\n4,5,6\n",
			`delim="," quote="\"" header=true skip=0 cols=|| types=bigint|bigint|bigint rows=2`, ""},
		{"unescaped quotes inside a quoted cell", "1;\"pedro \"pdet\" holanda\"\n2;\"pedro \"pdet\" ho;landa\"\n3;\"pedro \"pdet\" holanda\"\n",
			`delim=";" quote="\"" header=false skip=0 cols=col_1|col_2 types=bigint|string rows=3`, ""},
		{"a stray unclosed quote in a TSV", "id\tname\tyear\n1\t\"tatu 70\t1999\n2\tplain\t2000\n3\tmore\t2001\n4\tagain\t2002\n",
			`delim="\t" quote="" header=true skip=0 cols=id|name|year types=bigint|string|bigint rows=4`, ""},
		{"comment lines among the data", "x,y\n1,2\n# note\n3,4\n5,6\n",
			`delim="," quote="\"" header=true skip=0 cols=x|y types=bigint|bigint rows=3`, ""},
		{"a stray NUL byte", "a|b|c\nv1|v\x002|v3\nw1|w2|w3\n",
			`delim="|" quote="\"" header=true skip=0 cols=a|b|c types=string|string|string rows=2`, ""},
		{"single quotes", "a\tb\tc\n1\t2\t'x\ty'\n3\t4\t5\n",
			`delim="\t" quote="'" header=true skip=0 cols=a|b|c types=bigint|bigint|string rows=2`, ""},
		{"one column of grouped numbers", "p\n\"1,234.50\"\n\"12,000.00\"\n7.25\n",
			`delim="," quote="\"" header=true skip=0 cols=p types=decimal(18,2) rows=3`, ""},
		{"a numeric first row is data", "10,hello,20\n20,world,30\n30,test,30\n40,foo,50\n",
			`delim="," quote="\"" header=false skip=0 cols=col_1|col_2|col_3 types=bigint|string|bigint rows=4`, ""},
		{"numbers over words are data", "1,2,AAA\n4,5,9\n6,7,CCC\n8,9,DDD\n",
			`delim="," quote="\"" header=false skip=0 cols=col_1|col_2|col_3 types=bigint|bigint|string rows=4`, ""},
		{"a real header above typed columns with a repeated value", "id,kind\n1,x\n2,kind\n3,y\n",
			`delim="," quote="\"" header=true skip=0 cols=id|kind types=bigint|string rows=3`, ""},
		{"a header with blank names above typed columns", "a,,,\n123,x,,\n345,z,,\n",
			`delim="," quote="\"" header=true skip=0 cols=a|| types=bigint|string|string rows=2`, ""},
		{"a number names a text column", "state,2020\nAlabama,R+27\nAlaska,R+16\n",
			`delim="," quote="\"" header=true skip=0 cols=state|2020 types=string|string rows=2`, ""},
		{"booleans on top of booleans are data", "TRUE\nFALSE\nTRUE\n",
			`delim="," quote="\"" header=false skip=0 cols=col_1 types=boolean rows=3`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ins, err := inspectBytes(t, "f.csv", []byte(tt.data), inlet.InspectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := shape(ins); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if tt.warn != "" && !strings.Contains(strings.Join(ins.Warnings, "\n"), tt.warn) {
				t.Errorf("warnings %q do not mention %q", ins.Warnings, tt.warn)
			}
		})
	}
}

// Legacy encodings are checked against the text they make: Japanese in
// Shift-JIS, French in Latin-1 (not Cyrillic ISO-8859-5).
func TestLegacyEncodings(t *testing.T) {
	tests := []struct {
		name, text, want string
		encode           func(string) []byte
	}{
		{"shift-jis", "名前,年齢,住所\n山田太郎,30,東京都新宿区\n佐藤花子,25,大阪府大阪市\n鈴木一郎,41,北海道札幌市\n", "shift_jis",
			func(s string) []byte { return mustEncode(t, japanese.ShiftJIS.NewEncoder(), s) }},
		{"gbk", "姓名,城市,备注\n张伟,北京市朝阳区,已付款\n李娜,上海市浦东新区,待发货\n王芳,广州市天河区,已完成\n", "gb18030|gbk",
			func(s string) []byte { return mustEncode(t, simplifiedchinese.GBK.NewEncoder(), s) }},
		{"big5", "姓名,城市,備註\n陳大文,臺北市信義區,已付款\n林美玲,高雄市前鎮區,待出貨\n黃志明,臺中市西屯區,已完成\n", "big5",
			func(s string) []byte { return mustEncode(t, traditionalchinese.Big5.NewEncoder(), s) }},
		{"euc-kr", "이름,도시\n김민준,서울특별시\n이서연,부산광역시\n박지훈,대구광역시\n", "euc-kr",
			func(s string) []byte { return mustEncode(t, korean.EUCKR.NewEncoder(), s) }},
		{"latin-1", "nom,ville,remarque\nFrançois,Genève,très bien\nJosé,Málaga,señor\nRenée,Zürich,größer\nAnaïs,Besançon,élève\n", "windows-1252",
			func(s string) []byte { return mustEncode(t, charmap.ISO8859_1.NewEncoder(), s) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ins, err := inspectBytes(t, "f.csv", tt.encode(tt.text), inlet.InspectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(strings.Split(tt.want, "|"), ins.Dialect.Encoding) { // GB 18030 decodes GBK text alike
				t.Fatalf("encoding %s, want %s", ins.Dialect.Encoding, tt.want)
			}
			lines := strings.Split(strings.TrimSpace(tt.text), "\n")
			if got := strings.Join(ins.Sample[0], ","); got != lines[1] {
				t.Errorf("first row %q, want %q", got, lines[1])
			}
		})
	}
}

// Files that are not tables are refused, saying what they are.
func TestNotATable(t *testing.T) {
	_, err := inspectBytes(t, "events.csv", []byte("{\"duck\": 1}\n{\"duck\": 2}\n{\"duck\": 3}\n"), inlet.InspectOptions{})
	if err == nil || !strings.Contains(err.Error(), "JSON") {
		t.Fatalf("JSON lines: %v, want a refusal that says JSON", err)
	}
}

// A column that mixes decimal commas and points is text, with a warning,
// not 5.50 beside 5555.00; real grouping (1.234,56) keeps its number type.
func TestMixedDecimalSeparators(t *testing.T) {
	ins, err := inspectBytes(t, "m.csv", []byte("id;price\n1;5,5\n2;5.555\n3;7,25\n"), inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := types(ins)["price"]; got != inlet.TypeString || !strings.Contains(strings.Join(ins.Warnings, "\n"), "column price") {
		t.Errorf("type %s, warnings %q: want string and a warning naming price", got, ins.Warnings)
	}
	ins, err = inspectBytes(t, "g.csv", []byte("id;price\n1;5,5\n2;5.555\n3;1.234,56\n"), inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := types(ins)["price"]; got != "decimal(18,2)" {
		t.Errorf("grouped column: type %s, want decimal(18,2)", got)
	}
}

// Where Inlet chose between readings, the other is one suggestion away, and
// taking it gives the other reading.
func TestSuggestions(t *testing.T) {
	find := func(ins *inlet.Inspection, label string) *inlet.Suggestion {
		for i, s := range ins.Suggestions {
			if strings.HasPrefix(s.Label, label) {
				return &ins.Suggestions[i]
			}
		}
		t.Fatalf("no suggestion %q among %+v", label, ins.Suggestions)
		return nil
	}
	data := []byte("Quarterly report,,,\nGenerated 2024-01-05,,,\nregion,q1,q2,q3\nnorth,1,2,3\nsouth,4,5,6\n")
	ins, err := inspectBytes(t, "r.csv", data, inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	keep := find(ins, "Keep the first 2 rows")
	asData := find(ins, "First row is data")
	ins, err = inspectBytes(t, "r.csv", data, keep.Options)
	if err != nil || ins.Dialect.SkipRows != 0 {
		t.Fatalf("keeping the title rows: %+v %v", ins, err)
	}
	ins, err = inspectBytes(t, "r.csv", data, asData.Options)
	if err != nil || ins.Dialect.Header || ins.Columns[0].Name != "col_1" || ins.Sample[0][0] != "region" {
		t.Fatalf("first row as data: %+v %v", ins, err)
	}

	sjis := mustEncode(t, japanese.ShiftJIS.NewEncoder(), "名前,住所\n山田太郎,東京都新宿区\n佐藤花子,大阪府大阪市\n")
	ins, err = inspectBytes(t, "j.csv", sjis, inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(ins.Warnings, "\n"), "Shift-JIS") {
		t.Errorf("warnings %q do not say the encoding was guessed", ins.Warnings)
	}
	alt := find(ins, "Encoding: ")
	ins, err = inspectBytes(t, "j.csv", sjis, alt.Options)
	if err != nil || ins.Dialect.Encoding != alt.Options.Encoding {
		t.Fatalf("the other encoding: %+v %v", ins, err)
	}
}

// Lines of bracketed values are a table, not JSON; a quote never closed in
// a file that quotes its cells is refused where the cell starts.
func TestNotJSONAndBrokenQuotes(t *testing.T) {
	if _, err := inspectBytes(t, "ips.csv", []byte("[248.128.0.120]\n[248.128.0.141]\n[248.128.1.37]\n"), inlet.InspectOptions{}); err != nil {
		t.Errorf("bracketed values: %v", err)
	}
	_, err := inspectBytes(t, "q.csv", []byte("id,note\n1,\"fine\"\n2,\"never closed\n3,x\n"), inlet.InspectOptions{})
	if err == nil || !strings.Contains(err.Error(), "line 3, column 2") {
		t.Errorf("an unterminated quote: %v, want a refusal at line 3, column 2", err)
	}
}

// A few malformed rows do not refuse the inspection: they are listed by
// line and skipping them is one suggestion away. Mostly malformed is
// refused, where the first one is.
func TestMalformedRowsOffered(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,name\n")
	for i := 1; i <= 20; i++ {
		if i == 7 {
			b.WriteString("7,x,extra\n")
			continue
		}
		fmt.Fprintf(&b, "%d,n%d\n", i, i)
	}
	ins, err := inspectBytes(t, "m.csv", []byte(b.String()), inlet.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(ins.Warnings, "\n"); !strings.Contains(w, "lines 8") || !strings.Contains(w, "line 8, column 3") {
		t.Errorf("warnings %q do not name line 8", ins.Warnings)
	}
	found := false
	for _, s := range ins.Suggestions {
		found = found || s.OnError == "skip"
	}
	if !found || ins.Rows != 19 {
		t.Errorf("suggestions %+v, %d rows: want skip offered over 19 rows", ins.Suggestions, ins.Rows)
	}
	if _, err := inspectBytes(t, "r.csv", []byte("a,b\n1,2\n3\n4\n"), inlet.InspectOptions{}); err == nil || !strings.Contains(err.Error(), "line 3, column 2") {
		t.Errorf("mostly malformed: %v, want the first refusal", err)
	}
}
