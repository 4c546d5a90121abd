package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// csvReader is a streaming RFC 4180 reader. encoding/csv cannot do what
// ingest needs: a configurable quote character, a bound on how much one
// malformed record can make it buffer (an unterminated quote would otherwise
// read the rest of a 1 GB file into memory), and fields returned as slices of
// one reused buffer, with no allocation per field.
type csvReader struct {
	r       *bufio.Reader
	delim   byte
	quote   byte // 0: no quoting
	maxCell int
	// maxFields refuses records wider than this (0: no limit): a file of
	// a hundred thousand columns would make every later stage huge.
	maxFields int

	line       int // lines consumed so far
	recordLine int // line the last record started on

	// comment, when set, starts lines that are not records (a '#' before
	// a tool's notes); comments counts the lines skipped for it.
	comment  byte
	comments int
	// strayQuotes counts quotes inside quoted cells that did not end them
	// ("pedro "pdet" holanda"), kept as written.
	strayQuotes int
	// fit reconciles records with the table's width (see widthFit).
	fit widthFit

	buf    []byte // the current record's unquoted field bytes, back to back, from base on
	base   int    // where the record starts in buf (readInto appends to a caller's buffer)
	ends   []int  // end offset in buf of each field
	fields [][]byte
}

// parseError is a syntax error at a line and 1-based field (column).
type parseError struct {
	Line, Column int
	Reason       string
}

func (e *parseError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Reason)
}

func newCSVReader(r io.Reader, delim, quote byte, maxCell int) *csvReader {
	return &csvReader{r: bufio.NewReaderSize(r, 1<<20), delim: delim, quote: quote, maxCell: maxCell}
}

// Line is the line the last record returned by Read started on (1-based).
func (c *csvReader) Line() int { return c.recordLine }

// readLine returns the next physical line including its '\n' (if any). The
// slice is valid until the next call. Lines longer than the bufio buffer are
// joined into c.long, bounded by maxCell plus one buffer's worth.
func (c *csvReader) readLine() ([]byte, error) {
	line, err := c.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		long := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			if len(long) > c.maxCell+(1<<20) {
				c.line++
				return nil, &parseError{Line: c.line, Column: c.oversizedField(long), Reason: fmt.Sprintf("cell is larger than the %s limit", byteSize(c.maxCell))}
			}
			line, err = c.r.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if len(line) > 0 {
		c.line++
		if err == io.EOF {
			err = nil
		}
	}
	return line, err
}

// oversizedField finds the 1-based field of an over-long line that passes the
// cell limit, counting delimiters (quotes are not tracked: it is a hint for
// the error message, and the line is malformed or hostile anyway).
func (c *csvReader) oversizedField(line []byte) int {
	field, start := 1, 0
	for i, b := range line {
		if b == c.delim {
			field, start = field+1, i+1
		} else if i-start >= c.maxCell {
			return field
		}
	}
	return field
}

// Read returns the fields of the next record. The slices alias an internal
// buffer and are valid only until the next call. At the end it returns io.EOF.
// Blank lines are skipped.
func (c *csvReader) Read() ([][]byte, error) {
	var line []byte
	var err error
	for {
		line, err = c.readLine()
		if err != nil && len(line) == 0 {
			return nil, err
		}
		if c.comment != 0 && len(line) > 0 && line[0] == c.comment {
			c.comments++
			continue
		}
		if len(trimEOL(line)) > 0 {
			break
		}
	}
	c.recordLine = c.line
	c.buf = c.buf[:c.base]
	c.ends = c.ends[:0]

	// Fast path: no quote character on the line.
	if c.quote == 0 || bytes.IndexByte(line, c.quote) < 0 {
		line = trimEOL(line)
		for {
			i := bytes.IndexByte(line, c.delim)
			if i < 0 {
				c.buf = append(c.buf, line...)
				c.ends = append(c.ends, len(c.buf))
				break
			}
			c.buf = append(c.buf, line[:i]...)
			c.ends = append(c.ends, len(c.buf))
			line = line[i+1:]
		}
		return c.collect()
	}
	return c.readQuoted(line)
}

// readQuoted parses a record that contains the quote character and may span lines.
func (c *csvReader) readQuoted(line []byte) ([][]byte, error) {
	q, d := c.quote, c.delim
	for {
		col := len(c.ends) + 1
		fieldStart := len(c.buf)
		// Spaces before an opening quote (a, "b, c") are layout, not data.
		lead := 0
		for lead < len(line) && (line[lead] == ' ' || line[lead] == '\t') && line[lead] != d {
			lead++
		}
		if lead < len(line) && line[lead] == q {
			// Quoted field: read until a quote not followed by another quote.
			startLine := c.line
			line = line[lead+1:]
			crossed := false // the cell has gone past its first line
			for {
				i := bytes.IndexByte(line, q)
				if i >= 0 {
					c.buf = append(c.buf, line[:i]...)
					line = line[i+1:]
					if len(line) > 0 && line[0] == q { // escaped quote
						c.buf = append(c.buf, q)
						line = line[1:]
						continue
					}
					if !closingContext(line, d) && !crossed && closesLater(line, q, d) {
						// A quote inside the cell that is not its end
						// ("pedro "pdet" holanda", closed later on the
						// line): kept as written.
						c.buf = append(c.buf, q)
						c.strayQuotes++
						continue
					}
					break // closing quote
				}
				// The field goes on past this line.
				crossed = true
				c.buf = append(c.buf, line...)
				if len(c.buf)-fieldStart > c.maxCell {
					return nil, &parseError{Line: startLine, Column: col, Reason: fmt.Sprintf("cell is larger than the %s limit (is a closing quote missing?)", byteSize(c.maxCell))}
				}
				var err error
				line, err = c.readLine()
				if len(line) == 0 {
					if err == nil || err == io.EOF {
						return nil, &parseError{Line: startLine, Column: col, Reason: "quoted cell is never closed: the file ends inside quotes (if quotes are part of the values, read the file with quote none: --quote none)"}
					}
					return nil, err
				}
			}
			if len(c.buf)-fieldStart > c.maxCell {
				return nil, &parseError{Line: startLine, Column: col, Reason: fmt.Sprintf("cell is larger than the %s limit", byteSize(c.maxCell))}
			}
			rest := trimLayout(trimEOL(line), d)
			line = line[len(trimEOL(line))-len(rest):]
			switch {
			case len(rest) == 0:
				c.ends = append(c.ends, len(c.buf))
				return c.collect()
			case rest[0] == d:
				c.ends = append(c.ends, len(c.buf))
				line = line[1:]
				continue
			case crossed:
				return nil, &parseError{Line: startLine, Column: col, Reason: fmt.Sprintf("the quoted cell that starts here is never closed: its %q on line %d is followed by other text (is a closing quote missing? if quotes are part of the values, read the file with quote none: --quote none)", q, c.line)}
			default:
				return nil, &parseError{Line: c.line, Column: col, Reason: fmt.Sprintf("unexpected text after the closing %q of a quoted cell (if quotes are part of the values, read the file with quote none: --quote none)", q)}
			}
		}
		// Unquoted field: up to the next delimiter. A stray quote inside it is
		// taken literally, as spreadsheets do.
		rest := trimEOL(line)
		i := bytes.IndexByte(rest, d)
		if i < 0 {
			c.buf = append(c.buf, rest...)
			c.ends = append(c.ends, len(c.buf))
			return c.collect()
		}
		c.buf = append(c.buf, rest[:i]...)
		c.ends = append(c.ends, len(c.buf))
		line = line[i+1:]
	}
}

// closesLater reports whether a quote further on the line can close the
// cell.
func closesLater(rest []byte, q, d byte) bool {
	for {
		i := bytes.IndexByte(rest, q)
		if i < 0 {
			return false
		}
		rest = rest[i+1:]
		if len(rest) > 0 && rest[0] == q {
			rest = rest[1:]
			continue
		}
		if closingContext(rest, d) {
			return true
		}
	}
}

// closingContext reports whether a quote followed by rest can close a
// cell: the line, the delimiter or (after spaces) one of them comes next.
func closingContext(rest []byte, d byte) bool {
	rest = trimLayout(trimEOL(rest), d)
	return len(rest) == 0 || rest[0] == d
}

// trimLayout drops the spaces and tabs that pad a cell, unless the tab is
// the delimiter.
func trimLayout(b []byte, d byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') && b[0] != d {
		b = b[1:]
	}
	return b
}

// tooWide is the refusal of a record past maxFields.
func (c *csvReader) tooWide() error {
	return &parseError{Line: c.recordLine, Column: c.maxFields + 1, Reason: fmt.Sprintf("the record has more than %d columns, the limit (--max-columns raises it)", c.maxFields)}
}

// widthFit is how a file's records are made as wide as its table, for the
// shapes real exports have: every record one empty field too long (a
// trailing delimiter), or one field short of a header that names one
// column more than the data fills.
type widthFit struct {
	width        int  // the table's width (0: records are taken as they are)
	dropTrailing bool // a record one field wider whose last field is empty loses it
	pad          bool // a record one field short gets an empty last field
}

func (c *csvReader) collect() ([][]byte, error) {
	if f := c.fit; f.width > 0 {
		n := len(c.ends)
		if f.dropTrailing && n == f.width+1 && c.ends[n-1] == c.ends[n-2] {
			c.ends = c.ends[:n-1]
		} else if f.pad && n == f.width-1 {
			c.ends = append(c.ends, c.ends[n-1])
		}
	}
	if c.maxFields > 0 && len(c.ends) > c.maxFields {
		return nil, c.tooWide()
	}
	c.fields = c.fields[:0]
	start := c.base
	for _, end := range c.ends {
		if end-start > c.maxCell {
			return nil, &parseError{Line: c.recordLine, Column: len(c.fields) + 1, Reason: fmt.Sprintf("cell is larger than the %s limit", byteSize(c.maxCell))}
		}
		c.fields = append(c.fields, c.buf[start:end:end])
		start = end
	}
	return c.fields, nil
}

// readInto reads the next record, appending its fields to buf instead of
// the reader's own buffer, and returns the grown buf and each field's end
// offset in it. The writer hands its chunk buffer here, so cells are copied
// once, from the input straight to where the workers read them.
func (c *csvReader) readInto(buf []byte) ([]byte, []int, error) {
	own, n := c.buf, len(buf)
	c.buf, c.base = buf, n
	_, err := c.Read()
	buf = c.buf
	c.buf, c.base = own[:0], 0
	if err != nil {
		return buf[:n], nil, err
	}
	return buf, c.ends, nil
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

func byteSize(n int) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
