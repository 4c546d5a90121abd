package pii

import (
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// Detector judges which columns of a table hold personal data, from their
// headers (in many languages) and a sample of their rows. Evidence from the
// values is checked by validators (checksums, libphonenumber, name shapes
// per script, age of dates); the header lowers or raises the bar; the
// tenant's rules come first. A finding at Certain or above acts by default
// (the column is hashed); one at Possible or above is shown as possible
// personal data for the uploader to decide; below, nothing.
type Detector struct {
	// Region is the phone region of the upload (the uploader's choice, or
	// the tenant's default), for numbers without a country code.
	Region string
	Rules  *inlet.PIIRules
	Now    func() time.Time
}

// The confidence a finding needs to act by default, and to be shown.
const (
	Certain  = 0.7
	Possible = 0.45
)

// sample is one column of the sample rows, as detection reads it.
type sample struct {
	h       header
	vals    []string // non-blank values, trimmed
	rows    []int    // the row of each value
	blanks  int
	allowed int // values the tenant's allow list removed
}

func (d *Detector) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// Detect judges one column on its own (no country column to read regions from).
func (d *Detector) Detect(name string, values []string) *inlet.Finding {
	rows := make([][]string, len(values))
	for i, v := range values {
		rows[i] = []string{v}
	}
	return d.DetectTable([]string{name}, rows)[0]
}

// DetectTable returns a finding per column, nil where there is none.
func (d *Detector) DetectTable(headers []string, rows [][]string) []*inlet.Finding {
	allow := map[string]bool{}
	if d.Rules != nil {
		for _, v := range d.Rules.AllowValues {
			allow[strings.ToLower(strings.TrimSpace(v))] = true
		}
	}
	cols := make([]sample, len(headers))
	for i, name := range headers {
		cols[i].h = parseHeader(name)
	}
	for r, row := range rows {
		for i := range cols {
			v := ""
			if i < len(row) {
				v = strings.TrimSpace(row[i])
			}
			switch {
			case blank(v):
				cols[i].blanks++
			case allow[strings.ToLower(v)]:
				cols[i].allowed++
			default:
				cols[i].vals = append(cols[i].vals, v)
				cols[i].rows = append(cols[i].rows, r)
			}
		}
	}
	countryCol, rowRegions := findCountryColumn(cols, len(rows))
	out := make([]*inlet.Finding, len(cols))
	for i := range cols {
		if i == countryCol {
			continue // a country is not personal data, it tells where phones are from
		}
		var regions []string
		if rowRegions != nil {
			regions = make([]string, len(cols[i].vals))
			for j, r := range cols[i].rows {
				regions[j] = rowRegions[r]
			}
		}
		f := d.detect(&cols[i], regions)
		if f != nil && f.Entity == inlet.EntityPhone && countryCol >= 0 {
			f.CountryColumn = headers[countryCol]
		}
		if f != nil {
			f.Confidence = math.Round(f.Confidence*100) / 100
		}
		out[i] = f
	}
	return out
}

// blankWords are what files write for "no value" in many languages.
var blankWords = wordSet(`n/a na n.a. - -- — ? none null nil unknown k.a. k.a keine n.v. inconnu nd n.d. s/d
	desconocido desconhecido sconosciuto onbekend brak なし 不明 无 未知 not-available`)

func blank(v string) bool {
	return v == "" || blankWords[strings.ToLower(v)]
}

// findCountryColumn finds a column of countries, and each row's region.
func findCountryColumn(cols []sample, nrows int) (int, []string) {
	for i, c := range cols {
		if c.h.match(countryTerms) == "" || len(c.vals) == 0 {
			continue
		}
		known := 0
		for _, v := range c.vals {
			if regionOf(v) != "" {
				known++
			}
		}
		if known*10 < len(c.vals)*6 {
			continue
		}
		regions := make([]string, nrows)
		for j, v := range c.vals {
			regions[c.rows[j]] = regionOf(v)
		}
		return i, regions
	}
	return -1, nil
}

// hint is what a header says of an entity: 2 names it, 1 suggests it.
type hint struct {
	level int
	word  string
}

func (h header) hintFor(strong vocabulary, weak ...vocabulary) hint {
	if w := h.match(strong); w != "" {
		return hint{2, w}
	}
	for _, v := range weak {
		if w := h.match(v); w != "" {
			return hint{1, w}
		}
	}
	return hint{}
}

// finding builds a verdict from the share of values that validate: a
// header that names the entity lowers the bar, one that suggests it lowers
// it less; without either, nearly all values must validate.
func finding(e inlet.Entity, h hint, share float64, n int, what string) *inlet.Finding {
	var conf float64
	switch {
	case n == 0 && h.level == 2:
		return &inlet.Finding{Entity: e, Confidence: 0.55, Possible: true,
			Reason: fmt.Sprintf("the column name (%q) suggests %s; no values to check", h.word, words(e))}
	case n == 0:
		return nil
	case h.level == 2:
		conf = 0.6 + 0.38*share
	case h.level == 1:
		conf = 0.4 + 0.55*share
	default:
		conf = 0.2 + 0.75*share
	}
	if conf < Possible || share == 0 {
		return nil
	}
	reason := fmt.Sprintf("%.0f%% of %d sampled values are %s", share*100, n, what)
	if h.level > 0 {
		reason = fmt.Sprintf("the column name (%q) suggests %s; %s", h.word, words(e), reason)
	}
	return &inlet.Finding{Entity: e, Confidence: math.Min(conf, 0.99), Reason: reason, Possible: conf < Certain}
}

func words(e inlet.Entity) string {
	switch e {
	case inlet.EntityIBAN:
		return "a bank account"
	case inlet.EntityNationalID:
		return "a national id or tax number"
	}
	if name, ok := strings.CutPrefix(string(e), "custom:"); ok {
		return name + " (a tenant's custom entity)"
	}
	return strings.ReplaceAll(string(e), "_", " ")
}

func share(vals []string, ok func(string) bool) float64 {
	if len(vals) == 0 {
		return 0
	}
	n := 0
	for _, v := range vals {
		if ok(v) {
			n++
		}
	}
	return float64(n) / float64(len(vals))
}

// detect judges one column: the tenant's rules, then every entity's
// evidence, the strongest winning; free text last.
func (d *Detector) detect(c *sample, rowRegions []string) *inlet.Finding {
	if f, decided := d.byRules(c); decided {
		return f
	}
	var best *inlet.Finding
	consider := func(f *inlet.Finding) {
		if f != nil && (best == nil || f.Confidence > best.Confidence) {
			best = f
		}
	}
	notPersonal := c.h.match(notPersonalTerms) != ""
	consider(d.email(c))
	consider(d.card(c, notPersonal))
	consider(d.iban(c))
	consider(d.nationalID(c, notPersonal))
	consider(d.ip(c))
	consider(d.phone(c, rowRegions, notPersonal))
	consider(d.birthDate(c, notPersonal))
	consider(d.address(c, notPersonal))
	consider(d.personName(c, notPersonal))
	consider(d.postcode(c))
	for _, f := range d.custom(c) {
		consider(f)
	}
	if best == nil || best.Possible {
		if f := d.freeText(c); f != nil {
			best = f
		}
	}
	if best != nil && c.allowed > 0 {
		best.Reason += fmt.Sprintf(" (%d values on the tenant's allow list ignored)", c.allowed)
	}
	return best
}

var emailRE = regexp.MustCompile(`^[\pL\pN._%+'-]+@[\pL\pN-]+(\.[\pL\pN-]+)*\.\pL{2,}$`)

func (d *Detector) email(c *sample) *inlet.Finding {
	return finding(inlet.EntityEmail, c.h.hintFor(emailTerms), share(c.vals, emailRE.MatchString), len(c.vals), "email addresses")
}

func (d *Detector) card(c *sample, notPersonal bool) *inlet.Finding {
	h := c.h.hintFor(cardTerms)
	if notPersonal && h.level == 0 {
		return nil
	}
	return finding(inlet.EntityCreditCard, h, share(c.vals, isCardNumber), len(c.vals), "card numbers with a known issuer and a valid Luhn check")
}

var accountRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ./-]{4,32}[A-Za-z0-9]$`)

func (d *Detector) iban(c *sample) *inlet.Finding {
	h := c.h.hintFor(accountTerms)
	if f := finding(inlet.EntityIBAN, h, share(c.vals, isIBAN), len(c.vals), "IBANs with a valid checksum"); f != nil && !f.Possible {
		return f
	}
	if h.level == 2 {
		// Account numbers of countries without IBANs: trust the name when
		// the values look like account numbers.
		return finding(inlet.EntityIBAN, h, share(c.vals, func(v string) bool {
			return accountRE.MatchString(v) && strings.ContainsAny(v, "0123456789")
		})*0.9, len(c.vals), "account-number-shaped values")
	}
	return nil
}

var idShapeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ./-]{3,22}[A-Za-z0-9]$`)

func (d *Detector) nationalID(c *sample, notPersonal bool) *inlet.Finding {
	h := c.h.hintFor(nationalIDTerms)
	if notPersonal && h.level == 0 {
		return nil
	}
	n := len(c.vals)
	// The kind most values are; on a tie, one with a check digit (a
	// column of Dutch BSNs also has the shape of US SSNs), then one of the
	// tenant's countries.
	counts := make([]int, len(idKinds))
	for _, v := range c.vals {
		for i, k := range idKinds {
			if k.valid(v) {
				counts[i]++
			}
		}
	}
	best := -1
	for i, k := range idKinds {
		if counts[i] == 0 {
			continue
		}
		if best < 0 || counts[i] > counts[best] ||
			counts[i] == counts[best] && (k.checked && !idKinds[best].checked ||
				k.checked == idKinds[best].checked && d.expects(k.country) && !d.expects(idKinds[best].country)) {
			best = i
		}
	}
	if best >= 0 {
		k := idKinds[best]
		what := k.name + " numbers with a valid check digit"
		if !k.checked {
			what = k.name + " numbers (by their format)"
		}
		if f := finding(inlet.EntityNationalID, h, float64(counts[best])/float64(n), n, what); f != nil && (!f.Possible || h.level < 2) {
			f.Kind = k.name
			return f
		}
	}
	if h.level == 2 {
		return finding(inlet.EntityNationalID, h, share(c.vals, func(v string) bool {
			return idShapeRE.MatchString(v) && strings.ContainsAny(v, "0123456789")
		})*0.9, n, "id-shaped values")
	}
	return nil
}

// expects reports whether the tenant expects ids and phones of a country.
func (d *Detector) expects(country string) bool {
	return d.Rules != nil && slices.Contains(d.Rules.Countries, country) || strings.EqualFold(d.Region, country)
}

func (d *Detector) ip(c *sample) *inlet.Finding {
	h := c.h.hintFor(ipTerms)
	if c.h.has("version", "ver", "release", "build") {
		return nil
	}
	return finding(inlet.EntityIPAddress, h, share(c.vals, isIP), len(c.vals), "IP addresses")
}

func (h header) has(ws ...string) bool {
	for _, w := range h.words {
		if slices.Contains(ws, w) {
			return true
		}
	}
	return false
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

// regions are the phone regions to try: the upload's, the tenant's, then
// the common ones.
func (d *Detector) regions() []string {
	var out []string
	add := func(r string) {
		if r = strings.ToUpper(strings.TrimSpace(r)); len(r) == 2 && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	add(d.Region)
	if d.Rules != nil {
		add(d.Rules.Region)
		for _, r := range d.Rules.Countries {
			add(r)
		}
	}
	for _, r := range defaultRegions {
		add(r)
	}
	return out
}

func (d *Detector) phone(c *sample, rowRegions []string, notPersonal bool) *inlet.Finding {
	h := c.h.hintFor(phoneTerms)
	if h.level == 0 {
		// Without a telling name, plain runs of digits are more often ids:
		// they count only as mobile numbers of a plan that tells them apart.
		if share(c.vals, phoneShaped) < 0.5 {
			return nil
		}
		if share(c.vals, phoneFormatted) < 0.5 {
			frac, region := plainEvidence(c.vals, d.regions())
			if notPersonal && frac < 0.95 {
				return nil // under a header of something else, only beyond doubt
			}
			f := finding(inlet.EntityPhone, h, frac, len(c.vals), "valid phone numbers of "+region+", many of them mobiles")
			if f == nil {
				return nil
			}
			f.Regions = []string{region}
			// Digits alone may be ids that happen to be valid numbers; some of
			// the same numbers written with their country code settle it.
			if withCC := share(c.vals, func(v string) bool {
				return (strings.HasPrefix(v, "+") || strings.HasPrefix(v, "00")) && validIn(v, region)
			}); withCC < 0.05 {
				f.Confidence, f.Possible = 0.55, true
				f.Reason += "; only digits, so they may be ids: mark the column if they are phones"
			}
			return f
		}
		if notPersonal {
			return nil
		}
	} else if share(c.vals, phoneShaped) < 0.2 {
		return finding(inlet.EntityPhone, h, 0, len(c.vals), "phone numbers")
	}
	vals, regs := c.vals, rowRegions
	if len(vals) > 200 {
		vals = vals[:200] // libphonenumber costs tens of microseconds a value
		if regs != nil {
			regs = regs[:200]
		}
	}
	frac, regions := phoneEvidence(vals, regs, d.regions())
	what := "valid phone numbers"
	if len(regions) > 0 {
		what += " (" + strings.Join(regionNames(regions), ", ") + ")"
	}
	f := finding(inlet.EntityPhone, h, frac, len(vals), what)
	// Under a name that says phone, numbers shaped like phones are phones
	// even where no plan tried knows them (test ranges, fictional numbers,
	// a country not expected): hashed, not kept raw for a technicality.
	if shaped := share(vals, phoneShaped); h.level == 2 && shaped >= 0.8 && shaped > frac && (f == nil || f.Possible) {
		f = finding(inlet.EntityPhone, h, shaped, len(vals), "shaped like phone numbers, though not all are valid in the regions tried (test or fictional numbers?)")
	}
	if f != nil {
		f.Regions = regions
	}
	return f
}

func regionNames(rs []string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		if r == "+" {
			out[i] = "with a country code"
		} else {
			out[i] = r
		}
	}
	return out
}

// dateWords name dates of things: orders, sign-ups, invoices.
var dateWords = vocab(`created | updated | modified | order | ordered | signup | sign up | registered | registration |
	joined | start | end | due | shipped | delivered | paid | hired | hire | invoice | booking | event | date of purchase |
	purchase | erstellt | geändert | bestellt | bestelldatum | lieferdatum | eintritt | créé | commande | fecha de pedido |
	pedido | data do pedido | data ordine | besteldatum | zamówienia | 注文日 | 登録日 | 订单日期 | 创建时间`)

func (d *Detector) birthDate(c *sample, notPersonal bool) *inlet.Finding {
	h := c.h.hintFor(birthTerms)
	frac, byValues := birthEvidence(c.vals, d.now())
	if h.level > 0 {
		return finding(inlet.EntityDateOfBirth, h, frac, len(c.vals), "dates of people 0 to 110 years old")
	}
	if !byValues || notPersonal || c.h.match(dateWords) != "" {
		return nil
	}
	return &inlet.Finding{Entity: inlet.EntityDateOfBirth, Confidence: 0.45 + 0.3*frac,
		Reason:   fmt.Sprintf("%.0f%% of %d sampled values are dates of people of adult ages, spread over decades (birth dates, by their values)", frac*100, len(c.vals)),
		Possible: 0.45+0.3*frac < Certain}
}

func (d *Detector) address(c *sample, notPersonal bool) *inlet.Finding {
	h := c.h.hintFor(addressTerms)
	if c.h.match(emailTerms) != "" || c.h.match(ipTerms) != "" || c.h.has("url", "web", "mac") {
		return nil
	}
	shape := share(c.vals, addressShape)
	if h.level == 2 {
		like := share(c.vals, addressLike) * 0.85
		what := "street addresses"
		if like > shape {
			shape, what = like, "address-like text (numbers and words)"
		}
		return finding(inlet.EntityStreetAddress, h, shape, len(c.vals), what)
	}
	if notPersonal {
		return nil
	}
	return finding(inlet.EntityStreetAddress, h, shape, len(c.vals), "street addresses")
}

func (d *Detector) personName(c *sample, notPersonal bool) *inlet.Finding {
	n := len(c.vals)
	strong := c.h.hintFor(givenNameTerms)
	if strong.level == 0 {
		strong = c.h.hintFor(familyNameTerms)
	}
	if strong.level == 0 {
		strong = c.h.hintFor(fullNameTerms)
	}
	if strong.level == 0 {
		strong = c.h.hintFor(kanaNameTerms)
	}
	if n == 0 {
		if strong.level == 2 && !notPersonal {
			return finding(inlet.EntityPersonName, strong, 0, 0, "")
		}
		return nil
	}
	shape := share(c.vals, nameShape)
	underNames := strong.level > 0 || c.h.match(genericNameTerms) != "" || c.h.match(roleTerms) != ""
	if shape < 0.2 && !underNames {
		return nil // every finding below needs most values to be name-shaped
	}
	known := share(c.vals, knownName)
	not := share(c.vals, notAName)
	distinct := distinctShare(c.vals)
	evidence := fmt.Sprintf("name-shaped words, %.0f%% with a frequent given or family name", known*100)
	// A header of something else ("product", "city") needs the values to
	// be people beyond doubt.
	overwhelming := shape >= 0.95 && known >= 0.5 && not <= 0.02 && distinctCount(c.vals) >= 10
	if underNames {
		// Under a header of names, names typed without capitals count too.
		if loose := share(c.vals, looseNameShape); loose > shape && known >= 0.3 {
			shape = loose
		}
	}
	if strong.level == 2 {
		// and so do Chinese given names of one character (伟, 芳).
		if han := share(c.vals, shortHan); han > shape {
			shape = han
		}
	}
	switch {
	case strong.level == 2 && !notPersonal && shape-not >= 0.6:
		return finding(inlet.EntityPersonName, strong, shape-not, n, evidence)
	case strong.level == 2 && !notPersonal && shape-not > 0.2:
		return &inlet.Finding{Entity: inlet.EntityPersonName, Confidence: 0.55, Possible: true,
			Reason: fmt.Sprintf("the column name (%q) suggests person names; %.0f%% of %d sampled values are name-shaped", strong.word, (shape-not)*100, n)}
	case notPersonal && !overwhelming:
		return nil
	}
	weak := c.h.hintFor(vocabulary{}, genericNameTerms, roleTerms)
	switch {
	case weak.level == 1 && shape >= 0.8 && not < 0.15 && (known >= 0.15 || distinct >= 0.6):
		// "name" or a role, and values that read as people's names.
		return &inlet.Finding{Entity: inlet.EntityPersonName, Confidence: math.Min(0.72+0.25*known, 0.95),
			Reason: fmt.Sprintf("the column name (%q) suggests people; %.0f%% of %d sampled values are %s", weak.word, shape*100, n, evidence)}
	case weak.level == 1 && shape >= 0.6 && not < 0.3:
		return &inlet.Finding{Entity: inlet.EntityPersonName, Confidence: 0.55, Possible: true,
			Reason: fmt.Sprintf("the column name (%q) suggests people; %.0f%% of %d sampled values are name-shaped", weak.word, shape*100, n)}
	case shape >= 0.85 && known >= 0.3 && not < 0.1 && (distinct >= 0.15 || distinctCount(c.vals) >= 10):
		return &inlet.Finding{Entity: inlet.EntityPersonName, Confidence: math.Min(0.7+0.25*known, 0.92),
			Reason: fmt.Sprintf("%.0f%% of %d sampled values are %s", shape*100, n, evidence)}
	case shape >= 0.8 && known >= 0.15 && not < 0.15:
		return &inlet.Finding{Entity: inlet.EntityPersonName, Confidence: 0.55, Possible: true,
			Reason: fmt.Sprintf("%.0f%% of %d sampled values are %s", shape*100, n, evidence)}
	}
	return nil
}

func distinctCount(vals []string) int {
	seen := map[string]bool{}
	for _, v := range vals {
		seen[v] = true
	}
	return len(seen)
}

func distinctShare(vals []string) float64 {
	if len(vals) == 0 {
		return 0
	}
	seen := map[string]bool{}
	for _, v := range vals {
		seen[v] = true
	}
	return float64(len(seen)) / float64(len(vals))
}

var postcodeRE = regexp.MustCompile(`^(\d{4,6}|\d{3}-\d{4}|\d{5}-\d{3}|\d{2}-\d{3}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{4} ?[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d)$`)

// postcode: a postcode locates people only with other columns; it is
// shown as possible personal data, and generalising it is offered.
func (d *Detector) postcode(c *sample) *inlet.Finding {
	h := c.h.hintFor(postcodeTerms)
	if h.level == 0 {
		return nil
	}
	frac := share(c.vals, func(v string) bool { return postcodeRE.MatchString(strings.ToUpper(v)) })
	if frac < 0.5 {
		return nil
	}
	return &inlet.Finding{Entity: inlet.EntityPostcode, Confidence: 0.5, Possible: true,
		Reason: fmt.Sprintf("the column name (%q) says postcodes and %.0f%% of %d sampled values are; with other columns a postcode can locate a person: consider generalising it", h.word, frac*100, len(c.vals))}
}

func (d *Detector) freeText(c *sample) *inlet.Finding {
	// Prose first: finding spans in every value of every column costs.
	minProse := 0.5
	if c.h.match(noteTerms) != "" {
		minProse = 0.3
	}
	if share(c.vals, prose) < minProse {
		return nil
	}
	contains, carrying := textEvidence(c.vals, d.Region)
	if len(contains) == 0 || carrying < 2 || float64(carrying) < 0.02*float64(len(c.vals)) {
		return nil
	}
	names := make([]string, len(contains))
	for i, e := range contains {
		names[i] = words(e)
	}
	return &inlet.Finding{Entity: inlet.EntityFreeText, Confidence: 0.8, Contains: contains,
		Reason: fmt.Sprintf("free text: %d of %d sampled values contain %s; redact replaces each of them by its hash and keeps the text", carrying, len(c.vals), strings.Join(names, ", "))}
}
