package ingest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"

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
		return "", "this is a legacy Excel 97-2003 (.xls) file: save it as .xlsx or CSV and upload again"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "", "this is a PDF, not a CSV or XLSX file"
	case bytes.HasPrefix(head, []byte("\x89PNG")), bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}), bytes.HasPrefix(head, []byte("GIF8")):
		return "", "this is an image, not a CSV or XLSX file"
	case bytes.HasPrefix(head, []byte("PAR1")):
		return "", "this is a Parquet file; Inlet ingests CSV and XLSX"
	}
	return inlet.FormatCSV, ""
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
		return "", (&FileError{File: fileName, Reason: why}).asInletError()
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
	return bad > 0 && bad*100 > len(text)
}

// candidateDelimiters in order of preference when scores tie.
var candidateDelimiters = []byte{',', ';', '\t', '|', '^', '~', ':'}

// sniffedDialect is the result of dialect detection on a decoded sample.
type sniffedDialect struct {
	delim, quote byte
	skipRows     int // physical lines before the header (or first data row)
	fields       int // fields per record
	header       bool
}

// sniffDialect finds the delimiter, quote character, title rows and whether
// the first row is a header, from a decoded sample. complete says whether the
// sample is the whole file (otherwise its last record may be cut).
func sniffDialect(sample []byte, complete bool) sniffedDialect {
	quote := sniffQuote(sample)
	best := sniffedDialect{delim: ',', quote: quote, fields: 1}
	bestScore := -1.0
	for _, d := range candidateDelimiters {
		if d == ':' && timeRE.Match(sample) {
			continue // colons in times are not delimiters
		}
		counts, lines := recordShapes(sample, d, quote, complete)
		if len(counts) == 0 {
			continue
		}
		fields, start, consistent := dominantShape(counts)
		if fields < 2 {
			continue
		}
		// Prefer the delimiter under which the most records agree; among those,
		// the one that splits into more fields.
		score := consistent + float64(fields)*1e-3
		if score > bestScore+1e-9 {
			bestScore = score
			best = sniffedDialect{delim: d, quote: quote, fields: fields, skipRows: lines[start] - 1}
		}
	}
	recs := sampleRecords(sample, best, 201)
	if !complete && len(recs) > 1 {
		recs = recs[:len(recs)-1]
	}
	best.header = sniffHeader(recs)
	return best
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

// recordShapes parses up to 1000 records of the sample and returns their field
// counts and the lines they start on.
func recordShapes(sample []byte, delim, quote byte, complete bool) (counts, lines []int) {
	r := newCSVReader(bytes.NewReader(sample), delim, quote, len(sample)+1)
	for len(counts) < 1000 {
		rec, err := r.Read()
		if err != nil {
			break
		}
		counts = append(counts, len(rec))
		lines = append(lines, r.Line())
	}
	if !complete && len(counts) > 1 {
		counts, lines = counts[:len(counts)-1], lines[:len(lines)-1]
	}
	return counts, lines
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
// distinct non-empty words above columns of numbers, dates or values of
// another length.
func sniffHeader(records [][]string) bool {
	if len(records) == 0 {
		return false
	}
	head := records[0]
	seen := map[string]bool{}
	// A blank or repeated name (a trailing delimiter, pandas' unnamed index
	// column, two columns both called "value") counts against a header,
	// but does not rule one out: the other names may say it plainly.
	votes, unnamed := 0, 0
	for _, h := range head {
		h = strings.TrimSpace(h)
		if h == "" || seen[h] {
			unnamed++
			votes--
			continue
		}
		seen[h] = true
		if k := kindOf([]byte(h)); k != "string" && k != "boolean" {
			return false // a number or a date is data
		}
	}
	if unnamed*2 > len(head) {
		return false
	}
	rows := records[1:]
	if len(rows) == 0 {
		return unnamed == 0 // a lone row of distinct words: take it as a header
	}
	for i := range head {
		kinds, lengths := map[string]int{}, map[int]int{}
		repeats := false
		for _, rec := range rows {
			if i >= len(rec) {
				continue
			}
			c := strings.TrimSpace(rec[i])
			if c == "" {
				continue
			}
			if c == strings.TrimSpace(head[i]) {
				repeats = true
			}
			kinds[kindOf([]byte(c))]++
			lengths[len(c)]++
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
			for l := range lengths {
				if l != len(strings.TrimSpace(head[i])) {
					votes++ // fixed-length codes under a label
				} else {
					votes--
				}
			}
		}
	}
	if votes != 0 {
		return votes > 0
	}
	if unnamed > 0 {
		return false
	}
	// Only free text below: most files people upload have a header, so take
	// short distinct labels as one.
	for _, h := range head {
		if len(h) > 64 {
			return false
		}
	}
	return true
}

// sampleRecords parses up to n records of a sample, from line skip+1 on.
func sampleRecords(sample []byte, d sniffedDialect, n int) [][]string {
	r := newCSVReader(bytes.NewReader(sample), d.delim, d.quote, len(sample)+1)
	for i := 0; i < d.skipRows; i++ {
		if _, err := r.readLine(); err != nil {
			return nil
		}
	}
	var out [][]string
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
	}
	return out
}
