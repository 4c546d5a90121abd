package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/pii"
)

// Config holds the limits and defaults of reading files.
type Config struct {
	MaxCellBytes   int      // a larger cell is an error (default 1 MiB)
	MaxColumns     int      // a wider file is an error (default 4 096)
	SampleRows     int      // rows read to infer types (default 10 000)
	PreviewRows    int      // rows returned to the uploader for review (default 100)
	MaxUnzipped    int64    // XLSX: total uncompressed size (default 2 GiB)
	PhoneRegion    string   // default region for phone numbers without +CC (default US)
	Nulls          []string // null markers (default DefaultNulls)
	TmpDir         string   // scratch space for workbook parts; cleaned after use
	RowGroupRows   int      // Parquet row group size (default 65 536)
	PageBytes      int64    // Parquet data page size (default 128 KiB)
	FileRows       int64    // rows per data file before rolling to a new one (default 4 Mi)
	Workers        int      // conversion/encoding workers (default GOMAXPROCS)
	MaxRowErrors   int      // row errors listed in a result (default 100)
	BatchRows      int      // rows per Arrow batch (default 8 192)
	piiSampleLimit int
}

func (c *Config) defaults() {
	if c.MaxCellBytes == 0 {
		c.MaxCellBytes = 1 << 20
	}
	if c.SampleRows == 0 {
		c.SampleRows = 10000
	}
	if c.MaxColumns == 0 {
		c.MaxColumns = 4096
	}
	if c.PreviewRows == 0 {
		c.PreviewRows = 100
	}
	if c.MaxUnzipped == 0 {
		c.MaxUnzipped = 2 << 30
	}
	if c.PhoneRegion == "" {
		c.PhoneRegion = "US"
	}
	if c.RowGroupRows == 0 {
		// Each worker holds a row group's pages until it is complete: this
		// bounds memory, and is plenty for readers to skip by statistics.
		c.RowGroupRows = 65536
	}
	if c.PageBytes == 0 {
		// Measured on the 200 MB benchmark file: against the 1 MiB default,
		// 128 KiB pages ingest ~9% faster (zstd works within cache, page
		// buffers stay small) and the files are as large as DuckDB's;
		// 64 KiB is faster again but 5% larger.
		c.PageBytes = 128 << 10
	}
	if c.FileRows == 0 {
		c.FileRows = 4 << 20
	}
	if c.MaxRowErrors == 0 {
		c.MaxRowErrors = 100
	}
	if c.BatchRows == 0 {
		c.BatchRows = 8 << 10
	}
	c.piiSampleLimit = 500 // plenty for shares, and validators (libphonenumber) are slow
}

// column is one source column as inspection understood it.
type column struct {
	source     string
	name       string
	typ        inlet.Type
	numStyle   uint8
	dateOrder  uint8
	dateFormat string
	finding    *inlet.Finding
	nulls      int
	// distinct is the share of distinct values in the sample: near 1 for
	// ids and timestamps, where a Parquet dictionary costs time and saves nothing.
	distinct float64
}

// plan is how to read a file again, for ingest, the way inspection read it.
type plan struct {
	path, fileName string
	format         inlet.Format
	csv            csvLayout
	sheet          string
	sheets         []string
	skipRows       int
	header         bool
	width          int
	columns        []column
	nulls          nullSet
	maxUnzipped    int64
	maxColumns     int
	tmpDir         string
	notes          []string // what the layout decided that the uploader should know
	suggestions    []inlet.Suggestion
	ignoreExtra    bool // drop a sheet's cells right of its header
	extraNoted     bool
}

// FileError is an error reading a file: it names the file and, when known,
// the line and column, and never quotes cell contents.
type FileError struct {
	File   string
	Line   int
	Column int
	Name   string // column name, when known
	Reason string
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	if e.Column > 0 {
		fmt.Fprintf(&b, ", column %d", e.Column)
		if e.Name != "" {
			fmt.Fprintf(&b, " (%s)", e.Name)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// asInletError makes a FileError an EINVALID inlet.Error keeping its text.
func (e *FileError) asInletError() error {
	return &inlet.Error{Code: inlet.EINVALID, Message: e.Error()}
}

func fileErr(name string, err error) error {
	var pe *parseError
	if errors.As(err, &pe) {
		return (&FileError{File: name, Line: pe.Line, Column: pe.Column, Reason: pe.Reason}).asInletError()
	}
	var fe *FileError
	if errors.As(err, &fe) {
		return fe.asInletError()
	}
	var te *tooExpanded
	if errors.As(err, &te) {
		return (&FileError{File: name, Reason: te.Error()}).asInletError()
	}
	return err
}

// Inspector reads files without side effects: format, dialect, types, PII.
type Inspector struct {
	Config   Config
	Detector *pii.Detector
}

// report tells an inspection's listener how far it has got.
func report(opts inlet.InspectOptions, p inlet.InspectProgress) {
	if opts.Progress != nil {
		opts.Progress(p)
	}
}

// NewInspector returns an Inspector with cfg's zero values defaulted.
func NewInspector(cfg Config) *Inspector {
	cfg.defaults()
	return &Inspector{Config: cfg, Detector: &pii.Detector{Region: cfg.PhoneRegion}}
}

// InspectFile inspects the file at path; fileName is the name users know it by.
func (in *Inspector) InspectFile(ctx context.Context, path, fileName string, opts inlet.InspectOptions) (*inlet.Inspection, error) {
	ins, _, err := in.inspect(ctx, path, fileName, opts, false)
	return ins, err
}

// inspect plans and samples a file. lenient skips rows of the wrong width in
// the sample instead of failing: an ingest that skips bad rows asked for it.
func (in *Inspector) inspect(ctx context.Context, path, fileName string, opts inlet.InspectOptions, lenient bool) (ins *inlet.Inspection, p *plan, err error) {
	defer recovered(fileName, &err)
	if r := opts.PhoneRegion; r != "" && !pii.IsRegion(r) {
		msg := fmt.Sprintf("%q is not a phone region: use a two-letter country code such as DE, BR or JP", r)
		return nil, nil, &inlet.Error{Code: inlet.EINVALID, Message: msg, Fields: map[string]string{"phone_region": msg}}
	}
	report(opts, inlet.InspectProgress{Phase: "opening", RowsTotal: in.Config.SampleRows})
	if p, err = in.plan(path, fileName, opts); err != nil {
		return nil, nil, fileErr(fileName, err)
	}
	if ins, err = in.sample(ctx, p, opts, lenient); err != nil {
		return nil, nil, fileErr(fileName, err)
	}
	return ins, p, nil
}

// region is an upload's phone region: the uploader's choice, else the
// tenant's default, else the server's.
func (in *Inspector) region(opts inlet.InspectOptions) string {
	switch {
	case opts.PhoneRegion != "":
		return opts.PhoneRegion
	case opts.Rules != nil && opts.Rules.Region != "":
		return opts.Rules.Region
	}
	return in.Config.PhoneRegion
}

// plan works out format, encoding and dialect (or sheet), title rows and header.
func (in *Inspector) plan(path, fileName string, opts inlet.InspectOptions) (*plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, sniffSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	head = head[:n]
	complete := n < sniffSize
	lim := xlsxLimits{MaxUnzipped: in.Config.MaxUnzipped, MaxRatio: 200}
	wrap := wrapNone
	switch {
	case isGzip(head):
		wrap = wrapGzip
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) && !isWorkbookZip(path):
		wrap = wrapZip
	}
	if wrap != wrapNone {
		// A CSV inside gzip or zip: sniff its uncompressed text.
		if head, complete, err = readHead(path, wrap, sniffSize, lim); err != nil {
			return nil, &FileError{File: fileName, Reason: err.Error()}
		}
	}
	format, why := sniffFormat(head)
	if why != "" {
		return nil, &FileError{File: fileName, Reason: compoundFileReason(path, why)}
	}
	if wrap != wrapNone && format != inlet.FormatCSV {
		return nil, &FileError{File: fileName, Reason: "the compressed file does not hold CSV text"}
	}
	p := &plan{path: path, fileName: fileName, format: format, nulls: newNullSet(firstNonNil(opts.Nulls, in.Config.Nulls)),
		maxUnzipped: in.Config.MaxUnzipped, maxColumns: in.Config.MaxColumns, tmpDir: in.Config.TmpDir}
	if format == inlet.FormatXLSX {
		return p, in.planSheet(p, opts)
	}
	var enc textEncoding
	if opts.Encoding != "" {
		if enc, err = encodingByName(opts.Encoding); err != nil {
			return nil, &FileError{File: fileName, Reason: err.Error()}
		}
	} else if enc, err = detectEncoding(head); err != nil {
		return nil, &FileError{File: fileName, Reason: "this is a binary file, not CSV text"}
	}
	dec, err := enc.decoder(bytes.NewReader(head))
	if err != nil {
		return nil, err
	}
	sample, err := io.ReadAll(dec)
	if err != nil {
		return nil, &FileError{File: fileName, Reason: fmt.Sprintf("the file is not valid %s text", enc.Name)}
	}
	if !complete {
		if i := bytes.LastIndexByte(sample, '\n'); i > 0 {
			sample = sample[:i+1]
		}
	}
	if len(bytes.TrimSpace(sample)) == 0 {
		return nil, &FileError{File: fileName, Reason: "the file is empty"}
	}
	if looksBinary(sample) {
		return nil, &FileError{File: fileName, Reason: "this is a binary file, not CSV text"}
	}
	if looksJSON(sample) {
		return nil, &FileError{File: fileName, Reason: "this is JSON, not CSV: Inlet ingests CSV and XLSX (export the data as CSV)"}
	}
	var delims, quotes []byte
	if opts.Delimiter != "" {
		delim, err := parseDelimiter(opts.Delimiter)
		if err != nil {
			return nil, &FileError{File: fileName, Reason: err.Error()}
		}
		delims = []byte{delim}
	}
	if opts.Quote != "" {
		q, err := parseQuote(opts.Quote)
		if err != nil {
			return nil, &FileError{File: fileName, Reason: err.Error()}
		}
		quotes = []byte{q}
	}
	d := sniffDialect(sample, complete, delims, quotes)
	autoSkip := d.skipRows
	if opts.SkipRows != nil || opts.Header != nil {
		// The uploader's layout: the header (or first record) is where they say.
		if opts.SkipRows != nil {
			d.skipRows = *opts.SkipRows
		}
		recs, _ := sampleRecords(sample, d, d.skipRows, 201)
		d.rowNames, d.fit = false, widthFit{}
		if opts.Header != nil {
			d.header = *opts.Header
		} else {
			d.votes = headerVotes(recs)
			d.header = d.votes > 0
		}
	}
	// Refuse a file too wide before anything keeps per-column state.
	if recs, _ := sampleRecords(sample, d, d.skipRows, 1); len(recs) > 0 {
		if w := len(recs[0]); w > in.Config.MaxColumns {
			return nil, &FileError{File: fileName, Line: d.skipRows + 1, Reason: fmt.Sprintf("the file has %d columns, more than the %d allowed (--max-columns raises the limit)", w, in.Config.MaxColumns)}
		}
	}
	p.csv = csvLayout{enc: enc, delim: d.delim, quote: d.quote, comment: d.comment, crOnly: d.crOnly, skipRows: d.skipRows, header: d.header,
		rowNames: d.rowNames, fit: d.fit, maxCell: in.Config.MaxCellBytes, maxFields: in.Config.MaxColumns, wrap: wrap, limits: lim}
	p.notes = d.notes
	p.skipRows, p.header = d.skipRows, d.header
	p.suggest(opts, d.votes, d.fields, autoSkip)
	if enc.guessed {
		var others []string
		for _, alt := range enc.alternatives {
			others = append(others, encodingLabel(alt))
			p.suggestions = append(p.suggestions, inlet.Suggestion{Label: "Encoding: " + encodingLabel(alt),
				Reason: "read the text as " + encodingLabel(alt), Options: inlet.InspectOptions{Encoding: alt}})
		}
		note := fmt.Sprintf("the file is not Unicode text: Inlet read it as %s, the encoding in which it reads most like a language; check the preview", encodingLabel(enc.Name))
		if len(others) > 0 {
			note += " (or read it as " + strings.Join(others, " or ") + ")"
		}
		p.notes = append(p.notes, note)
	}
	return p, nil
}

// parseQuote reads the quote option: " or ' or none.
func parseQuote(s string) (byte, error) {
	switch s {
	case `"`, "'":
		return s[0], nil
	case "none":
		return 0, nil
	}
	return 0, fmt.Errorf("invalid quote %q: use \", ' or none (quotes are ordinary characters)", s)
}

func parseDelimiter(s string) (byte, error) {
	switch s {
	case "\\t", "tab", "TAB":
		return '\t', nil
	}
	if len(s) != 1 || s[0] == '\n' || s[0] == '\r' || s[0] == '"' {
		return 0, fmt.Errorf("invalid delimiter %q: use one character such as , ; | or tab", s)
	}
	return s[0], nil
}

func firstNonNil(a, b []string) []string {
	if a != nil {
		return a
	}
	return b
}

// planSheet picks the sheet and finds its title rows and header. Without a
// sheet named, it reads the one with the most data (not a "Readme" in front).
func (in *Inspector) planSheet(p *plan, opts inlet.InspectOptions) error {
	wb, err := openWorkbook(p.path, xlsxLimits{MaxUnzipped: p.maxUnzipped, MaxRatio: 200, TmpDir: p.tmpDir})
	if err != nil {
		return &FileError{File: p.fileName, Reason: err.Error()}
	}
	defer wb.Close()
	p.sheets = wb.sheetNames()
	if len(p.sheets) == 0 {
		return &FileError{File: p.fileName, Reason: "the workbook has no visible worksheets"}
	}
	p.sheet = opts.Sheet
	if p.sheet == "" {
		p.sheet = wb.largestSheet()
		if len(p.sheets) > 1 {
			var others []string
			for _, s := range p.sheets {
				if s != p.sheet {
					others = append(others, strconv.Quote(s))
				}
			}
			p.notes = append(p.notes, fmt.Sprintf("the workbook has %d sheets: Inlet read %q, which holds the most data; choose the sheet to read %s instead",
				len(p.sheets), p.sheet, strings.Join(others, " or ")))
		}
	}
	rows, err := openSheet(wb, p.sheet, p.maxColumns)
	if err != nil {
		return &FileError{File: p.fileName, Reason: err.Error()}
	}
	defer rows.Close()
	var recs [][]string
	var lines, counts []int
	var typed []bool
	for len(recs) < 201 {
		rec, err := rows.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			return fileErr(p.fileName, err)
		}
		row := make([]string, len(rec))
		nonEmpty := 0
		for i, c := range rec {
			row[i] = string(c)
			if len(bytes.TrimSpace(c)) > 0 {
				nonEmpty++
			}
		}
		recs = append(recs, row)
		lines = append(lines, rows.Line())
		counts = append(counts, nonEmpty)
		typed = append(typed, rows.Typed())
	}
	if len(recs) == 0 {
		return &FileError{File: p.fileName, Reason: fmt.Sprintf("sheet %q is empty", p.sheet)}
	}
	// Title rows: leading rows of text alone that fill at most half the
	// cells the table's rows do, above where the table's shape begins. A
	// row with a number, date or boolean is data, however sparse. (The
	// shape counts filled cells: a stray note beside the table makes its
	// row wider, not the table.)
	fields, tableStart, _ := dominantShape(counts)
	start := 0
	for start < tableStart && !typed[start] && counts[start] <= max(1, fields/2) {
		start++
	}
	// Notes that hold values (Run: 2023-03-15) above a header of text over
	// the table's columns, a few rows down: the table starts at the header.
	if opts.SkipRows == nil && opts.Header == nil && headerVotes(recs[start:]) <= 0 {
		for h := start + 1; h+2 < len(recs) && h-start <= 5; h++ { // two rows or more under the header
			if !typed[h] && counts[h] >= max(2, fields*2/3) && headerVotes(recs[h:]) > 0 {
				p.notes = append(p.notes, fmt.Sprintf("rows %d to %d above the header hold notes, not the table: they were skipped", lines[start], lines[h-1]))
				start = h
				break
			}
		}
	}
	autoSkip := lines[start] - 1
	p.skipRows = autoSkip
	if opts.SkipRows != nil {
		p.skipRows = *opts.SkipRows
		start = 0
		for start < len(lines) && lines[start] <= p.skipRows {
			start++
		}
		if start == len(recs) {
			return &FileError{File: p.fileName, Reason: fmt.Sprintf("sheet %q has no rows after the %d skipped", p.sheet, p.skipRows)}
		}
	}
	votes := headerVotes(recs[start:])
	p.header = votes > 0
	if opts.Header != nil {
		p.header = *opts.Header
	}
	p.suggest(opts, votes, fields, autoSkip)
	p.ignoreExtra = opts.IgnoreExtraCells
	if p.header {
		width := len(recs[start])
		for i := start + 1; i < len(recs); i++ {
			if len(recs[i]) > width {
				p.extraCells(lines[i], len(recs[i]))
				break
			}
		}
	}
	return nil
}

// extraCells notes, once, a sheet row with values right of its header, and
// offers to ignore such cells.
func (p *plan) extraCells(line, width int) {
	if p.extraNoted {
		return
	}
	p.extraNoted = true
	if p.ignoreExtra {
		p.notes = append(p.notes, fmt.Sprintf("cells right of the header's columns are ignored (the first in row %d)", line))
		return
	}
	p.notes = append(p.notes, fmt.Sprintf("row %d has a value in column %s, right of the header's last column: ingesting refuses the sheet unless cells outside the header are ignored",
		line, columnLetters(width-1)))
	p.suggestions = append(p.suggestions, inlet.Suggestion{Label: "Ignore cells outside the header",
		Reason:  fmt.Sprintf("row %d has a value right of the table", line),
		Options: inlet.InspectOptions{IgnoreExtraCells: true}})
}

// suggest offers the header and title-row readings Inlet did not choose;
// votes is the header evidence (see headerVotes) over width columns,
// autoSkip the title rows it found. One vote either way in a table of three
// columns or more is too little to be sure.
func (p *plan) suggest(opts inlet.InspectOptions, votes, width, autoSkip int) {
	if opts.Header == nil {
		unsure := votes == 0 || (votes == 1 || votes == -1) && width >= 3
		if p.header {
			p.suggestions = append(p.suggestions, inlet.Suggestion{Label: "First row is data",
				Reason: "read the first row as a record and name the columns col_1, col_2, …", Options: inlet.InspectOptions{Header: ptr(false)}})
			if unsure {
				p.notes = append(p.notes, "Inlet is not sure the first row is a header: check the column names, or read it as data")
			}
		} else {
			p.suggestions = append(p.suggestions, inlet.Suggestion{Label: "First row is the header",
				Reason: "take the column names from the first row", Options: inlet.InspectOptions{Header: ptr(true)}})
			if unsure {
				p.notes = append(p.notes, "Inlet is not sure whether the first row is a header: it read it as data")
			}
		}
	}
	if opts.SkipRows == nil && autoSkip > 0 {
		p.suggestions = append(p.suggestions, inlet.Suggestion{Label: "Keep the first " + plural(autoSkip, "row"),
			Reason:  fmt.Sprintf("Inlet skipped %s above the table as titles", plural(autoSkip, "row")),
			Options: inlet.InspectOptions{SkipRows: ptr(0)}})
	}
}

func ptr[T any](v T) *T { return &v }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// columnLetters names a 0-based column index as a spreadsheet does: A, Z, AA.
func columnLetters(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// open opens the plan's source, past title rows and header, and returns the
// header's cells (nil without header).
func (p *plan) open() (source, []string, func() int64, error) {
	if p.format == inlet.FormatCSV {
		s, err := openCSV(p.path, p.csv)
		if err != nil {
			return nil, nil, nil, err
		}
		return s, s.header, s.count.n.Load, nil
	}
	wb, err := openWorkbook(p.path, xlsxLimits{MaxUnzipped: p.maxUnzipped, MaxRatio: 200, TmpDir: p.tmpDir})
	if err != nil {
		return nil, nil, nil, &FileError{File: p.fileName, Reason: err.Error()}
	}
	rows, err := openSheet(wb, p.sheet, p.maxColumns)
	if err != nil {
		wb.Close()
		return nil, nil, nil, &FileError{File: p.fileName, Reason: err.Error()}
	}
	s := &xlsxSource{wb: wb, rows: rows}
	var header []string
	for {
		rec, err := rows.Next()
		if err == io.EOF {
			s.Close()
			return nil, nil, nil, errNoRows
		} else if err != nil {
			s.Close()
			return nil, nil, nil, err
		}
		if rows.Line() <= p.skipRows {
			continue
		}
		if p.header {
			header = make([]string, len(rec))
			for i, c := range rec {
				header[i] = strings.TrimSpace(string(c))
			}
			rows.width = len(header)
			if p.ignoreExtra {
				rows.keep = len(header)
			}
		} else {
			rows.width = p.width
			for len(rec) < p.width {
				rec = append(rec, nil)
			}
			s.pending = rec
		}
		break
	}
	return s, header, func() int64 { return int64(rows.row) }, nil
}
