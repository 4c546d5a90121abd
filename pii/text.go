package pii

import (
	"regexp"
	"sort"
	"strings"

	inlet "github.com/inlet-data/inlet"
)

// Free text (notes, comments, messages) is prose, but people write emails,
// phone numbers and card numbers into it. Spans finds them in a value, so
// that a column of such text can be flagged with what it contains and
// redacted: each span replaced by its hash, the prose kept.

// Span is personal data found inside a text value: bytes [Start, End).
type Span struct {
	Start, End int
	Entity     inlet.Entity
}

var (
	emailSpanRE = regexp.MustCompile(`[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	// Phones in prose: a +country number, a number grouped with
	// separators the way phone numbers are written, or a trunk-prefixed
	// area code and number (030 1234567, 0171/2345678).
	phoneSpanRE = regexp.MustCompile(`(\+|00)\d{1,3}[\s.-]?\(?\d{1,5}\)?([\s.-]?\d{2,5}){1,4}|\(?\b\d{2,5}\)?[\s.-]\d{3,4}[\s.-]\d{3,5}\b|\(?\b0\d{2,4}\)?[ /-]\d{4,8}\b`)
	cardSpanRE  = regexp.MustCompile(`\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{1,7}\b`)
	ibanSpanRE  = regexp.MustCompile(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b`)
)

// Spans returns the personal data inside a text value, in order; region
// is the phone region for numbers without a country code.
func Spans(v, region string) []Span {
	var out []Span
	taken := func(s, e int) bool {
		for _, sp := range out {
			if s < sp.End && e > sp.Start {
				return true
			}
		}
		return false
	}
	add := func(re *regexp.Regexp, e inlet.Entity, ok func(string) bool) {
		for _, m := range re.FindAllStringIndex(v, -1) {
			if !taken(m[0], m[1]) && ok(v[m[0]:m[1]]) {
				out = append(out, Span{m[0], m[1], e})
			}
		}
	}
	add(emailSpanRE, inlet.EntityEmail, func(string) bool { return true })
	add(ibanSpanRE, inlet.EntityIBAN, isIBAN)
	add(cardSpanRE, inlet.EntityCreditCard, isCardNumber)
	add(phoneSpanRE, inlet.EntityPhone, func(s string) bool {
		s = strings.TrimSpace(s)
		return phoneShaped(s) && (validIn(s, "ZZ") || validIn(s, region))
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// prose reports whether a value reads as text: several words.
func prose(v string) bool {
	return len(strings.Fields(v)) >= 4 || len(v) >= 40
}

// textEvidence returns the entities the values carry inside, and how many
// values carry any.
func textEvidence(vals []string, region string) (contains []inlet.Entity, carrying int) {
	found := map[inlet.Entity]bool{}
	for _, v := range vals {
		if sp := Spans(v, region); len(sp) > 0 {
			carrying++
			for _, s := range sp {
				found[s.Entity] = true
			}
		}
	}
	for _, e := range inlet.Entities {
		if found[e] {
			contains = append(contains, e)
		}
	}
	return contains, carrying
}

// Redact replaces each span of personal data in v by what replace makes of
// it (a hash, a mask), keeping the text around it.
func Redact(v string, spans []Span, replace func(e inlet.Entity, s string) string) string {
	if len(spans) == 0 {
		return v
	}
	var b strings.Builder
	at := 0
	for _, s := range spans {
		b.WriteString(v[at:s.Start])
		b.WriteString(replace(s.Entity, v[s.Start:s.End]))
		at = s.End
	}
	b.WriteString(v[at:])
	return b.String()
}
