package export

import (
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	inlet "github.com/inlet-data/inlet"
)

// jsonlWriter writes one JSON object per line, keys the column names in
// order. Values are appended by hand, with the column's kind known in
// advance: encoding/json would reflect on every value.
type jsonlWriter struct {
	w    io.Writer
	cols []column
	keys [][]byte // `{"name":` for the first column, `,"name":` after
	buf  []byte
}

func newJSONL(w io.Writer, cols []inlet.ResultColumn) *jsonlWriter {
	j := &jsonlWriter{w: w, cols: columnsOf(cols), buf: make([]byte, 0, csvFlush+4096)}
	for i, c := range j.cols {
		k := []byte{','}
		if i == 0 {
			k[0] = '{'
		}
		k = appendJSONString(k, c.name)
		j.keys = append(j.keys, append(k, ':'))
	}
	return j
}

func (j *jsonlWriter) row(vals []any) error {
	b := j.buf
	if len(vals) == 0 {
		b = append(b, '{')
	}
	for i, v := range vals {
		b = append(b, j.keys[i]...)
		switch x := v.(type) {
		case nil:
			b = append(b, "null"...)
		case string:
			if j.cols[i].kind == kindDecimal && jsonNumber(x) {
				b = append(b, x...) // exact: a JSON number has no precision of its own
			} else {
				b = appendJSONString(b, x)
			}
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case float64:
			// JSON has no NaN or infinity; null says "no number" without
			// breaking every reader of the line.
			if math.IsNaN(x) || math.IsInf(x, 0) {
				b = append(b, "null"...)
			} else {
				b = strconv.AppendFloat(b, x, 'g', -1, 64)
			}
		case bool:
			b = strconv.AppendBool(b, x)
		case time.Time:
			b = append(b, '"')
			b = appendText(b, x, j.cols[i].kind, 'T')
			b = append(b, '"')
		default:
			b = appendJSONString(b, string(appendText(nil, v, j.cols[i].kind, 'T')))
		}
	}
	b = append(b, '}', '\n')
	j.buf = b
	if len(b) >= csvFlush {
		return j.flush()
	}
	return nil
}

func (j *jsonlWriter) flush() error {
	_, err := j.w.Write(j.buf)
	j.buf = j.buf[:0]
	return err
}

func (j *jsonlWriter) close() error { return j.flush() }

// jsonNumber reports whether s is a number as JSON writes one.
func jsonNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == start || (s[start] == '0' && i-start > 1) {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		frac := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == frac {
			return false
		}
	}
	return i == len(s)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes
// U+FFFD, as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		// U+2028 and U+2029 end lines in JavaScript.
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
