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
