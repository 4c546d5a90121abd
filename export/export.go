// Package export writes the files of a data export: a query's rows as CSV,
// XLSX, Parquet or JSON Lines, split into parts of a chosen size and, if
// asked, zipped into one file. It streams: memory stays flat whatever the
// row count. It knows the root vocabulary and the format libraries only;
// where files go is the caller's Sink (the lake's export area on the
// server, a directory for the CLI), and it never imports another adapter.
package export

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	inlet "github.com/inlet-data/inlet"
)

// Format is the file format of an export.
type Format string

// The formats.
const (
	CSV     Format = "csv"
	XLSX    Format = "xlsx"
	Parquet Format = "parquet"
	JSONL   Format = "jsonl"
)

// Formats lists the formats in the order the UI offers them.
var Formats = []Format{CSV, XLSX, Parquet, JSONL}

// ParseFormat reads a format's name as users type it (any case).
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, ok := range Formats {
		if f == ok {
			return f, nil
		}
	}
	return "", inlet.Errorf(inlet.EINVALID, "format %q: choose csv, xlsx, parquet or jsonl", s)
}

// Ext is the file name extension of the format, without the dot.
func (f Format) Ext() string { return string(f) }

// Options says how to write an export.
type Options struct {
	Format Format
	// Delimiter separates CSV fields: ',' (the default, also for 0), ';'
	// (Excel in locales with a decimal comma), '\t' or '|'.
	Delimiter byte
	// BOM starts a CSV with a UTF-8 byte order mark: Excel reads a CSV
	// without one in the machine's legacy code page and mangles non-ASCII.
	BOM bool
	// NoHeader leaves out the CSV header row (for appending to a file).
	NoHeader bool
	// PartRows starts a new file after this many rows; 0 writes one file.
	PartRows int64
	// BaseName is the stem of the files' names, e.g. "crm_customers":
	// crm_customers.csv, or crm_customers-part-0001.csv, -0002, ... when
	// PartRows is set (then always numbered, even if one part results: a
	// name is chosen before the rows that decide it are read). Default
	// "export".
	BaseName string
}

// Part is one file an export wrote.
type Part struct {
	Name  string `json:"name"`
	Rows  int64  `json:"rows"`
	Bytes int64  `json:"bytes"`
}

// Progress is how far an export has come.
type Progress struct {
	Rows, Bytes int64
	Parts       int // parts started so far, the one being written included
}

// Sink creates an export's files (the lake's export area on the server; a
// directory for the CLI). A file is complete once its Close returned nil.
type Sink interface {
	Create(ctx context.Context, name string) (io.WriteCloser, error)
}

// progressEvery is how many rows pass between progress reports and
// cancellation checks.
const progressEvery = 1 << 16

// encoder writes one file's rows in a format; the header goes out when it
// is made.
type encoder interface {
	row(vals []any) error
	// close ends the file's format; it does not close the sink's writer.
	close() error
}

// arrowEncoder is an encoder that also writes a row straight from an Arrow
// batch's typed arrays, without boxing each value (XLSX's).
type arrowEncoder interface {
	arrowRow(rec arrow.RecordBatch, i int) error
}

// batchRows is rows that also hand out whole Arrow batches (an engine's
// unload read back).
type batchRows interface {
	nextBatch() (arrow.RecordBatch, bool)
}

// rowSource walks rows one at a time, through whole batches when the rows
// give them, and writes the current row into an encoder.
type rowSource struct {
	rows    inlet.ResultRows
	batches batchRows // nil: rows one at a time
	rec     arrow.RecordBatch
	i       int
	vals    []any
}

func newRowSource(rows inlet.ResultRows) *rowSource {
	s := &rowSource{rows: rows}
	if b, ok := rows.(batchRows); ok {
		s.batches, s.vals = b, make([]any, len(rows.Columns()))
	}
	return s
}

func (s *rowSource) next() bool {
	if s.batches == nil {
		return s.rows.Next()
	}
	for s.rec == nil || s.i+1 >= int(s.rec.NumRows()) {
		rec, ok := s.batches.nextBatch()
		if !ok {
			return false
		}
		s.rec, s.i = rec, -1
	}
	s.i++
	return true
}

// write writes the current row into enc.
func (s *rowSource) write(enc encoder) error {
	if s.batches == nil {
		return enc.row(s.rows.Values())
	}
	if ae, ok := enc.(arrowEncoder); ok {
		return ae.arrowRow(s.rec, s.i)
	}
	for c, col := range s.rec.Columns() {
		s.vals[c] = cell(col, s.i)
	}
	return enc.row(s.vals)
}

func (o *Options) check() error {
	if _, err := ParseFormat(string(o.Format)); err != nil {
		return err
	}
	o.Format = Format(strings.ToLower(string(o.Format)))
	switch o.Delimiter {
	case 0:
		o.Delimiter = ','
	case ',', ';', '\t', '|':
	default:
		return inlet.Errorf(inlet.EINVALID, "delimiter %q: choose ',', ';', tab or '|'", o.Delimiter)
	}
	if o.PartRows < 0 {
		return inlet.Errorf(inlet.EINVALID, "part rows %d: give a positive number, or 0 for one file", o.PartRows)
	}
	if o.BaseName == "" {
		o.BaseName = "export"
	}
	if strings.ContainsAny(o.BaseName, `/\`+"\x00") || strings.HasPrefix(o.BaseName, ".") {
		return inlet.Errorf(inlet.EINVALID, "file name %q: use a plain name without slashes or a leading dot", o.BaseName)
	}
	return nil
}

// partName is the name of the n-th part (from 1).
func (o *Options) partName(n int) string {
	if o.PartRows == 0 {
		return o.BaseName + "." + o.Format.Ext()
	}
	return fmt.Sprintf("%s-part-%04d.%s", o.BaseName, n, o.Format.Ext())
}

func (o *Options) newEncoder(w io.Writer, cols []inlet.ResultColumn) (encoder, error) {
	switch o.Format {
	case CSV:
		return newCSV(w, cols, o)
	case XLSX:
		return newXLSX(w, cols)
	case Parquet:
		return newParquet(w, cols)
	case JSONL:
		return newJSONL(w, cols), nil
	}
	return nil, inlet.Errorf(inlet.EINVALID, "format %q: choose csv, xlsx, parquet or jsonl", o.Format)
}

// Write streams rows into files created in sink, in opts.Format, and
// returns the parts it wrote. rows is read to its end but not closed.
// progress, if set, hears how far it is every 65,536 rows and at each
// part's end.
//
// Write leaves cleanup to the caller: when it fails part-way (ctx
// cancelled, a sink error, rows.Err()) it returns the error together with
// every part it created, the unfinished one included, so the caller knows
// what to delete. Only the caller knows whether a half-written export is
// worth keeping for a look or must go at once.
func Write(ctx context.Context, rows inlet.ResultRows, sink Sink, opts Options, progress func(Progress)) ([]Part, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	cols := rows.Columns()
	var (
		parts []Part
		cur   *partWriter
		total Progress
		done  int64 // bytes of finished parts
	)
	report := func() {
		if progress == nil {
			return
		}
		total.Parts = len(parts)
		total.Bytes = done
		if cur != nil {
			total.Bytes += cur.out.n
		}
		progress(total)
	}
	open := func() error {
		name := opts.partName(len(parts) + 1)
		parts = append(parts, Part{Name: name})
		var err error
		cur, err = openPart(ctx, sink, name, &opts, cols)
		return err
	}
	finish := func() error {
		err := cur.finish()
		p := &parts[len(parts)-1]
		p.Rows, p.Bytes = cur.rows, cur.out.n
		done += cur.out.n
		cur = nil
		if err != nil {
			return fmt.Errorf("write %s: %w", p.Name, err)
		}
		report()
		return nil
	}
	fail := func(err error) ([]Part, error) {
		if cur != nil {
			cur.abort()
			p := &parts[len(parts)-1]
			p.Rows, p.Bytes = cur.rows, cur.out.n
		}
		return parts, err
	}
	src := newRowSource(rows)
	for src.next() {
		if cur == nil {
			if err := open(); err != nil {
				return fail(err)
			}
		}
		if err := src.write(cur.enc); err != nil {
			return fail(fmt.Errorf("write %s: %w", cur.name, err))
		}
		cur.rows++
		total.Rows++
		if total.Rows%progressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return fail(err)
			}
			report()
		}
		if opts.PartRows > 0 && cur.rows == opts.PartRows {
			if err := finish(); err != nil {
				return fail(err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	// No rows still makes a file: a header says what the export would hold.
	if len(parts) == 0 {
		if err := open(); err != nil {
			return fail(err)
		}
	}
	if cur != nil {
		if err := finish(); err != nil {
			return fail(err)
		}
	}
	return parts, nil
}

// partWriter is one part being written.
type partWriter struct {
	name string
	wc   io.WriteCloser
	out  *countingWriter
	enc  encoder
	rows int64
}

func openPart(ctx context.Context, sink Sink, name string, opts *Options, cols []inlet.ResultColumn) (*partWriter, error) {
	wc, err := sink.Create(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	p := &partWriter{name: name, wc: wc, out: &countingWriter{ctx: ctx, w: wc}}
	if p.enc, err = opts.newEncoder(p.out, cols); err != nil {
		wc.Close()
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	return p, nil
}

func (p *partWriter) finish() error {
	err := p.enc.close()
	if cerr := p.wc.Close(); err == nil {
		err = cerr
	}
	return err
}

// abort closes what is open after a failure; the caller deletes the file.
func (p *partWriter) abort() {
	if p.enc != nil {
		p.enc.close()
	}
	p.wc.Close()
}

// countingWriter counts the bytes that reach the sink, and stops a long
// write (an XLSX's final zip, a Parquet row group) once ctx is done.
type countingWriter struct {
	ctx context.Context
	w   io.Writer
	n   int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// SafeText neutralises a text cell a spreadsheet would run as a formula
// (OWASP CSV injection): one starting with =, +, -, @, tab or CR, or with
// a NUL or a byte order mark a reader drops before them, gets a leading
// apostrophe, which spreadsheets show as text and hide. A cell that
// is a plain number ("-42", "+3.5", "-0.5e3") is left alone: it is data a
// spreadsheet reads as a number, not a formula.
func SafeText(s string) string {
	if !risky(s) {
		return s
	}
	return "'" + s
}

// safeTextSQL is SafeText as a DuckDB expression over {}, for an engine
// that writes a CSV itself; TestSafeTextSQL holds it to SafeText's answers.
// A CSV export runs it on every text value, so its first test is the
// cheapest there is: comparing the value as bytes with '0', ':' and 'A'
// reads only the prefix DuckDB keeps inline in each string, not the string.
// It lets through the values whose first byte is below '0' or from ':' to
// '@', where every risky one is but the byte order mark (tested with
// starts_with, as cheap); only those get the exact test of the first
// character's code point (= @ tab CR NUL BOM, then + - that are not
// numbers).
// The comparisons are binary whatever the value's collation: under ICU's
// th, for one, - and @ are ignorable, so "-cmd" would not compare below '0'
// and would slip past. unicode() decodes the first character only; cast to
// text over the bench table it took 2.74 s of CPU to ascii()'s 2.91 s. It
// gives -1 for an empty string, never a code point in the list.
const safeTextSQL = `CASE WHEN (({} COLLATE "binary") < '0' OR (({} COLLATE "binary") >= ':' AND ({} COLLATE "binary") < 'A') OR starts_with({}, chr(65279))) AND unicode({}) IN (61, 64, 9, 13, 43, 45, 0, 65279) AND NOT (unicode({}) IN (43, 45) AND regexp_full_match({}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?')) THEN '''' || {} ELSE {} END`

// risky says whether SafeText would change s.
func risky(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '@', '\t', '\r', 0:
		// A NUL: spreadsheets drop it on reading, and run what follows.
		return true
	case '+', '-':
		return !plainNumber(s)
	}
	// A byte order mark: at the start of a file (a header name) a reader
	// takes it for the encoding's and drops it.
	return strings.HasPrefix(s, "\uFEFF")
}

// plainNumber reports whether s is a decimal number: a sign, digits with
// at most one point, and an optional exponent. Nothing else (no Inf, no
// hex, no spaces) passes, so nothing a spreadsheet evaluates does.
func plainNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
