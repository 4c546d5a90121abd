package ingest

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	stdunicode "unicode"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textEncoding is the detected character encoding of a text file.
type textEncoding struct {
	Name string            // canonical lowercase name, e.g. "utf-8", "windows-1252"
	enc  encoding.Encoding // nil for UTF-8
	bom  int               // bytes of byte-order mark to skip
	// guessed: the text is not Unicode and its encoding was chosen by how
	// plausible the text it makes reads.
	guessed bool
	// alternatives are, for a guessed encoding, the next most plausible
	// ones if they read nearly as well: the uploader may know better.
	alternatives []string
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
	if n := bytes.Count(head, []byte{0}); n > 3 || n > 1 && n*100 > len(head) {
		return textEncoding{}, errBinary // a stray NUL or two is a glitch in text, more is binary
	}
	if validUTF8Prefix(head) {
		return textEncoding{Name: "utf-8"}, nil
	}
	return guessLegacy(head), nil
}

// encodingLabel names an encoding as people know it.
func encodingLabel(name string) string {
	if l, ok := map[string]string{
		"shift_jis": "Shift-JIS (Japanese)", "euc-jp": "EUC-JP (Japanese)", "gbk": "GBK (Chinese)", "gb18030": "GB 18030 (Chinese)",
		"big5": "Big5 (Traditional Chinese)", "euc-kr": "EUC-KR (Korean)", "windows-1252": "Windows-1252 (Western European)",
		"windows-1251": "Windows-1251 (Cyrillic)", "windows-1250": "Windows-1250 (Central European)", "iso-8859-2": "ISO-8859-2 (Central European)",
		"koi8-r": "KOI8-R (Russian)", "windows-1253": "Windows-1253 (Greek)", "windows-1254": "Windows-1254 (Turkish)",
		"windows-1255": "Windows-1255 (Hebrew)", "windows-1256": "Windows-1256 (Arabic)", "windows-874": "Windows-874 (Thai)",
	}[name]; ok {
		return l
	}
	return strings.ToUpper(name)
}

// legacyCandidates are the legacy encodings always weighed, beside what
// chardet suggests: Western and Central European, Cyrillic, Japanese,
// Chinese and Korean.
var legacyCandidates = []string{"windows-1252", "shift_jis", "euc-jp", "gbk", "big5", "euc-kr", "windows-1251", "windows-1250", "iso-8859-2"}

// guessLegacy picks the legacy encoding whose text reads most like a
// language: each candidate (chardet's suggestions, then the usual ones)
// decodes the sample, and the one with the fewest implausible characters
// wins (see implausibility). The others that read nearly as well are kept
// as alternatives for the uploader.
func guessLegacy(head []byte) textEncoding {
	var names []string
	if res, err := chardet.NewTextDetector().DetectAll(head); err == nil {
		for _, r := range res {
			if r.Confidence >= 10 {
				names = append(names, strings.ToLower(r.Charset))
			}
		}
	}
	names = append(names, legacyCandidates...)
	type scored struct {
		enc   textEncoding
		score float64
	}
	var all []scored
	seen := map[string]bool{}
	for _, n := range names {
		if n == "utf-8" || n == "iso-8859-1" {
			n = "windows-1252" // invalid UTF-8 is not UTF-8; Latin-1 files are Windows-1252
		}
		te, err := encodingByName(n)
		if err != nil || seen[te.Name] || te.enc == nil {
			continue
		}
		seen[te.Name] = true
		text, err := te.enc.NewDecoder().Bytes(head)
		if err != nil {
			continue
		}
		all = append(all, scored{te, implausibility(text)})
	}
	if len(all) == 0 {
		return textEncoding{Name: "windows-1252", enc: charmap.Windows1252}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score < all[j].score-1e-9 })
	best := all[0]
	best.enc.guessed = true
	for _, c := range all[1:] {
		if c.score <= best.score+0.15 && len(best.enc.alternatives) < 2 {
			best.enc.alternatives = append(best.enc.alternatives, c.enc.Name)
		}
	}
	return best.enc
}

// implausibility is the share of a decoded text's characters that a
// person would not have typed: replacement characters and C1 controls
// (wrong code pages), the punctuation Windows-1252 keeps in 0x80-0x9F when
// it stands among other such characters, and letters of a script other
// than their word's (Latin-1 "Genève" read as ISO-8859-5 makes "Genшve").
func implausibility(text []byte) float64 {
	var bad, runes float64
	var prev rune
	var wordScript, prevScript string
	for len(text) > 0 {
		r, size := utf8.DecodeRune(text)
		text = text[size:]
		runes++
		sc := scriptName(r)
		switch {
		case r == utf8.RuneError || r >= 0x80 && r <= 0x9F:
			bad += 3
		case strings.ContainsRune("ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ¤¦¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷", r) && (prev >= 0x80 || prevScript == "symbol"):
			bad++ // legacy punctuation in a run of non-ASCII: bytes of another encoding
			sc = "symbol"
		case sc != "" && wordScript != "" && sc != wordScript && !(sc == "latin" && wordScript == "latin"):
			bad++
		case r >= 0xFF61 && r <= 0xFF9F && prevScript == "cjk":
			bad++ // half-width katakana amid kanji: GBK or Big5 bytes read as Shift-JIS
		case sc == "cjk" && stdunicode.Is(stdunicode.Han, r) && !commonHan()[r]:
			bad += 0.5 // a rare character: the bytes of another CJK encoding
		}
		switch {
		case sc == "" || sc == "symbol":
			wordScript = ""
		case wordScript == "":
			wordScript = sc
		}
		prev, prevScript = r, sc
	}
	if runes == 0 {
		return 0
	}
	return bad / runes
}

// commonHan is the set of everyday Han characters: the first levels of
// GB 2312, JIS X 0208 and Big5, which hold the characters of ordinary text.
// Text decoded with the wrong CJK encoding is mostly rare characters.
var commonHan = sync.OnceValue(func() map[rune]bool {
	set := make(map[rune]bool, 12000)
	add := func(dec *encoding.Decoder, b []byte) {
		if out, err := dec.Bytes(b); err == nil {
			for _, r := range string(out) {
				if r != utf8.RuneError && stdunicode.Is(stdunicode.Han, r) {
					set[r] = true
				}
			}
		}
	}
	var gb, big5, sjis []byte
	for hi := 0xB0; hi <= 0xD7; hi++ { // GB 2312 level 1
		for lo := 0xA1; lo <= 0xFE; lo++ {
			gb = append(gb, byte(hi), byte(lo))
		}
	}
	for hi := 0xA4; hi <= 0xC6; hi++ { // Big5 frequently used characters
		for _, lo := range append(seq(0x40, 0x7E), seq(0xA1, 0xFE)...) {
			big5 = append(big5, byte(hi), lo)
		}
	}
	for hi := 0x88; hi <= 0x98; hi++ { // JIS X 0208 level 1
		for _, lo := range append(seq(0x40, 0x7E), seq(0x80, 0xFC)...) {
			sjis = append(sjis, byte(hi), lo)
		}
	}
	add(simplifiedchinese.GBK.NewDecoder(), gb)
	add(traditionalchinese.Big5.NewDecoder(), big5)
	add(japanese.ShiftJIS.NewDecoder(), sjis)
	return set
})

func seq(from, to byte) []byte {
	var b []byte
	for c := int(from); c <= int(to); c++ {
		b = append(b, byte(c))
	}
	return b
}

// scriptName is the script of a letter ("" for anything else), with Han,
// kana and Hangul as one CJK script: Japanese mixes them in a word.
func scriptName(r rune) string {
	switch {
	case r < 0x80:
		if stdunicode.IsLetter(r) {
			return "latin"
		}
		return ""
	case !stdunicode.IsLetter(r):
		return ""
	case stdunicode.Is(stdunicode.Latin, r):
		return "latin"
	case stdunicode.Is(stdunicode.Cyrillic, r):
		return "cyrillic"
	case stdunicode.Is(stdunicode.Greek, r):
		return "greek"
	case stdunicode.Is(stdunicode.Han, r), stdunicode.Is(stdunicode.Hiragana, r), stdunicode.Is(stdunicode.Katakana, r), stdunicode.Is(stdunicode.Hangul, r):
		return "cjk"
	case stdunicode.Is(stdunicode.Arabic, r):
		return "arabic"
	case stdunicode.Is(stdunicode.Hebrew, r):
		return "hebrew"
	case stdunicode.Is(stdunicode.Thai, r):
		return "thai"
	}
	return "other"
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
