package ingest

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// SanitizeNames turns source headers into Glue column names: lowercase
// [a-z0-9_], accents dropped (é → e), at most 255 characters, unique (a
// numeric suffix resolves clashes), col_N for blank headers.
func SanitizeNames(sources []string) []string {
	out := make([]string, len(sources))
	used := map[string]bool{}
	for i, s := range sources {
		base := SanitizeName(s)
		if base == "" {
			base = "col_" + strconv.Itoa(i+1)
		}
		name := base
		for n := 2; used[name]; n++ {
			suffix := "_" + strconv.Itoa(n)
			name = truncate(base, 255-len(suffix)) + suffix
		}
		used[name] = true
		out[i] = name
	}
	return out
}

var stripMarks = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// SanitizeName maps one header to Glue's alphabet; it may return "".
func SanitizeName(s string) string {
	if t, _, err := transform.String(stripMarks, s); err == nil {
		s = t
	}
	s = strings.NewReplacer("ß", "ss", "æ", "ae", "ø", "o", "œ", "oe", "ł", "l", "đ", "d", "þ", "th").Replace(strings.ToLower(s))
	s = dropJoiners(s)
	var b strings.Builder
	underscore := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if underscore && b.Len() > 0 {
				b.WriteByte('_')
			}
			underscore = false
			b.WriteRune(r)
		default:
			underscore = true
		}
	}
	name := b.String()
	if name != "" && name[0] >= '0' && name[0] <= '9' {
		name = "col_" + name // engines need quoting for names that start with a digit
	}
	return truncate(name, 255)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return strings.TrimRight(s[:n], "_")
	}
	return s
}

// dropJoiners removes characters that join rather than separate words:
// apostrophes (customer's → customers) and a hyphen after a single letter
// (E-mail → email).
func dropJoiners(s string) string {
	r := []rune(s)
	out := r[:0:0]
	for i, c := range r {
		switch {
		case c == '\'' || c == '’':
			continue
		case c == '-' && i >= 1 && unicode.IsLetter(r[i-1]) && (i == 1 || !unicode.IsLetter(r[i-2])) &&
			i+1 < len(r) && unicode.IsLetter(r[i+1]):
			continue
		}
		out = append(out, c)
	}
	return string(out)
}
