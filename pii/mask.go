package pii

import (
	"strings"
	"unicode/utf8"

	inlet "github.com/inlet-data/inlet"
)

// Mask returns a shape of v that is safe to show and store: enough to
// recognise the kind of value, not enough to recover it. Emails keep their
// first letters and top-level domain (j***@e***.com), cards and phones their
// last digits, names their initials.
func Mask(e inlet.Entity, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	switch e {
	case inlet.EntityEmail:
		local, domain, ok := strings.Cut(v, "@")
		if !ok {
			return stars(v)
		}
		host, tld := domain, ""
		if i := strings.LastIndexByte(domain, '.'); i > 0 {
			host, tld = domain[:i], domain[i:]
		}
		return initial(local) + "***@" + initial(host) + "***" + tld
	case inlet.EntityCreditCard, inlet.EntityPhone, inlet.EntityIBAN, inlet.EntityNationalID:
		return keepLast(v, 4)
	case inlet.EntityPersonName, inlet.EntityStreetAddress:
		words := strings.Fields(v)
		for i, w := range words {
			words[i] = initial(w) + "***"
		}
		return strings.Join(words, " ")
	case inlet.EntityIPAddress:
		if i := strings.IndexAny(v, ".:"); i > 0 {
			return v[:i] + v[i:i+1] + "***"
		}
		return stars(v)
	case inlet.EntityDateOfBirth:
		return "****-**-**"
	}
	return stars(v)
}

func initial(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return ""
	}
	return string(r)
}

func stars(s string) string {
	return initial(s) + "***"
}

// keepLast replaces every letter and digit but the last n digits with '*',
// keeping separators so the shape stays recognisable.
func keepLast(v string, n int) string {
	digits := 0
	for _, r := range v {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits <= n { // too short to reveal anything
		n = 0
	}
	var b strings.Builder
	seen := 0
	for _, r := range v {
		isAlnum := (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if r >= '0' && r <= '9' {
			seen++
		}
		if isAlnum && !(r >= '0' && r <= '9' && seen > digits-n) {
			b.WriteByte('*')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
