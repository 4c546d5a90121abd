package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	inlet "github.com/inlet-data/inlet"
)

var (
	errBinary = errors.New("binary")
	timeRE    = regexp.MustCompile(`\d:\d\d`)
)

// sniffSize is how much of a file the sniffer reads to decide its format,
// encoding and dialect.
const sniffSize = 256 << 10

// sniffFormat tells XLSX from text from things Inlet cannot read, by magic bytes.
func sniffFormat(head []byte) (inlet.Format, string) {
	switch {
	case len(head) == 0:
		return "", "the file is empty"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return inlet.FormatXLSX, ""
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "", reasonCompoundFile
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "", "this is a PDF, not a CSV or XLSX file"
	case bytes.HasPrefix(head, []byte("\x89PNG")), bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}), bytes.HasPrefix(head, []byte("GIF8")):
		return "", "this is an image, not a CSV or XLSX file"
	case bytes.HasPrefix(head, []byte("PAR1")):
		return "", "this is a Parquet file; Inlet ingests CSV and XLSX"
	}
	return inlet.FormatCSV, ""
}

// An OLE compound file is a legacy .xls, a password-protected .xlsx, or
// some other Office document.
const (
	reasonCompoundFile = "this is an Office compound file (a legacy .doc, .ppt or .msg?), not a CSV or XLSX file"
	reasonLegacyXLS    = "this is a legacy Excel 97-2003 (.xls) file: save it as .xlsx or CSV and upload again"
	reasonEncrypted    = "the workbook is password-protected (encrypted): remove the password in Excel (File, Info, Protect Workbook, Encrypt with Password) and upload it again"
)

// compoundFileReason tells what kind of compound file refused the upload.
func compoundFileReason(path, why string) string {
	if why != reasonCompoundFile {
		return why
	}
	switch encryptedOrLegacy(path) {
	case "encrypted":
		return reasonEncrypted
	case "xls":
		return reasonLegacyXLS
	}
	return why
}

// SniffFormat tells a file's format from its first bytes, or says why Inlet
// cannot read it. It reads a few bytes only; inspection checks the rest.
func SniffFormat(path, fileName string) (inlet.Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	format, why := sniffFormat(head[:n])
	if format == inlet.FormatXLSX && !isWorkbookZip(path) {
		format = inlet.FormatCSV // a zip holding one CSV
	}
	if why != "" {
		return "", (&FileError{File: fileName, Reason: compoundFileReason(path, why)}).asInletError()
	}
	return format, nil
}

// looksBinary reports whether decoded text holds control characters that no
// text file has (beyond the odd stray one).
func looksBinary(text []byte) bool {
	bad := 0
	for _, c := range text {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			bad++
		}
	}
	return bad > 3 && bad*100 > len(text) // a stray NUL in a short file is not binary
}

// looksJSON reports whether text is JSON: a document, or one object per
// line, as its first lines show.
func looksJSON(text []byte) bool {
	lines := 0
	for _, l := range bytes.SplitN(text, []byte{'\n'}, 21)[:min(20, bytes.Count(text, []byte{'\n'})+1)] {
		l = bytes.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		if lines == 0 && (l[0] == '[' || l[0] == '{') && len(l) == 1 {
			return true // a pretty-printed document
		}
		if !(l[0] == '{' && l[len(l)-1] == '}' || l[0] == '[' && l[len(l)-1] == ']') || !json.Valid(l) {
			return false // [248.128.0.120] is not JSON
		}
		lines++
	}
	return lines >= 2
}

// candidateDelimiters in order of preference when scores tie.
var candidateDelimiters = []byte{',', ';', '\t', '|', '^', '~', ':'}

// sniffedDialect is the result of dialect detection on a decoded sample.
type sniffedDialect struct {
	delim, quote byte // quote 0: quotes are ordinary characters
	comment      byte // lines starting with it are notes, not records (0: none)
	crOnly       bool // lines end with a carriage return alone (classic Mac)
	skipRows     int  // lines before the header (or first data row), comment lines not counted
	fields       int  // fields per record
	header       bool
	votes        int  // the evidence for the header (see headerVotes)
	rowNames     bool // the header names every column but the first (R's row names)
	fit          widthFit
	notes        []string // what a person reading the file should know was decided
}

// sniffDialect finds the delimiter, quote character, comment lines, title
// rows, whether the first row is a header and how header and data widths
// fit, from a decoded sample. complete says whether the sample is the
// whole file (otherwise its last record may be cut).
// delims and quotes are the candidates: the uploader's choice, or nil for
// all.
func sniffDialect(sample []byte, complete bool, delims, quotes []byte) sniffedDialect {
	d := sniffedDialect{delim: ',', quote: '"', fields: 1}
	if len(delims) == 1 {
		d.delim = delims[0]
	}
	if delims == nil {
		delims = candidateDelimiters
	}
	if isCROnly(sample) {
		d.crOnly = true
		sample = bytes.ReplaceAll(sample, []byte{'\r'}, []byte{'\n'})
	}
	quote := sniffQuote(sample)
	if quotes == nil {
		// Quotes might be ordinary characters (IMDb and Wikipedia dumps),
		// or single quotes might quote: each reading is scored.
		quotes = []byte{quote, 0}
		if quote == '"' && bytes.Count(sample, []byte{'\''}) >= 2 {
			quotes = append(quotes, '\'')
		}
	} else {
		quote, d.quote = quotes[0], quotes[0]
	}
	comments := []byte{0}
	if hasCommentLines(sample) {
		comments = []byte{'#', 0}
	}
	bestScore := -1.0
	for _, q := range quotes {
		for _, comment := range comments {
			for _, delim := range delims {
				if delim == ':' && len(delims) > 1 && timeRE.Match(sample) {
					continue // colons in times are not delimiters
				}
				sh := recordShapes(sample, delim, q, comment, complete, quote)
				if len(sh.counts) == 0 {
					continue
				}
				fields, from, consistent := dominantShape(sh.counts)
				if tail := len(sh.counts) - from; from > 0 && from < 10 && tail >= 2 {
					// Title lines above a consistent table do not make it
					// ragged.
					n := 0
					for _, c := range sh.counts[from:] {
						if c == fields {
							n++
						}
					}
					consistent = max(consistent, float64(n)/float64(tail)-0.01*float64(from))
				}
				// Prefer the reading under which the most records agree;
				// among those, the one that splits into more fields. On a
				// tie: double quotes, then no quoting, then single quotes;
				// no comment lines before comment lines.
				score := consistent + float64(fields)*1e-3
				if fields < 2 && len(delims) > 1 {
					// One column: right when every split is ragged (a
					// column of 1,234.50), wrong beside a consistent split,
					// and never when its quotes do not pair up.
					score -= 0.4
					if sh.strayQuotes > 0 || sh.failed || !oneColumnPlausible(sample, delims) {
						continue
					}
				}
				if sh.failed {
					score -= 0.5
				}
				switch q {
				case 0:
					score -= 0.01 + min(0.6, 10*sh.wrapped) // fields wrapped in quotes: this file quotes
				case '\'':
					score -= 0.015
				}
				if sh.strayQuotes > 0 {
					score -= 0.02 // quotes inside quoted cells: maybe not quotes at all
				}
				if comment != 0 {
					score -= 0.002
				}
				if score > bestScore+1e-9 {
					bestScore = score
					d.delim, d.quote, d.fields, d.comment = delim, q, fields, comment
				}
			}
		}
	}
	if d.quote == 0 && quote != 0 {
		d.notes = append(d.notes, fmt.Sprintf("the %c characters in this file are part of the values, not quotes around them", quote))
	}
	recs, lines := sampleRecords(sample, d, 0, 201)
	if !complete && len(recs) > 1 {
		recs, lines = recs[:len(recs)-1], lines[:len(lines)-1]
	}
	d.layout(recs, lines, sample)
	return d
}

// layout finds, in the records from the top of the file, the title rows,
// the header and how its width fits the data's.
func (d *sniffedDialect) layout(recs [][]string, lines []int, sample []byte) {
	if len(recs) == 0 {
		return
	}
	counts := make([]int, len(recs))
	for i, r := range recs {
		counts[i] = len(r)
	}
	fields, start, _ := dominantShape(counts)
	// A trailing delimiter on every line: the last field is always empty.
	if fields >= 2 {
		empty, n := 0, 0
		for _, r := range recs[start:] {
			if len(r) == fields {
				n++
				if strings.TrimSpace(r[fields-1]) == "" {
					empty++
				}
			}
		}
		if n >= 2 && empty == n {
			d.fit.dropTrailing = true
			for i, r := range recs {
				if len(r) >= 2 && strings.TrimSpace(r[len(r)-1]) == "" {
					recs[i] = r[:len(r)-1]
					counts[i] = len(r) - 1
				}
			}
			fields, start, _ = dominantShape(counts)
		}
	}
	// A row with numbers or dates in two or more cells is data, never a
	// title: a table that starts ragged is not cut to its tail.
	for _, r := range recs[:start] {
		typed := 0
		for _, c := range r {
			if c = strings.TrimSpace(c); c != "" && kindOf([]byte(c)) != "string" {
				typed++
			}
		}
		if typed >= 2 {
			start = 0
			break
		}
	}
	// A header one field off the data's width is still the header, unless
	// the table's first full-width row is a header itself.
	if start > 0 && namesLike(recs[start-1]) && headerVotes(recs[start:]) <= 0 {
		switch h := recs[start-1]; len(h) {
		case fields + 1:
			start--
			d.fit.pad = true
			d.notes = append(d.notes, fmt.Sprintf("the header names %d columns and the data fills %d: column %s is empty", len(h), fields, h[len(h)-1]))
			fields = len(h)
		case fields - 1:
			start--
			d.rowNames = true
			d.notes = append(d.notes, "the first column has no name in the header (row names): it is named col_1")
		}
	}
	// Title lines padded with delimiters ("Report,,,,") above a full header.
	sparse := max(1, fields/3)
	for j := start; j < len(recs) && j < start+10; j++ {
		if nonEmpty(recs[j]) <= sparse {
			continue
		}
		if j > start && nonEmpty(recs[j]) >= fields-1 && namesLike(recs[j]) {
			start = j
		}
		break
	}
	d.fields = fields
	d.fit.width = fields
	if d.rowNames {
		d.fit.width = 0 // the header is one short: records are taken as they are
	}
	d.skipRows = lines[start] - 1 - commentLinesBefore(sample, d.comment, lines[start])
	head := recs[start]
	if d.rowNames {
		head = append([]string{""}, head...)
	}
	d.votes = 9 // a header one field off the data is surely one
	if !d.rowNames && !d.fit.pad {
		d.votes = headerVotes(append([][]string{head}, recs[start+1:]...))
	}
	d.header = d.votes > 0
}

func nonEmpty(rec []string) int {
	n := 0
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// namesLike reports whether a record reads as column names: distinct
// labels (one may be blank), none a number or a date.
func namesLike(rec []string) bool {
	if len(rec) < 2 {
		return false
	}
	seen := map[string]bool{}
	blank := 0
	for _, c := range rec {
		c = strings.TrimSpace(c)
		switch {
		case c == "":
			blank++
			continue
		case seen[c] || len(c) > 64:
			return false
		}
		seen[c] = true
		if k := kindOf([]byte(c)); k != "string" && k != "boolean" {
			return false
		}
	}
	return blank <= 1
}

// isCROnly reports whether lines end with a lone carriage return: the text
// has no newline and a carriage return before its end.
func isCROnly(sample []byte) bool {
	if bytes.IndexByte(sample, '\n') >= 0 {
		return false
	}
	i := bytes.IndexByte(sample, '\r')
	return i >= 0 && i < len(sample)-1
}

// hasCommentLines reports whether some line starts with '#': a tool's
// notes, or values (hashtags, #12 ids) that the scoring tells apart.
func hasCommentLines(sample []byte) bool {
	return bytes.HasPrefix(sample, []byte{'#'}) || bytes.Contains(sample, []byte("\n#"))
}

// commentLinesBefore counts the comment lines before line (1-based).
func commentLinesBefore(sample []byte, comment byte, line int) int {
	if comment == 0 {
		return 0
	}
	n := 0
	for i, l := range bytes.SplitN(sample, []byte{'\n'}, line) {
		if i == line-1 {
			break
		}
		if len(l) > 0 && l[0] == comment {
			n++
		}
	}
	return n
}

// sniffQuote prefers the double quote; the single quote wins only when it
// visibly wraps fields and the double quote does not.
func sniffQuote(sample []byte) byte {
	count := func(q byte) int {
		n := 0
		for i := 1; i+1 < len(sample); i++ {
			if sample[i] == q && bytes.IndexByte([]byte(",;\t|\n"), sample[i-1]) >= 0 {
				n++
			}
		}
		return n
	}
	if s, d := count('\''), count('"'); s > 2 && d == 0 {
		return '\''
	}
	return '"'
}

// shapes are the field counts of a sample's records under one dialect, and
// whether reading them failed before the sample's end.
type shapes struct {
	counts, lines []int
	failed        bool
	strayQuotes   int     // quotes inside quoted cells that did not end them
	wrapped       float64 // share of fields wrapped in the quote character read literally
}

// recordShapes parses up to 1000 records of the sample. Read without
// quoting (quote 0), it also measures how many fields the literal quote
// character wraps: a file that quotes its fields is not a file of literal
// quotes.
func recordShapes(sample []byte, delim, quote, comment byte, complete bool, literal byte) shapes {
	r := newCSVReader(bytes.NewReader(sample), delim, quote, len(sample)+1)
	r.comment = comment
	var sh shapes
	fields, wrapped := 0, 0
	for len(sh.counts) < 1000 {
		rec, err := r.Read()
		if err == nil && quote == 0 && literal != 0 {
			// Quotes wrapping a field, or a value the reading split at a
			// delimiter its quotes protected ("Dec 8 | 2022"), say the
			// file quotes: two points for each such field, of two per field.
			open := false
			for _, f := range rec {
				fields++
				f = bytes.TrimSpace(f)
				starts, ends := len(f) >= 1 && f[0] == literal, len(f) >= 1 && f[len(f)-1] == literal
				switch {
				case len(f) >= 2 && starts && ends:
					wrapped += 2
				case starts:
					open = true
				case ends && open:
					wrapped += 4 // the two halves of one quoted value
					open = false
				}
			}
		}
		if err != nil {
			var pe *parseError
			// A sample cut inside a quoted cell is not a failure.
			sh.failed = errors.As(err, &pe) && (complete || !strings.Contains(pe.Reason, "never closed"))
			break
		}
		sh.counts = append(sh.counts, len(rec))
		sh.lines = append(sh.lines, r.Line())
	}
	if !complete && len(sh.counts) > 1 && !sh.failed {
		sh.counts, sh.lines = sh.counts[:len(sh.counts)-1], sh.lines[:len(sh.lines)-1]
	}
	sh.strayQuotes = r.strayQuotes
	if fields > 0 {
		sh.wrapped = float64(wrapped) / float64(2*fields)
	}
	return sh
}

// dominantShape finds the field count most records share, the first record
// from which on they (nearly all) share it, and the share of records that do.
func dominantShape(counts []int) (fields, start int, share float64) {
	freq := map[int]int{}
	for _, c := range counts {
		freq[c]++
	}
	keys := make([]int, 0, len(freq))
	for k := range freq {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if freq[keys[i]] != freq[keys[j]] {
			return freq[keys[i]] > freq[keys[j]]
		}
		return keys[i] > keys[j]
	})
	fields = keys[0]
	// Title rows: leading records with another shape, before the block.
	for start < len(counts) && counts[start] != fields {
		start++
	}
	agree := 0
	for _, c := range counts[start:] {
		if c == fields {
			agree++
		}
	}
	return fields, start, float64(agree) / float64(len(counts))
}

// sniffHeader decides whether records[0] is a header: its cells are
// distinct labels above columns of numbers, dates or values of another
// length or make-up.
func sniffHeader(records [][]string) bool {
	return headerVotes(records) > 0
}

// headerVotes weighs the evidence that records[0] is a header: each column
// votes for (a label above values of another kind, length or make-up) or
// against (a value like those below it); more than zero is a header.
func headerVotes(records [][]string) int {
	if len(records) == 0 {
		return 0
	}
	head := records[0]
	if len(head) > 1 && len(records) > 1 && nonEmpty(head) == 0 {
		return 1 // ",,": a header that names nothing, not a row of nulls
	}
	labels := numberLabels(head)
	// The kind every value of a column shares ("" when they differ or the
	// column is empty): the strongest evidence there is. A word above a
	// column of numbers or dates is a name; a value of the column's own
	// kind on top (TRUE above booleans, 10 above numbers) is a record.
	kinds := columnKinds(head, records[1:])
	nulls := newNullSet(nil)
	named, valued := 0, 0
	for i, h := range head {
		h = strings.TrimSpace(h)
		if h == "" || labels[i] || kinds[i] == "" || kinds[i] == "string" || nulls.has([]byte(h)) {
			continue // an NA on top of numbers is a missing value, not a name
		}
		switch kindOf([]byte(h)) {
		case kinds[i]:
			valued++
		case "string":
			named++
		}
	}
	switch {
	case valued > 0 && named == 0:
		return -1 - valued
	case named > 0 && valued == 0:
		// Whatever else the row has (a blank, a repeated name, a name
		// that recurs below), these columns are named.
		return 1 + named
	}
	seen := map[string]bool{}
	// A blank or repeated name (a trailing delimiter, pandas' unnamed index
	// column, two columns both called "value") is no evidence either way,
	// but a row of mostly blanks is no header; columns empty throughout do
	// not count.
	votes, unnamed, columns := 0, 0, 0
	for i, h := range head {
		h = strings.TrimSpace(h)
		if h == "" && kinds[i] == "" && !filledBelow(records[1:], i) {
			continue
		}
		columns++
		if h == "" || seen[h] {
			unnamed++
			continue
		}
		seen[h] = true
		if k := kindOf([]byte(h)); k != "string" && k != "boolean" && !labels[i] {
			if kinds[i] == "string" {
				votes++ // a number above words (2020 above R+27) names them
				continue
			}
			return -1 // a number or a date is data
		}
	}
	if unnamed*2 > columns {
		return -1
	}
	rows := records[1:]
	if len(rows) == 0 {
		if unnamed == 0 && len(labels) == 0 {
			return 1 // a lone row of distinct words: take it as a header
		}
		return -1
	}
	for i := range head {
		label := strings.TrimSpace(head[i])
		if label == "" || labels[i] {
			continue // numbered labels (years) say nothing about their column
		}
		kinds, lengths, makeups := map[string]int{}, map[int]int{}, map[string]int{}
		repeats := false
		for _, rec := range rows {
			if i >= len(rec) {
				continue
			}
			c := strings.TrimSpace(rec[i])
			if c == "" {
				continue
			}
			if c == label {
				repeats = true
			}
			kinds[kindOf([]byte(c))]++
			lengths[len(c)]++
			makeups[makeup(c)]++
		}
		if repeats {
			votes -= 2 // a label does not recur among its values
			continue
		}
		dominant, n := "", 0
		for k, v := range kinds {
			if v > n {
				dominant, n = k, v
			}
		}
		switch {
		case n == 0:
		case dominant != "string":
			votes++ // a word above numbers, dates or booleans
		case len(lengths) == 1:
			// Fixed-length values: codes. A label of another length, or
			// written otherwise (cd above AB, code above AB12), names them.
			_, sameMakeup := makeups[makeup(label)]
			for l := range lengths {
				if l != len(label) || !sameMakeup {
					votes++
				} else {
					votes--
				}
			}
		}
	}
	if votes != 0 {
		return votes
	}
	if unnamed > 0 && len(seen) < 2 {
		return -1
	}
	// Only free text below: most files people upload have a header, so take
	// short distinct labels as one.
	for _, h := range head {
		if len(h) > 64 {
			return -1
		}
	}
	return 1
}

// oneColumnPlausible reports whether the sample reads as a single column:
// every line that holds a candidate delimiter outside double quotes is a
// number written with it (1,234.50 or 12,5), so no split was meant.
func oneColumnPlausible(sample []byte, delims []byte) bool {
	var line []byte
	split, in := false, false
	check := func() bool {
		ok := true
		if split {
			t := bytes.TrimSpace(line)
			_, dot := scanNumber(t, styleDot)
			_, comma := scanNumber(t, styleComma)
			ok = dot || comma
		}
		line, split = line[:0], false
		return ok
	}
	for _, c := range sample {
		switch {
		case c == '"':
			in = !in
		case c == '\n' && !in:
			if !check() {
				return false
			}
			continue
		case !in && bytes.IndexByte(delims, c) >= 0:
			split = true
		}
		if !in && c != '"' {
			line = append(line, c)
		}
	}
	return check()
}

// columnKinds is, per column, the kind all its non-empty values share, or
// "" when they differ or there are none.
func columnKinds(head []string, rows [][]string) []string {
	out := make([]string, len(head))
	nulls := newNullSet(nil)
	for i := range head {
		kind := ""
		for _, rec := range rows {
			if i >= len(rec) {
				continue
			}
			c := strings.TrimSpace(rec[i])
			if c == "" || nulls.has([]byte(c)) {
				continue
			}
			k := kindOf([]byte(c))
			if kind == "" {
				kind = k
			} else if k != kind {
				kind = "mixed"
				break
			}
		}
		if kind != "mixed" {
			out[i] = kind
		}
	}
	return out
}

func filledBelow(rows [][]string, i int) bool {
	for _, rec := range rows {
		if i < len(rec) && strings.TrimSpace(rec[i]) != "" {
			return true
		}
	}
	return false
}

// numberLabels finds the cells of a header row that are numbers used as
// labels: two or more whole numbers rising by a constant step (years,
// periods, sizes) beside at least one word.
func numberLabels(head []string) map[int]bool {
	var idx []int
	var vals []int64
	words := 0
	for i, h := range head {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		n, err := strconv.ParseInt(h, 10, 64)
		if err != nil {
			if kindOf([]byte(h)) == "string" {
				words++
			}
			continue
		}
		idx, vals = append(idx, i), append(vals, n)
	}
	if len(vals) < 2 || words == 0 {
		return nil
	}
	// Two numbers (10,hello,20) are as likely data; three in a series, or
	// years, are labels.
	years := true
	for _, v := range vals {
		years = years && v >= 1800 && v <= 2100
	}
	if len(vals) < 3 && !years {
		return nil
	}
	step := vals[1] - vals[0]
	for k := 1; k < len(vals); k++ {
		if step <= 0 || vals[k]-vals[k-1] != step {
			return nil
		}
	}
	out := map[int]bool{}
	for _, i := range idx {
		out[i] = true
	}
	return out
}

// makeup is how a value is written: runs of lower-case letters, upper-case
// letters and digits ("ab12" → "a9", "AB" → "A", "Zz" → "Aa").
func makeup(s string) string {
	var b []byte
	for _, r := range s {
		c := byte('.')
		switch {
		case unicode.IsLower(r):
			c = 'a'
		case unicode.IsUpper(r):
			c = 'A'
		case unicode.IsDigit(r):
			c = '9'
		case r == ' ':
			c = ' '
		}
		if len(b) == 0 || b[len(b)-1] != c {
			b = append(b, c)
		}
	}
	return string(b)
}

// sampleRecords parses up to n records of a sample after skip lines, with
// the line each starts on.
func sampleRecords(sample []byte, d sniffedDialect, skip, n int) ([][]string, []int) {
	if d.crOnly {
		sample = bytes.ReplaceAll(sample, []byte{'\r'}, []byte{'\n'})
	}
	r := newCSVReader(bytes.NewReader(sample), d.delim, d.quote, len(sample)+1)
	r.comment = d.comment
	for skipped := 0; skipped < skip; {
		line, err := r.readLine()
		if err != nil {
			return nil, nil
		}
		if d.comment == 0 || len(line) == 0 || line[0] != d.comment {
			skipped++
		}
	}
	var out [][]string
	var lines []int
	for len(out) < n {
		rec, err := r.Read()
		if err != nil {
			break
		}
		row := make([]string, len(rec))
		for i, c := range rec {
			row[i] = string(c)
		}
		out = append(out, row)
		lines = append(lines, r.Line())
	}
	return out, lines
}
