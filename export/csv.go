package export

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	inlet "github.com/inlet-data/inlet"
)

// csvFlush is how much a CSV buffers before writing to the sink.
const csvFlush = 256 << 10

// csvWriter writes RFC 4180 CSV: fields quoted when encoding/csv would
// quote them, quotes doubled, CRLF after each record. It appends into one
// buffer instead of using encoding/csv, which wants every value as a
// string first, and differs from it on purpose in two ways that keep the
// data: a newline inside a cell is written as it is (encoding/csv's
// UseCRLF turns it into CRLF and drops a lone CR), and an empty string is
// written "" so a reader tells it from NULL, which is an empty field.
type csvWriter struct {
	w     io.Writer
	cols  []column
	delim byte
	buf   []byte
}

func newCSV(w io.Writer, cols []inlet.ResultColumn, o *Options) (*csvWriter, error) {
	c := &csvWriter{w: w, cols: columnsOf(cols), delim: o.Delimiter, buf: make([]byte, 0, csvFlush+4096)}
	if o.BOM {
		c.buf = append(c.buf, "\uFEFF"...)
	}
	if !o.NoHeader {
		for i, col := range c.cols {
			if i > 0 {
				c.buf = append(c.buf, c.delim)
			}
			c.buf = c.appendField(c.buf, SafeText(col.name))
		}
		c.buf = append(c.buf, '\r', '\n')
	}
	return c, nil
}

func (c *csvWriter) row(vals []any) error {
	b := c.buf
	for i, v := range vals {
		if i > 0 {
			b = append(b, c.delim)
		}
		switch x := v.(type) {
		case nil:
		case string:
			if c.cols[i].kind != kindString {
				b = append(b, x...) // a decimal's exact text
			} else if x == "" {
				b = append(b, '"', '"')
			} else if risky(x) {
				b = c.appendField(b, "'"+x)
			} else {
				b = c.appendField(b, x)
			}
		default:
			b = appendText(b, v, c.cols[i].kind, ' ')
		}
	}
	b = append(b, '\r', '\n')
	c.buf = b
	if len(b) >= csvFlush {
		return c.flush()
	}
	return nil
}

func (c *csvWriter) flush() error {
	_, err := c.w.Write(c.buf)
	c.buf = c.buf[:0]
	return err
}

func (c *csvWriter) close() error { return c.flush() }

// appendField appends a text field, quoted if encoding/csv would quote it.
func (c *csvWriter) appendField(b []byte, s string) []byte {
	if !c.needsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		i := indexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}

// needsQuotes is encoding/csv's fieldNeedsQuotes for a one-byte delimiter.
func (c *csvWriter) needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n', '\r', '"', c.delim:
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

func indexByte(s string, c byte) int { return strings.IndexByte(s, c) }
