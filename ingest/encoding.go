package ingest

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textEncoding is the detected character encoding of a text file.
type textEncoding struct {
	Name string            // canonical lowercase name, e.g. "utf-8", "windows-1252"
	enc  encoding.Encoding // nil for UTF-8
	bom  int               // bytes of byte-order mark to skip
}

// decoder wraps r (positioned at the start of the file) so that it yields UTF-8.
func (e textEncoding) decoder(r io.Reader) (io.Reader, error) {
	if e.bom > 0 {
		if _, err := io.CopyN(io.Discard, r, int64(e.bom)); err != nil {
			return nil, err
		}
	}
	if e.enc == nil {
		return r, nil
	}
	return transform.NewReader(r, e.enc.NewDecoder()), nil
}

// encodingByName resolves a user-given encoding name ("latin1", "cp1252",
// "utf-16le", "shift_jis", ...).
func encodingByName(name string) (textEncoding, error) {
	switch n := strings.ToLower(strings.TrimSpace(name)); n {
	case "utf-8", "utf8":
		return textEncoding{Name: "utf-8"}, nil
	case "utf-16le", "utf-16be":
		order := unicode.LittleEndian
		if n == "utf-16be" {
			order = unicode.BigEndian
		}
		return textEncoding{Name: n, enc: unicode.UTF16(order, unicode.IgnoreBOM)}, nil
	case "latin1", "latin-1", "iso-8859-1", "cp1252":
		// Windows-1252 is a superset of Latin-1 for printable text, and what
		// files labelled Latin-1 nearly always are.
		return textEncoding{Name: "windows-1252", enc: charmap.Windows1252}, nil
	default:
		enc, err := htmlindex.Get(n)
		if err != nil {
			return textEncoding{}, fmt.Errorf("unknown encoding %q", name)
		}
		canon, _ := htmlindex.Name(enc)
		return textEncoding{Name: strings.ToLower(canon), enc: enc}, nil
	}
}

// detectEncoding decides the encoding of a file from its first bytes: a BOM
// when there is one, UTF-8 when the bytes are valid UTF-8, UTF-16 without BOM
// when every other byte is zero, else the best legacy guess (Windows-1252
// unless the statistics clearly say otherwise).
func detectEncoding(head []byte) (textEncoding, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return textEncoding{Name: "utf-8", bom: 3}, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return textEncoding{Name: "utf-16le", bom: 2, enc: unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)}, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return textEncoding{Name: "utf-16be", bom: 2, enc: unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)}, nil
	}
	if le, be := zeroParity(head); le > 0.4 || be > 0.4 {
		if le > be {
			return textEncoding{Name: "utf-16le", enc: unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)}, nil
		}
		return textEncoding{Name: "utf-16be", enc: unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)}, nil
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return textEncoding{}, errBinary
	}
	if validUTF8Prefix(head) {
		return textEncoding{Name: "utf-8"}, nil
	}
	res, err := chardet.NewTextDetector().DetectBest(head)
	if err == nil && res.Confidence >= 50 {
		switch strings.ToLower(res.Charset) {
		case "utf-8", "iso-8859-1", "windows-1252":
			// Invalid UTF-8 is not UTF-8; Latin-1 guesses are Windows-1252.
		default:
			if te, err := encodingByName(res.Charset); err == nil {
				return te, nil
			}
		}
	}
	return textEncoding{Name: "windows-1252", enc: charmap.Windows1252}, nil
}

// zeroParity returns the share of zero bytes at odd (LE) and even (BE) offsets.
func zeroParity(b []byte) (le, be float64) {
	if len(b) < 4 {
		return 0, 0
	}
	var odd, even int
	for i, c := range b {
		if c == 0 {
			if i%2 == 1 {
				odd++
			} else {
				even++
			}
		}
	}
	half := float64(len(b) / 2)
	return float64(odd) / half, float64(even) / half
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut off
// at the end (b is a prefix of the file).
func validUTF8Prefix(b []byte) bool {
	for cut := 0; cut <= 3 && cut <= len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			if cut == 0 {
				return true
			}
			// Only accept the cut if the tail is the start of a multi-byte rune.
			tail := b[len(b)-cut:]
			return tail[0] >= 0xC0 && !utf8.FullRune(tail)
		}
	}
	return false
}
