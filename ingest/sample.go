package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	inlet "github.com/inlet-data/inlet"
)

// xlsxSource is one sheet of an open workbook.
type xlsxSource struct {
	wb      *workbook
	rows    *sheetRows
	pending [][]byte // the first data row, read while looking for the header
}

func (s *xlsxSource) Next() ([][]byte, error) {
	if s.pending != nil {
		rec := s.pending
		s.pending = nil
		return rec, nil
	}
	return s.rows.Next()
}

func (s *xlsxSource) Line() int { return s.rows.Line() }

func (s *xlsxSource) Close() error {
	s.rows.Close()
	return s.wb.Close()
}

func sepName(s string) string {
	if s == "," {
		return "comma"
	}
	return "point"
}

// widthError reports a record whose field count does not match the table.
func widthError(p *plan, line, got int) error {
	if p.format == inlet.FormatXLSX {
		reason := fmt.Sprintf("row %d has a value beyond the table's %d columns", line, p.width)
		if p.header {
			reason += ": ignore cells outside the header (ignore_extra_cells, --ignore-extra-cells) to load the table without it"
		}
		return &FileError{File: p.fileName, Line: line, Column: p.width + 1, Reason: reason}
	}
	col := min(got, p.width) + 1
	return &FileError{File: p.fileName, Line: line, Column: col,
		Reason: fmt.Sprintf("expected %d fields, found %d (a missing or extra delimiter, or an unquoted %q in a value?)", p.width, got, string(p.csv.delim))}
}

// sample reads the first rows of the plan's source and infers each column's
// type and PII finding.
func (in *Inspector) sample(ctx context.Context, p *plan, opts inlet.InspectOptions, lenient bool) (*inlet.Inspection, error) {
	if p.format == inlet.FormatXLSX && !p.header {
		// Without a header the width is the widest row of the sample.
		w, err := p.sampleWidth(in.Config.SampleRows)
		if err != nil {
			return nil, err
		}
		p.width = w
	}
	src, header, _, err := p.open()
	if err == errNoRows {
		return nil, &FileError{File: p.fileName, Reason: "the file has no rows"}
	} else if err != nil {
		return nil, err
	}
	defer src.Close()
	if header != nil {
		p.width = len(header)
	}
	decimalHint, dateHint := uint8(0), uint8(0)
	if p.format == inlet.FormatCSV && p.csv.delim == ';' {
		decimalHint, dateHint = styleComma, orderDMY
	}
	previewRows := in.Config.PreviewRows
	if opts.PreviewRows > 0 {
		previewRows = min(opts.PreviewRows, in.Config.SampleRows)
	}
	var infs []*inferrer
	var firstBad error    // the first malformed row's refusal
	var badLines []string // the first malformed rows' lines
	bad := 0
	var piiRows [][]string // the first rows, for detection: columns of a row stay together
	var nulls []int
	var seen []map[string]struct{} // distinct values per column, capped
	ins := &inlet.Inspection{FileName: p.fileName, Format: p.format, Sheets: p.sheets, Sheet: p.sheet, Options: opts}
	for ins.Rows < in.Config.SampleRows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if ins.Rows%1000 == 0 {
			report(opts, inlet.InspectProgress{Phase: "sampling", RowsDone: ins.Rows, RowsTotal: in.Config.SampleRows})
		}
		rec, err := src.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if p.width == 0 {
			p.width = len(rec)
		}
		if p.format == inlet.FormatXLSX && header != nil && len(rec) > p.width {
			// A value right of the header: the preview leaves it out, the
			// inspection says so and offers to ignore such cells.
			p.extraCells(src.Line(), len(rec))
			rec = rec[:p.width]
		}
		if len(rec) != p.width {
			if p.format == inlet.FormatXLSX && len(rec) < p.width {
				rec = append(rec, make([][]byte, p.width-len(rec))...)
			} else if lenient {
				continue
			} else {
				// A few malformed rows are shown, not fatal: the uploader
				// may skip them (the ingest refuses them otherwise).
				if firstBad == nil {
					firstBad = widthError(p, src.Line(), len(rec))
				}
				if len(badLines) < 10 {
					badLines = append(badLines, strconv.Itoa(src.Line()))
				}
				bad++
				continue
			}
		}
		if infs == nil {
			infs = make([]*inferrer, p.width)
			nulls = make([]int, p.width)
			seen = make([]map[string]struct{}, p.width)
			for i := range infs {
				infs[i] = newInferrer(decimalHint, dateHint)
				seen[i] = map[string]struct{}{}
			}
		}
		ins.Rows++
		var preview []string
		if len(ins.Sample) < previewRows {
			preview = make([]string, p.width)
		}
		var forPII []string
		if len(piiRows) < in.Config.piiSampleLimit {
			forPII = make([]string, p.width)
			piiRows = append(piiRows, forPII)
		}
		for i, c := range rec {
			if preview != nil {
				preview[i] = string(c)
			}
			c = bytes.TrimSpace(c)
			if p.nulls.has(c) {
				nulls[i]++
				continue
			}
			infs[i].observe(c)
			if forPII != nil {
				v := string(c)
				forPII[i] = v
				seen[i][v] = struct{}{}
			}
		}
		if preview != nil {
			ins.Sample = append(ins.Sample, preview)
		}
	}
	if bad > 0 && bad*2 >= ins.Rows+bad {
		return nil, firstBad // most rows do not fit: the file is not read right
	}
	if ins.Rows == 0 {
		if header != nil {
			return nil, &FileError{File: p.fileName, Reason: "the file has a header but no data rows"}
		}
		return nil, &FileError{File: p.fileName, Reason: "the file has no rows"}
	}
	sources := header
	if sources == nil {
		sources = make([]string, p.width)
		for i := range sources {
			sources[i] = fmt.Sprintf("col_%d", i+1)
		}
	}
	names := SanitizeNames(sources)
	report(opts, inlet.InspectProgress{Phase: "detecting", RowsDone: ins.Rows, RowsTotal: in.Config.SampleRows})
	d := *in.Detector
	d.Rules, d.Region = opts.Rules, in.region(opts)
	findings := d.DetectTable(sources, piiRows)
	p.columns = make([]column, p.width)
	for i := range p.columns {
		t, dateFormat, ambiguous := infs[i].result()
		st, _ := infs[i].style()
		order, _ := infs[i].order()
		c := column{source: sources[i], name: names[i], typ: t, numStyle: st, dateOrder: order,
			dateFormat: dateFormat, nulls: nulls[i]}
		c.finding = findings[i]
		if n := len(piiRows) - blanksIn(piiRows, i); n > 0 {
			c.distinct = float64(len(seen[i])) / float64(n)
		}
		if infs[i].mixedSeparators() && c.typ != inlet.TypeString {
			dec, grp := ".", ","
			if st == styleComma {
				dec, grp = ",", "."
			}
			ins.Warnings = append(ins.Warnings, fmt.Sprintf("column %s: some values have a decimal %s and others only a %s, which would read as a thousands separator (5%s555 as 5555): the column is read as text so that no value is misread; choose a number type if the %s groups thousands",
				names[i], sepName(dec), sepName(grp), grp, sepName(grp)))
			c.typ = inlet.TypeString
		}
		if ambiguous {
			ins.Warnings = append(ins.Warnings, fmt.Sprintf("column %s: no day above 12 in the sample, so the date order %s was assumed", names[i], dateFormat))
		}
		p.columns[i] = c
		ins.Columns = append(ins.Columns, inlet.InspectedColumn{Name: c.name, SourceName: c.source, Type: c.typ,
			PII: c.finding, DateFormat: dateFormat, Nulls: c.nulls})
	}
	ins.Warnings = append(ins.Warnings, p.notes...)
	ins.Suggestions = p.suggestions
	if bad > 0 {
		more := ""
		if bad > len(badLines) {
			more = ", …"
		}
		ins.Warnings = append(ins.Warnings, fmt.Sprintf("%s of the first %d have the wrong number of fields (lines %s%s): ingesting refuses them unless malformed rows are skipped; %s",
			plural(bad, "row"), ins.Rows+bad, strings.Join(badLines, ", "), more, inlet.ErrorMessage(fileErr(p.fileName, firstBad))))
		ins.Suggestions = append(ins.Suggestions, inlet.Suggestion{Label: "Skip malformed rows",
			Reason: fmt.Sprintf("skip the rows with the wrong number of fields (%s in the sample) and list them by line", plural(bad, "row")), OnError: "skip"})
	}
	if cs, ok := src.(*csvSource); ok && cs.r.comments > 0 {
		ins.Warnings = append(ins.Warnings, fmt.Sprintf("lines starting with %c are comments and were skipped (%d in the first %d rows)", cs.r.comment, cs.r.comments, ins.Rows))
	}
	ins.Dialect = inlet.Dialect{Header: p.header, SkipRows: p.skipRows}
	if p.format == inlet.FormatCSV {
		ins.Dialect.Delimiter = string(p.csv.delim)
		if p.csv.quote != 0 {
			ins.Dialect.Quote = string(p.csv.quote)
		}
		ins.Dialect.Encoding = p.csv.enc.Name
	} else {
		ins.Dialect.Encoding = "utf-8"
	}
	return ins, nil
}

func blanksIn(rows [][]string, col int) int {
	n := 0
	for _, r := range rows {
		if r[col] == "" {
			n++
		}
	}
	return n
}

// sampleWidth finds the widest of the first n rows of a headerless sheet.
func (p *plan) sampleWidth(n int) (int, error) {
	saved := p.width
	p.width = 0
	src, _, _, err := p.open()
	p.width = saved
	if err != nil {
		return 0, err
	}
	defer src.Close()
	w := 0
	for i := 0; i < n; i++ {
		rec, err := src.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			return 0, err
		}
		w = max(w, len(rec))
	}
	return w, nil
}
