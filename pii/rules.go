package pii

import (
	"fmt"
	"regexp"
	"strings"

	inlet "github.com/inlet-data/inlet"
)

// A tenant's rules come before detection: columns on its allow list are
// never flagged, those on its deny list always are, and its custom
// entities are detected beside the built-in ones.

// byRules applies the tenant's column lists; decided is false when neither
// names the column.
func (d *Detector) byRules(c *sample) (*inlet.Finding, bool) {
	if d.Rules == nil {
		return nil, false
	}
	for _, name := range d.Rules.AllowColumns {
		if strings.EqualFold(strings.TrimSpace(name), c.h.raw) {
			return nil, true
		}
	}
	for _, name := range d.Rules.DenyColumns {
		if strings.EqualFold(strings.TrimSpace(name), c.h.raw) {
			f := &inlet.Finding{Entity: inlet.EntityOther, Confidence: 0.99, Kind: "tenant rule",
				Reason: fmt.Sprintf("the tenant's rules (version %d) list this column as personal data", d.Rules.Version)}
			// Keep the entity detection finds, so the right normaliser runs.
			d2 := *d
			d2.Rules = nil
			if got := d2.detect(c, nil); got != nil {
				f.Entity = got.Entity
			}
			return f, true
		}
	}
	return nil, false
}

// custom detects the tenant's own entities.
func (d *Detector) custom(c *sample) []*inlet.Finding {
	if d.Rules == nil {
		return nil
	}
	var out []*inlet.Finding
	for _, ce := range d.Rules.Custom {
		re, err := regexp.Compile("^(?:" + ce.Pattern + ")$")
		if err != nil {
			continue // validated on save; an old rule that no longer compiles is skipped
		}
		h := hint{}
		for _, w := range ce.Context {
			if w = strings.TrimSpace(w); w != "" && c.h.matches(newTerm(w)) {
				h = hint{2, w}
			}
		}
		ok := func(v string) bool {
			if !re.MatchString(v) {
				return false
			}
			switch ce.Validator {
			case "luhn":
				return luhn([]byte(digitsOf(v, " -")))
			case "mod97":
				return isIBAN(v) || mod97(digitsOf(v, " -"))
			}
			return true
		}
		f := finding(inlet.Entity("custom:"+ce.Name), h, share(c.vals, ok), len(c.vals), ce.Name+" values (a tenant rule)")
		if f != nil {
			f.Kind = fmt.Sprintf("tenant rule %s (version %d)", ce.Name, d.Rules.Version)
			f.Reason += fmt.Sprintf("; rules version %d", d.Rules.Version)
			out = append(out, f)
		}
	}
	return out
}

// mod97 is ISO 7064 MOD 97-10, as IBANs use it: the number modulo 97 is 1.
func mod97(d string) bool {
	if len(d) < 3 {
		return false
	}
	mod := 0
	for i := 0; i < len(d); i++ {
		mod = (mod*10 + int(d[i]-'0')) % 97
	}
	return mod == 1
}

// Limits of a tenant's rules: they run on every column of every upload.
const (
	maxCustomEntities = 50
	maxPatternBytes   = 1000
	maxListEntries    = 10000
)

// ValidateRules checks rules before they are saved, normalising country
// codes to upper case; the error names the field.
func ValidateRules(r *inlet.PIIRules) error {
	bad := func(field, format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		return &inlet.Error{Code: inlet.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
	}
	r.Region = strings.ToUpper(strings.TrimSpace(r.Region))
	if r.Region != "" && !IsRegion(r.Region) {
		return bad("region", "%q is not a phone region: use a two-letter country code such as DE", r.Region)
	}
	for i, c := range r.Countries {
		r.Countries[i] = strings.ToUpper(strings.TrimSpace(c))
		if !IsRegion(r.Countries[i]) {
			return bad(fmt.Sprintf("countries.%d", i), "%q is not a country code: use two letters, e.g. BR", c)
		}
	}
	if len(r.Custom) > maxCustomEntities {
		return bad("custom", "at most %d custom entities", maxCustomEntities)
	}
	name := regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)
	seen := map[string]bool{}
	for i, c := range r.Custom {
		field := fmt.Sprintf("custom.%d", i)
		switch {
		case !name.MatchString(c.Name):
			return bad(field+".name", "name the entity with 1-40 letters, digits, _ or -")
		case seen[c.Name]:
			return bad(field+".name", "two custom entities are named %s", c.Name)
		case c.Validator != "" && c.Validator != "luhn" && c.Validator != "mod97":
			return bad(field+".validator", "use luhn, mod97 or no validator")
		case strings.TrimSpace(c.Pattern) == "":
			return bad(field+".pattern", "give the pattern the whole value must match")
		case len(c.Pattern) > maxPatternBytes:
			return bad(field+".pattern", "the pattern is longer than %d bytes", maxPatternBytes)
		}
		seen[c.Name] = true
		if _, err := regexp.Compile("^(?:" + c.Pattern + ")$"); err != nil {
			return bad(field+".pattern", "not a regular expression (RE2 syntax, matched against the whole value): %v", err)
		}
		for j, w := range c.Context {
			if strings.TrimSpace(w) == "" {
				return bad(fmt.Sprintf("%s.context.%d", field, j), "a context word is empty")
			}
		}
	}
	for i, list := range [][]string{r.AllowValues, r.AllowColumns, r.DenyColumns} {
		field := []string{"allow_values", "allow_columns", "deny_columns"}[i]
		if len(list) > maxListEntries {
			return bad(field, "at most %d entries", maxListEntries)
		}
		for j, v := range list {
			if strings.TrimSpace(v) == "" {
				return bad(fmt.Sprintf("%s.%d", field, j), "an entry is empty")
			}
		}
	}
	for j, d := range r.DenyColumns {
		for _, a := range r.AllowColumns {
			if strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(d)) {
				return bad(fmt.Sprintf("deny_columns.%d", j), "%s is on both the allow and the deny list", d)
			}
		}
	}
	return nil
}
