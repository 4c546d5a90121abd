// Package pii finds personal data in columns and makes it safe: keyed
// hashing, masking and the tenant keyring. It imports only the root package,
// so any part of Inlet can use it.
package pii

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"
	"unicode"
	"unicode/utf8"

	inlet "github.com/inlet-data/inlet"
	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Hasher computes HMAC-SHA256 of normalised values with one tenant key. It
// reuses its buffers and is not safe for concurrent use: give each worker its
// own. The same value normalises and hashes the same way in every table of a
// tenant, so tables join on hashes.
type Hasher struct {
	mac    hash.Hash
	region string
	fold   cases.Caser
	sum    []byte
	hex    []byte
	norm   []byte
}

// NewHasher returns a Hasher for key. region is the default phone region
// (e.g. "US", "GB") for numbers written without a country code.
func NewHasher(key inlet.Key, region string) *Hasher {
	return &Hasher{
		mac:    hmac.New(sha256.New, key.Secret),
		region: strings.ToUpper(region),
		fold:   cases.Fold(),
		sum:    make([]byte, 0, sha256.Size),
		hex:    make([]byte, hex.EncodedLen(sha256.Size)),
	}
}

// Hash returns the lowercase hex HMAC of the normalised value. The returned
// slice is valid until the next call.
func (h *Hasher) Hash(e inlet.Entity, v []byte) []byte {
	return h.HashIn(e, v, "")
}

// HashIn is Hash with the phone region of this one value (its row's
// country), "" for the hasher's own.
func (h *Hasher) HashIn(e inlet.Entity, v []byte, region string) []byte {
	if region == "" || e != inlet.EntityPhone {
		h.norm = h.Normalise(h.norm[:0], e, v)
	} else {
		saved := h.region
		h.region = region
		h.norm = h.Normalise(h.norm[:0], e, v)
		h.region = saved
	}
	h.mac.Reset()
	h.mac.Write(h.norm)
	h.sum = h.mac.Sum(h.sum[:0])
	hex.Encode(h.hex, h.sum)
	return h.hex
}

// Normalise appends the canonical form of v to dst: emails trimmed and
// lower-cased, phones in E.164, names and addresses in Unicode
// compatibility form, case-folded, spaces collapsed (and, for names written
// in Han or kana, dropped: 山田 太郎 and 山田太郎 are one person), card numbers,
// ids and IBANs without separators, birth dates as YYYY-MM-DD.
func (h *Hasher) Normalise(dst []byte, e inlet.Entity, v []byte) []byte {
	v = trimSpace(v)
	switch e {
	case inlet.EntityEmail:
		return appendLower(dst, v)
	case inlet.EntityPhone:
		return h.appendPhone(dst, v)
	case inlet.EntityPersonName:
		n := len(dst)
		dst = h.appendFolded(dst, norm.NFKC.Bytes(v))
		if cjkOnly(dst[n:]) {
			dst = append(dst[:n], bytes.ReplaceAll(dst[n:], []byte(" "), nil)...)
		}
		return dst
	case inlet.EntityStreetAddress:
		return h.appendFolded(dst, norm.NFKC.Bytes(v))
	case inlet.EntityCreditCard:
		return appendAlnum(dst, v, false)
	case inlet.EntityIBAN, inlet.EntityNationalID:
		return appendAlnum(dst, v, true)
	case inlet.EntityDateOfBirth:
		if t, ok := parseDay(string(v)); ok {
			return t.AppendFormat(dst, "2006-01-02")
		}
		return append(dst, v...)
	default:
		return append(dst, v...)
	}
}

// cjkOnly reports whether a name is written in Han and kana (and spaces) only.
func cjkOnly(b []byte) bool {
	any := false
	for _, r := range string(b) {
		switch scriptOf(r) {
		case scriptHan, scriptKana:
			any = true
		default:
			if r != ' ' {
				return false
			}
		}
	}
	return any
}

// appendPhone writes E.164. Numbers already written with a country code and
// plain separators take a fast path; anything else goes through libphonenumber.
func (h *Hasher) appendPhone(dst, v []byte) []byte {
	if len(v) > 0 && v[0] == '+' {
		n := len(dst)
		dst = append(dst, '+')
		simple := true
		for _, c := range v[1:] {
			switch {
			case c >= '0' && c <= '9':
				dst = append(dst, c)
			case c == ' ' || c == '-' || c == '.':
			default:
				simple = false
			}
		}
		if digits := len(dst) - n - 1; simple && digits >= 8 && digits <= 15 {
			return dst
		}
		dst = dst[:n]
	}
	region := h.region
	if region == "" {
		region = "ZZ" // no region: only numbers with a country code parse
	}
	num, err := phonenumbers.Parse(strings.Replace(string(v), "(0)", "", 1), region)
	if err != nil {
		return appendAlnum(dst, v, false) // keep the digits: still stable per value
	}
	return append(dst, phonenumbers.Format(num, phonenumbers.E164)...)
}

// appendFolded case-folds and collapses runs of white space to one space.
func (h *Hasher) appendFolded(dst, v []byte) []byte {
	ascii := true
	for _, c := range v {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		v = []byte(h.fold.String(string(v)))
	}
	space := false
	for _, c := range v {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			space = true
			continue
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func appendLower(dst, v []byte) []byte {
	for i, c := range v {
		if c >= utf8.RuneSelf {
			return append(dst, strings.ToLower(string(v[i:]))...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// appendAlnum keeps letters and digits (letters upper-cased when upper is set).
func appendAlnum(dst, v []byte, upper bool) []byte {
	for _, r := range string(v) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if upper {
				r = unicode.ToUpper(r)
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
