package pii

import (
	"regexp"
	"slices"
	"strings"
)

// National identity and tax numbers, each with its own check: a column of
// them is recognised by the values, whatever its header, and the finding
// names the kind. Numbers without separators that are only digits are
// recognised only where the checksum makes a random match unlikely.

// idKind is one kind of national identifier.
type idKind struct {
	name    string // as the reason says it, e.g. "BR CPF"
	country string // ISO 3166 alpha-2: ids count for the tenant's countries
	// valid reports whether v (trimmed, as written) is one.
	valid func(v string) bool
	// strong: a value of this shape is this id and almost nothing else
	// (letters in fixed places, or separators in its own pattern).
	strong func(v string) bool
	// checked kinds have a check digit: a random number rarely passes.
	checked bool
}

var idKinds = []idKind{
	{"US SSN", "US", validSSN, func(v string) bool { return ssnRE.MatchString(v) }, false},
	{"UK NINO", "GB", validNINO, func(string) bool { return true }, false},
	{"DE Steuer-ID", "DE", validSteuerID, func(v string) bool { return strings.Count(v, " ") == 3 }, true},
	{"FR NIR", "FR", validNIR, func(v string) bool { return strings.Count(v, " ") >= 5 }, true},
	{"ES DNI/NIE", "ES", validDNI, func(string) bool { return true }, true},
	{"IT codice fiscale", "IT", validCodiceFiscale, func(string) bool { return true }, true},
	{"NL BSN", "NL", validBSN, func(string) bool { return false }, true},
	{"BR CPF", "BR", validCPF, func(v string) bool { return cpfRE.MatchString(v) }, true},
	{"BR CNPJ", "BR", validCNPJ, func(v string) bool { return cnpjRE.MatchString(v) }, true},
	{"IN Aadhaar", "IN", validAadhaar, func(v string) bool { return strings.Count(v, " ") == 2 || strings.Count(v, "-") == 2 }, true},
	{"IN PAN", "IN", validPAN, func(string) bool { return true }, false},
	{"JP My Number", "JP", validMyNumber, func(v string) bool { return strings.Count(v, " ") == 2 || strings.Count(v, "-") == 2 }, true},
	{"CA SIN", "CA", validSIN, func(v string) bool { return strings.Count(v, " ") == 2 || strings.Count(v, "-") == 2 }, true},
	{"AU TFN", "AU", validTFN, func(v string) bool { return strings.Count(v, " ") == 2 }, true},
	{"MX CURP", "MX", validCURP, func(string) bool { return true }, true},
	{"PL PESEL", "PL", validPESEL, func(string) bool { return false }, true},
	{"CN resident ID", "CN", validChinaID, func(string) bool { return true }, true},
	{"SA national ID", "SA", validSaudiID, func(string) bool { return false }, true},
	{"PT NIF", "PT", validNIF, func(string) bool { return false }, true},
}

var (
	ssnRE  = regexp.MustCompile(`^(\d{3})-(\d{2})-(\d{4})$`)
	cpfRE  = regexp.MustCompile(`^\d{3}\.\d{3}\.\d{3}-\d{2}$`)
	cnpjRE = regexp.MustCompile(`^\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}$`)
	ninoRE = regexp.MustCompile(`^([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])(\d{6})([A-D])$`)
	panRE  = regexp.MustCompile(`^[A-Z]{3}[ABCFGHLJPT][A-Z]\d{4}[A-Z]$`)
	cfRE   = regexp.MustCompile(`^[A-Z]{6}\d{2}[ABCDEHLMPRST]\d{2}[A-Z]\d{3}[A-Z]$`)
	curpRE = regexp.MustCompile(`^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX](AS|BC|BS|CC|CL|CM|CS|CH|DF|DG|GT|GR|HG|JC|MC|MN|MS|NT|NL|OC|PL|QT|QR|SP|SL|SR|TC|TS|TL|VZ|YN|ZS|NE)[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d$`)
	dniRE  = regexp.MustCompile(`^([XYZ]?)(\d{7,8})-?([A-Z])$`)
)

// digitsOf returns the digits of v if v is digits with only the given
// separators, else "".
func digitsOf(v, seps string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case strings.IndexByte(seps, c) >= 0:
		default:
			return ""
		}
	}
	return b.String()
}

func validSSN(v string) bool {
	d := digitsOf(v, "-")
	if len(d) != 9 || (len(v) != 9 && !ssnRE.MatchString(v)) {
		return false
	}
	area, group, serial := d[:3], d[3:5], d[5:]
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}

func validNINO(v string) bool {
	s := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	m := ninoRE.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	switch m[1] {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	return true
}

// validSteuerID: 11 digits, no leading zero, one digit of the first ten
// repeated (twice or three times), and the ISO 7064 MOD 11,10 check digit.
func validSteuerID(v string) bool {
	d := digitsOf(v, " /")
	if len(d) != 11 || d[0] == '0' {
		return false
	}
	var counts [10]int
	for i := 0; i < 10; i++ {
		counts[d[i]-'0']++
	}
	repeated := 0
	for _, c := range counts {
		switch {
		case c == 2 || c == 3:
			repeated++
		case c > 3:
			return false
		}
	}
	if repeated != 1 {
		return false
	}
	product := 10
	for i := 0; i < 10; i++ {
		sum := (int(d[i]-'0') + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = (sum * 2) % 11
	}
	check := 11 - product
	if check == 10 {
		check = 0
	}
	return check == int(d[10]-'0')
}

// validNIR: the French social security number, 13 digits (Corsica's 2A/2B)
// and a two-digit key, 97 minus the number modulo 97.
func validNIR(v string) bool {
	s := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	if len(s) != 15 {
		return false
	}
	body := s[:13]
	switch {
	case strings.HasPrefix(body[5:], "2A"):
		body = body[:5] + "19" + body[7:]
	case strings.HasPrefix(body[5:], "2B"):
		body = body[:5] + "18" + body[7:]
	}
	if digitsOf(body, "") == "" || digitsOf(s[13:], "") == "" || (body[0] != '1' && body[0] != '2' && body[0] != '3' && body[0] != '4' && body[0] != '7' && body[0] != '8') {
		return false
	}
	mod := 0
	for i := 0; i < len(body); i++ {
		mod = (mod*10 + int(body[i]-'0')) % 97
	}
	key := atoi(s[13:])
	return key == 97-mod
}

const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

func validDNI(v string) bool {
	m := dniRE.FindStringSubmatch(strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), " ", "")))
	if m == nil {
		return false
	}
	num := m[2]
	switch m[1] {
	case "":
		if len(num) != 8 {
			return false
		}
	case "X":
		num = "0" + num
	case "Y":
		num = "1" + num
	case "Z":
		num = "2" + num
	}
	if m[1] != "" && len(m[2]) != 7 {
		return false
	}
	return dniLetters[atoi(num)%23] == m[3][0]
}

var (
	cfOdd  = [36]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	cfEven = [36]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25}
)

// cfIndex maps 0-9 then A-Z to 0-35, for the codice fiscale tables.
func cfIndex(c byte) int {
	if c >= '0' && c <= '9' {
		return int(c - '0')
	}
	return int(c-'A') + 10
}

func validCodiceFiscale(v string) bool {
	s := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	if !cfRE.MatchString(s) {
		return false
	}
	sum := 0
	for i := 0; i < 15; i++ {
		if i%2 == 0 {
			sum += cfOdd[cfIndex(s[i])]
		} else {
			sum += cfEven[cfIndex(s[i])]
		}
	}
	return byte('A'+sum%26) == s[15]
}

// validBSN: nine digits passing the eleven test.
func validBSN(v string) bool {
	d := digitsOf(v, ". ")
	if len(d) != 9 || d == "000000000" {
		return false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(d[i]-'0') * (9 - i)
	}
	sum -= int(d[8] - '0')
	return sum%11 == 0
}

func mod11Digit(d string, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += int(d[i]-'0') * w
	}
	r := sum % 11
	if r < 2 {
		return 0
	}
	return 11 - r
}

func allSame(d string) bool {
	return strings.Count(d, d[:1]) == len(d)
}

func validCPF(v string) bool {
	d := digitsOf(v, ".- ")
	if len(d) != 11 || allSame(d) {
		return false
	}
	return mod11Digit(d, []int{10, 9, 8, 7, 6, 5, 4, 3, 2}) == int(d[9]-'0') &&
		mod11Digit(d, []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2}) == int(d[10]-'0')
}

func validCNPJ(v string) bool {
	d := digitsOf(v, "./- ")
	if len(d) != 14 || allSame(d) {
		return false
	}
	return mod11Digit(d, []int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}) == int(d[12]-'0') &&
		mod11Digit(d, []int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}) == int(d[13]-'0')
}

var (
	verhoeffD = [10][10]int{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
		{3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1}, {6, 5, 9, 8, 7, 1, 0, 4, 3, 2},
		{7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}}
	verhoeffP = [8][10]int{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
		{8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1}, {2, 7, 9, 3, 8, 0, 6, 4, 1, 5},
		{7, 0, 4, 6, 9, 1, 3, 2, 5, 8}}
)

func verhoeff(d string) bool {
	c := 0
	for i := 0; i < len(d); i++ {
		c = verhoeffD[c][verhoeffP[i%8][int(d[len(d)-1-i]-'0')]]
	}
	return c == 0
}

// validAadhaar: twelve digits, not starting 0 or 1, Verhoeff checksum.
func validAadhaar(v string) bool {
	d := digitsOf(v, " -")
	return len(d) == 12 && d[0] >= '2' && verhoeff(d)
}

func validPAN(v string) bool {
	return panRE.MatchString(strings.ToUpper(strings.TrimSpace(v)))
}

// validMyNumber: Japan's twelve-digit individual number and its check digit.
func validMyNumber(v string) bool {
	d := digitsOf(v, " -")
	if len(d) != 12 {
		return false
	}
	sum := 0
	for n := 1; n <= 11; n++ {
		p := int(d[11-n] - '0')
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		sum += p * q
	}
	r := sum % 11
	check := 0
	if r > 1 {
		check = 11 - r
	}
	return check == int(d[11]-'0')
}

// validSIN: Canada's nine digits with the Luhn check (8 begins business numbers).
func validSIN(v string) bool {
	d := digitsOf(v, " -")
	return len(d) == 9 && d[0] != '8' && luhn([]byte(d))
}

// validTFN: Australia's tax file number, 8 or 9 digits, weighted modulo 11.
func validTFN(v string) bool {
	d := digitsOf(v, " ")
	var w []int
	switch len(d) {
	case 9:
		w = []int{1, 4, 3, 7, 5, 8, 6, 9, 10}
	case 8:
		w = []int{10, 7, 8, 4, 6, 3, 5, 1}
	default:
		return false
	}
	sum := 0
	for i, x := range w {
		sum += int(d[i]-'0') * x
	}
	return sum%11 == 0
}

var curpAlphabet = []rune("0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ")

// validCURP: Mexico's population registry code and its check digit.
func validCURP(v string) bool {
	s := strings.ToUpper(strings.TrimSpace(v))
	if !curpRE.MatchString(s) {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		idx := slices.Index(curpAlphabet, rune(s[i]))
		if idx < 0 {
			return false
		}
		sum += idx * (18 - i)
	}
	return (10-sum%10)%10 == int(s[17]-'0')
}

// validPESEL: Poland's eleven digits, a birth date (months shifted by
// century) and a weighted check digit.
func validPESEL(v string) bool {
	d := digitsOf(v, " ")
	if len(d) != 11 {
		return false
	}
	if m := atoi(d[2:4]) % 20; m < 1 || m > 12 || atoi(d[4:6]) < 1 || atoi(d[4:6]) > 31 {
		return false
	}
	w := []int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}
	sum := 0
	for i, x := range w {
		sum += int(d[i]-'0') * x
	}
	return (10-sum%10)%10 == int(d[10]-'0')
}

// validChinaID: the resident identity card, a birth date inside and an
// ISO 7064 MOD 11-2 check character.
func validChinaID(v string) bool {
	s := strings.ToUpper(strings.TrimSpace(v))
	if len(s) != 18 || digitsOf(s[:17], "") == "" {
		return false
	}
	y, m, day := atoi(s[6:10]), atoi(s[10:12]), atoi(s[12:14])
	if y < 1900 || y > 2100 || m < 1 || m > 12 || day < 1 || day > 31 {
		return false
	}
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, x := range w {
		sum += int(s[i]-'0') * x
	}
	return "10X98765432"[sum%11] == s[17]
}

// validSaudiID: ten digits, 1 for citizens or 2 for residents, Luhn check.
func validSaudiID(v string) bool {
	d := digitsOf(v, " ")
	return len(d) == 10 && (d[0] == '1' || d[0] == '2') && luhn([]byte(d))
}

// validNIF: Portugal's tax number, nine digits and a modulo 11 check.
func validNIF(v string) bool {
	d := digitsOf(v, " ")
	if len(d) != 9 || strings.IndexByte("1235689", d[0]) < 0 {
		return false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(d[i]-'0') * (9 - i)
	}
	c := 11 - sum%11
	if c >= 10 {
		c = 0
	}
	return c == int(d[8]-'0')
}

// nationalIDKind returns the kind of id a value most likely is: one with
// a check digit before one that only has the shape.
func nationalIDKind(v string) (kind idKind, ok bool) {
	for _, checked := range []bool{true, false} {
		for _, k := range idKinds {
			if k.checked == checked && k.valid(v) {
				return k, true
			}
		}
	}
	return idKind{}, false
}
