package pii

import (
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"strings"
	"unicode"

	inlet "github.com/inlet-data/inlet"
	"github.com/nyaruka/phonenumbers"
)

// Detector judges whether a column holds personal data, from its name and a
// sample of its values.
type Detector struct {
	// Region is the default phone region for numbers without a country code.
	Region string
}

// columnName is a column header broken into lowercase words.
type columnName struct {
	words   []string
	compact string // letters and digits only: "e-mail address" -> "emailaddress"
}

func parseColumnName(s string) columnName {
	var words []string
	var cur []rune
	prevLower := false
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			if prevLower {
				flush()
			}
			cur = append(cur, unicode.ToLower(r))
			prevLower = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
			prevLower = unicode.IsLower(r)
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return columnName{words: words, compact: strings.Join(words, "")}
}

func (n columnName) has(words ...string) bool {
	for _, w := range n.words {
		for _, x := range words {
			if w == x {
				return true
			}
		}
	}
	return false
}

func (n columnName) contains(subs ...string) bool {
	for _, s := range subs {
		if strings.Contains(n.compact, s) {
			return true
		}
	}
	return false
}

// notPersonal are name words that mark a column as something else: ids,
// hashes, versions, products and organisations.
func (n columnName) notPersonal() bool {
	return n.has("id", "uuid", "guid", "sku", "version", "ver", "hash", "sha", "md5", "isbn", "ean", "upc",
		"code", "product", "item", "company", "org", "organisation", "organization", "vendor", "supplier",
		"merchant", "brand", "file", "filename", "city", "country", "domain", "host", "url", "category", "status")
}

// Detect returns the most likely finding for the column, or nil.
func (d *Detector) Detect(name string, values []string) *inlet.Finding {
	cn := parseColumnName(name)
	var vals []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			vals = append(vals, v)
		}
	}
	var best *inlet.Finding
	for _, check := range []func(columnName, []string) *inlet.Finding{
		d.email, d.creditCard, d.iban, d.nationalID, d.ipAddress, d.phone, d.dateOfBirth, d.streetAddress, d.personName,
	} {
		if f := check(cn, vals); f != nil && (best == nil || f.Confidence > best.Confidence) {
			best = f
		}
	}
	if best != nil {
		best.Confidence = math.Round(best.Confidence*100) / 100
	}
	return best
}

// share returns the fraction of values for which ok holds.
func share(values []string, ok func(string) bool) float64 {
	if len(values) == 0 {
		return 0
	}
	n := 0
	for _, v := range values {
		if ok(v) {
			n++
		}
	}
	return float64(n) / float64(len(values))
}

// byValues builds a finding from how many values validate and whether the
// name agrees. A little junk is tolerated; a hint in the name lowers the bar.
func byValues(e inlet.Entity, frac float64, nameHint bool, what string, n int) *inlet.Finding {
	min := 0.8
	if nameHint {
		min = 0.5
	}
	if n == 0 || frac < min {
		if nameHint && n == 0 {
			return &inlet.Finding{Entity: e, Confidence: 0.6, Reason: "column name suggests " + entityWords(e) + "; no values to check"}
		}
		return nil
	}
	conf := 0.55 + 0.4*frac
	reason := fmt.Sprintf("%.0f%% of %d sampled values are %s", frac*100, n, what)
	if nameHint {
		conf += 0.05
		reason = "column name suggests " + entityWords(e) + "; " + reason
	}
	return &inlet.Finding{Entity: e, Confidence: math.Min(conf, 0.99), Reason: reason}
}

func entityWords(e inlet.Entity) string {
	return strings.ReplaceAll(string(e), "_", " ")
}

var emailRE = regexp.MustCompile(`^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$`)

func (d *Detector) email(n columnName, vals []string) *inlet.Finding {
	hint := n.contains("email") || n.has("mail", "courriel")
	return byValues(inlet.EntityEmail, share(vals, emailRE.MatchString), hint, "valid email addresses", len(vals))
}

func (d *Detector) creditCard(n columnName, vals []string) *inlet.Finding {
	if n.notPersonal() && !n.contains("card") {
		return nil
	}
	hint := n.contains("card", "ccnum", "creditcard") || n.has("pan", "cc")
	return byValues(inlet.EntityCreditCard, share(vals, isCardNumber), hint, "card numbers passing the Luhn check with a known issuer prefix", len(vals))
}

// isCardNumber: 13-19 digits (spaces or dashes allowed), a known network
// prefix and a valid Luhn checksum. ISBNs (978/979) and random ids mostly fail.
func isCardNumber(v string) bool {
	digits := make([]byte, 0, 19)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ' ' || c == '-':
		default:
			return false
		}
	}
	if len(digits) < 13 || len(digits) > 19 || !knownIIN(string(digits)) {
		return false
	}
	return luhn(digits)
}

func knownIIN(d string) bool {
	p2 := atoi(d[:2])
	p4 := atoi(d[:4])
	switch {
	case d[0] == '4': // Visa
		return len(d) == 13 || len(d) == 16 || len(d) == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720: // Mastercard
		return len(d) == 16
	case p2 == 34 || p2 == 37: // Amex
		return len(d) == 15
	case p4 == 6011, p2 == 65, p4 >= 6440 && p4 <= 6499: // Discover
		return len(d) >= 16
	case p4 >= 3528 && p4 <= 3589: // JCB
		return len(d) >= 16
	case p2 == 36 || p2 == 38 || (p4 >= 3000 && p4 <= 3059): // Diners
		return len(d) >= 14
	case p2 == 62: // UnionPay
		return len(d) >= 16
	}
	return false
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func luhn(digits []byte) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

func (d *Detector) iban(n columnName, vals []string) *inlet.Finding {
	hint := n.contains("iban", "bankaccount", "accountnumber")
	return byValues(inlet.EntityIBAN, share(vals, isIBAN), hint, "IBANs with a valid checksum", len(vals))
}

// isIBAN checks the shape and the ISO 13616 mod-97 checksum.
func isIBAN(v string) bool {
	s := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i < 2 && (c < 'A' || c > 'Z'):
			return false
		case i >= 2 && i < 4 && (c < '0' || c > '9'):
			return false
		case !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z'):
			return false
		}
	}
	rearranged := s[4:] + s[:4]
	mod := 0
	for i := 0; i < len(rearranged); i++ {
		c := rearranged[i]
		if c >= 'A' {
			v := int(c-'A') + 10
			mod = (mod*100 + v) % 97
		} else {
			mod = (mod*10 + int(c-'0')) % 97
		}
	}
	return mod == 1
}

var (
	ssnRE  = regexp.MustCompile(`^(\d{3})-(\d{2})-(\d{4})$`)
	ninoRE = regexp.MustCompile(`^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$`)
	idRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 -]{4,18}[A-Za-z0-9]$`)
)

// isNationalID recognises formats that are national ids by shape: US social
// security numbers (with their reserved ranges excluded) and UK national
// insurance numbers.
func isNationalID(v string) bool {
	if m := ssnRE.FindStringSubmatch(v); m != nil {
		return m[1] != "000" && m[1] != "666" && m[1][0] != '9' && m[2] != "00" && m[3] != "0000"
	}
	return ninoRE.MatchString(strings.ToUpper(v))
}

func (d *Detector) nationalID(n columnName, vals []string) *inlet.Finding {
	hint := n.contains("socialsecurity", "nationalid", "nationalinsurance", "passport", "taxid",
		"personnummer", "nationalnumber", "idnumber") ||
		n.has("ssn", "nino", "tin", "bsn", "dni", "nif", "insee", "sin", "ni")
	if hint {
		if f := byValues(inlet.EntityNationalID, share(vals, isNationalID), true, "national id numbers (SSN or NINO format)", len(vals)); f != nil {
			return f
		}
		// Other countries' ids: trust the name when the values look like ids.
		return byValues(inlet.EntityNationalID, share(vals, idRE.MatchString)*0.9, true, "id-shaped values", len(vals))
	}
	return byValues(inlet.EntityNationalID, share(vals, isNationalID), false, "national id numbers (SSN or NINO format)", len(vals))
}

func (d *Detector) ipAddress(n columnName, vals []string) *inlet.Finding {
	if n.has("version", "ver", "release", "build") {
		return nil
	}
	hint := n.has("ip") || n.contains("ipaddress", "ipv4", "ipv6", "clientip", "remoteaddr", "sourceip")
	return byValues(inlet.EntityIPAddress, share(vals, isIP), hint, "IP addresses", len(vals))
}

func isIP(v string) bool {
	a, err := netip.ParseAddr(v)
	if err != nil {
		return false
	}
	if a.Is4() {
		return strings.Count(v, ".") == 3
	}
	return true
}

func (d *Detector) phone(n columnName, vals []string) *inlet.Finding {
	hint := n.contains("phone", "mobile", "msisdn", "telephone") || n.has("tel", "cell", "fax", "handy", "telefon", "telefono")
	if n.notPersonal() && !hint {
		return nil
	}
	region := d.Region
	if region == "" {
		region = "US"
	}
	// Without a telling name, plain digit strings are more likely ids than
	// phone numbers: require the punctuation people write phones with.
	formatted := share(vals, func(v string) bool { return strings.ContainsAny(v, "+-() .") })
	if !hint && formatted < 0.5 {
		return nil
	}
	if len(vals) > 200 {
		vals = vals[:200] // libphonenumber costs tens of microseconds a value
	}
	valid := share(vals, func(v string) bool {
		if !phoneShaped(v) {
			return false // cheap check first: libphonenumber is slow
		}
		num, err := phonenumbers.Parse(v, region)
		return err == nil && phonenumbers.IsValidNumber(num)
	})
	return byValues(inlet.EntityPhone, valid, hint, "valid phone numbers", len(vals))
}

// phoneShaped: 7 to 15 digits and nothing but the punctuation phones are
// written with (+ - . ( ) spaces, and x for an extension).
func phoneShaped(v string) bool {
	if len(v) < 7 || len(v) > 30 {
		return false
	}
	digits := 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '+' || c == '-' || c == '.' || c == '(' || c == ')' || c == ' ' || c == 'x':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

func (d *Detector) dateOfBirth(n columnName, vals []string) *inlet.Finding {
	hint := n.contains("dob", "birth", "geburt", "naissance", "nacimiento") || n.has("born", "bday")
	if !hint {
		return nil // a column of dates is not a birth date unless its name says so
	}
	return byValues(inlet.EntityDateOfBirth, share(vals, looksLikeDate), true, "dates", len(vals))
}

var dateLikeRE = regexp.MustCompile(`^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{2,4})`)

func looksLikeDate(v string) bool { return dateLikeRE.MatchString(v) }

var streetRE = regexp.MustCompile(`(?i)^\d+[a-z]?,?\s+.*\b(street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|close|square|sq|highway|hwy|parkway|pkwy|crescent|cres|strasse|straße|str|weg|gasse|platz|rue|via|calle|avenida|laan|straat)\b\.?|^(rue|via|calle|avenida|avenue)\s+.+\d|^\pL.*(strasse|straße|str\.|weg|gasse|straat|laan|plein|gade|vej|gatan|katu)\s*\d+`)

func (d *Detector) streetAddress(n columnName, vals []string) *inlet.Finding {
	if n.contains("email") || n.has("mail", "ip", "mac", "web", "url", "ipv4", "ipv6") {
		return nil
	}
	hint := n.has("address", "addr", "street", "address1", "address2", "line1", "line2", "adresse", "direccion", "straße", "strasse", "anschrift", "indirizzo", "endereco") ||
		n.contains("streetaddress", "addressline", "homeaddress", "billingaddress", "shippingaddress", "mailingaddress")
	hasDigitsAndWords := func(v string) bool {
		return strings.ContainsAny(v, "0123456789") && strings.IndexFunc(v, unicode.IsLetter) >= 0 && strings.Contains(v, " ")
	}
	if hint {
		if f := byValues(inlet.EntityStreetAddress, share(vals, streetRE.MatchString), true, "street addresses", len(vals)); f != nil {
			return f
		}
		return byValues(inlet.EntityStreetAddress, share(vals, hasDigitsAndWords)*0.85, true, "address-like text (numbers and words)", len(vals))
	}
	return byValues(inlet.EntityStreetAddress, share(vals, streetRE.MatchString), false, "street addresses", len(vals))
}

func (d *Detector) personName(n columnName, vals []string) *inlet.Finding {
	if n.notPersonal() {
		return nil
	}
	strong := n.contains("firstname", "lastname", "surname", "fullname", "forename", "givenname", "familyname",
		"middlename", "maidenname", "customername", "contactname", "personname", "employeename", "patientname",
		"clientname", "cardholder", "accountholder", "vorname", "nachname", "nombre", "prenom") || n.has("nom")
	weak := n.has("name", "contact", "customer", "person", "employee", "recipient", "owner", "author", "patient")
	nameLike := share(vals, isNameLike)
	firstNames := share(vals, startsWithFirstName)
	switch {
	case strong:
		return byValues(inlet.EntityPersonName, nameLike, true, "name-like words", len(vals))
	case weak && firstNames >= 0.3:
		return byValues(inlet.EntityPersonName, nameLike, true, fmt.Sprintf("name-like words (%.0f%% start with a common first name)", firstNames*100), len(vals))
	case weak:
		// "name" alone may be a product or a place: ask the values for more.
		if f := byValues(inlet.EntityPersonName, nameLike*0.8, true, "name-like words", len(vals)); f != nil && nameLike >= 0.9 {
			f.Confidence = math.Min(f.Confidence, 0.7)
			return f
		}
		return nil
	case firstNames >= 0.4 && nameLike >= 0.8:
		f := byValues(inlet.EntityPersonName, nameLike, false, fmt.Sprintf("name-like words, %.0f%% starting with a common first name", firstNames*100), len(vals))
		if f != nil {
			f.Confidence = math.Min(f.Confidence, 0.8)
		}
		return f
	}
	return nil
}

// isNameLike: one to four words of letters (with - ' .), no digits, no
// company suffix.
func isNameLike(v string) bool {
	words := strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' })
	if len(words) == 0 || len(words) > 4 || len(v) > 60 {
		return false
	}
	for _, w := range words {
		if companyWords[strings.ToLower(strings.Trim(w, "."))] {
			return false
		}
		for _, r := range w {
			if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '.' {
				return false
			}
		}
	}
	return true
}

func startsWithFirstName(v string) bool {
	words := strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return r == ' ' || r == ',' })
	if len(words) == 0 {
		return false
	}
	if commonFirstNames[words[0]] {
		return true
	}
	// "Smith, John"
	return strings.Contains(v, ",") && len(words) > 1 && commonFirstNames[words[1]]
}
