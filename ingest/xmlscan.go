package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner walks the tags of a worksheet or string table. A sheet is
// millions of small, regular tags, which encoding/xml decodes several times
// slower than this. It does not validate and knows no DTD: it expands the five
// predefined entities and character references, and nothing else, so entity
// expansion attacks have nothing to work with.
type xmlScanner struct {
	r   *bufio.Reader
	tag []byte // the current tag, between < and >
	own []byte // storage for a tag that spans buffer refills
	err error
}

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// next moves to the next tag, skipping the text before it.
func (s *xmlScanner) next() bool {
	if s.err != nil {
		return false
	}
	for {
		_, err := s.r.ReadSlice('<')
		if err == nil {
			break
		}
		if err != bufio.ErrBufferFull {
			s.err = err
			return false
		}
	}
	return s.readTag()
}

// readTag reads the rest of a tag after its '<'.
func (s *xmlScanner) readTag() bool {
	b, err := s.r.ReadSlice('>')
	if err == nil && !unfinishedTag(b) {
		s.tag = b[:len(b)-1]
		return true
	}
	s.own = append(s.own[:0], b...)
	for err == bufio.ErrBufferFull || err == nil && unfinishedTag(s.own) {
		if len(s.own) > 16<<20 {
			s.err = errors.New("a tag is longer than 16 MiB")
			return false
		}
		b, err = s.r.ReadSlice('>')
		s.own = append(s.own, b...)
	}
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		s.err = err
		return false
	}
	s.tag = s.own[:len(s.own)-1]
	return true
}

// unfinishedTag reports whether a '>' ended a tag too early: inside a
// comment, a CDATA section or a quoted attribute value.
func unfinishedTag(b []byte) bool {
	b = b[:len(b)-1]
	switch {
	case bytes.HasPrefix(b, []byte("!--")):
		return !bytes.HasSuffix(b, []byte("--")) || len(b) < 5
	case bytes.HasPrefix(b, []byte("![CDATA[")):
		return !bytes.HasSuffix(b, []byte("]]"))
	}
	return bytes.Count(b, []byte{'"'})%2 == 1
}

// failed is the scanner's error, nil at a clean end of input.
func (s *xmlScanner) failed() error {
	if s.err == io.EOF {
		return nil
	}
	return s.err
}

// failedOr is the scanner's error, or the given one at the end of input.
func (s *xmlScanner) failedOr(format string, args ...any) error {
	if err := s.failed(); err != nil {
		return err
	}
	return fmt.Errorf(format, args...)
}

// tagName names the current tag by its local name (prefix dropped), for the
// tags the readers act on, and says whether it is an end tag or empty.
func (s *xmlScanner) tagName() (name string, closing, self bool) {
	b := s.tag
	if len(b) == 0 {
		return "", false, false
	}
	if b[0] == '/' {
		closing, b = true, b[1:]
	}
	self = len(b) > 0 && b[len(b)-1] == '/'
	end := 0
	for end < len(b) && !isXMLSpace(b[end]) && b[end] != '/' {
		end++
	}
	local := b[:end]
	if i := bytes.IndexByte(local, ':'); i >= 0 {
		local = local[i+1:]
	}
	switch string(local) {
	case "c":
		return "c", closing, self
	case "v":
		return "v", closing, self
	case "row":
		return "row", closing, self
	case "is":
		return "is", closing, self
	case "t":
		return "t", closing, self
	case "f":
		return "f", closing, self
	case "si":
		return "si", closing, self
	case "rPh":
		return "rPh", closing, self
	case "sheetData":
		return "sheetData", closing, self
	}
	return "", closing, self
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// attr is the raw value of the current tag's attribute with this local
// name, or nil.
func (s *xmlScanner) attr(name string) []byte {
	b := s.tag
	i := 0
	for i < len(b) && !isXMLSpace(b[i]) { // the element name
		i++
	}
	for i < len(b) {
		for i < len(b) && isXMLSpace(b[i]) {
			i++
		}
		start := i
		for i < len(b) && b[i] != '=' && !isXMLSpace(b[i]) {
			i++
		}
		key := b[start:i]
		for i < len(b) && isXMLSpace(b[i]) {
			i++
		}
		if i >= len(b) || b[i] != '=' {
			return nil
		}
		i++
		for i < len(b) && isXMLSpace(b[i]) {
			i++
		}
		if i >= len(b) || b[i] != '"' && b[i] != '\'' {
			return nil
		}
		q := b[i]
		i++
		vs := i
		for i < len(b) && b[i] != q {
			i++
		}
		val := b[vs:min(i, len(b))]
		i++
		if c := bytes.IndexByte(key, ':'); c >= 0 {
			key = key[c+1:]
		}
		if string(key) == name {
			return val
		}
	}
	return nil
}

func (s *xmlScanner) attrInt(name string) (int, bool) {
	v := s.attr(name)
	if len(v) == 0 || len(v) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// textUntil appends the decoded text up to the end tag of element end
// (tags in between are skipped), or drops it unless keep.
func (s *xmlScanner) textUntil(end string, dst []byte, keep bool) ([]byte, error) {
	for {
		chunk, err := s.r.ReadSlice('<')
		if keep {
			if err == nil {
				chunk = chunk[:len(chunk)-1]
			}
			dst = appendXMLText(dst, chunk)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return dst, s.failedOr("the text of <%s> does not end", end)
		}
		if !s.readTag() {
			return dst, s.failedOr("the text of <%s> does not end", end)
		}
		if name, closing, _ := s.tagName(); closing && name == end {
			return dst, nil
		}
		if keep && bytes.HasPrefix(s.tag, []byte("![CDATA[")) {
			dst = append(dst, s.tag[8:len(s.tag)-2]...)
		}
	}
}

// richText appends the text of a string item (<si> or <is>): its <t>
// elements, plain or in runs, but not its phonetic guides.
func (s *xmlScanner) richText(end string, dst []byte) ([]byte, error) {
	start := len(dst)
	for {
		if !s.next() {
			return dst, s.failedOr("the string does not end")
		}
		name, closing, self := s.tagName()
		switch {
		case closing && name == end:
			return appendUnescapedOOXML(dst[:start], dst[start:]), nil
		case name == "t" && !closing && !self:
			var err error
			if dst, err = s.textUntil("t", dst, true); err != nil {
				return dst, err
			}
		case name == "rPh" && !closing && !self:
			if _, err := s.textUntil("rPh", nil, false); err != nil {
				return dst, err
			}
		}
	}
}

// appendXMLText appends text with entity and character references
// expanded, and line ends normalised as XML says (CR LF and a lone CR are
// LF; a CR written as &#13; stays).
func appendXMLText(dst, text []byte) []byte {
	if bytes.IndexByte(text, '\r') >= 0 {
		text = bytes.ReplaceAll(bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	}
	for {
		i := bytes.IndexByte(text, '&')
		if i < 0 {
			return append(dst, text...)
		}
		dst = append(dst, text[:i]...)
		text = text[i:]
		semi := bytes.IndexByte(text, ';')
		if semi < 0 || semi > 12 {
			dst = append(dst, '&')
			text = text[1:]
			continue
		}
		ref := text[1:semi]
		switch string(ref) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			r, ok := charRef(ref)
			if !ok {
				dst = append(dst, text[:semi+1]...)
			} else {
				dst = utf8.AppendRune(dst, r)
			}
		}
		text = text[semi+1:]
	}
}

func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ref[1] == 'x' || ref[1] == 'X' {
		n, err = strconv.ParseUint(string(ref[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(ref[1:]), 10, 32)
	}
	if err != nil || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// appendUnescapedOOXML undoes the _xHHHH_ escapes spreadsheet strings use for
// control characters (a carriage return is _x000D_); _x005F_ escapes an
// underscore. s may alias dst's spare capacity, so it is copied first when
// it holds an escape.
func appendUnescapedOOXML(dst, s []byte) []byte {
	if !bytes.Contains(s, []byte("_x")) {
		return append(dst, s...)
	}
	src := append([]byte(nil), s...)
	for i := 0; i < len(src); i++ {
		if src[i] == '_' && i+6 < len(src) && src[i+1] == 'x' && src[i+6] == '_' {
			if n, err := strconv.ParseUint(string(src[i+2:i+6]), 16, 16); err == nil {
				dst = utf8.AppendRune(dst, rune(n))
				i += 6
				continue
			}
		}
		dst = append(dst, src[i])
	}
	return dst
}
