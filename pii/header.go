package pii

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// header is a column name as detection reads it: accents stripped, case
// folded, split into words at separators, case changes and script changes,
// and the words joined (compact) for scripts written without spaces and for
// compounds ("customerFirstName", "Festnetz-Nr.", "携帯番号").
type header struct {
	raw     string
	words   []string
	compact string
}

// foldText strips accents (NFKD, combining marks dropped), folds case and
// maps compatibility forms (full-width letters, ligatures) to plain ones.
func foldText(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
			continue
		case 'ł':
			r = 'l'
		case 'Ł':
			r = 'L'
		case 'ø':
			r = 'o'
		case 'æ':
			b.WriteString("ae")
			continue
		case 'œ':
			b.WriteString("oe")
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func parseHeader(s string) header {
	h := header{raw: s}
	var cur []rune
	var prev rune
	flush := func() {
		if len(cur) > 0 {
			h.words = append(h.words, foldText(string(cur)))
			cur = cur[:0]
		}
	}
	for _, r := range norm.NFKC.String(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			// A new word at a lower-to-upper change (camelCase) and where the
			// script changes (e.g. "IPアドレス").
			if len(cur) > 0 && (unicode.IsUpper(r) && unicode.IsLower(prev) || scriptOf(r) != scriptOf(prev) && !unicode.Is(unicode.Mn, r)) {
				flush()
			}
			cur = append(cur, r)
		default:
			flush()
		}
		prev = r
	}
	flush()
	h.compact = strings.Join(h.words, "")
	return h
}

// script is a rough classification of letters for word splitting and
// name detection.
type script uint8

const (
	scriptOther script = iota
	scriptLatin
	scriptCyrillic
	scriptGreek
	scriptHan
	scriptKana
	scriptHangul
	scriptArabic
	scriptDevanagari
	scriptHebrew
	scriptThai
	scriptDigit
)

func scriptOf(r rune) script {
	switch {
	case unicode.IsDigit(r):
		return scriptDigit
	case unicode.Is(unicode.Latin, r):
		return scriptLatin
	case unicode.Is(unicode.Cyrillic, r):
		return scriptCyrillic
	case unicode.Is(unicode.Greek, r):
		return scriptGreek
	case unicode.Is(unicode.Han, r):
		return scriptHan
	case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || r == 'ー':
		return scriptKana
	case unicode.Is(unicode.Hangul, r):
		return scriptHangul
	case unicode.Is(unicode.Arabic, r):
		return scriptArabic
	case unicode.Is(unicode.Devanagari, r):
		return scriptDevanagari
	case unicode.Is(unicode.Hebrew, r):
		return scriptHebrew
	case unicode.Is(unicode.Thai, r):
		return scriptThai
	}
	return scriptOther
}

// term is a word or phrase of the header vocabulary, normalised as headers are.
type term struct {
	text    string // as written in the vocabulary, for reasons
	words   []string
	compact string
	// loose terms match inside compounds ("kundenvorname"); short Latin
	// words match whole words only ("tel", not "hotel").
	loose bool
}

func newTerm(s string) term {
	h := parseHeader(s)
	t := term{text: s, words: h.words, compact: h.compact}
	latin := true
	for _, r := range h.compact {
		if r > unicode.MaxLatin1 && !unicode.Is(unicode.Latin, r) {
			latin = false
		}
	}
	t.loose = !latin || len(h.words) > 1 || len([]rune(h.compact)) >= 6
	return t
}

func (h header) matches(t term) bool {
	if t.compact == "" {
		return false
	}
	if t.loose {
		return strings.Contains(h.compact, t.compact)
	}
	for _, w := range h.words {
		if w == t.compact {
			return true
		}
	}
	return false
}

// vocabulary is a set of terms, with the first that matched reported.
type vocabulary []term

func vocab(lists ...string) vocabulary {
	var v vocabulary
	for _, l := range lists {
		for _, s := range strings.Split(l, "|") {
			if s = strings.TrimSpace(s); s != "" {
				v = append(v, newTerm(s))
			}
		}
	}
	return v
}

// match returns the first term of v the header contains, or "".
func (h header) match(v vocabulary) string {
	for _, t := range v {
		if h.matches(t) {
			return t.text
		}
	}
	return ""
}
