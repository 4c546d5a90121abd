// Package heldout is an independent, held-out measurement of the PII column
// detector: it generates realistic exports from 18 locales, labels every
// column, runs the inspector and logs recall, precision and entity accuracy.
// It fails on its own errors (a generated phone that libphonenumber rejects,
// a checksum that does not verify) and when the scores fall below the floors
// measured when it was written (a ratchet: raise them as detection improves).
package heldout

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nyaruka/phonenumbers"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/ingest"
)

// ---------------------------------------------------------------- checksums

func digitsOf(s string) []int {
	var d []int
	for _, c := range s {
		if c >= '0' && c <= '9' {
			d = append(d, int(c-'0'))
		}
	}
	return d
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func itoa(d []int) string {
	var b strings.Builder
	for _, x := range d {
		b.WriteByte(byte('0' + x))
	}
	return b.String()
}

// luhnDigit is the check digit that makes payload+digit pass Luhn.
func luhnDigit(payload string) int {
	sum, double := 0, true
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return (10 - sum%10) % 10
}

func luhnValid(s string) bool {
	s = onlyDigits(s)
	return len(s) > 1 && luhnDigit(s[:len(s)-1]) == int(s[len(s)-1]-'0')
}

var (
	vD = [10][10]int{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
		{3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}}
	vP = [8][10]int{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
		{8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 7, 6, 8, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}}
	vInv = [10]int{0, 4, 3, 2, 1, 5, 6, 7, 8, 9}
)

func verhoeffDigit(payload string) int {
	c := 0
	for i := 0; i < len(payload); i++ {
		d := int(payload[len(payload)-1-i] - '0')
		c = vD[c][vP[(i+1)%8][d]]
	}
	return vInv[c]
}

func verhoeffValid(s string) bool {
	c := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		c = vD[c][vP[i%8][d]]
	}
	return c == 0
}

// steuerIDCheck is ISO 7064 MOD 11,10 over the first ten digits.
func steuerIDCheck(d []int) int {
	product := 10
	for _, c := range d[:10] {
		sum := (c + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = (sum * 2) % 11
	}
	check := 11 - product
	if check == 10 {
		check = 0
	}
	return check
}

func mod97(s string) int {
	rem := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	return rem
}

func makeIBAN(cc, bban string) string {
	chk := 98 - mod97(bban+cc+"00")
	return fmt.Sprintf("%s%02d%s", cc, chk, bban)
}

func ibanValid(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	return len(s) > 4 && mod97(s[4:]+s[:4]) == 1
}

var cfOdd = map[rune]int{'0': 1, '1': 0, '2': 5, '3': 7, '4': 9, '5': 13, '6': 15, '7': 17, '8': 19, '9': 21,
	'A': 1, 'B': 0, 'C': 5, 'D': 7, 'E': 9, 'F': 13, 'G': 15, 'H': 17, 'I': 19, 'J': 21, 'K': 2, 'L': 4, 'M': 18,
	'N': 20, 'O': 11, 'P': 3, 'Q': 6, 'R': 8, 'S': 12, 'T': 14, 'U': 16, 'V': 10, 'W': 22, 'X': 25, 'Y': 24, 'Z': 23}

// cinChar is the Italian odd/even check letter (codice fiscale, IBAN CIN).
func cinChar(s string) byte {
	sum := 0
	for i, c := range s {
		if i%2 == 0 {
			sum += cfOdd[c]
		} else if c >= '0' && c <= '9' {
			sum += int(c - '0')
		} else {
			sum += int(c - 'A')
		}
	}
	return byte('A' + sum%26)
}

const curpDict = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"

func curpCheck(s17 string) int {
	sum, i := 0, 0
	for _, c := range s17 {
		idx := strings.IndexRune(curpDict, c)
		// curpDict has a two-byte Ñ: convert byte index to rune index
		idx = len([]rune(curpDict[:idx]))
		sum += idx * (18 - i)
		i++
	}
	return (10 - sum%10) % 10
}

func cnIDCheck(s17 string) byte {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(s17[i]-'0') * w[i]
	}
	return "10X98765432"[sum%11]
}

func rrnCheck(s12 string) int {
	w := []int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5}
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(s12[i]-'0') * w[i]
	}
	return (11 - sum%11) % 10
}

func peselCheck(s10 string) int {
	w := []int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}
	sum := 0
	for i := 0; i < 10; i++ {
		sum += int(s10[i]-'0') * w[i]
	}
	return (10 - sum%10) % 10
}

func snilsCheck(s9 string) int {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(s9[i]-'0') * (9 - i)
	}
	switch {
	case sum < 100:
		return sum
	case sum == 100 || sum == 101:
		return 0
	}
	c := sum % 101
	if c == 100 {
		c = 0
	}
	return c
}

func innDigit(s string, w []int) int {
	sum := 0
	for i, x := range w {
		sum += int(s[i]-'0') * x
	}
	return sum % 11 % 10
}

func myNumberCheck(s11 string) int {
	sum := 0
	for n := 1; n <= 11; n++ {
		p := int(s11[11-n] - '0')
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		sum += p * q
	}
	r := sum % 11
	if r <= 1 {
		return 0
	}
	return 11 - r
}

func cpfDigits(d []int) []int {
	s := 0
	for i := 0; i < 9; i++ {
		s += d[i] * (10 - i)
	}
	r := s * 10 % 11 % 10
	d = append(d[:9:9], r)
	s = 0
	for i := 0; i < 10; i++ {
		s += d[i] * (11 - i)
	}
	return append(d, s*10%11%10)
}

func pisCheck(d []int) int {
	w := []int{3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	s := 0
	for i := 0; i < 10; i++ {
		s += d[i] * w[i]
	}
	r := 11 - s%11
	if r >= 10 {
		r = 0
	}
	return r
}

func s10Check(d8 string) int {
	w := []int{8, 6, 4, 2, 3, 5, 9, 7}
	s := 0
	for i := 0; i < 8; i++ {
		s += int(d8[i]-'0') * w[i]
	}
	c := 11 - s%11
	switch c {
	case 10:
		return 0
	case 11:
		return 5
	}
	return c
}

func ean13Check(d12 string) int {
	s := 0
	for i := 0; i < 12; i++ {
		x := int(d12[i] - '0')
		if i%2 == 1 {
			x *= 3
		}
		s += x
	}
	return (10 - s%10) % 10
}

// TestChecksums pins the generator's checksum code to published examples.
func TestChecksums(t *testing.T) {
	ok := func(name string, good bool) {
		if !good {
			t.Errorf("checksum self-test failed: %s", name)
		}
	}
	ok("luhn", luhnValid("79927398713") && !luhnValid("79927398710"))
	ok("verhoeff", verhoeffDigit("236") == 3 && verhoeffValid("2363") && verhoeffDigit("12345") == 1 && verhoeffValid("123451"))
	d := digitsOf("86095742719")
	ok("steuer-id", steuerIDCheck(d) == d[10])
	ok("iban DE", ibanValid("DE89370400440532013000") && makeIBAN("DE", "370400440532013000") == "DE89370400440532013000")
	ok("iban GB", ibanValid("GB82WEST12345698765432"))
	ok("codice fiscale", cinChar("RSSMRA85T10A562") == 'S')
	ok("cn id", cnIDCheck("11010519491231002") == 'X')
	ok("pesel", peselCheck("4405140135") == 9)
	ok("snils", snilsCheck("112233445") == 95)
	ok("inn", innDigit("500100732259", []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == 5 &&
		innDigit("500100732259", []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == 9)
	ok("my number", myNumberCheck("12345678901") == 8)
	ok("cpf", itoa(cpfDigits(digitsOf("111444777"))) == "11144477735")
	ok("personnummer", luhnDigit("811218987") == 6)
	ok("dni", "TRWAGMYFPDXBNJZSQVHLCKE"[12345678%23] == 'Z')
	ok("ean13", ean13Check("400638133393") == 1)
	ok("s10", s10Check("47312482") == 9)            // UPU S10 sample AA473124829GB
	ok("curp", curpCheck("SABC560626MDFLRN0") == 1) // RENAPO instructivo example
}

// ---------------------------------------------------------------- locales

type nm struct{ n, l, k string } // native, latin, kana reading

func names(s string) []nm {
	var out []nm
	for _, part := range strings.Split(s, "|") {
		f := strings.Split(part, "/")
		x := nm{n: f[0], l: f[0]}
		if len(f) > 1 {
			x.l = f[1]
		}
		if len(f) > 2 {
			x.k = f[2]
		}
		out = append(out, x)
	}
	return out
}

func sp(s string) []string { return strings.Split(s, "|") }

type loc struct {
	code, cc  string
	gm, gf    []nm
	fam       []nm
	order     string // western, es, br, ja, zh, ko, ru, ar
	phones    map[string][]string
	dec, thou string
	indian    bool
	domains   []string
	cities    []string
	companies []string
	products  []string
	jobs      []string
	depts     []string
	statuses  []string
	countries []string
	tickets   []string // prose carrying {phone} or {email}
	neutral   []string // prose without personal data
	street    func(g *gen) string
	full      func(g *gen, street string) string // street + city/postcode in local order
	zip       func(g *gen) string
	track     []string
	ean       string
}

var ruPatron = sp("Александрович/Александровна|Сергеевич/Сергеевна|Дмитриевич/Дмитриевна|Андреевич/Андреевна|Алексеевич/Алексеевна|Иванович/Ивановна|Михайлович/Михайловна|Николаевич/Николаевна|Владимирович/Владимировна|Павлович/Павловна|Викторович/Викторовна|Юрьевич/Юрьевна")

func zipDigits(lo, hi int, width int) func(g *gen) string {
	return func(g *gen) string { return fmt.Sprintf("%0*d", width, lo+g.r.IntN(hi-lo)) }
}

var locales = map[string]*loc{}

func addLoc(l *loc) { locales[l.code] = l }

func init() {
	addLoc(&loc{code: "en-US", cc: "US", order: "western", dec: ".", thou: ",",
		gm:  names("James|Michael|Robert|David|William|Joseph|Christopher|Daniel|Matthew|Anthony|Joshua|Andrew|Kevin|Brian|Tyler|Jason|Brandon|Ethan|Nathan|Carlos|DeShawn|Trevor|Cody|Marcus"),
		gf:  names("Mary|Jennifer|Linda|Patricia|Elizabeth|Jessica|Sarah|Ashley|Emily|Amanda|Megan|Lauren|Rachel|Nicole|Samantha|Hannah|Olivia|Madison|Brittany|Kayla|Tiffany|Shanice|Courtney|Heather"),
		fam: names("Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Rodriguez|Martinez|Hernandez|Lopez|Wilson|Anderson|Thomas|Taylor|Moore|Jackson|Martin|Lee|Thompson|White|Harris|Clark|Lewis|Robinson|Walker|Young|Allen|King|Wright|Scott|Nguyen|Hill|Flores|Green|Adams|Nelson|Baker|Hall|Campbell|Mitchell|Carter|Roberts|Phillips|Evans|Turner|Parker|Collins|Edwards|Stewart|Morris|Murphy|Cook|Rogers|Morgan|Peterson|Cooper|Reed|Bailey|Kowalczyk|Okafor|Schwartz|Brennan|Yazzie|Delgado|McAllister|Fitzpatrick"),
		phones: map[string][]string{
			"mob":  {"([2-9]##) N##-####", "[2-9]##-N##-####", "[2-9]##.N##.####", "[2-9]##N######"},
			"land": {"(212) N##-####", "(312) N##-####", "(415) N##-####", "617-N##-####", "713-N##-####", "206.N##.####"},
			"intl": {"+1 [2-9]## N##-####", "+1 ([2-9]##) N##-####", "+1-[2-9]##-N##-####", "1-[2-9]##-N##-####"},
		},
		domains:   sp("gmail.com|yahoo.com|outlook.com|hotmail.com|aol.com|icloud.com|comcast.net|att.net"),
		cities:    sp("New York|Chicago|San Francisco|Boston|Houston|Seattle|Denver|Atlanta|Austin|Las Vegas|Miami|Dallas|Phoenix|Portland|Columbus|Charlotte|Nashville|Minneapolis"),
		companies: sp("Acme Corp|Globex LLC|Initech Inc.|Northwind Traders|Blue Ridge Analytics|Summit Health Partners|Pioneer Logistics Co.|Lakeside Dental Group|Redwood Capital LLC|Brightline Software Inc."),
		products:  sp("Wireless Earbuds Pro|Stainless Steel Water Bottle 32oz|Men's Running Shoes - Size 10|Organic Green Tea (100 bags)|USB-C Charging Cable 6ft|Yoga Mat Extra Thick|LED Desk Lamp|Cast Iron Skillet 12\"|Bluetooth Speaker Mini|Kids' Rain Jacket"),
		jobs:      sp("Account Executive|Software Engineer|Registered Nurse|Operations Manager|Customer Success Manager|Financial Analyst|Marketing Coordinator|Warehouse Associate|HR Generalist|Data Scientist"),
		depts:     sp("Sales|Engineering|Finance|Marketing|Operations|Human Resources|Customer Support|Legal"),
		statuses:  sp("New|Contacted|Qualified|Unqualified|Nurturing|Closed Won|Closed Lost"),
		countries: sp("United States|Canada|Mexico|United Kingdom|Germany"),
		tickets:   sp("Please call me back at {phone}, I've been waiting since Monday.|Customer asked for updates to be sent to {email} instead.|Reached voicemail at {phone}, will try again tomorrow.|New email is {email} - old one no longer works"),
		neutral:   sp("Package arrived damaged, requesting a replacement.|Wrong size shipped, customer wants to exchange for a medium.|Refund processed, no further action needed.|Asked about delivery times for the holiday season.|Coupon code did not apply at checkout."),
		street: func(g *gen) string {
			s := fmt.Sprintf("%d %s", 100+g.r.IntN(9800), g.pick(sp("Main St|Oak Ave|Maple Dr|Cedar Ln|Elm St|Washington Blvd|Park Ave|Pine St|Lakeview Dr|Sunset Blvd|Highland Ave|Jefferson St|Lincoln Way|Madison Ave|Franklin Rd|Ridge Rd|Willow Creek Ct|Magnolia Pl|Peachtree St NE|Mission St|Broadway|Hillcrest Rd|Chestnut St|S Congress Ave|W 34th St|N Michigan Ave")))
			switch g.r.IntN(5) {
			case 0:
				s += fmt.Sprintf(" Apt %d%c", 1+g.r.IntN(20), 'A'+rune(g.r.IntN(6)))
			case 1:
				s += fmt.Sprintf(", Suite %d", 100+g.r.IntN(800))
			}
			return s
		},
		full: func(g *gen, st string) string {
			i := g.r.IntN(8)
			c := sp("New York|Chicago|San Francisco|Boston|Houston|Seattle|Denver|Atlanta")[i]
			s := sp("NY|IL|CA|MA|TX|WA|CO|GA")[i]
			z := sp("100|606|941|021|770|981|802|303")[i]
			return fmt.Sprintf("%s, %s, %s %s%02d", st, c, s, z, g.r.IntN(100))
		},
		zip: func(g *gen) string {
			z := fmt.Sprintf("%05d", 1001+g.r.IntN(98000))
			if g.r.IntN(5) == 0 {
				z += fmt.Sprintf("-%04d", g.r.IntN(10000))
			}
			return z
		},
		track: []string{"1Z@@@@@@03########", "9400 1### #### #### #### ##", "7### #### ####"},
		ean:   "0",
	})

	addLoc(&loc{code: "en-GB", cc: "GB", order: "western", dec: ".", thou: ",",
		gm:  names("Oliver|George|Harry|Jack|Charlie|Thomas|Alfie|Oscar|William|James|Callum|Liam|Rhys|Owen|Jamie|Euan|Ciaran|Dylan|Hamish|Gareth"),
		gf:  names("Olivia|Amelia|Isla|Ava|Emily|Sophie|Grace|Chloe|Lucy|Ellie|Freya|Poppy|Charlotte|Niamh|Siobhan|Bethan|Imogen|Harriet|Morag|Aoife"),
		fam: names("Smith|Jones|Taylor|Brown|Williams|Wilson|Johnson|Davies|Robinson|Wright|Thompson|Evans|Walker|White|Roberts|Green|Hall|Wood|Jackson|Clarke|Hughes|Edwards|Hill|Moore|Harrison|Lewis|Patel|Khan|Ahmed|Shaw|Lloyd|Morgan|Cooper|Ward|Turner|Bennett|Fletcher|Atkinson|Pritchard|McDonald|Campbell|O'Brien|Fitzgerald|Ferguson|MacLeod|Llewellyn|Ogunleye|Chowdhury|Whitfield|Ashworth"),
		phones: map[string][]string{
			"mob":  {"07[4589]## ######", "07[4589]##-###-###", "07[4589]########"},
			"land": {"020 [38]### ####", "0161 [23578]## ####", "0113 [23]## ####", "0131 [2-5]## ####", "029 20## ####"},
			"intl": {"+44 7[4589]## ######", "+44 (0)7[4589]## ######", "+44 20 [38]### ####", "+447[4589]########"},
		},
		domains:   sp("gmail.com|hotmail.co.uk|btinternet.com|yahoo.co.uk|outlook.com|sky.com|icloud.com|live.co.uk"),
		cities:    sp("London|Manchester|Birmingham|Leeds|Glasgow|Edinburgh|Cardiff|Bristol|Liverpool|Sheffield|Nottingham|Brighton|Belfast|York"),
		companies: sp("Thames Valley Consulting Ltd|Northern Rail Services plc|Brightwater Housing Association|Kingfisher Analytics Ltd|Highland Distillers Ltd|Penrose & Co Solicitors|Westfield Academy Trust|Blackwood Engineering Ltd"),
		products:  sp("Earl Grey Tea 80 bags|Wellington Boots Size 7|Oak Dining Chair|Cotton Duvet Cover King|Garden Hose 30m|Kettle 1.7L Brushed Steel"),
		jobs:      sp("Teaching Assistant|Project Manager|Care Worker|Solicitor|Payroll Officer|Software Developer|Site Supervisor|Receptionist|Finance Business Partner|Estate Agent"),
		depts:     sp("Finance|Facilities|IT Services|People & Culture|Commercial|Operations|Customer Services"),
		statuses:  sp("Standard|Early Bird|VIP|Speaker|Student|Complimentary"),
		countries: sp("United Kingdom|Ireland|France|Germany|Netherlands"),
		tickets:   sp("Please contact my PA on {phone} with any changes.|Invoice should go to {email} rather than me.|Happy to be reached on {phone} on the day.|Please send joining instructions to {email}"),
		neutral:   sp("Wheelchair access required.|Arriving late, around 11am.|Looking forward to it!|Will bring a colleague.|Can we get the slides afterwards?|Parking needed if possible."),
		street: func(g *gen) string {
			st := g.pick(sp("High Street|Station Road|Church Lane|Victoria Road|Green Lane|Manor Road|Park Road|Queen's Road|Mill Lane|The Crescent|Kingsway|Albert Street|London Road|Springfield Avenue|Orchard Close|Meadow View|Windsor Gardens|Beechwood Drive|Hollybush Lane|St John's Terrace"))
			switch g.r.IntN(5) {
			case 0:
				return fmt.Sprintf("Flat %d, %d %s", 1+g.r.IntN(30), 1+g.r.IntN(150), st)
			case 1:
				return fmt.Sprintf("%s, %s", g.pick(sp("Rose Cottage|The Old Rectory|Ivy House|Hillside Farm|2 The Mews")), st)
			}
			return fmt.Sprintf("%d %s", 1+g.r.IntN(250), st)
		},
		full: func(g *gen, st string) string {
			return fmt.Sprintf("%s, %s %s", st, g.pick(sp("London|Manchester|Leeds|Bristol|Cardiff|Glasgow")), g.l.zip(g))
		},
		zip: func(g *gen) string {
			area := g.pick(sp("SW|SE|N|NW|E|W|B|M|L|LS|G|EH|CF|BS|OX|CB|NG|S|BN|YO"))
			return fmt.Sprintf("%s%d %d%c%c", area, 1+g.r.IntN(20), g.r.IntN(10), "ABDEFGHJLNPQRSTUWXYZ"[g.r.IntN(20)], "ABDEFGHJLNPQRSTUWXYZ"[g.r.IntN(20)])
		},
		track: []string{"S10GB", "@@ #### #### #GB"},
		ean:   "50",
	})

	addLoc(&loc{code: "de-DE", cc: "DE", order: "western", dec: ",", thou: ".",
		gm:  names("Lukas|Maximilian|Jonas|Felix|Leon|Paul|Elias|Finn|Niklas|Tobias|Stefan|Jürgen|Wolfgang|Dieter|Uwe|Matthias|Christoph|Sebastian|Florian|Torsten|Hans-Peter|Karl-Heinz|Malte|Ole"),
		gf:  names("Anna|Lena|Leonie|Sophie|Marie|Hannah|Laura|Katharina|Julia|Sabine|Ursula|Petra|Monika|Birgit|Heike|Anke|Franziska|Johanna|Greta|Wiebke|Anne-Kathrin|Svenja|Dörte|Gesine"),
		fam: names("Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Schäfer|Koch|Bauer|Richter|Klein|Wolf|Schröder|Neumann|Schwarz|Zimmermann|Braun|Krüger|Hofmann|Hartmann|Lange|Schmitt|Werner|Krause|Meier|Lehmann|Köhler|Herrmann|König|Walter|Huber|Kaiser|Fuchs|Peters|Scholz|Möller|Weiß|Jung|Hahn|Vogel|Friedrich|Keller|Günther|Berger|Winkler|Roth|Lorenz|Baumann|Albrecht|Ziegler|Kühn|Pohl|Engel|Dittrich|Kowalski|Yılmaz|Brinkmann|Oltmanns|Heinemann|Janßen|Thiele|Wendt|Büttner|Graf von Hohenau"),
		phones: map[string][]string{
			"mob":  {"015[12579] ########", "01[67][0-9] #######", "017[0-9]/#######", "0176 ########", "016[023] #######"},
			"land": {"030 [2-9]######", "089 [1-9]#######", "(0221) [2-9]######", "069/[2-9]#######", "040 [2-9]######", "0711 [2-9]######"},
			"intl": {"+49 15[12579] ########", "+49 (0)17[0-9] #######", "0049 17[0-9] ########", "+49 30 [2-9]######", "+4917[0-9]#######"},
		},
		domains:   sp("web.de|gmx.de|gmx.net|t-online.de|gmail.com|freenet.de|posteo.de|outlook.de"),
		cities:    sp("Berlin|Hamburg|München|Köln|Frankfurt am Main|Stuttgart|Düsseldorf|Leipzig|Dortmund|Bremen|Dresden|Hannover|Nürnberg|Freiburg im Breisgau|Münster"),
		companies: sp("Müller Logistik GmbH|Schneider & Partner mbB|Nordlicht Software GmbH|Bäckerei Krause e.K.|Rheinland Versicherung AG|Stadtwerke Musterstadt GmbH|Hansa Maschinenbau KG|Grünwald Immobilien GmbH & Co. KG"),
		products:  sp("Kaffeevollautomat EQ.6|Trekkingrucksack 45 L|Bettwäsche Renforcé 135x200|Akku-Bohrschrauber 18V|Edelstahl-Wasserkocher 1,7 l|Fahrradhelm Gr. M|Gartenschlauch 20 m|Winterjacke Herren XL"),
		jobs:      sp("Sachbearbeiter/in|Softwareentwickler (m/w/d)|Lagerist|Teamleiter Vertrieb|Buchhalterin|Industriemechaniker|Werkstudent|Projektleiterin|Personalreferent|Kundenberater"),
		depts:     sp("Vertrieb|Buchhaltung|Personal|Einkauf|IT|Produktion|Lager & Logistik|Marketing"),
		statuses:  sp("offen|in Bearbeitung|versandt|zugestellt|storniert|retourniert"),
		countries: sp("Deutschland|Österreich|Schweiz|Niederlande|Frankreich"),
		tickets:   sp("Bitte um Rückruf unter {phone}, Kunde ist ab 14 Uhr erreichbar.|Rechnung bitte an {email} senden.|Kunde hat neue Handynummer: {phone}|Bestätigung ging an falsche Adresse, richtig ist {email}"),
		neutral:   sp("Paket wurde beschädigt zugestellt, Ersatz angefordert.|Falsche Größe geliefert, Umtausch gewünscht.|Gutschrift wurde veranlasst.|Lieferung bitte beim Nachbarn abgeben.|Frage zur Lieferzeit nach Österreich."),
		street: func(g *gen) string {
			st := g.pick(sp("Hauptstraße|Bahnhofstraße|Gartenstraße|Schulstraße|Dorfstraße|Lindenstraße|Bergstraße|Kirchweg|Goethestr.|Schillerstraße|Mozartstr.|Am Markt|Ringstraße|Friedrich-Ebert-Straße|Kaiserallee|Birkenweg|Mühlenweg|Rosenstraße|Waldstraße|Poststr.|Karl-Marx-Allee|Unter den Linden|Im Winkel"))
			n := fmt.Sprint(1 + g.r.IntN(180))
			if g.r.IntN(6) == 0 {
				n += string(rune('a' + g.r.IntN(4)))
			}
			return st + " " + n
		},
		full: func(g *gen, st string) string {
			return fmt.Sprintf("%s, %s %s", st, g.l.zip(g), g.pick(g.l.cities))
		},
		zip:   zipDigits(1067, 99998, 5),
		track: []string{"00340434########", "JJD00039000######", "003404341#########"},
		ean:   "40",
	})

	addLoc(&loc{code: "fr-FR", cc: "FR", order: "western", dec: ",", thou: " ",
		gm:  names("Jean|Pierre|Michel|Philippe|Nicolas|Julien|Thomas|Antoine|Mathieu|Guillaume|Maxime|Hugo|Louis|Lucas|Théo|Étienne|Benoît|Yannick|Gaël|Jérôme|Jean-Baptiste|Loïc|Karim|Mehdi"),
		gf:  names("Marie|Nathalie|Isabelle|Sylvie|Catherine|Camille|Léa|Manon|Chloé|Inès|Sandrine|Céline|Aurélie|Émilie|Margaux|Océane|Anaïs|Clémence|Solène|Maëlle|Marie-Claire|Gwenaëlle|Yasmine|Fatou"),
		fam: names("Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Simon|Laurent|Lefebvre|Michel|Garcia|David|Bertrand|Roux|Vincent|Fournier|Morel|Girard|André|Lefèvre|Mercier|Dupont|Lambert|Bonnet|François|Legrand|Garnier|Faure|Rousseau|Blanc|Guérin|Muller|Henry|Roussel|Perrin|Morin|Clément|Gauthier|Dumont|Fontaine|Chevalier|Robin|Masson|Nguyen|Boyer|Lemaire|Duval|Joly|Leclerc|Vidal|Caron|Picard|Le Gall|Le Goff|Benali|Diallo|Kerouac|Delacroix|Saint-Martin|Courtois|Tessier|Marchand"),
		phones: map[string][]string{
			"mob":  {"06 ## ## ## ##", "07 [5-8]# ## ## ##", "06########", "06.##.##.##.##", "07-[5-8]#-##-##-##"},
			"land": {"01 4# ## ## ##", "04 7# ## ## ##", "05 5# ## ## ##", "02 4# ## ## ##", "03 2# ## ## ##"},
			"intl": {"+33 6 ## ## ## ##", "+33 (0)6 ## ## ## ##", "+33 7 [5-8]# ## ## ##", "0033 6 ## ## ## ##", "+336########"},
		},
		domains:   sp("orange.fr|free.fr|laposte.net|gmail.com|hotmail.fr|sfr.fr|wanadoo.fr|yahoo.fr"),
		cities:    sp("Paris|Marseille|Lyon|Toulouse|Nice|Nantes|Strasbourg|Montpellier|Bordeaux|Lille|Rennes|Reims|Saint-Étienne|Le Havre|Aix-en-Provence"),
		companies: sp("Boulangerie Dupont SARL|Transports Lefèvre SAS|Cabinet Moreau & Associés|Groupe Horizon SA|Atelier des Lumières SAS|Société Générale de Nettoyage|Les Jardins de Provence EURL"),
		products:  sp("Cafetière italienne 6 tasses|Pull col rond laine mérinos|Casserole inox 20 cm|Crème hydratante 50 ml|Sac à dos randonnée 30 L|Lampe de chevet en lin|Coffret thé vert bio"),
		jobs:      sp("Comptable|Chef de projet|Technicien de maintenance|Assistante de direction|Développeur web|Responsable RH|Commercial itinérant|Infirmière|Chargé de clientèle|Magasinier"),
		depts:     sp("Comptabilité|Ressources humaines|Informatique|Commercial|Logistique|Direction générale|Achats"),
		statuses:  sp("en attente|validée|expédiée|livrée|annulée|remboursée"),
		countries: sp("France|Belgique|Suisse|Luxembourg|Canada"),
		tickets:   sp("Merci de me rappeler au {phone} après 18h.|Envoyer la facture à {email} svp|Client injoignable au {phone}, message laissé.|Nouvelle adresse mail : {email}"),
		neutral:   sp("Colis arrivé endommagé, demande de remplacement.|Erreur de taille, le client souhaite un échange.|Remboursement effectué.|Livraison en point relais souhaitée.|Question sur les délais de livraison."),
		street: func(g *gen) string {
			st := g.pick(sp("rue de la République|rue Victor Hugo|avenue Jean Jaurès|rue Pasteur|boulevard Gambetta|rue du Moulin|place de l'Église|rue des Lilas|allée des Tilleuls|chemin des Vignes|avenue de la Gare|rue Jules Ferry|impasse des Roses|quai de la Loire|rue Nationale|route de Lyon|rue du Faubourg Saint-Antoine"))
			switch g.r.IntN(6) {
			case 0:
				return fmt.Sprintf("%d bis %s", 1+g.r.IntN(90), st)
			case 1:
				return fmt.Sprintf("Bât. %c, %d %s", 'A'+rune(g.r.IntN(4)), 1+g.r.IntN(90), st)
			case 2:
				return fmt.Sprintf("%d, %s", 1+g.r.IntN(150), st)
			}
			return fmt.Sprintf("%d %s", 1+g.r.IntN(150), st)
		},
		full: func(g *gen, st string) string {
			return fmt.Sprintf("%s, %s %s", st, g.l.zip(g), strings.ToUpper(g.pick(g.l.cities)))
		},
		zip: func(g *gen) string {
			d := 1 + g.r.IntN(95)
			if d == 20 {
				d = 75
			}
			return fmt.Sprintf("%02d%03d", d, g.r.IntN(1000))
		},
		track: []string{"6A###########", "8R###########", "S10FR"},
		ean:   "3[0-7]",
	})

	addLoc(&loc{code: "es-ES", cc: "ES", order: "es", dec: ",", thou: ".",
		gm:  names("Antonio|José|Manuel|Francisco|David|Juan|Javier|Daniel|Carlos|Jesús|Alejandro|Miguel|Rafael|Pablo|Sergio|Álvaro|Iker|Jordi|Xavier|Íñigo|Unai|Pau"),
		gf:  names("María|Carmen|Ana|Isabel|Laura|Cristina|Marta|Lucía|Paula|Elena|Sara|Raquel|Pilar|Nuria|Montserrat|Rocío|Ainhoa|Alba|Begoña|Irene|Maite|Leire"),
		fam: names("García|Rodríguez|González|Fernández|López|Martínez|Sánchez|Pérez|Gómez|Martín|Jiménez|Ruiz|Hernández|Díaz|Moreno|Muñoz|Álvarez|Romero|Alonso|Gutiérrez|Navarro|Torres|Domínguez|Vázquez|Ramos|Gil|Ramírez|Serrano|Blanco|Molina|Morales|Suárez|Ortega|Delgado|Castro|Ortiz|Rubio|Marín|Sanz|Iglesias|Núñez|Medina|Garrido|Cortés|Castillo|Santos|Lozano|Guerrero|Cano|Prieto|Méndez|Calvo|Gallego|Vidal|León|Herrera|Peña|Cabrera|Etxeberria|Puig|Arrieta|Goikoetxea|Ferrer|Pascual"),
		phones: map[string][]string{
			"mob":  {"6## ### ###", "6## ## ## ##", "6########", "7[1-4]# ### ###"},
			"land": {"91# ## ## ##", "93 ### ## ##", "96# ### ###", "95# ## ## ##"},
			"intl": {"+34 6## ### ###", "+34 6## ## ## ##", "0034 6########", "+34 91# ## ## ##", "+346########"},
		},
		domains:   sp("gmail.com|hotmail.es|yahoo.es|telefonica.net|outlook.es|movistar.es|icloud.com"),
		cities:    sp("Madrid|Barcelona|Valencia|Sevilla|Zaragoza|Málaga|Murcia|Palma|Bilbao|Alicante|Córdoba|Valladolid|Vigo|Gijón|Vitoria-Gasteiz"),
		companies: sp("Construcciones Ibéricas S.L.|Distribuciones Levante S.A.|Asesoría Fiscal Martínez S.L.P.|Hostelería del Sur S.L.|Talleres Mecánicos Gómez S.L.|Grupo Alimentario Norte S.A."),
		products:  sp("Aceite de oliva virgen extra 1 L|Zapatillas deportivas talla 42|Jamón serrano loncheado|Cafetera de cápsulas|Camiseta algodón orgánico|Sartén antiadherente 28 cm"),
		jobs:      sp("Administrativo/a|Técnico de sistemas|Dependienta|Jefe de ventas|Contable|Enfermero|Auxiliar de almacén|Ingeniera de software|Recepcionista|Director financiero"),
		depts:     sp("Administración|Recursos Humanos|Ventas|Informática|Logística|Atención al cliente|Calidad"),
		statuses:  sp("abierto|en curso|pendiente del cliente|resuelto|cerrado"),
		countries: sp("España|Portugal|Francia|Andorra|México"),
		tickets:   sp("Por favor llámenme al {phone}, estoy disponible por la tarde.|Enviar la factura a {email}|El cliente no contesta en el {phone}|Mi nuevo correo es {email}"),
		neutral:   sp("El paquete llegó dañado, solicito reemplazo.|Talla equivocada, quiero cambiarla.|Reembolso realizado correctamente.|No puedo acceder a mi cuenta desde la app.|¿Cuándo llega mi pedido?"),
		street: func(g *gen) string {
			st := g.pick(sp("Calle Mayor|Calle Real|Avenida de la Constitución|Calle de Alcalá|Gran Vía|Paseo de Gracia|Calle de Serrano|Plaza de España|Calle San Juan|Avinguda Diagonal|Calle del Carmen|Calle Nueva|Ronda de Segovia|Calle Larios|Paseo de la Castellana"))
			switch g.r.IntN(4) {
			case 0:
				return fmt.Sprintf("%s, %d, %dº %c", st, 1+g.r.IntN(200), 1+g.r.IntN(9), 'A'+rune(g.r.IntN(4)))
			case 1:
				return fmt.Sprintf("C/ %s %d, %dº%dª", strings.TrimPrefix(st, "Calle "), 1+g.r.IntN(200), 1+g.r.IntN(8), 1+g.r.IntN(4))
			}
			return fmt.Sprintf("%s %d", st, 1+g.r.IntN(200))
		},
		full: func(g *gen, st string) string {
			return fmt.Sprintf("%s, %s %s", st, g.l.zip(g), g.pick(g.l.cities))
		},
		zip:   func(g *gen) string { return fmt.Sprintf("%02d%03d", 1+g.r.IntN(52), g.r.IntN(1000)) },
		track: []string{"PQ@@@@##########", "S10ES"},
		ean:   "84",
	})

	addLoc(&loc{code: "es-MX", cc: "MX", order: "es", dec: ".", thou: ",",
		gm:  names("José Luis|Juan Carlos|Miguel Ángel|Jesús|Alejandro|Fernando|Jorge|Ricardo|Eduardo|Roberto|Arturo|Sergio|Raúl|Óscar|Héctor|Emiliano|Santiago|Diego|Mateo|Leonardo"),
		gf:  names("Guadalupe|María Fernanda|Ximena|Valeria|Daniela|Sofía|Mariana|Gabriela|Alejandra|Verónica|Adriana|Claudia|Leticia|Rosa María|Itzel|Yesenia|Brenda|Karla|Lizbeth|Marisol"),
		fam: names("Hernández|García|Martínez|López|González|Pérez|Rodríguez|Sánchez|Ramírez|Cruz|Flores|Gómez|Morales|Vázquez|Reyes|Jiménez|Torres|Díaz|Gutiérrez|Ruiz|Mendoza|Aguilar|Ortiz|Moreno|Castillo|Romero|Álvarez|Méndez|Chávez|Rivera|Juárez|Ramos|Domínguez|Herrera|Medina|Castro|Vargas|Guzmán|Velázquez|Muñoz|Rojas|Contreras|Salazar|Luna|Estrada|Bautista|Cervantes|Zúñiga|Villanueva|Olvera|Arellano|Espinoza|Sandoval|Trejo|Maldonado|Pacheco|Ochoa|Quintero"),
		phones: map[string][]string{
			"mob":  {"55 [1-9]### ####", "(55) [1-9]###-####", "33 [1-9]### ####", "81 [1-9]###-####", "55[1-9]#######"},
			"land": {"(55) 5### ####", "(33) 3### ####", "(81) 8### ####"},
			"intl": {"+52 55 [1-9]### ####", "+52 (81) [1-9]###-####", "+52 33 [1-9]### ####", "+5255[1-9]#######"},
		},
		domains:   sp("gmail.com|hotmail.com|outlook.com|yahoo.com.mx|prodigy.net.mx|live.com.mx|icloud.com"),
		cities:    sp("Ciudad de México|Guadalajara|Monterrey|Puebla|Tijuana|León|Querétaro|Mérida|Cancún|San Luis Potosí|Toluca|Aguascalientes"),
		companies: sp("Comercializadora del Bajío S.A. de C.V.|Abarrotes La Esperanza|Grupo Industrial Norteño S.A.B. de C.V.|Servicios Integrales Azteca S. de R.L.|Farmacias del Pueblo S.A. de C.V."),
		products:  sp("Café de Chiapas molido 500 g|Tenis para correr talla 27|Licuadora 10 velocidades|Playera de algodón|Audífonos inalámbricos|Salsa de chile habanero 250 ml"),
		jobs:      sp("Ejecutivo de ventas|Auxiliar contable|Gerente de tienda|Ingeniero de procesos|Capturista|Supervisor de almacén"),
		depts:     sp("Ventas|Contabilidad|Recursos Humanos|Sistemas|Almacén|Crédito y Cobranza"),
		statuses:  sp("pendiente|pagado|enviado|entregado|cancelado"),
		countries: sp("México|Estados Unidos|Guatemala|Colombia|España"),
		street: func(g *gen) string {
			st := g.pick(sp("Av. Insurgentes Sur|Paseo de la Reforma|Calle Hidalgo|Calle Morelos|Av. Juárez|Calle 5 de Mayo|Av. Revolución|Calle Zaragoza|Av. Universidad|Calzada de Tlalpan|Calle Allende|Av. Vallarta|Av. Constitución"))
			col := g.pick(sp("Col. Roma Norte|Col. Condesa|Col. Del Valle|Col. Centro|Col. Polanco|Col. Narvarte|Col. Americana|Col. Obispado"))
			switch g.r.IntN(3) {
			case 0:
				return fmt.Sprintf("%s #%d Int. %d, %s", st, 1+g.r.IntN(3000), 1+g.r.IntN(20), col)
			case 1:
				return fmt.Sprintf("%s %d, %s", st, 1+g.r.IntN(3000), col)
			}
			return fmt.Sprintf("%s No. %d", st, 1+g.r.IntN(3000))
		},
		full: func(g *gen, st string) string {
			return fmt.Sprintf("%s, C.P. %s, %s", st, g.l.zip(g), g.pick(g.l.cities))
		},
		zip:   zipDigits(1000, 99999, 5),
		track: []string{"##########################", "#### #### ##"},
		ean:   "750",
	})

	addLoc(&loc{code: "pt-BR", cc: "BR", order: "br", dec: ",", thou: ".",
		gm:  names("João|José|Antônio|Francisco|Carlos|Paulo|Pedro|Lucas|Luiz|Marcos|Gabriel|Rafael|Felipe|Bruno|Thiago|Rodrigo|Gustavo|Matheus|Enzo|Davi|João Pedro|Luiz Henrique"),
		gf:  names("Maria|Ana|Francisca|Antônia|Adriana|Juliana|Márcia|Fernanda|Patrícia|Aline|Camila|Beatriz|Larissa|Letícia|Bruna|Gabriela|Vitória|Thaís|Luana|Débora|Ana Paula|Maria Eduarda"),
		fam: names("Silva|Santos|Oliveira|Souza|Rodrigues|Ferreira|Alves|Pereira|Lima|Gomes|Costa|Ribeiro|Martins|Carvalho|Almeida|Lopes|Soares|Fernandes|Vieira|Barbosa|Rocha|Dias|Nascimento|Andrade|Moreira|Nunes|Marques|Machado|Mendes|Freitas|Cardoso|Ramos|Gonçalves|Santana|Teixeira|Araújo|Cavalcanti|Monteiro|Moura|Correia|Pinto|Campos|Batista|Brandão|Figueiredo|Azevedo|Sampaio|Queiroz|da Silva|dos Santos|de Souza"),
		phones: map[string][]string{
			"mob":  {"(11) 9[6-9]###-####", "(21) 9[6-9]###-####", "(31) 9[6-9]###-####", "11 9[6-9]#######", "(41) 9[6-9]### ####", "(85) 9[6-9]###-####"},
			"land": {"(11) [2-5]###-####", "(21) [2-3]###-####", "(51) 3###-####"},
			"intl": {"+55 11 9[6-9]###-####", "+55 (21) 9[6-9]###-####", "+55 31 9[6-9]### ####", "+55119[6-9]#######"},
		},
		domains:   sp("gmail.com|hotmail.com|uol.com.br|bol.com.br|yahoo.com.br|outlook.com|terra.com.br|globo.com"),
		cities:    sp("São Paulo|Rio de Janeiro|Belo Horizonte|Curitiba|Porto Alegre|Salvador|Recife|Fortaleza|Brasília|Manaus|Goiânia|Campinas|Florianópolis"),
		companies: sp("Comercial Boa Vista Ltda.|Transportadora Rápido Sul Ltda.|Padaria Pão Quente ME|Construtora Horizonte S.A.|Clínica Vida Saudável Ltda.|Distribuidora Nordeste EIRELI"),
		products:  sp("Camiseta Dry Fit M|Fone de Ouvido Bluetooth|Cafeteira Elétrica 30 xícaras|Tênis de Corrida 41|Kit Panelas Antiaderente 5 peças|Garrafa Térmica 1L"),
		jobs:      sp("Analista de Sistemas|Assistente Administrativo|Vendedora|Auxiliar de Produção|Gerente Comercial|Motorista|Técnica de Enfermagem|Operador de Caixa"),
		depts:     sp("Financeiro|Recursos Humanos|Comercial|TI|Produção|Logística|Jurídico"),
		statuses:  sp("aguardando pagamento|pago|em separação|enviado|entregue|cancelado"),
		countries: sp("Brasil|Argentina|Portugal|Uruguai|Paraguai"),
		street: func(g *gen) string {
			st := g.pick(sp("Rua das Flores|Rua XV de Novembro|Avenida Paulista|Rua Augusta|Avenida Brasil|Rua Sete de Setembro|Rua da Consolação|Avenida Atlântica|Rua Barão de Itapetininga|Rua Oscar Freire|Av. Getúlio Vargas|Rua São Bento|Rua Voluntários da Pátria"))
			switch g.r.IntN(3) {
			case 0:
				return fmt.Sprintf("%s, %d - Apto %d", st, 1+g.r.IntN(3000), 11+g.r.IntN(180))
			case 1:
				return fmt.Sprintf("%s, %d, Bloco %c", st, 1+g.r.IntN(3000), 'A'+rune(g.r.IntN(4)))
			}
			return fmt.Sprintf("%s, %d", st, 1+g.r.IntN(3000))
		},
		full: func(g *gen, st string) string {
			i := g.r.IntN(5)
			return fmt.Sprintf("%s - %s, %s - %s, %s", st, g.pick(sp("Centro|Jardim Paulista|Copacabana|Savassi|Moinhos de Vento")),
				sp("São Paulo|Rio de Janeiro|Belo Horizonte|Porto Alegre|Curitiba")[i], sp("SP|RJ|MG|RS|PR")[i], g.l.zip(g))
		},
		zip:   func(g *gen) string { return fmt.Sprintf("%05d-%03d", 1000+g.r.IntN(98000), g.r.IntN(1000)) },
		track: []string{"S10BR"},
		ean:   "789",
	})

	addLoc(&loc{code: "it-IT", cc: "IT", order: "western", dec: ",", thou: ".",
		gm:  names("Giuseppe|Giovanni|Antonio|Mario|Luigi|Francesco|Angelo|Vincenzo|Pietro|Salvatore|Marco|Alessandro|Andrea|Matteo|Lorenzo|Davide|Simone|Federico|Riccardo|Gianluca|Gianmarco|Carmine"),
		gf:  names("Maria|Anna|Giuseppina|Rosa|Angela|Giovanna|Teresa|Lucia|Francesca|Chiara|Giulia|Sara|Martina|Alessia|Federica|Elisa|Valentina|Silvia|Ilaria|Beatrice|Annalisa|Concetta"),
		fam: names("Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno|Gallo|Conti|De Luca|Mancini|Costa|Giordano|Rizzo|Lombardi|Moretti|Barbieri|Fontana|Santoro|Mariani|Rinaldi|Caruso|Ferrara|Galli|Martini|Leone|Longo|Gentile|Martinelli|Vitale|Serra|Coppola|De Santis|D'Angelo|Marchetti|Parisi|Villa|Conte|Ferraro|Fabbri|Marini|Grasso|Valentini|Messina|Sala|Gatti|Pellegrini|Palumbo|Sanna|Farina|Cattaneo|Morelli|Amato|Silvestri|Piras|Sorrentino|Esposito|Lo Russo|Di Stefano|Capuano"),
		phones: map[string][]string{
			"mob":  {"3[2-9]# ### ####", "3[2-9]#-#######", "3[2-9]########", "3[2-9]#/#######"},
			"land": {"06 #### ####", "02 ########", "011 ### ####", "055 ######", "081 ### ####"},
			"intl": {"+39 3[2-9]# ### ####", "+39 3[2-9]#######", "0039 3[2-9]# #######", "+39 06 #### ####", "+39 02 ########"},
		},
		domains:   sp("libero.it|virgilio.it|gmail.com|alice.it|tiscali.it|hotmail.it|yahoo.it|tim.it"),
		cities:    sp("Roma|Milano|Napoli|Torino|Palermo|Genova|Bologna|Firenze|Bari|Catania|Venezia|Verona|Padova|Trieste|Brescia"),
		companies: sp("Trattoria da Mario S.n.c.|Ferramenta Bianchi S.r.l.|Costruzioni Edili Russo S.p.A.|Studio Legale Conti & Associati|Tessitura Comasca S.r.l.|Autotrasporti Gallo S.a.s."),
		products:  sp("Caffè macinato 250 g|Pasta di Gragnano 1 kg|Borsa in pelle|Moka 3 tazze|Olio extravergine 750 ml|Scarpe da ginnastica 40"),
		jobs:      sp("Impiegato amministrativo|Operaio specializzato|Responsabile commerciale|Magazziniere|Ingegnere meccanico|Segretaria|Addetta vendite|Programmatore"),
		depts:     sp("Amministrazione|Produzione|Commerciale|Risorse Umane|Magazzino|Qualità|IT"),
		statuses:  sp("in lavorazione|spedito|consegnato|annullato|reso"),
		countries: sp("Italia|San Marino|Svizzera|Francia|Austria"),
		tickets:   sp("Richiamare al {phone} dopo le 17.|Inviare la fattura a {email}|Cliente non raggiungibile al {phone}|Nuovo indirizzo email: {email}"),
		neutral:   sp("Pacco arrivato danneggiato, richiesta sostituzione.|Taglia sbagliata, il cliente chiede il cambio.|Rimborso effettuato.|Consegna al portiere per favore.|Domanda sui tempi di consegna."),
		street: func(g *gen) string {
			st := g.pick(sp("Via Roma|Via Garibaldi|Via Mazzini|Corso Italia|Via Dante Alighieri|Piazza del Duomo|Via Verdi|Via Cavour|Viale dei Mille|Corso Vittorio Emanuele II|Via Manzoni|Via della Repubblica|Via XX Settembre|Via Toledo|Largo Argentina"))
			switch g.r.IntN(4) {
			case 0:
				return fmt.Sprintf("%s, %d/%c", st, 1+g.r.IntN(200), 'A'+rune(g.r.IntN(3)))
			case 1:
				return fmt.Sprintf("%s %d, int. %d", st, 1+g.r.IntN(200), 1+g.r.IntN(20))
			}
			return fmt.Sprintf("%s %d", st, 1+g.r.IntN(200))
		},
		full: func(g *gen, st string) string {
			i := g.r.IntN(6)
			return fmt.Sprintf("%s, %s %s (%s)", st, g.l.zip(g), sp("Roma|Milano|Napoli|Torino|Bologna|Firenze")[i], sp("RM|MI|NA|TO|BO|FI")[i])
		},
		zip:   zipDigits(10, 98168, 5),
		track: []string{"S10IT", "##########"},
		ean:   "8[0-3]",
	})

	addLoc(&loc{code: "nl-NL", cc: "NL", order: "western", dec: ",", thou: ".",
		gm:  names("Daan|Sem|Lucas|Levi|Finn|Bram|Jesse|Thijs|Ruben|Lars|Jan|Pieter|Kees|Henk|Willem|Joost|Sander|Maarten|Bas|Wouter|Gert-Jan|Sjoerd"),
		gf:  names("Emma|Julia|Sophie|Tess|Anna|Fleur|Lotte|Sanne|Anouk|Femke|Eva|Lisa|Ingrid|Marieke|Annelies|Joke|Wilma|Els|Noor|Sterre|Hanneke|Marloes"),
		fam: names("de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|van der Veen|van den Broek|de Bruijn|van der Heijden|Schouten|van Beek|Willems|van Vliet|Hoekstra|Maas|Verhoeven|Koster|van Dam|Prins|Blom|Huisman|Kuipers|Postma|Veenstra|Yilmaz|El Amrani"),
		phones: map[string][]string{
			"mob":  {"06-########", "06 ## ## ## ##", "06 ########", "06-## ## ## ##"},
			"land": {"020-[2-9]######", "010 [2-9]## ####", "030-[2-9]######", "070 [3-4]## ## ##"},
			"intl": {"+31 6 ########", "+31 (0)6 ########", "0031 6 ########", "+31 20 [2-9]######", "+316########"},
		},
		domains:   sp("gmail.com|ziggo.nl|kpnmail.nl|hotmail.com|outlook.com|live.nl|xs4all.nl|planet.nl"),
		cities:    sp("Amsterdam|Rotterdam|Den Haag|Utrecht|Eindhoven|Groningen|Tilburg|Almere|Breda|Nijmegen|Haarlem|Leeuwarden|Zwolle|Maastricht"),
		companies: sp("Bakkerij de Korenschoof B.V.|Van Dijk Transport B.V.|Hollandse Bouw Groep N.V.|Fietsenmaker Jansen V.O.F.|Tandartspraktijk De Molen|Stichting Buurtzorg Noord"),
		products:  sp("Stroopwafels 8 stuks|Fietsslot ART-2|Regenjas unisex L|Kaasschaaf RVS|Koffiebonen 1 kg|Tulpenbollen mix 25 st."),
		jobs:      sp("Medewerker klantenservice|Accountmanager|Verpleegkundige|Magazijnmedewerker|Teamleider|Financieel administrateur"),
		depts:     sp("Financiën|Klantenservice|Logistiek|Personeelszaken|ICT|Verkoop"),
		statuses:  sp("actief|opgezegd|geschorst|proeflid|ere-lid"),
		countries: sp("Nederland|België|Duitsland|Frankrijk|Luxemburg"),
		neutral:   sp("Graag bij de buren afgeven.|Bezorgen na 17:00 graag.|Cadeauverpakking alstublieft.|Bel niet aan, baby slaapt.|Pakket in de schuur leggen."),
		street: func(g *gen) string {
			st := g.pick(sp("Kerkstraat|Dorpsstraat|Molenweg|Stationsweg|Schoolstraat|Julianastraat|Beatrixlaan|Prinsengracht|Keizersgracht|Hoofdstraat|Marktplein|Wilhelminastraat|Oranjelaan|Vondelstraat|Lange Voorhout"))
			switch g.r.IntN(4) {
			case 0:
				return fmt.Sprintf("%s %d-%d", st, 1+g.r.IntN(300), 1+g.r.IntN(4))
			case 1:
				return fmt.Sprintf("%s %d %c", st, 1+g.r.IntN(300), 'A'+rune(g.r.IntN(3)))
			}
			return fmt.Sprintf("%s %d", st, 1+g.r.IntN(300))
		},
		full: func(g *gen, st string) string {
			return fmt.Sprintf("%s, %s %s", st, g.l.zip(g), g.pick(g.l.cities))
		},
		zip: func(g *gen) string {
			for {
				a, b := "ABCDEFGHJKLMNPRTVWXZ"[g.r.IntN(20)], "ABCDEFGHJKLMNPRTVWXZ"[g.r.IntN(20)]
				if a == 'S' {
					continue
				}
				return fmt.Sprintf("%d %c%c", 1000+g.r.IntN(9000), a, b)
			}
		},
		track: []string{"3S@@@@#######", "3S@@@@#########"},
		ean:   "87",
	})

	addLoc(&loc{code: "pl-PL", cc: "PL", order: "western", dec: ",", thou: " ",
		gm:  names("Piotr|Krzysztof|Andrzej|Tomasz|Paweł|Michał|Marcin|Jakub|Łukasz|Grzegorz|Mateusz|Adam|Wojciech|Kamil|Szymon|Bartosz|Dariusz|Zbigniew|Jerzy|Przemysław"),
		gf:  names("Anna|Maria|Katarzyna|Małgorzata|Agnieszka|Barbara|Ewa|Joanna|Magdalena|Aleksandra|Monika|Zofia|Natalia|Justyna|Beata|Dorota|Grażyna|Wiktoria|Julia|Zuzanna"),
		fam: names("Nowak|Kowalski|Wiśniewski|Wójcik|Kowalczyk|Kamiński|Lewandowski|Zieliński|Szymański|Woźniak|Dąbrowski|Kozłowski|Jankowski|Mazur|Kwiatkowski|Krawczyk|Piotrowski|Grabowski|Nowakowski|Pawłowski|Michalski|Król|Wieczorek|Jabłoński|Wróbel|Nowicki|Majewski|Olszewski|Stępień|Malinowski|Jaworski|Adamczyk|Dudek|Zając|Pawlak|Górski|Witkowski|Walczak|Sikora|Baran|Rutkowski|Szewczyk|Ostrowski|Tomaszewski|Pietrzak|Zalewski|Marciniak|Jasiński|Zawadzki|Bąk|Sadowski|Chmielewski|Włodarczyk|Czarnecki|Sawicki|Sokołowski|Kubiak|Szczepański|Wilk|Lis|Wysocki|Kaźmierczak|Głowacki|Kołodziej|Przybylski|Ziółkowski"),
		phones: map[string][]string{
			"mob":  {"5[0137]# ### ###", "6[069]# ### ###", "7[2389]#-###-###", "88# ### ###", "5[0137]#######"},
			"land": {"22 [2-8]## ## ##", "(12) [2-6]## ## ##", "61 8## ## ##", "(58) [3-7]## ## ##"},
			"intl": {"+48 5[0137]# ### ###", "+48 6[069]#-###-###", "0048 7[2389]# ### ###", "+48 22 [2-8]## ## ##", "+485[0137]#######"},
		},
		domains:   sp("wp.pl|o2.pl|onet.pl|gmail.com|interia.pl|op.pl|gazeta.pl|poczta.fm"),
		cities:    sp("Warszawa|Kraków|Łódź|Wrocław|Poznań|Gdańsk|Szczecin|Bydgoszcz|Lublin|Katowice|Białystok|Gdynia|Częstochowa|Rzeszów|Toruń"),
		companies: sp("Przedsiębiorstwo Handlowe Nowak Sp. z o.o.|Kowalski i Synowie S.A.|Piekarnia Pod Lipami|Zakład Usług Remontowych Wiśniewski|Transport Krawczyk Sp. j.|Biuro Rachunkowe Mazur"),
		products:  sp("Pierogi ruskie 1 kg|Kurtka zimowa damska M|Czajnik elektryczny 1,7 l|Buty trekkingowe 43|Zestaw garnków 8 el.|Bursztynowa bransoletka"),
		jobs:      sp("Specjalista ds. kadr|Kierownik zmiany|Programista Java|Księgowa|Magazynier|Przedstawiciel handlowy|Kierowca kat. C"),
		depts:     sp("Księgowość|Kadry i płace|Sprzedaż|IT|Magazyn|Produkcja|Zarząd"),
		statuses:  sp("nowe|opłacone|w realizacji|wysłane|dostarczone|anulowane"),
		countries: sp("Polska|Niemcy|Czechy|Litwa|Ukraina"),
		street: func(g *gen) string {
			st := g.pick(sp("ul. Marszałkowska|ul. Piotrkowska|ul. Długa|ul. Mickiewicza|ul. Słowackiego|ul. Kościuszki|al. Jerozolimskie|ul. Polna|ul. Leśna|ul. Ogrodowa|ul. Floriańska|ul. Grunwaldzka|ul. Wojska Polskiego|ul. 3 Maja|os. Piastów"))
			switch g.r.IntN(3) {
			case 0:
				return fmt.Sprintf("%s %d/%d", st, 1+g.r.IntN(150), 1+g.r.IntN(80))
			case 1:
				return fmt.Sprintf("%s %d m. %d", st, 1+g.r.IntN(150), 1+g.r.IntN(80))
			}
			return fmt.Sprintf("%s %d", st, 1+g.r.IntN(150))
		},
		full: func(g *gen, st string) string {
			return fmt.Sprintf("%s, %s %s", st, g.l.zip(g), g.pick(g.l.cities))
		},
		zip:   func(g *gen) string { return fmt.Sprintf("%02d-%03d", g.r.IntN(100), g.r.IntN(1000)) },
		track: []string{"6########################", "########################"},
		ean:   "590",
	})

	addLoc(&loc{code: "ja-JP", cc: "JP", order: "ja", dec: ".", thou: ",",
		gm:  names("太郎/Taro/タロウ|翔太/Shota/ショウタ|大輔/Daisuke/ダイスケ|健太/Kenta/ケンタ|拓也/Takuya/タクヤ|直樹/Naoki/ナオキ|浩/Hiroshi/ヒロシ|誠/Makoto/マコト|蓮/Ren/レン|悠真/Yuma/ユウマ|湊/Minato/ミナト|陽翔/Haruto/ハルト|健一/Kenichi/ケンイチ|和也/Kazuya/カズヤ"),
		gf:  names("花子/Hanako/ハナコ|陽子/Yoko/ヨウコ|恵美/Emi/エミ|美咲/Misaki/ミサキ|さくら/Sakura/サクラ|由美/Yumi/ユミ|裕子/Yuko/ユウコ|愛/Ai/アイ|結衣/Yui/ユイ|陽菜/Hina/ヒナ|葵/Aoi/アオイ|真由美/Mayumi/マユミ|美穂/Miho/ミホ|千尋/Chihiro/チヒロ"),
		fam: names("佐藤/Sato/サトウ|鈴木/Suzuki/スズキ|高橋/Takahashi/タカハシ|田中/Tanaka/タナカ|伊藤/Ito/イトウ|渡辺/Watanabe/ワタナベ|山本/Yamamoto/ヤマモト|中村/Nakamura/ナカムラ|小林/Kobayashi/コバヤシ|加藤/Kato/カトウ|吉田/Yoshida/ヨシダ|山田/Yamada/ヤマダ|佐々木/Sasaki/ササキ|山口/Yamaguchi/ヤマグチ|松本/Matsumoto/マツモト|井上/Inoue/イノウエ|木村/Kimura/キムラ|林/Hayashi/ハヤシ|斎藤/Saito/サイトウ|清水/Shimizu/シミズ|山崎/Yamazaki/ヤマザキ|森/Mori/モリ|池田/Ikeda/イケダ|橋本/Hashimoto/ハシモト|阿部/Abe/アベ|石川/Ishikawa/イシカワ|前田/Maeda/マエダ|藤田/Fujita/フジタ|小川/Ogawa/オガワ|岡田/Okada/オカダ|後藤/Goto/ゴトウ|長谷川/Hasegawa/ハセガワ|村上/Murakami/ムラカミ|近藤/Kondo/コンドウ|石井/Ishii/イシイ|坂本/Sakamoto/サカモト|遠藤/Endo/エンドウ|青木/Aoki/アオキ|藤井/Fujii/フジイ|西村/Nishimura/ニシムラ"),
		phones: map[string][]string{
			"mob":  {"090-####-####", "080-####-####", "070-####-####", "090########", "080 #### ####"},
			"land": {"03-[3-6]###-####", "06-6###-####", "052-[2-9]##-####", "011-[2-8]##-####", "092-[2-9]##-####"},
			"intl": {"+81 90-####-####", "+81-80-####-####", "+81 3-[3-6]###-####", "+8190########"},
		},
		domains:   sp("gmail.com|yahoo.co.jp|docomo.ne.jp|ezweb.ne.jp|softbank.ne.jp|icloud.com|outlook.jp|nifty.com"),
		cities:    sp("東京|大阪|横浜|名古屋|札幌|福岡|神戸|京都|川崎|さいたま|広島|仙台"),
		companies: sp("株式会社山田製作所|有限会社佐藤商店|東洋テクノロジー株式会社|株式会社みらい物流|日本システム開発株式会社|合同会社グリーンフィールド"),
		products:  sp("緑茶ティーバッグ 50袋入|ワイヤレスイヤホン|ステンレス水筒 500ml|綿100% Tシャツ Mサイズ|土鍋 8号|ノートパソコンスタンド"),
		jobs:      sp("営業|エンジニア|事務|課長|部長|主任|マネージャー|販売スタッフ"),
		depts:     sp("営業部|総務部|経理部|開発部|人事部|品質保証部|製造部"),
		statuses:  sp("注文受付|入金待ち|発送準備中|発送済み|配達完了|キャンセル"),
		countries: sp("日本|アメリカ|中国|韓国|台湾"),
		street: func(g *gen) string {
			base := g.pick(sp("東京都新宿区西新宿|東京都渋谷区神南|東京都港区六本木|東京都世田谷区三軒茶屋|大阪府大阪市北区梅田|大阪府大阪市中央区難波|神奈川県横浜市西区みなとみらい|愛知県名古屋市中村区名駅|福岡県福岡市博多区博多駅前|北海道札幌市中央区大通西|兵庫県神戸市中央区三宮町|埼玉県さいたま市大宮区桜木町|千葉県千葉市美浜区中瀬"))
			var s string
			if g.r.IntN(3) == 0 {
				s = fmt.Sprintf("%s%d丁目%d番%d号", base, 1+g.r.IntN(5), 1+g.r.IntN(30), 1+g.r.IntN(20))
			} else {
				s = fmt.Sprintf("%s%d-%d-%d", base, 1+g.r.IntN(5), 1+g.r.IntN(30), 1+g.r.IntN(20))
			}
			switch g.r.IntN(3) {
			case 0:
				s += fmt.Sprintf(" %s%d号室", g.pick(sp("サンハイツ|コーポ田中|グランドメゾン|パークハウス")), 101+g.r.IntN(900))
			}
			return s
		},
		full:  func(g *gen, st string) string { return "〒" + g.l.zip(g) + " " + st },
		zip:   func(g *gen) string { return fmt.Sprintf("%03d-%04d", 100+g.r.IntN(900), g.r.IntN(10000)) },
		track: []string{"####-####-####", "############"},
		ean:   "4[59]",
	})

	addLoc(&loc{code: "zh-CN", cc: "CN", order: "zh", dec: ".", thou: ",",
		gm:  names("伟/Wei|强/Qiang|磊/Lei|军/Jun|洋/Yang|勇/Yong|杰/Jie|涛/Tao|明/Ming|超/Chao|刚/Gang|平/Ping|浩然/Haoran|宇轩/Yuxuan|子豪/Zihao|建国/Jianguo|志强/Zhiqiang|俊杰/Junjie"),
		gf:  names("芳/Fang|娜/Na|秀英/Xiuying|敏/Min|静/Jing|丽/Li|艳/Yan|娟/Juan|秀兰/Xiulan|霞/Xia|桂英/Guiying|子涵/Zihan|梓萱/Zixuan|欣怡/Xinyi|雨婷/Yuting|晓燕/Xiaoyan|慧敏/Huimin|佳怡/Jiayi"),
		fam: names("王/Wang|李/Li|张/Zhang|刘/Liu|陈/Chen|杨/Yang|黄/Huang|赵/Zhao|吴/Wu|周/Zhou|徐/Xu|孙/Sun|马/Ma|朱/Zhu|胡/Hu|郭/Guo|何/He|高/Gao|林/Lin|罗/Luo|郑/Zheng|梁/Liang|谢/Xie|宋/Song|唐/Tang|许/Xu|韩/Han|冯/Feng|邓/Deng|曹/Cao|欧阳/Ouyang|司马/Sima|诸葛/Zhuge"),
		phones: map[string][]string{
			"mob":  {"1[3-9]# #### ####", "1[3-9]#########", "1[3-9]#-####-####"},
			"land": {"010-[5-8]#######", "021-[5-6]#######", "020-[3-8]#######", "0755-[2-8]#######"},
			"intl": {"+86 1[3-9]# #### ####", "+86-1[3-9]#-####-####", "+861[3-9]#########", "0086 1[3-9]#########"},
		},
		domains:   sp("qq.com|163.com|126.com|sina.com|gmail.com|foxmail.com|139.com|outlook.com"),
		cities:    sp("北京|上海|广州|深圳|杭州|成都|武汉|南京|西安|重庆|天津|苏州"),
		companies: sp("北京华信科技有限公司|上海东方贸易有限公司|深圳市腾达电子有限公司|杭州绿源食品有限公司|广州恒通物流有限公司|成都天府软件股份有限公司"),
		products:  sp("纯棉T恤 白色 XL|无线蓝牙耳机|不锈钢保温杯 500ml|西湖龙井茶 250g|儿童学习桌|手机壳 iPhone 15"),
		jobs:      sp("软件工程师|销售经理|会计|行政专员|产品经理|人力资源主管|客服专员"),
		depts:     sp("研发部|销售部|财务部|行政部|人力资源部|市场部|客服部"),
		statuses:  sp("待付款|待发货|已发货|已签收|已取消|退款中"),
		countries: sp("中国|美国|日本|韩国|新加坡"),
		tickets:   sp("请尽快发货，有问题打我电话{phone}|发票请发到邮箱{email}|送货前请联系{phone}|快递到了打{phone}，谢谢"),
		neutral:   sp("请放在门卫室|包装要结实一点|周末不在家，请工作日送|谢谢老板|尽快发货|不要放快递柜"),
		street: func(g *gen) string {
			base := g.pick(sp("北京市朝阳区|北京市海淀区|上海市浦东新区|上海市徐汇区|广东省广州市天河区|广东省深圳市南山区|浙江省杭州市西湖区|四川省成都市武侯区|湖北省武汉市洪山区|江苏省南京市鼓楼区|陕西省西安市雁塔区|重庆市渝中区"))
			road := g.pick(sp("建国路|中山路|人民路|解放路|长安街|淮海中路|科技园路|文三路|天府大道|珞喻路|世纪大道|深南大道"))
			s := fmt.Sprintf("%s%s%d号", base, road, 1+g.r.IntN(999))
			switch g.r.IntN(3) {
			case 0:
				s += fmt.Sprintf("%d栋%d单元%d室", 1+g.r.IntN(30), 1+g.r.IntN(6), 101+g.r.IntN(2800))
			case 1:
				s += fmt.Sprintf("%s%d室", g.pick(sp("阳光花园|万科城|华润大厦|金地广场")), 101+g.r.IntN(2800))
			}
			return s
		},
		full:  func(g *gen, st string) string { return st },
		zip:   func(g *gen) string { return fmt.Sprintf("%d%05d", 1+g.r.IntN(8), g.r.IntN(100000)) },
		track: []string{"SF#############", "YT#############", "7###########"},
		ean:   "69[0-9]",
	})

	addLoc(&loc{code: "hi-IN", cc: "IN", order: "western", dec: ".", thou: ",", indian: true,
		gm:  names("राहुल/Rahul|अमित/Amit|राजेश/Rajesh|सुरेश/Suresh|विक्रम/Vikram|अर्जुन/Arjun|रोहन/Rohan|आदित्य/Aditya|संजय/Sanjay|अनिल/Anil|दीपक/Deepak|मनोज/Manoj|संदीप/Sandeep|विवेक/Vivek|Karthik|Venkatesh|Srinivas|Harpreet|Gurpreet|Mohammed Irfan"),
		gf:  names("प्रिया/Priya|अंजलि/Anjali|पूजा/Pooja|नेहा/Neha|सुनीता/Sunita|कविता/Kavita|दिव्या/Divya|श्रेया/Shreya|अनन्या/Ananya|लक्ष्मी/Lakshmi|मीना/Meena|रेखा/Rekha|स्वाति/Swati|ज्योति/Jyoti|Aishwarya|Nandini|Sneha|Bhavna|Kiran|Fatima"),
		fam: names("शर्मा/Sharma|वर्मा/Verma|गुप्ता/Gupta|सिंह/Singh|कुमार/Kumar|पटेल/Patel|जोशी/Joshi|मिश्रा/Mishra|पांडे/Pandey|यादव/Yadav|तिवारी/Tiwari|श्रीवास्तव/Srivastava|अग्रवाल/Agarwal|जैन/Jain|चौहान/Chauhan|ठाकुर/Thakur|Shah|Mehta|Reddy|Rao|Nair|Iyer|Menon|Pillai|Desai|Kulkarni|Chatterjee|Banerjee|Mukherjee|Das|Bose|Ghosh|Malhotra|Kapoor|Khanna|Chopra|Bhatia|Saxena|Naidu|Krishnan|Subramanian|Gill|Sandhu|Dhillon|Qureshi|Ansari"),
		phones: map[string][]string{
			"mob":  {"[6-9]#########", "[6-9]#### #####", "0[6-9]#########", "[6-9]####-#####"},
			"land": {"011-[2-4]#######", "022 [2-6]### ####", "080-[2-4]#######", "044 [2-4]### ####"},
			"intl": {"+91 [6-9]#### #####", "+91-[6-9]#########", "+91[6-9]#########", "0091 [6-9]#########"},
		},
		domains:   sp("gmail.com|yahoo.co.in|rediffmail.com|hotmail.com|outlook.com|yahoo.in"),
		cities:    sp("Mumbai|Delhi|Bengaluru|Hyderabad|Chennai|Kolkata|Pune|Ahmedabad|Jaipur|Lucknow|Kochi|Chandigarh|Indore|Nagpur"),
		companies: sp("Tata Consultancy Services|Sharma Traders Pvt Ltd|Shree Ganesh Enterprises|Infosys BPM Ltd|Reliance Retail Ltd|Patel Agro Industries|Sunrise Pharma Pvt. Ltd."),
		products:  sp("Basmati Rice 5kg|Cotton Kurta XL|Pressure Cooker 5L|Masala Chai 250g|Smartphone Cover|LED Bulb 9W Pack of 4"),
		jobs:      sp("Software Engineer|Senior Associate|Team Lead|Business Analyst|HR Executive|Accountant|Sales Executive|Process Associate"),
		depts:     sp("IT|HR|Finance & Accounts|Operations|Sales|Admin|Quality"),
		statuses:  sp("Free Trial|Basic|Premium|Gold|Expired"),
		countries: sp("India|Nepal|UAE|USA|Singapore"),
		tickets:   sp("Call me on {phone} for demo|Pls send invoice to {email}|Whatsapp pe contact karo {phone}|Mera naya email {email} hai"),
		neutral:   sp("Very good service|App is slow on my phone|Payment failed twice but amount debited|Need GST invoice|Please extend trial|Bahut accha hai"),
		street: func(g *gen) string {
			area := g.pick(sp("MG Road|Linking Road|Nehru Nagar|Anna Salai|Park Street|Banjara Hills|Sector 15|Koramangala 5th Block|Andheri West|Salt Lake Sector V|Civil Lines|Lajpat Nagar II|Indiranagar|Gomti Nagar|Vashi Sector 17"))
			switch g.r.IntN(4) {
			case 0:
				return fmt.Sprintf("Flat %d, %s, %s", 101+g.r.IntN(1200), g.pick(sp("Sai Residency|Green Park Apartments|Shanti Niketan|Royal Heights|Lotus Towers")), area)
			case 1:
				return fmt.Sprintf("House No. %d, %s", 1+g.r.IntN(900), area)
			case 2:
				return fmt.Sprintf("%d/%d, %s", 1+g.r.IntN(200), 1+g.r.IntN(20), area)
			}
			return fmt.Sprintf("%c-%d, %s", 'A'+rune(g.r.IntN(8)), 1+g.r.IntN(400), area)
		},
		full: func(g *gen, st string) string {
			i := g.r.IntN(6)
			return fmt.Sprintf("%s, %s, %s %s", st, sp("Mumbai|New Delhi|Bengaluru|Hyderabad|Chennai|Pune")[i], sp("Maharashtra|Delhi|Karnataka|Telangana|Tamil Nadu|Maharashtra")[i], g.l.zip(g))
		},
		zip:   func(g *gen) string { return fmt.Sprintf("%d%05d", 1+g.r.IntN(8), g.r.IntN(100000)) },
		track: []string{"S10IN", "##############"},
		ean:   "890",
	})

	addLoc(&loc{code: "ar-AE", cc: "AE", order: "ar", dec: ".", thou: ",",
		gm:  names("محمد/Mohammed|أحمد/Ahmed|علي/Ali|عمر/Omar|خالد/Khalid|سعيد/Saeed|راشد/Rashid|حمدان/Hamdan|سلطان/Sultan|عبدالله/Abdullah|يوسف/Yousef|إبراهيم/Ibrahim|حسن/Hassan|منصور/Mansour|ماجد/Majid"),
		gf:  names("فاطمة/Fatima|مريم/Maryam|عائشة/Aisha|نورة/Noura|سارة/Sara|ليلى/Layla|هند/Hind|شيخة/Shaikha|آمنة/Amna|خلود/Kholoud|روضة/Rawda|منى/Mona|ريم/Reem|دانة/Dana"),
		fam: names("المنصوري/Al Mansouri|الهاشمي/Al Hashimi|الشامسي/Al Shamsi|الكعبي/Al Kaabi|المزروعي/Al Mazrouei|الظاهري/Al Dhaheri|النعيمي/Al Nuaimi|السويدي/Al Suwaidi|الفلاسي/Al Falasi|المهيري/Al Muhairi|البلوشي/Al Balushi|القاسمي/Al Qasimi|الزعابي/Al Zaabi|الحمادي/Al Hammadi|العامري/Al Ameri|الكتبي/Al Ketbi|خان/Khan|قريشي/Qureshi|Dela Cruz|Fernandes|Menon|Reyes"),
		phones: map[string][]string{
			"mob":  {"05[024568] ### ####", "05[024568]-###-####", "05[024568]#######"},
			"land": {"04 [2-4]## ####", "02 [5-6]## ####", "06 5## ####"},
			"intl": {"+971 5[024568] ### ####", "+971-5[024568]-#######", "009715[024568]#######", "+971 4 [2-4]## ####", "+9715[024568]#######"},
		},
		domains:   sp("gmail.com|hotmail.com|yahoo.com|outlook.com|emirates.net.ae|icloud.com"),
		cities:    sp("Dubai|Abu Dhabi|Sharjah|Ajman|Al Ain|Ras Al Khaimah|Fujairah"),
		companies: sp("Al Futtaim Trading LLC|Gulf Star Contracting LLC|Emirates Hospitality Group|Desert Rose General Trading|Marina Facilities Management FZE"),
		products:  sp("Deluxe King Room|Executive Suite|Standard Twin|Family Room with Sea View|Studio Apartment"),
		jobs:      sp("Front Office Manager|Civil Engineer|Sales Executive|Accountant|HR Officer|Driver|Procurement Specialist"),
		depts:     sp("Finance|Human Resources|Procurement|Operations|Front Office|Housekeeping|IT"),
		statuses:  sp("Confirmed|Checked-in|Checked-out|Cancelled|No-show"),
		countries: sp("United Arab Emirates|India|Pakistan|Philippines|Egypt|United Kingdom|Saudi Arabia"),
		tickets:   sp("Late check-in around 1am, call {phone}|Please send invoice to {email}|Airport pickup needed, driver can call {phone}|Send confirmation to {email}"),
		neutral:   sp("High floor please|Twin beds|Celebrating anniversary|Non-smoking room|Early check-in if possible|Baby cot required"),
		street: func(g *gen) string {
			switch g.r.IntN(3) {
			case 0:
				return fmt.Sprintf("Villa %d, Street %d, %s", 1+g.r.IntN(120), 1+g.r.IntN(40), g.pick(sp("Al Barsha 2|Jumeirah 1|Al Khawaneej|Mirdif|Khalifa City A|Al Mizhar 1|Umm Suqeim 3")))
			case 1:
				return fmt.Sprintf("Apt %d, %s, %s", 101+g.r.IntN(4000), g.pick(sp("Marina Heights Tower|Al Attar Tower|Princess Tower|Sulafa Tower|Shams 4|Al Reem Residence")), g.pick(sp("Dubai Marina|JLT Cluster D|Al Reem Island|Al Nahda 1|Al Majaz 3|Business Bay")))
			}
			return fmt.Sprintf("Flat %d, Building %d, %s", 1+g.r.IntN(60), 1+g.r.IntN(200), g.pick(sp("Al Karama|Deira|Bur Dubai|Al Qusais|Al Taawun")))
		},
		full:  func(g *gen, st string) string { return st + ", " + g.pick(sp("Dubai|Abu Dhabi|Sharjah")) + ", UAE" },
		zip:   func(g *gen) string { return fmt.Sprintf("%d", 10000+g.r.IntN(90000)) },
		track: []string{"##########"},
		ean:   "629",
	})

	addLoc(&loc{code: "ru-RU", cc: "RU", order: "ru", dec: ",", thou: " ",
		gm:  names("Александр/Aleksandr|Сергей/Sergey|Дмитрий/Dmitry|Андрей/Andrey|Алексей/Aleksey|Максим/Maksim|Евгений/Evgeny|Иван/Ivan|Михаил/Mikhail|Николай/Nikolay|Владимир/Vladimir|Павел/Pavel|Артём/Artyom|Игорь/Igor"),
		gf:  names("Елена/Elena|Ольга/Olga|Наталья/Natalya|Татьяна/Tatyana|Ирина/Irina|Анна/Anna|Мария/Mariya|Светлана/Svetlana|Екатерина/Ekaterina|Юлия/Yuliya|Анастасия/Anastasiya|Дарья/Darya|Ксения/Kseniya|Людмила/Lyudmila"),
		fam: names("Иванов/Ivanov|Смирнов/Smirnov|Кузнецов/Kuznetsov|Попов/Popov|Васильев/Vasilyev|Петров/Petrov|Соколов/Sokolov|Михайлов/Mikhaylov|Новиков/Novikov|Фёдоров/Fedorov|Морозов/Morozov|Волков/Volkov|Алексеев/Alekseev|Лебедев/Lebedev|Семёнов/Semenov|Егоров/Egorov|Павлов/Pavlov|Козлов/Kozlov|Степанов/Stepanov|Николаев/Nikolaev|Орлов/Orlov|Андреев/Andreev|Макаров/Makarov|Никитин/Nikitin|Захаров/Zakharov|Зайцев/Zaytsev|Соловьёв/Solovyov|Борисов/Borisov|Яковлев/Yakovlev|Григорьев/Grigoryev|Белоусов/Belousov|Тимофеев/Timofeev"),
		phones: map[string][]string{
			"mob":  {"8 (9##) ###-##-##", "8-9##-###-##-##", "89#########", "8 9## ### ## ##"},
			"land": {"8 (495) [1-9]##-##-##", "8 (812) [1-9]##-##-##", "(495) [1-9]##-##-##", "8 (383) 2##-##-##"},
			"intl": {"+7 9## ###-##-##", "+7 (9##) ###-##-##", "+79#########", "+7 495 [1-9]##-##-##"},
		},
		domains:   sp("yandex.ru|mail.ru|gmail.com|rambler.ru|bk.ru|list.ru|inbox.ru|ya.ru"),
		cities:    sp("Москва|Санкт-Петербург|Новосибирск|Екатеринбург|Казань|Нижний Новгород|Самара|Краснодар|Воронеж|Пермь|Ростов-на-Дону|Уфа"),
		companies: sp("ООО «Ромашка»|АО «СеверСтрой»|ИП Иванов А.В.|ООО «ТехноСервис»|ПАО «Волга-Энерго»|ООО «Торговый дом Восток»"),
		products:  sp("Чайник электрический 1,7 л|Пуховик женский 46|Набор кастрюль 6 предметов|Кофе в зёрнах 1 кг|Смартфон чехол|Постельное бельё евро"),
		jobs:      sp("Менеджер по продажам|Бухгалтер|Инженер-программист|Кладовщик|Главный специалист|Водитель|Юрисконсульт"),
		depts:     sp("Бухгалтерия|Отдел продаж|ИТ-отдел|Склад|Отдел кадров|Юридический отдел|Производство"),
		statuses:  sp("новый|оплачен|в сборке|передан в доставку|доставлен|отменён"),
		countries: sp("Россия|Беларусь|Казахстан|Армения|Узбекистан"),
		tickets:   sp("Перезвоните мне по номеру {phone}|Счёт отправьте на {email}|Курьеру позвонить за час: {phone}|Чек прислать на почту {email}"),
		neutral:   sp("Оставить у двери|Домофон не работает|Доставка после 18:00|Упаковать как подарок|Спасибо!|Позвонить за 30 минут"),
		street: func(g *gen) string {
			st := g.pick(sp("ул. Ленина|ул. Советская|ул. Гагарина|ул. Мира|ул. Пушкина|ул. Садовая|ул. Тверская|Ленинский пр-т|Невский пр-т|ул. Лесная|ул. Молодёжная|ул. Школьная|ш. Энтузиастов|ул. Профсоюзная|ул. Арбат"))
			switch g.r.IntN(3) {
			case 0:
				return fmt.Sprintf("%s, %d-%d", st, 1+g.r.IntN(150), 1+g.r.IntN(300))
			case 1:
				return fmt.Sprintf("%s, д. %d, корп. %d, кв. %d", st, 1+g.r.IntN(150), 1+g.r.IntN(5), 1+g.r.IntN(300))
			}
			return fmt.Sprintf("%s, д. %d, кв. %d", st, 1+g.r.IntN(150), 1+g.r.IntN(300))
		},
		full: func(g *gen, st string) string {
			return fmt.Sprintf("%s, г. %s, %s", g.l.zip(g), g.pick(g.l.cities), st)
		},
		zip:   func(g *gen) string { return fmt.Sprintf("%d%05d", 1+g.r.IntN(6), g.r.IntN(100000)) },
		track: []string{"S10RU", "##############"},
		ean:   "46[0-9]",
	})

	addLoc(&loc{code: "sv-SE", cc: "SE", order: "western", dec: ",", thou: " ",
		gm:  names("Erik|Lars|Karl|Anders|Johan|Per|Nils|Mikael|Jan|Hans|Oskar|William|Lucas|Hugo|Elias|Axel|Björn|Gustav|Magnus|Henrik|Sven-Erik|Ludvig"),
		gf:  names("Maria|Elisabeth|Anna|Kristina|Margareta|Eva|Karin|Birgitta|Ingrid|Linnéa|Astrid|Maja|Elsa|Alice|Wilma|Ebba|Sofia|Frida|Sigrid|Agnes|Ann-Christin|Märta"),
		fam: names("Andersson|Johansson|Karlsson|Nilsson|Eriksson|Larsson|Olsson|Persson|Svensson|Gustafsson|Pettersson|Jonsson|Jansson|Hansson|Bengtsson|Jönsson|Lindberg|Jakobsson|Magnusson|Olofsson|Lindström|Lindqvist|Lindgren|Berg|Axelsson|Bergström|Lundberg|Lind|Lundgren|Lundqvist|Mattsson|Berglund|Fredriksson|Sandberg|Henriksson|Forsberg|Sjöberg|Wallin|Engström|Eklund|Danielsson|Håkansson|Björk|Holm|Wikström|Isaksson|Nyström|Holmberg|Löfgren|Söderberg|Blomqvist|Mårtensson|Åberg|Öberg|Ali|Mohammed"),
		phones: map[string][]string{
			"mob":  {"07[02369]-### ## ##", "07[02369] ### ## ##", "07[02369]#######", "07[02369]-#######"},
			"land": {"08-[1-7]## ### ##", "031-[1-8]## ## ##", "040-[1-6]# ## ##", "018-[1-6]# ## ##"},
			"intl": {"+46 7[02369] ### ## ##", "+46 (0)7[02369]-### ## ##", "0046 7[02369]#######", "+46 8 [1-7]## ### ##", "+467[02369]#######"},
		},
		domains:   sp("gmail.com|hotmail.com|telia.com|outlook.com|live.se|yahoo.se|icloud.com|bredband.net"),
		cities:    sp("Stockholm|Göteborg|Malmö|Uppsala|Västerås|Örebro|Linköping|Helsingborg|Jönköping|Norrköping|Lund|Umeå|Gävle"),
		companies: sp("Nordic Byggtjänst AB|Svenssons Åkeri AB|Kaffekompaniet i Malmö HB|Fjällvind Konsult AB|Stockholms Städservice AB|Västkustens Fisk AB"),
		products:  sp("Kaffe mellanrost 450 g|Regnjacka barn 122|Ullstrumpor 3-pack|Stekpanna gjutjärn|Knäckebröd råg|Termos 1 l"),
		jobs:      sp("Projektledare|Systemutvecklare|Undersköterska|Lagerarbetare|Ekonomiassistent|Säljare|Enhetschef"),
		depts:     sp("Ekonomi|HR|IT|Försäljning|Lager|Kundtjänst|Ledning"),
		statuses:  sp("Bekräftad|Väntelista|Avbokad|Närvarande|Ej betald"),
		countries: sp("Sverige|Norge|Danmark|Finland|Island"),
		neutral:   sp("Vegetarisk|Glutenfri|Laktosfri|Vegan|Ingen|Nötallergi"),
		street: func(g *gen) string {
			st := g.pick(sp("Storgatan|Kungsgatan|Drottninggatan|Västra Hamngatan|Götgatan|Sveavägen|Skolgatan|Kyrkogatan|Järnvägsgatan|Nygatan|Björkvägen|Ringvägen|Parkvägen|Södra Förstadsgatan|Hornsgatan"))
			switch g.r.IntN(3) {
			case 0:
				return fmt.Sprintf("%s %d%c, lgh %d", st, 1+g.r.IntN(120), 'A'+rune(g.r.IntN(3)), 1001+g.r.IntN(400))
			case 1:
				return fmt.Sprintf("%s %d, %d tr", st, 1+g.r.IntN(120), 1+g.r.IntN(6))
			}
			return fmt.Sprintf("%s %d", st, 1+g.r.IntN(120))
		},
		full:  func(g *gen, st string) string { return fmt.Sprintf("%s, %s %s", st, g.l.zip(g), g.pick(g.l.cities)) },
		zip:   func(g *gen) string { return fmt.Sprintf("%d%02d %02d", 1+g.r.IntN(9), g.r.IntN(100), g.r.IntN(100)) },
		track: []string{"S10SE", "00373#############"},
		ean:   "73",
	})

	addLoc(&loc{code: "tr-TR", cc: "TR", order: "western", dec: ",", thou: ".",
		gm:  names("Mehmet|Mustafa|Ahmet|Ali|Hüseyin|Hasan|İbrahim|İsmail|Osman|Yusuf|Murat|Ömer|Ramazan|Halil|Süleyman|Emre|Burak|Can|Kerem|Eymen"),
		gf:  names("Fatma|Ayşe|Emine|Hatice|Zeynep|Elif|Meryem|Şerife|Zehra|Sultan|Hanife|Merve|Özlem|Esra|Büşra|Gülşen|Derya|Ebru|Defne|Ecrin"),
		fam: names("Yılmaz|Kaya|Demir|Şahin|Çelik|Yıldız|Yıldırım|Öztürk|Aydın|Özdemir|Arslan|Doğan|Kılıç|Aslan|Çetin|Kara|Koç|Kurt|Özkan|Şimşek|Polat|Özcan|Korkmaz|Çakır|Erdoğan|Yavuz|Can|Acar|Şen|Aktaş|Güler|Yalçın|Güneş|Bozkurt|Bulut|Keskin|Ünal|Turan|Gül|Özer|Işık|Kaplan|Avcı|Sarı|Tekin|Taş|Köse|Yüksel|Ateş|Aksoy"),
		phones: map[string][]string{
			"mob":  {"05[0345]# ### ## ##", "0 (5[0345]#) ### ## ##", "05[0345]########", "5[0345]# ### ## ##"},
			"land": {"(0212) [2-9]## ## ##", "0312 [2-4]## ## ##", "(0232) [2-4]## ## ##", "0216 [3-5]## ## ##"},
			"intl": {"+90 5[0345]# ### ## ##", "+90 (5[0345]#) ### ####", "+905[0345]########", "0090 5[0345]# ### ####", "+90 212 [2-9]## ## ##"},
		},
		domains:   sp("gmail.com|hotmail.com|yahoo.com|outlook.com|hotmail.com.tr|yandex.com.tr|icloud.com"),
		cities:    sp("İstanbul|Ankara|İzmir|Bursa|Antalya|Konya|Adana|Gaziantep|Kayseri|Eskişehir|Trabzon|Samsun"),
		companies: sp("Yılmaz Tekstil San. ve Tic. A.Ş.|Demir İnşaat Ltd. Şti.|Anadolu Gıda Pazarlama A.Ş.|Karadeniz Lojistik Ltd. Şti.|Ege Mobilya San. Tic. Ltd. Şti."),
		products:  sp("Türk Kahvesi 250 gr|Pamuklu Havlu Seti|Çaydanlık Çelik|Erkek Spor Ayakkabı 42|Lokum Çeşitleri 500 g|Bakır Cezve"),
		jobs:      sp("Muhasebe Uzmanı|Satış Temsilcisi|Yazılım Geliştirici|Depo Sorumlusu|İnsan Kaynakları Uzmanı|Şoför|Mühendis"),
		depts:     sp("Muhasebe|İnsan Kaynakları|Satış|Bilgi İşlem|Depo|Üretim|Satın Alma"),
		statuses:  sp("Hazırlanıyor|Kargoya verildi|Teslim edildi|İptal edildi|İade"),
		countries: sp("Türkiye|Almanya|Azerbaycan|Kıbrıs|Hollanda"),
		street: func(g *gen) string {
			mah := g.pick(sp("Moda Mah.|Kızılay Mah.|Bahçelievler Mah.|Çankaya Mah.|Yenişehir Mah.|Fatih Mah.|Cumhuriyet Mah.|Atatürk Mah.|Caferağa Mah."))
			st := g.pick(sp("Atatürk Cad.|İstiklal Cad.|Bağdat Cad.|Cumhuriyet Cad.|Gazi Mustafa Kemal Blv.|İnönü Sok.|Menekşe Sok.|Lale Sok.|Barbaros Blv.|Fevzi Çakmak Cad.|Gül Sok."))
			switch g.r.IntN(3) {
			case 0:
				return fmt.Sprintf("%s %s No:%d D:%d", mah, st, 1+g.r.IntN(200), 1+g.r.IntN(30))
			case 1:
				return fmt.Sprintf("%s No: %d/%d", st, 1+g.r.IntN(400), 1+g.r.IntN(30))
			}
			return fmt.Sprintf("%s %s No:%d Daire:%d", mah, st, 1+g.r.IntN(200), 1+g.r.IntN(30))
		},
		full: func(g *gen, st string) string {
			return fmt.Sprintf("%s %s %s", st, g.l.zip(g), g.pick(sp("Kadıköy/İstanbul|Beşiktaş/İstanbul|Üsküdar/İstanbul|Çankaya/Ankara|Keçiören/Ankara|Konak/İzmir|Karşıyaka/İzmir|Nilüfer/Bursa|Muratpaşa/Antalya")))
		},
		zip:   func(g *gen) string { return fmt.Sprintf("%02d%03d", 1+g.r.IntN(81), g.r.IntN(1000)) },
		track: []string{"############", "#############"},
		ean:   "869",
	})

	addLoc(&loc{code: "ko-KR", cc: "KR", order: "ko", dec: ".", thou: ",",
		gm:  names("민준/Minjun|서준/Seojun|도윤/Doyun|예준/Yejun|시우/Siwoo|하준/Hajun|지호/Jiho|준서/Junseo|현우/Hyunwoo|성민/Sungmin|영수/Youngsoo|정호/Jungho|동현/Donghyun|재현/Jaehyun"),
		gf:  names("서연/Seoyeon|서윤/Seoyun|지우/Jiwoo|서현/Seohyun|민서/Minseo|하은/Haeun|하윤/Hayun|윤서/Yunseo|지민/Jimin|수빈/Subin|영희/Younghee|미경/Mikyung|은정/Eunjung|혜진/Hyejin"),
		fam: names("김/Kim|이/Lee|박/Park|최/Choi|정/Jung|강/Kang|조/Cho|윤/Yoon|장/Jang|임/Lim|한/Han|오/Oh|서/Seo|신/Shin|권/Kwon|황/Hwang|안/Ahn|송/Song|류/Ryu|전/Jeon|홍/Hong|고/Ko|문/Moon|양/Yang|손/Son|배/Bae|백/Baek|허/Heo|남궁/Namgung|제갈/Jegal"),
		phones: map[string][]string{
			"mob":  {"010-####-####", "010 #### ####", "010########", "010.####.####"},
			"land": {"02-[2-9]###-####", "031-[2-9]##-####", "051-[2-9]##-####", "02-[2-9]##-####"},
			"intl": {"+82 10-####-####", "+82-10-####-####", "+8210########", "+82 2-[2-9]###-####"},
		},
		domains:   sp("naver.com|daum.net|gmail.com|hanmail.net|kakao.com|nate.com"),
		cities:    sp("서울|부산|인천|대구|대전|광주|울산|수원|성남|고양"),
		companies: sp("(주)한빛소프트|삼우건설(주)|대한물산 주식회사|(주)미래로지스틱스|푸른식품(주)|세종회계법인"),
		products:  sp("무선 이어폰|유기농 현미 10kg|남성 운동화 270|스테인리스 텀블러 500ml|겨울 패딩 점퍼 L|김치냉장고 전용 용기"),
		jobs:      sp("사원|대리|과장|차장|부장|팀장|주임|인턴"),
		depts:     sp("경영지원팀|영업팀|개발팀|인사팀|재무팀|마케팅팀|품질관리팀"),
		statuses:  sp("결제완료|배송준비중|배송중|배송완료|취소|반품요청"),
		countries: sp("대한민국|미국|일본|중국|베트남"),
		street: func(g *gen) string {
			base := g.pick(sp("서울특별시 강남구 테헤란로|서울특별시 종로구 세종대로|서울특별시 마포구 월드컵북로|서울특별시 송파구 올림픽로|부산광역시 해운대구 해운대로|경기도 성남시 분당구 판교역로|인천광역시 연수구 송도과학로|대구광역시 수성구 동대구로|대전광역시 유성구 대학로|광주광역시 서구 상무대로|경기도 수원시 영통구 광교로"))
			s := fmt.Sprintf("%s %d", base, 1+g.r.IntN(600))
			switch g.r.IntN(3) {
			case 0:
				s += fmt.Sprintf(", %d동 %d호", 101+g.r.IntN(15), 101+g.r.IntN(2400))
			case 1:
				s += fmt.Sprintf(" %d층", 1+g.r.IntN(30))
			}
			return s
		},
		full:  func(g *gen, st string) string { return "(" + g.l.zip(g) + ") " + st },
		zip:   func(g *gen) string { return fmt.Sprintf("%05d", 1000+g.r.IntN(62999)) },
		track: []string{"############", "####-####-####"},
		ean:   "880",
	})
}

// ---------------------------------------------------------------- generation

type person struct {
	female          bool
	given, family   nm
	family2         nm
	patron          string
	dob, ci         time.Time
	email, fullName string
}

type gen struct {
	r          *rand.Rand
	l          *loc
	t          *testing.T
	clock      time.Time
	seqs       map[string]int
	nativeOnly bool
	tmplTries  map[string]int
	tmplValid  map[string]int
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) pickNm(xs []nm) nm       { return xs[g.r.IntN(len(xs))] }

var refDay = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func (g *gen) between(a, b time.Time) time.Time {
	return a.Add(time.Duration(g.r.Int64N(int64(b.Sub(a)/time.Hour))) * time.Hour).Truncate(24 * time.Hour)
}

func plFem(s string) string {
	for _, suf := range []string{"ski", "cki", "dzki"} {
		if strings.HasSuffix(s, suf) {
			return strings.TrimSuffix(s, "i") + "a"
		}
	}
	return s
}

func (g *gen) newPerson() *person {
	l := g.l
	p := &person{female: g.r.IntN(2) == 0}
	for {
		if p.female {
			p.given = g.pickNm(l.gf)
		} else {
			p.given = g.pickNm(l.gm)
		}
		p.family, p.family2 = g.pickNm(l.fam), g.pickNm(l.fam)
		if !g.nativeOnly || (p.given.n != p.given.l && p.family.n != p.family.l) {
			break
		}
	}
	switch l.code {
	case "pl-PL":
		if p.female {
			p.family = nm{n: plFem(p.family.n), l: plFem(p.family.l)}
			p.family2 = nm{n: plFem(p.family2.n), l: plFem(p.family2.l)}
		}
	case "ru-RU":
		pp := strings.Split(g.pick(ruPatron), "/")
		p.patron = pp[0]
		if p.female {
			p.patron = pp[1]
			p.family = nm{n: p.family.n + "а", l: p.family.l + "a"}
		}
	}
	p.dob = g.between(time.Date(1936, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2007, 12, 31, 0, 0, 0, 0, time.UTC))
	return p
}

// full is the name as the locale writes it, in its own script.
func (g *gen) full(p *person) string {
	switch g.l.order {
	case "es":
		return p.given.n + " " + p.family.n + " " + p.family2.n
	case "br":
		if p.family2.n == p.family.n || strings.Contains(p.family.n, " ") || strings.Contains(p.family2.n, " ") {
			return p.given.n + " " + p.family.n
		}
		return p.given.n + " " + p.family2.n + " " + p.family.n
	case "ja":
		return p.family.n + g.pick([]string{" ", "　", ""}) + p.given.n
	case "zh", "ko":
		return p.family.n + p.given.n
	case "ru":
		if g.r.IntN(4) == 0 {
			return p.given.n + " " + p.family.n
		}
		return p.family.n + " " + p.given.n + " " + p.patron
	case "ar":
		if p.family.n == p.family.l {
			return g.latin(p)
		}
		return p.given.n + " " + p.family.n
	}
	return p.given.n + " " + p.family.n
}

// latin is the name in Latin letters (romanised where needed).
func (g *gen) latin(p *person) string {
	switch g.l.order {
	case "es", "br":
		return g.full(p)
	case "ja":
		if g.r.IntN(3) == 0 {
			return strings.ToUpper(p.family.l) + " " + p.given.l
		}
		return p.given.l + " " + p.family.l
	case "zh", "ko":
		if g.r.IntN(2) == 0 {
			return p.family.l + " " + p.given.l
		}
		return p.given.l + " " + p.family.l
	}
	return p.given.l + " " + p.family.l
}

var foldMap = func() map[rune]string {
	m := map[rune]string{}
	for _, pair := range strings.Fields("àa áa âa ãa äa åa āa ąa ćc čc çc ďd ée èe êe ëe ęe ěe ğg íi ìi îi ïi ıi łl ńn ñn ňn óo òo ôo õo öo øo őo řr śs šs şs ßss ťt úu ùu ûu üu űu ůu ýy ÿy źz żz žz æae œoe") {
		r := []rune(pair)
		m[r[0]] = string(r[1:])
	}
	return m
}()

func (g *gen) fold(s string) string {
	s = strings.ToLower(s)
	if g.l.code == "de-DE" {
		s = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue").Replace(s)
	}
	var b strings.Builder
	for _, c := range s {
		if rep, ok := foldMap[c]; ok {
			b.WriteString(rep)
		} else if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (g *gen) email(p *person) string {
	if p.email != "" {
		return p.email
	}
	gi, fa := g.fold(p.given.l), g.fold(p.family.l)
	if gi == "" {
		gi = "user"
	}
	if fa == "" {
		fa = "mail"
	}
	dom := g.pick(g.l.domains)
	var lp string
	switch g.r.IntN(7) {
	case 0:
		lp = gi + "." + fa
	case 1:
		lp = gi[:1] + fa
	case 2:
		lp = gi + fa + strconv.Itoa(g.r.IntN(99))
	case 3:
		lp = fa + "_" + gi
	case 4:
		lp = gi + "." + fa + fmt.Sprintf("%02d", p.dob.Year()%100)
	case 5:
		lp = gi + strconv.Itoa(1000+g.r.IntN(9000))
	default:
		lp = gi + "-" + fa
	}
	if dom == "qq.com" && g.r.IntN(2) == 0 {
		lp = strconv.Itoa(10000000 + g.r.IntN(2000000000))
	}
	e := lp + "@" + dom
	if g.r.IntN(20) == 0 {
		e = strings.ToUpper(e[:1]) + e[1:]
	}
	p.email = e
	return e
}

// fill expands a template: # digit, N digit 2-9, @ letter, ^ hex, [..] set.
func fill(r *rand.Rand, t string) string {
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		switch c := t[i]; c {
		case '#':
			b.WriteByte(byte('0' + r.IntN(10)))
		case 'N':
			b.WriteByte(byte('2' + r.IntN(8)))
		case '@':
			b.WriteByte(byte('A' + r.IntN(26)))
		case '^':
			b.WriteByte("0123456789abcdef"[r.IntN(16)])
		case '[':
			j := strings.IndexByte(t[i:], ']') + i
			var set []byte
			spec := t[i+1 : j]
			for k := 0; k < len(spec); k++ {
				if k+2 < len(spec) && spec[k+1] == '-' {
					for x := spec[k]; x <= spec[k+2]; x++ {
						set = append(set, x)
					}
					k += 2
				} else {
					set = append(set, spec[k])
				}
			}
			b.WriteByte(set[r.IntN(len(set))])
			i = j
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fictional rejects ranges reserved for drama/examples that libphonenumber
// may still call valid.
func fictional(cc, s string) bool {
	d := onlyDigits(s)
	switch cc {
	case "US":
		return strings.Contains(d, "555")
	case "GB":
		return strings.Contains(d, "77009") || strings.Contains(d, "7946") || strings.Contains(d, "4960")
	}
	return false
}

func (g *gen) phone(kinds ...string) string {
	var ts []string
	for _, k := range kinds {
		ts = append(ts, g.l.phones[k]...)
	}
	for try := 0; try < 400; try++ {
		tm := g.pick(ts)
		s := fill(g.r, tm)
		g.tmplTries[g.l.cc+" "+tm]++
		num, err := phonenumbers.Parse(s, g.l.cc)
		if err == nil && phonenumbers.IsValidNumber(num) && !fictional(g.l.cc, s) {
			g.tmplValid[g.l.cc+" "+tm]++
			return s
		}
	}
	g.t.Fatalf("generator error: no valid %s phone from %v", g.l.cc, ts)
	return ""
}

func (g *gen) card(brands ...string) string {
	b := brands[g.r.IntN(len(brands))]
	pre, n := map[string]string{"visa": "4", "mc": "5[1-5]", "amex": "3[47]", "discover": "6011", "jcb": "35[3-8]#",
		"unionpay": "62[0-8]", "mir": "220[0-4]", "rupay": "60[78]#", "troy": "9792", "elo": "636368"}[b], 16
	if b == "amex" {
		n = 15
	}
	s := fill(g.r, pre)
	for len(s) < n-1 {
		s += strconv.Itoa(g.r.IntN(10))
	}
	s += strconv.Itoa(luhnDigit(s))
	if !luhnValid(s) {
		g.t.Fatalf("generator error: card %s not Luhn-valid", s)
	}
	return s
}

func group(s string, sizes []int, sep string) string {
	var parts []string
	for _, n := range sizes {
		if n >= len(s) {
			break
		}
		parts = append(parts, s[:n])
		s = s[n:]
	}
	return strings.Join(append(parts, s), sep)
}

func fmtCard(s string, style int) string {
	sizes := []int{4, 4, 4, 4}
	if len(s) == 15 {
		sizes = []int{4, 6, 5}
	}
	switch style {
	case 0:
		return group(s, sizes, " ")
	case 1:
		return group(s, sizes, "-")
	}
	return s
}

func (g *gen) ibanFor(cc string) string {
	r := g.r
	var bban string
	switch cc {
	case "DE":
		bban = g.pick(sp("10010010|37040044|50010517|70150000|20050550|12030000|43060967|10070000|60050101|76010085")) + fill(r, "##########")
	case "GB":
		bban = g.pick(sp("NWBK60|BARC20|LOYD30|HBUK40|MIDL40")) + fill(r, "####") + fill(r, "########")
	case "FR":
		bank, branch, acct := g.pick(sp("30004|30003|20041|10278|30002|18206")), fill(r, "#####"), fill(r, "###########")
		b, _ := strconv.Atoi(bank)
		br, _ := strconv.Atoi(branch)
		a, _ := strconv.Atoi(acct)
		key := 97 - (89*b+15*br+3*a)%97
		bban = fmt.Sprintf("%s%s%s%02d", bank, branch, acct, key)
	case "ES":
		w := []int{1, 2, 4, 8, 5, 10, 9, 7, 3, 6}
		dc := func(s string) int {
			sum := 0
			for i := range 10 {
				sum += int(s[i]-'0') * w[i]
			}
			d := 11 - sum%11
			if d == 11 {
				d = 0
			} else if d == 10 {
				d = 1
			}
			return d
		}
		ent := g.pick(sp("2100|0049|0182|0081|2038|0128|2085")) + fill(r, "####")
		acct := fill(r, "##########")
		bban = fmt.Sprintf("%s%d%d%s", ent, dc("00"+ent), dc(acct), acct)
	case "IT":
		rest := g.pick(sp("03069|02008|05034|01030|03111|05696")) + fill(r, "#####") + fill(r, "############")
		bban = string(cinChar(rest)) + rest
	case "NL":
		var acct string
		for {
			acct = fill(r, "##########")
			sum := 0
			for i := range 10 {
				sum += int(acct[i]-'0') * (10 - i)
			}
			if sum%11 == 0 && acct[0] != '0' {
				break
			}
		}
		bban = g.pick(sp("ABNA|INGB|RABO|SNSB|TRIO|KNAB|ASNB")) + acct
	case "PL":
		sc := g.pick(sp("102|105|109|114|116|124|132")) + fill(r, "####")
		w := []int{3, 9, 7, 1, 3, 9, 7}
		sum := 0
		for i := range 7 {
			sum += int(sc[i]-'0') * w[i]
		}
		bban = sc + strconv.Itoa((10-sum%10)%10) + fill(r, "################")
	case "SE":
		bban = g.pick(sp("500|800|600|300|957")) + fill(r, "#################")
	case "TR":
		bban = g.pick(sp("00010|00012|00062|00064|00046|00067")) + "0" + fill(r, "################")
	case "AE":
		bban = g.pick(sp("033|026|030|035|024")) + fill(r, "################")
	case "BR":
		bban = g.pick(sp("00000000|00360305|60701190|60746948|90400888")) + fill(r, "#####") + fill(r, "##########") + "C1"
	default:
		g.t.Fatalf("generator error: no IBAN layout for %s", cc)
	}
	s := makeIBAN(cc, bban)
	if !ibanValid(s) {
		g.t.Fatalf("generator error: IBAN %s invalid", s)
	}
	return s
}

func fmtIBAN(s string, spaced bool) string {
	if !spaced {
		return s
	}
	return group(s, []int{4, 4, 4, 4, 4, 4, 4}, " ")
}

// ---------------------------------------------------------------- national ids

func (g *gen) natID(kind string, p *person) string {
	r := g.r
	y, m, d := p.dob.Date()
	switch kind {
	case "ssn":
		area := 1 + r.IntN(899)
		if area == 666 {
			area = 667
		}
		return fmt.Sprintf("%03d-%02d-%04d", area, 1+r.IntN(99), 1+r.IntN(9999))
	case "nino":
		for {
			pre := string("ABCEGHJKLMNOPRSTWXYZ"[r.IntN(20)]) + string("ABCEGHJKLMNPRSTWXYZ"[r.IntN(19)])
			switch pre {
			case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
				continue
			}
			n := fill(r, "######")
			suf := "ABCD"[r.IntN(4)]
			if r.IntN(2) == 0 {
				return fmt.Sprintf("%s %s %s %s %c", pre, n[:2], n[2:4], n[4:], suf)
			}
			return fmt.Sprintf("%s%s%c", pre, n, suf)
		}
	case "steuerid":
		for {
			dd := r.Perm(10)
			i, j := r.IntN(10), r.IntN(10)
			if i == j {
				continue
			}
			dd[j] = dd[i]
			if dd[0] == 0 {
				continue
			}
			s := itoa(dd) + strconv.Itoa(steuerIDCheck(dd))
			if r.IntN(3) == 0 {
				return s[:2] + " " + s[2:5] + " " + s[5:8] + " " + s[8:]
			}
			return s
		}
	case "nir":
		sex := 1
		if p.female {
			sex = 2
		}
		dept := 1 + r.IntN(95)
		if dept == 20 {
			dept = 75
		}
		n13 := fmt.Sprintf("%d%02d%02d%02d%03d%03d", sex, y%100, int(m), dept, 1+r.IntN(989), 1+r.IntN(999))
		v, _ := strconv.ParseInt(n13, 10, 64)
		key := 97 - v%97
		if r.IntN(2) == 0 {
			return fmt.Sprintf("%s %s %s %s %s %s %02d", n13[:1], n13[1:3], n13[3:5], n13[5:7], n13[7:10], n13[10:], key)
		}
		return fmt.Sprintf("%s%02d", n13, key)
	case "dni":
		if r.IntN(8) == 0 {
			x := r.IntN(3)
			n := r.IntN(10000000)
			return fmt.Sprintf("%c%07d%c", "XYZ"[x], n, "TRWAGMYFPDXBNJZSQVHLCKE"[(x*10000000+n)%23])
		}
		n := 1000000 + r.IntN(79000000)
		return fmt.Sprintf("%08d%c", n, "TRWAGMYFPDXBNJZSQVHLCKE"[n%23])
	case "cf":
		up := func(s string) string { return strings.ToUpper(g.fold(s)) }
		split := func(s string) (cons, vows string) {
			for _, c := range up(s) {
				if strings.ContainsRune("AEIOU", c) {
					vows += string(c)
				} else {
					cons += string(c)
				}
			}
			return
		}
		c1, v1 := split(p.family.l)
		sur := (c1 + v1 + "XXX")[:3]
		c2, v2 := split(p.given.l)
		var nam string
		if len(c2) >= 4 {
			nam = string([]byte{c2[0], c2[2], c2[3]})
		} else {
			nam = (c2 + v2 + "XXX")[:3]
		}
		day := d
		if p.female {
			day += 40
		}
		s := fmt.Sprintf("%s%s%02d%c%02d%s", sur, nam, y%100, "ABCDEHLMPRST"[int(m)-1], day, g.pick(sp("H501|F205|F839|L219|G273|D969|A944|D612|L736|A662|C351|L781")))
		return s + string(cinChar(s))
	case "bsn":
		for {
			dd := digitsOf(fill(r, "[1-6]#######"))
			sum := 0
			for i := range 8 {
				sum += (9 - i) * dd[i]
			}
			if c := sum % 11; c < 10 {
				return itoa(append(dd, c))
			}
		}
	case "cpf":
		for {
			dd := digitsOf(fill(r, "#########"))
			if itoa(dd) == strings.Repeat(string(rune('0'+dd[0])), 9) {
				continue
			}
			s := itoa(cpfDigits(dd))
			if r.IntN(4) == 0 {
				return s
			}
			return s[:3] + "." + s[3:6] + "." + s[6:9] + "-" + s[9:]
		}
	case "pis":
		dd := digitsOf(fill(r, "1[0-3]########"))
		s := itoa(dd) + strconv.Itoa(pisCheck(dd))
		return s[:3] + "." + s[3:8] + "." + s[8:10] + "-" + s[10:]
	case "aadhaar":
		s := fill(r, "[2-9]##########")
		s += strconv.Itoa(verhoeffDigit(s))
		if !verhoeffValid(s) {
			g.t.Fatalf("generator error: aadhaar %s", s)
		}
		return s
	case "pan":
		fi := up1(g.fold(p.family.l))
		return fill(r, "@@@") + "P" + fi + fill(r, "####@")
	case "curp":
		return g.curp(p)
	case "rrn":
		c := 1
		if y >= 2000 {
			c = 3
		}
		if p.female {
			c++
		}
		s := fmt.Sprintf("%02d%02d%02d%d%s", y%100, int(m), d, c, fill(r, "#####"))
		return s[:6] + "-" + s[6:] + strconv.Itoa(rrnCheck(s))
	case "pesel":
		mm := int(m)
		if y >= 2000 {
			mm += 20
		}
		sx := 2 * r.IntN(5)
		if !p.female {
			sx++
		}
		s := fmt.Sprintf("%02d%02d%02d%s%d", y%100, mm, d, fill(r, "###"), sx)
		return s + strconv.Itoa(peselCheck(s))
	case "mynumber":
		s := fill(r, "[1-9]##########")
		s += strconv.Itoa(myNumberCheck(s))
		if r.IntN(2) == 0 {
			return s[:4] + " " + s[4:8] + " " + s[8:]
		}
		return s
	case "cnid":
		sx := 2 * r.IntN(5)
		if !p.female {
			sx++
		}
		s := fmt.Sprintf("%s%04d%02d%02d%s%d", g.pick(sp("110105|110108|310115|310104|440106|440305|330106|510107|420111|320106|610113|500103")), y, int(m), d, fill(r, "##"), sx)
		return s + string(cnIDCheck(s))
	case "eid":
		s := fmt.Sprintf("784%04d%s", y, fill(r, "#######"))
		s += strconv.Itoa(luhnDigit(s))
		return s[:3] + "-" + s[3:7] + "-" + s[7:14] + "-" + s[14:]
	case "snils":
		for {
			s := fill(r, "[1-9]########")
			c := snilsCheck(s)
			return fmt.Sprintf("%s-%s-%s %02d", s[:3], s[3:6], s[6:9], c)
		}
	case "inn":
		s := g.pick(sp("77|78|50|16|23|66|54|63")) + fill(r, "########")
		s += strconv.Itoa(innDigit(s, []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}))
		s += strconv.Itoa(innDigit(s, []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}))
		return s
	case "pnr":
		s := fmt.Sprintf("%02d%02d%02d%s", y%100, int(m), d, fill(r, "###"))
		c := strconv.Itoa(luhnDigit(s))
		if r.IntN(2) == 0 {
			return fmt.Sprintf("%04d%02d%02d-%s%s", y, int(m), d, s[6:], c)
		}
		return s[:6] + "-" + s[6:] + c
	case "tckn":
		dd := digitsOf(fill(r, "[1-9]########"))
		odd := dd[0] + dd[2] + dd[4] + dd[6] + dd[8]
		even := dd[1] + dd[3] + dd[5] + dd[7]
		d10 := ((odd*7-even)%10 + 10) % 10
		dd = append(dd, d10)
		sum := 0
		for _, x := range dd {
			sum += x
		}
		return itoa(append(dd, sum%10))
	}
	g.t.Fatalf("generator error: unknown id %s", kind)
	return ""
}

func up1(s string) string {
	if s == "" {
		return "X"
	}
	return strings.ToUpper(s[:1])
}

func (g *gen) curp(p *person) string {
	up := func(s string) string {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "ñ", "x"), "Ñ", "X")
		return strings.ToUpper(g.fold(s))
	}
	given := strings.Fields(p.given.l)
	gn := given[0]
	if len(given) > 1 && (gn == "José" || gn == "María") {
		gn = given[1]
	}
	pat, mat, nm := up(p.family.l), up(p.family2.l), up(gn)
	vowel := func(s string) byte {
		for i := 1; i < len(s); i++ {
			if strings.IndexByte("AEIOU", s[i]) >= 0 {
				return s[i]
			}
		}
		return 'X'
	}
	cons := func(s string) byte {
		for i := 1; i < len(s); i++ {
			if strings.IndexByte("AEIOU", s[i]) < 0 {
				return s[i]
			}
		}
		return 'X'
	}
	y, m, d := p.dob.Date()
	sex := byte('H')
	if p.female {
		sex = 'M'
	}
	diff := byte('0' + g.r.IntN(10))
	if y >= 2000 {
		diff = byte('A' + g.r.IntN(26))
	}
	s := fmt.Sprintf("%c%c%c%c%02d%02d%02d%c%s%c%c%c%c", pat[0], vowel(pat), mat[0], nm[0], y%100, int(m), d, sex,
		g.pick(sp("DF|JC|NL|PL|MC|GT|VZ|BC|CH|YN|QT|SP")), cons(pat), cons(mat), cons(nm), diff)
	return s + strconv.Itoa(curpCheck(s))
}

// ---------------------------------------------------------------- values

func groupInt(s, sep string, indian bool) string {
	if len(s) <= 3 || sep == "" {
		return s
	}
	head, tail := s[:len(s)-3], s[len(s)-3:]
	var parts []string
	step := 3
	if indian {
		step = 2
	}
	for len(head) > step {
		parts = append([]string{head[len(head)-step:]}, parts...)
		head = head[:len(head)-step]
	}
	parts = append([]string{head}, parts...)
	return strings.Join(parts, sep) + sep + tail
}

func (g *gen) money(v float64, decimals int, deco string, grouped bool) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	ip, fp, _ := strings.Cut(s, ".")
	thou := g.l.thou
	if !grouped {
		thou = ""
	}
	out := groupInt(ip, thou, g.l.indian)
	if decimals > 0 {
		out += g.l.dec + fp
	}
	if deco != "" {
		out = strings.Replace(deco, "%s", out, 1)
	}
	return out
}

type vf func(g *gen, p *person, row int) string

func vGiven(g *gen, p *person, _ int) string  { return p.given.n }
func vGivenL(g *gen, p *person, _ int) string { return p.given.l }
func vFamily(g *gen, p *person, _ int) string { return p.family.n }
func vFamilyL(g *gen, p *person, _ int) string {
	return p.family.l
}
func vFamilies(g *gen, p *person, _ int) string { return p.family.n + " " + p.family2.n }
func vFull(g *gen, p *person, _ int) string     { return g.full(p) }
func vLatin(g *gen, p *person, _ int) string    { return g.latin(p) }
func vKana(g *gen, p *person, _ int) string     { return p.family.k + " " + p.given.k }
func vEmail(g *gen, p *person, _ int) string    { return g.email(p) }
func vStreet(g *gen, p *person, _ int) string   { return g.l.street(g) }
func vAddr(g *gen, p *person, _ int) string     { return g.l.full(g, g.l.street(g)) }
func vZip(g *gen, p *person, _ int) string      { return g.l.zip(g) }
func vCity(g *gen, p *person, _ int) string     { return g.pick(g.l.cities) }
func vCompany(g *gen, p *person, _ int) string  { return g.pick(g.l.companies) }
func vProduct(g *gen, p *person, _ int) string  { return g.pick(g.l.products) }
func vJob(g *gen, p *person, _ int) string      { return g.pick(g.l.jobs) }
func vDept(g *gen, p *person, _ int) string     { return g.pick(g.l.depts) }
func vStatus(g *gen, p *person, _ int) string   { return g.pick(g.l.statuses) }
func vCountry(g *gen, p *person, _ int) string  { return g.pick(g.l.countries) }
func vNeutral(g *gen, p *person, _ int) string  { return g.pick(g.l.neutral) }
func vUUID(g *gen, p *person, _ int) string {
	return fill(g.r, "^^^^^^^^-^^^^-4^^^-") + string("89ab"[g.r.IntN(4)]) + fill(g.r, "^^^-^^^^^^^^^^^^")
}

func vPhone(kinds ...string) vf {
	return func(g *gen, p *person, _ int) string { return g.phone(kinds...) }
}
func vID(kind string) vf { return func(g *gen, p *person, _ int) string { return g.natID(kind, p) } }
func vCard(style int, brands ...string) vf {
	return func(g *gen, p *person, _ int) string { return fmtCard(g.card(brands...), style) }
}
func vIBAN(cc string, spaced bool) vf {
	return func(g *gen, p *person, _ int) string { return fmtIBAN(g.ibanFor(cc), spaced) }
}
func vDOB(layout string) vf {
	return func(g *gen, p *person, _ int) string { return p.dob.Format(layout) }
}
func vPick(list string) vf {
	xs := sp(list)
	return func(g *gen, p *person, _ int) string { return g.pick(xs) }
}
func vFill(tmpls ...string) vf {
	return func(g *gen, p *person, _ int) string { return fill(g.r, g.pick(tmpls)) }
}
func vHash(n int) vf {
	return func(g *gen, p *person, _ int) string { return fill(g.r, strings.Repeat("^", n)) }
}
func vSeq(format string, start, maxStep int) vf {
	return func(g *gen, p *person, row int) string {
		k := format
		if _, ok := g.seqs[k]; !ok {
			g.seqs[k] = start
		}
		g.seqs[k] += 1 + g.r.IntN(maxStep)
		return fmt.Sprintf(format, g.seqs[k])
	}
}
func vAmount(lo, hi float64, decimals int, deco string, grouped bool) vf {
	return func(g *gen, p *person, _ int) string {
		v := lo + g.r.Float64()*(hi-lo)
		return g.money(v, decimals, deco, grouped)
	}
}
func vQty(lo, hi int) vf {
	return func(g *gen, p *person, _ int) string { return strconv.Itoa(lo + g.r.IntN(hi-lo+1)) }
}
func vTS(layout string) vf {
	return func(g *gen, p *person, _ int) string {
		if g.clock.IsZero() {
			g.clock = time.Date(2025, time.Month(1+g.r.IntN(10)), 1+g.r.IntN(28), 8, 0, 0, 0, time.UTC)
		}
		g.clock = g.clock.Add(time.Duration(5+g.r.IntN(400)) * time.Minute).Add(time.Duration(g.r.IntN(60)) * time.Second)
		return g.clock.Format(layout)
	}
}
func vHire(layout string) vf {
	return func(g *gen, p *person, _ int) string {
		lo := time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)
		if a := p.dob.AddDate(18, 0, 0); a.After(lo) {
			lo = a
		}
		hi := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
		if !lo.Before(hi) {
			lo = hi.AddDate(0, -6, 0)
		}
		return g.between(lo, hi).Format(layout)
	}
}
func vCheckIn(layout string) vf {
	return func(g *gen, p *person, _ int) string {
		p.ci = g.between(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC))
		return p.ci.Format(layout)
	}
}
func vCheckOut(layout string) vf {
	return func(g *gen, p *person, _ int) string { return p.ci.AddDate(0, 0, 1+g.r.IntN(9)).Format(layout) }
}
func vIP(v6share int) vf {
	return func(g *gen, p *person, _ int) string {
		if g.r.IntN(100) < v6share {
			pre := g.pick(sp("2a02:8108|2001:16b8|2a01:cb00|2600:1700|2a00:23c5|2405:201|2001:569|240e:3b0|2804:14c|2a02:2f0e"))
			s := pre
			for i := 0; i < 6; i++ {
				s += fmt.Sprintf(":%x", g.r.IntN(65536))
			}
			if g.r.IntN(3) == 0 {
				s = pre + fmt.Sprintf(":%x::%x", g.r.IntN(65536), 1+g.r.IntN(65535))
			}
			return s
		}
		if g.r.IntN(10) == 0 {
			return fmt.Sprintf("192.168.%d.%d", g.r.IntN(5), 2+g.r.IntN(250))
		}
		first := []int{23, 31, 37, 45, 62, 78, 81, 85, 91, 94, 101, 109, 112, 117, 151, 176, 178, 185, 188, 193, 203, 212, 217}
		return fmt.Sprintf("%d.%d.%d.%d", first[g.r.IntN(len(first))], g.r.IntN(256), g.r.IntN(256), 1+g.r.IntN(254))
	}
}
func vISBN(g *gen, p *person, _ int) string {
	s := "978" + fill(g.r, "#########")
	s += strconv.Itoa(ean13Check(s))
	return s[:3] + "-" + s[3:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:]
}
func vEAN(g *gen, p *person, _ int) string {
	s := fill(g.r, g.l.ean)
	for len(s) < 12 {
		s += strconv.Itoa(g.r.IntN(10))
	}
	return s + strconv.Itoa(ean13Check(s))
}
func vTrack(g *gen, p *person, _ int) string {
	t := g.pick(g.l.track)
	if strings.HasPrefix(t, "S10") {
		d := fill(g.r, "########")
		return fill(g.r, g.pick(sp("R@|E@|C@|L@"))) + d + strconv.Itoa(s10Check(d)) + t[3:]
	}
	return fill(g.r, t)
}
func vVersion(g *gen, p *person, _ int) string {
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("v%d.%d.%d", g.r.IntN(5), g.r.IntN(20), g.r.IntN(30))
	case 1:
		return fmt.Sprintf("%d.%d.%d-beta.%d", 1+g.r.IntN(3), g.r.IntN(15), g.r.IntN(9), 1+g.r.IntN(5))
	case 2:
		return fmt.Sprintf("10.0.%d.%d", 19041+g.r.IntN(4000), g.r.IntN(5000))
	}
	return fmt.Sprintf("%d.%d.%d.%d", 1+g.r.IntN(9), g.r.IntN(10), g.r.IntN(100), g.r.IntN(3000))
}
func vText(rate int) vf {
	return func(g *gen, p *person, _ int) string {
		if g.r.IntN(100) < rate && len(g.l.tickets) > 0 {
			t := g.pick(g.l.tickets)
			if strings.Contains(t, "{phone}") {
				return strings.Replace(t, "{phone}", g.phone("mob", "intl"), 1)
			}
			return strings.Replace(t, "{email}", g.email(p), 1)
		}
		return g.pick(g.l.neutral)
	}
}
func vSalutation(opts string) vf {
	o := sp(opts)
	return func(g *gen, p *person, _ int) string {
		if p.female {
			return o[1]
		}
		return o[0]
	}
}
func vCorpEmail(domain string) vf {
	return func(g *gen, p *person, _ int) string {
		return g.fold(p.given.l) + "." + g.fold(p.family.l) + "@" + domain
	}
}
func vFather(g *gen, p *person, _ int) string {
	return g.pickNm(g.l.gm).l + " " + p.family.l
}
func vOtherFull(g *gen, p *person, _ int) string { return g.full(g.newPerson()) }

// ---------------------------------------------------------------- files

const (
	eEmail = inlet.EntityEmail
	ePhone = inlet.EntityPhone
	eName  = inlet.EntityPersonName
	eAddr  = inlet.EntityStreetAddress
	eIP    = inlet.EntityIPAddress
	eCard  = inlet.EntityCreditCard
	eID    = inlet.EntityNationalID
	eIBAN  = inlet.EntityIBAN
	eDOB   = inlet.EntityDateOfBirth
	eText  = inlet.EntityFreeText
)

type col struct {
	h     string
	want  inlet.Entity
	f     vf
	blank float64
	junk  bool
	zip   bool
}

func P(h string, e inlet.Entity, f vf) col { return col{h: h, want: e, f: f} }
func N(h string, f vf) col                 { return col{h: h, f: f} }
func Z(h string) col                       { return col{h: h, f: vZip, zip: true} }
func (c col) b(x float64) col              { c.blank = x; return c }
func (c col) j() col                       { c.junk = true; return c }

type fileSpec struct {
	name, locale string
	delim        rune
	bom          bool
	nativeOnly   bool
	cols         []col
}

func specs() []fileSpec {
	return []fileSpec{
		{name: "us_crm_contacts.csv", locale: "en-US", delim: ',', cols: []col{
			N("Contact ID", vSeq("003Dn00000%06d", 4000, 7)), P("First Name", eName, vGiven), P("Last Name", eName, vFamily),
			P("Email", eEmail, vEmail).b(0.05), P("Phone", ePhone, vPhone("mob", "land")).b(0.1).j(), P("Mailing Street", eAddr, vStreet).b(0.1),
			N("Mailing City", vCity), N("State", vPick("NY|IL|CA|MA|TX|WA|CO|GA|FL|OH")), Z("Zip"), P("Date of Birth", eDOB, vDOB("01/02/2006")).b(0.25),
			P("SSN", eID, vID("ssn")).b(0.2), N("Company", vCompany), N("Title", vJob), N("Lead Status", vStatus),
			N("Created Date", vTS("1/2/2006 3:04 PM")), N("Annual Revenue", vAmount(50000, 9000000, 0, "$%s", true))}},
		{name: "us_orders_export.csv", locale: "en-US", delim: ',', cols: []col{
			N("order_id", vSeq("#%d", 100233, 3)), N("created_at", vTS("2006-01-02T15:04:05Z")), P("customer_name", eName, vFull),
			P("customer_email", eEmail, vEmail), P("billing_phone", ePhone, vPhone("intl", "mob")).b(0.15), P("shipping_address", eAddr, vAddr),
			P("card_number", eCard, vCard(2, "visa", "mc", "amex", "discover")).b(0.1), N("sku", vFill("SKU-@@@-####", "@@-#####-@")),
			N("product_name", vProduct), N("qty", vQty(1, 6)), N("unit_price", vAmount(3, 400, 2, "", false)), N("total", vAmount(5, 2500, 2, "$%s", true)),
			N("currency", vPick("USD")), P("ip_address", eIP, vIP(15)), N("tracking_number", vTrack), N("order_status", vPick("paid|fulfilled|shipped|refunded|pending")),
			N("col7", vHash(40))}},
		{name: "uk_hr_employees.csv", locale: "en-GB", delim: ',', cols: []col{
			N("Employee No", vSeq("E%05d", 1000, 4)), P("Forename", eName, vGiven), P("Surname", eName, vFamily), P("NI Number", eID, vID("nino")).b(0.05),
			P("DOB", eDOB, vDOB("02/01/2006")), P("Home Address", eAddr, vStreet), N("Town", vCity), Z("Postcode"),
			P("Mobile", ePhone, vPhone("mob")).b(0.1), P("Personal Email", eEmail, vEmail).b(0.2), N("Department", vDept), N("Job Title", vJob),
			N("Start Date", vHire("02/01/2006")), N("Salary", vAmount(19000, 95000, 2, "£%s", true)), P("IBAN", eIBAN, vIBAN("GB", true)).b(0.1)}},
		{name: "uk_event_signups.csv", locale: "en-GB", delim: ',', cols: []col{
			N("Timestamp", vTS("02/01/2006 15:04:05")), P("Full name", eName, vFull), P("Email address", eEmail, vEmail),
			P("Contact number", ePhone, vPhone("mob", "land", "intl")).b(0.2).j(), N("Organisation", vCompany), N("Ticket type", vStatus),
			N("Dietary requirements", vPick("None|Vegetarian|Vegan|Gluten free|Halal|Kosher|Nut allergy")), N("How did you hear about us?", vPick("LinkedIn|Colleague|Email newsletter|Twitter|Google search|Other")),
			P("Comments", eText, vText(35)).b(0.3), P("field_3", eIP, vIP(20))}},
		{name: "de_personal_export.csv", locale: "de-DE", delim: ';', cols: []col{
			N("Personalnummer", vSeq("%d", 10020, 3)), N("Anrede", vSalutation("Herr|Frau")), P("Vorname", eName, vGiven), P("Nachname", eName, vFamily),
			P("Geb.-Datum", eDOB, vDOB("02.01.2006")), P("Steuer-ID", eID, vID("steuerid")).b(0.05), P("Straße", eAddr, vStreet), Z("PLZ"), N("Ort", vCity),
			P("Tel.-Nr.", ePhone, vPhone("mob", "land")).b(0.15).j(), P("E-Mail", eEmail, vEmail).b(0.1), P("IBAN", eIBAN, vIBAN("DE", true)),
			N("Abteilung", vDept), N("Position", vJob), N("Eintrittsdatum", vHire("02.01.2006")), N("Bruttogehalt", vAmount(2200, 9500, 2, "", true)),
			N("Kostenstelle", vFill("4###", "61##"))}},
		{name: "de_shop_bestellungen.csv", locale: "de-DE", delim: ';', cols: []col{
			N("Bestellnummer", vSeq("BE-2025-%06d", 12000, 2)), N("Bestelldatum", vTS("02.01.2006 15:04")), P("Kunde", eName, vFull), P("Lieferadresse", eAddr, vAddr),
			P("Telefon", ePhone, vPhone("mob", "intl")).b(0.3), N("Artikelnummer", vFill("#######", "A-#####")), N("Artikel", vProduct), N("Menge", vQty(1, 5)),
			N("Einzelpreis", vAmount(2, 300, 2, "", false)), N("Gesamtbetrag", vAmount(5, 1900, 2, "%s €", true)), N("Zahlungsart", vPick("PayPal|Rechnung|Kreditkarte|SEPA-Lastschrift|Sofortüberweisung")),
			P("Kartennummer", eCard, vCard(0, "visa", "mc")).b(0.3), N("Sendungsnummer", vTrack), N("USt-IdNr.", vFill("DE#########")).b(0.6), N("Status", vStatus),
			P("info", eEmail, vEmail).b(0.1)}},
		{name: "fr_rh_salaries.csv", locale: "fr-FR", delim: ';', bom: true, cols: []col{
			N("Matricule", vSeq("M%05d", 200, 3)), N("Civilité", vSalutation("M.|Mme")), P("Nom", eName, vFamily), P("Prénom", eName, vGiven),
			P("Date de naissance", eDOB, vDOB("02/01/2006")), P("N° Sécurité sociale", eID, vID("nir")), P("Adresse", eAddr, vStreet), Z("Code postal"),
			N("Ville", vCity), P("Téléphone portable", ePhone, vPhone("mob")).b(0.1), P("Courriel", eEmail, vEmail).b(0.1), P("IBAN", eIBAN, vIBAN("FR", true)),
			N("Service", vDept), N("Poste", vJob), N("Date d'entrée", vHire("02/01/2006")), N("Salaire brut", vAmount(1800, 7000, 2, "", true))}},
		{name: "fr_commandes.csv", locale: "fr-FR", delim: ',', cols: []col{
			N("n_commande", vSeq("FR%08d", 3300000, 4)), N("date_commande", vTS("02/01/2006 15:04")), P("nom_client", eName, vFull), P("email_client", eEmail, vEmail),
			P("tel", ePhone, vPhone("mob", "intl", "land")).b(0.2), P("adresse_livraison", eAddr, vAddr), N("ref_produit", vFill("REF-#####", "@@####")),
			N("désignation", vProduct), N("quantité", vQty(1, 4)), N("prix_ttc", vAmount(4, 500, 2, "%s €", false)), N("statut", vStatus),
			N("transporteur", vPick("Colissimo|Chronopost|Mondial Relay|DPD|UPS")), N("num_suivi", vTrack), P("adresse_ip", eIP, vIP(40)), P("commentaire", eText, vText(30)).b(0.25)}},
		{name: "es_empleados.csv", locale: "es-ES", delim: ';', cols: []col{
			N("Nº empleado", vSeq("%04d", 100, 2)), P("Nombre", eName, vGiven), P("Apellidos", eName, vFamilies), P("DNI/NIE", eID, vID("dni")),
			P("Fecha nacimiento", eDOB, vDOB("02/01/2006")), P("Domicilio", eAddr, vStreet), Z("C.P."), N("Localidad", vCity),
			N("Provincia", vPick("Madrid|Barcelona|Valencia|Sevilla|Bizkaia|Málaga|Zaragoza|A Coruña")), P("Móvil", ePhone, vPhone("mob")).b(0.1),
			P("Correo electrónico", eEmail, vEmail), P("IBAN", eIBAN, vIBAN("ES", true)), N("Departamento", vDept), N("Puesto", vJob),
			N("Fecha alta", vHire("02/01/2006")), N("Salario bruto anual", vAmount(16000, 75000, 2, "", true))}},
		{name: "es_tickets_soporte.csv", locale: "es-ES", delim: ',', cols: []col{
			N("ticket_id", vSeq("TCK-%06d", 50000, 3)), N("fecha_apertura", vTS("2006-01-02 15:04:05")), P("cliente", eName, vFull), P("email", eEmail, vEmail),
			P("telefono_contacto", ePhone, vPhone("mob", "intl", "land")).b(0.25).j(), N("asunto", vPick("Problema con el pedido|Devolución|Factura incorrecta|Cambio de talla|Consulta general|Error en la app")),
			P("mensaje", eText, vText(35)), N("prioridad", vPick("baja|media|alta|urgente")), N("estado", vStatus), N("canal", vPick("email|teléfono|chat|web|WhatsApp")),
			N("col7", vUUID)}},
		{name: "mx_clientes_crm.csv", locale: "es-MX", delim: ',', cols: []col{
			N("id_cliente", vSeq("CL-%05d", 1000, 5)), P("nombre_completo", eName, vFull), P("CURP", eID, vID("curp")).b(0.1), P("fecha_nac", eDOB, vDOB("02/01/2006")),
			P("celular", ePhone, vPhone("mob")).j(), P("correo", eEmail, vEmail).b(0.15), P("calle_y_numero", eAddr, vStreet), N("municipio", vCity),
			N("estado", vPick("Ciudad de México|Jalisco|Nuevo León|Puebla|Estado de México|Guanajuato|Querétaro|Yucatán")), Z("cp"),
			N("fecha_registro", vTS("02/01/2006 15:04")), N("segmento", vPick("Oro|Plata|Bronce|Nuevo")), N("limite_credito", vAmount(5000, 150000, 2, "$%s", true))}},
		{name: "mx_ventas_ecommerce.csv", locale: "es-MX", delim: ',', cols: []col{
			N("folio", vSeq("MX-%07d", 200000, 3)), N("fecha", vTS("2006-01-02 15:04")), P("comprador", eName, vFull), P("email_comprador", eEmail, vEmail),
			P("whatsapp", ePhone, vPhone("intl")).b(0.2), P("direccion_envio", eAddr, vAddr), N("sku", vFill("MX-####-@@")), N("producto", vProduct),
			N("cantidad", vQty(1, 10)), N("precio_unitario", vAmount(49, 8999, 2, "$%s", true)), N("metodo_pago", vPick("Tarjeta|OXXO|SPEI|Mercado Pago|PayPal")),
			P("tarjeta", eCard, vCard(1, "visa", "mc", "amex")).b(0.3), N("guia", vTrack), N("estatus", vStatus), P("ip_cliente", eIP, vIP(10))}},
		{name: "br_funcionarios.csv", locale: "pt-BR", delim: ';', cols: []col{
			N("Matrícula", vSeq("%06d", 10000, 5)), P("Nome Completo", eName, vFull), P("CPF", eID, vID("cpf")), P("PIS/PASEP", eID, vID("pis")).b(0.1),
			P("Data de Nascimento", eDOB, vDOB("02/01/2006")), P("Endereço", eAddr, vStreet), N("Cidade", vCity), N("UF", vPick("SP|RJ|MG|RS|PR|BA|PE|CE|DF|SC")),
			Z("CEP"), P("Celular", ePhone, vPhone("mob")).b(0.05), P("E-mail", eEmail, vEmail).b(0.1), N("Cargo", vJob), N("Setor", vDept),
			N("Admissão", vHire("02/01/2006")), N("Salário", vAmount(1412, 25000, 2, "R$ %s", true))}},
		{name: "br_pedidos_loja.csv", locale: "pt-BR", delim: ',', cols: []col{
			N("pedido", vSeq("%d", 1045000, 9)), N("data_pedido", vTS("02/01/2006 15:04:05")), P("cliente", eName, vFull), P("cpf_cliente", eID, vID("cpf")),
			P("email", eEmail, vEmail), P("telefone", ePhone, vPhone("mob", "intl")).b(0.1), P("endereco_entrega", eAddr, vAddr), N("produto", vProduct),
			N("sku", vFill("BR-#####")), N("qtd", vQty(1, 4)), N("valor_total", vAmount(20, 3000, 2, "R$ %s", true)), N("forma_pagamento", vPick("Pix|Boleto|Cartão de crédito|Cartão de débito")),
			N("status", vStatus), N("codigo_rastreio", vTrack), P("value", eIP, vIP(60))}},
		{name: "it_anagrafica_dipendenti.csv", locale: "it-IT", delim: ';', cols: []col{
			N("Matricola", vSeq("%05d", 300, 3)), P("Cognome", eName, vFamily), P("Nome", eName, vGiven), P("Codice Fiscale", eID, vID("cf")),
			P("Data di nascita", eDOB, vDOB("02/01/2006")), P("Indirizzo", eAddr, vStreet), Z("CAP"), N("Comune", vCity), N("Provincia", vPick("RM|MI|NA|TO|PA|GE|BO|FI|BA|VE")),
			P("Cellulare", ePhone, vPhone("mob")).b(0.1).j(), P("Email", eEmail, vEmail).b(0.1), P("IBAN", eIBAN, vIBAN("IT", false)), N("Reparto", vDept),
			N("Qualifica", vJob), N("Data assunzione", vHire("02/01/2006")), N("RAL", vAmount(22000, 80000, 0, "", true))}},
		{name: "it_ordini.csv", locale: "it-IT", delim: ',', cols: []col{
			N("id_ordine", vSeq("IT-%06d", 70000, 3)), N("data_ordine", vTS("02/01/2006 15:04")), P("cliente", eName, vFull), P("email", eEmail, vEmail),
			P("telefono", ePhone, vPhone("mob", "land", "intl")).b(0.15), P("indirizzo_spedizione", eAddr, vAddr), N("prodotto", vProduct),
			N("codice_articolo", vFill("ART####@")), N("quantita", vQty(1, 6)), N("importo", vAmount(5, 900, 2, "€ %s", true)),
			N("pagamento", vPick("Carta di credito|PayPal|Bonifico|Contrassegno|Satispay")), N("stato", vStatus), N("tracking", vTrack), N("field_3", vHash(32)),
			P("note", eText, vText(30)).b(0.3)}},
		{name: "nl_leden_export.csv", locale: "nl-NL", delim: ';', cols: []col{
			N("Lidnummer", vSeq("%06d", 100000, 4)), P("Voornaam", eName, vGiven), P("Achternaam", eName, vFamily), P("Geboortedatum", eDOB, vDOB("02-01-2006")),
			P("BSN", eID, vID("bsn")).b(0.2), P("Adres", eAddr, vStreet), Z("Postcode"), N("Woonplaats", vCity), P("Telefoonnummer", ePhone, vPhone("mob", "land")).b(0.1),
			P("E-mailadres", eEmail, vEmail), P("IBAN", eIBAN, vIBAN("NL", false)), N("Lid sinds", vHire("02-01-2006")),
			N("Contributie", vAmount(5, 60, 2, "€ %s", false)), N("Status", vStatus)}},
		{name: "nl_webshop_orders.csv", locale: "nl-NL", delim: ',', cols: []col{
			N("ordernummer", vSeq("NL%07d", 500000, 2)), N("besteldatum", vTS("02-01-2006 15:04")), P("naam", eName, vFull), P("email", eEmail, vEmail),
			P("mobiel", ePhone, vPhone("mob", "intl")).b(0.1), P("afleveradres", eAddr, vAddr), N("artikel", vProduct), N("ean", vEAN), N("aantal", vQty(1, 5)),
			N("bedrag", vAmount(3, 400, 2, "", false)), N("betaalmethode", vPick("iDEAL|Klarna|Creditcard|Bancontact|PayPal")),
			N("verzendstatus", vPick("Verzonden|In behandeling|Afgeleverd|Retour")), N("track_trace", vTrack), P("ip", eIP, vIP(25)), N("opmerking", vNeutral).b(0.4)}},
		{name: "pl_kadry.csv", locale: "pl-PL", delim: ';', cols: []col{
			N("Nr ewid.", vSeq("%04d", 10, 2)), P("Imię", eName, vGiven), P("Nazwisko", eName, vFamily), P("PESEL", eID, vID("pesel")),
			P("Data urodzenia", eDOB, vDOB("2006-01-02")), P("Adres zamieszkania", eAddr, vStreet), Z("Kod pocztowy"), N("Miejscowość", vCity),
			P("nr_tel", ePhone, vPhone("mob", "land")).b(0.1), P("E-mail", eEmail, vEmail).b(0.15), P("Nr konta", eIBAN, vIBAN("PL", true)),
			N("Dział", vDept), N("Stanowisko", vJob), N("Data zatrudnienia", vHire("2006-01-02")), N("Wynagrodzenie", vAmount(4300, 22000, 2, "", true))}},
		{name: "pl_zamowienia.csv", locale: "pl-PL", delim: ',', cols: []col{
			N("id_zamowienia", vSeq("%d", 88123000, 17)), N("data", vTS("2006-01-02 15:04")), P("klient", eName, vFull), P("email", eEmail, vEmail),
			P("telefon", ePhone, vPhone("intl", "mob")).b(0.1), P("adres_dostawy", eAddr, vAddr), N("produkt", vProduct), N("kod_produktu", vFill("PL-@@-####")),
			N("ilosc", vQty(1, 5)), N("kwota", vAmount(9, 2500, 2, "%s zł", true)), N("platnosc", vPick("BLIK|przelew|karta|pobranie|PayU")),
			N("status", vStatus), N("nr_przesylki", vTrack), P("col7", eCard, vCard(0, "visa", "mc")).b(0.3)}},
		{name: "jp_shain_meibo.csv", locale: "ja-JP", delim: ',', cols: []col{
			N("社員番号", vSeq("%06d", 100000, 11)), P("氏名", eName, vFull), P("フリガナ", eName, vKana), P("生年月日", eDOB, vDOB("2006/01/02")),
			P("マイナンバー", eID, vID("mynumber")).b(0.3), Z("郵便番号"), P("住所", eAddr, vStreet), P("電話番号", ePhone, vPhone("mob", "land")).b(0.1),
			P("メールアドレス", eEmail, vEmail).b(0.1), N("部署", vDept), N("役職", vJob), N("入社日", vHire("2006/01/02")), N("基本給", vAmount(180000, 650000, 0, "", true))}},
		{name: "jp_ec_orders.csv", locale: "ja-JP", delim: ',', cols: []col{
			N("注文番号", vSeq("%d", 250000100, 7)), N("注文日時", vTS("2006/01/02 15:04:05")), P("購入者名", eName, vFull), P("購入者メール", eEmail, vEmail),
			P("携帯番号", ePhone, vPhone("mob")).b(0.1), P("配送先住所", eAddr, vAddr), N("商品名", vProduct), N("商品コード", vFill("JP-#####-@@")), N("数量", vQty(1, 5)),
			N("金額", vAmount(300, 98000, 0, "¥%s", true)), N("決済方法", vPick("クレジットカード|コンビニ払い|代金引換|PayPay|銀行振込")), N("ステータス", vStatus),
			N("お問い合わせ番号", vTrack), P("クレジットカード番号", eCard, vCard(1, "jcb", "visa", "mc")).b(0.3), P("IPアドレス", eIP, vIP(30))}},
		{name: "cn_yuangong.csv", locale: "zh-CN", delim: ',', cols: []col{
			N("工号", vSeq("E%06d", 10000, 3)), P("姓名", eName, vFull), P("身份证号", eID, vID("cnid")), P("出生日期", eDOB, vDOB("2006-01-02")),
			P("手机号", ePhone, vPhone("mob")), P("邮箱", eEmail, vEmail).b(0.2), P("家庭住址", eAddr, vStreet), Z("邮编"), N("部门", vDept), N("职位", vJob),
			N("入职日期", vHire("2006-01-02")), N("月薪", vAmount(5000, 45000, 2, "", false)), P("银行卡号", eCard, vCard(2, "unionpay")), N("城市", vCity)}},
		{name: "cn_dingdan.csv", locale: "zh-CN", delim: ',', cols: []col{
			N("订单号", vFill("3[5-9]################")), N("下单时间", vTS("2006-01-02 15:04:05")), P("收货人", eName, vFull), P("联系电话", ePhone, vPhone("mob", "intl")),
			P("收货地址", eAddr, vAddr), N("商品名称", vProduct), N("SKU编码", vFill("SKU########")), N("数量", vQty(1, 9)), N("实付金额", vAmount(9.9, 3999, 2, "", false)),
			N("支付方式", vPick("支付宝|微信支付|银联|花呗")), N("订单状态", vStatus), N("快递单号", vTrack), P("买家留言", eText, vText(30)).b(0.3), P("英文名", eName, vLatin).b(0.2)}},
		{name: "in_employees.csv", locale: "hi-IN", delim: ',', cols: []col{
			N("Emp Code", vSeq("EMP%05d", 1000, 3)), P("Employee Name", eName, vLatin), P("Father's Name", eName, vFather), P("DOB", eDOB, vDOB("02-01-2006")),
			P("Aadhaar No", eID, func(g *gen, p *person, _ int) string {
				s := g.natID("aadhaar", p)
				return s[:4] + " " + s[4:8] + " " + s[8:]
			}),
			P("PAN", eID, vID("pan")), P("Mobile No", ePhone, vPhone("mob", "intl")).j(), P("Email ID", eEmail, vEmail), P("Address", eAddr, vStreet),
			N("City", vCity), N("State", vPick("Maharashtra|Delhi|Karnataka|Telangana|Tamil Nadu|West Bengal|Gujarat|Rajasthan|Uttar Pradesh|Kerala")),
			Z("PIN Code"), N("Designation", vJob), N("Department", vDept), N("DOJ", vHire("02-01-2006")), N("CTC", vAmount(300000, 4500000, 0, "", true))}},
		{name: "in_signups_devanagari.csv", locale: "hi-IN", delim: ',', nativeOnly: true, cols: []col{
			P("नाम", eName, vFull), P("mobile", ePhone, vPhone("mob")), P("email", eEmail, vEmail).b(0.2), N("city", vCity),
			N("registration_date", vTS("2006-01-02 15:04:05")), P("aadhaar", eID, vID("aadhaar")).b(0.3), P("value", eIP, vIP(10)),
			N("plan", vStatus), N("amount_paid", vAmount(99, 9999, 2, "₹%s", true)), N("referral_code", vFill("REF@@@##")), P("feedback", eText, vText(30)).b(0.2)}},
		{name: "ae_staff.csv", locale: "ar-AE", delim: ',', cols: []col{
			N("Staff ID", vSeq("AE%05d", 500, 4)), P("Full Name (English)", eName, vLatin), P("الاسم", eName, vFull), P("Emirates ID", eID, vID("eid")),
			N("Nationality", vCountry), P("Date of Birth", eDOB, vDOB("02/01/2006")), P("Mobile", ePhone, vPhone("mob", "intl")), P("Email", eEmail, vEmail).b(0.1),
			P("Residential Address", eAddr, vStreet).b(0.1), N("Designation", vJob), N("Department", vDept), N("Joining Date", vHire("02/01/2006")),
			N("Basic Salary (AED)", vAmount(3500, 60000, 2, "", true)), P("IBAN", eIBAN, vIBAN("AE", false))}},
		{name: "ae_bookings.csv", locale: "ar-AE", delim: ',', cols: []col{
			N("booking_ref", vFill("@@@###", "@#@#@#")), N("booking_date", vTS("2006-01-02 15:04")), P("guest_name", eName, vLatin), P("guest_email", eEmail, vEmail),
			P("guest_phone", ePhone, vPhone("intl", "mob")).b(0.1), N("nationality", vCountry), N("check_in", vCheckIn("02/01/2006")), N("check_out", vCheckOut("02/01/2006")),
			N("room_type", vProduct), N("rate_aed", vAmount(350, 4500, 2, "", true)), P("payment_card", eCard, vCard(0, "visa", "mc", "amex")),
			N("channel", vPick("Booking.com|Expedia|Direct|Agoda|Corporate")), N("status", vStatus), P("ip_address", eIP, vIP(30)), P("special_requests", eText, vText(30)).b(0.3)}},
		{name: "ru_sotrudniki.csv", locale: "ru-RU", delim: ';', cols: []col{
			N("Таб. №", vSeq("%05d", 100, 3)), P("ФИО", eName, vFull), P("Дата рождения", eDOB, vDOB("02.01.2006")), P("СНИЛС", eID, vID("snils")),
			P("ИНН", eID, vID("inn")).b(0.1), P("Телефон", ePhone, vPhone("mob", "land")).b(0.1), P("Эл. почта", eEmail, vEmail).b(0.2), P("Адрес регистрации", eAddr, vAddr),
			N("Отдел", vDept), N("Должность", vJob), N("Дата приёма", vHire("02.01.2006")), N("Оклад", vAmount(35000, 250000, 2, "", true)), N("Город", vCity)}},
		{name: "ru_zakazy.csv", locale: "ru-RU", delim: ',', cols: []col{
			N("Номер заказа", vSeq("%d", 7300100, 5)), N("Дата", vTS("02.01.2006 15:04")), P("Покупатель", eName, func(g *gen, p *person, _ int) string { return p.given.n + " " + p.family.n }),
			P("Email", eEmail, vEmail), P("Телефон", ePhone, vPhone("intl", "mob")), P("Адрес доставки", eAddr, vStreet), N("Товар", vProduct), N("Артикул", vFill("########")),
			N("Кол-во", vQty(1, 6)), N("Сумма", vAmount(199, 89000, 2, "%s ₽", true)), N("Способ оплаты", vPick("Картой онлайн|СБП|Наличными курьеру|Сплит")),
			N("Статус", vStatus), N("Трек-номер", vTrack), P("Карта", eCard, vCard(0, "mir", "visa", "mc")).b(0.3), P("Комментарий", eText, vText(30)).b(0.3)}},
		{name: "sv_personal.csv", locale: "sv-SE", delim: ';', cols: []col{
			N("Anst.nr", vSeq("%04d", 1000, 2)), P("Förnamn", eName, vGiven), P("Efternamn", eName, vFamily), P("Personnummer", eID, vID("pnr")),
			P("Adress", eAddr, vStreet), Z("Postnr"), N("Ort", vCity), P("Mobil", ePhone, vPhone("mob")).b(0.1), P("E-post", eEmail, vEmail),
			N("Avdelning", vDept), N("Befattning", vJob), N("Anställningsdatum", vHire("2006-01-02")), N("Månadslön", vAmount(25000, 85000, 0, "", true)),
			P("IBAN", eIBAN, vIBAN("SE", true))}},
		{name: "sv_event_anmalan.csv", locale: "sv-SE", delim: ',', cols: []col{
			N("Anmäld", vTS("2006-01-02 15:04")), P("Namn", eName, vFull), P("E-postadress", eEmail, vEmail), P("Telefonnummer", ePhone, vPhone("mob", "land", "intl")).b(0.2),
			N("Företag", vCompany), N("Biljettyp", vPick("Standard|Student|Early bird|Partner")), N("Kostpreferens", vNeutral), P("Födelsedatum", eDOB, vDOB("2006-01-02")).b(0.3),
			P("field_3", eName, vGiven), N("Pris", vAmount(0, 4500, 0, "%s kr", true)), N("Status", vStatus)}},
		{name: "tr_personel.csv", locale: "tr-TR", delim: ';', cols: []col{
			N("Sicil No", vSeq("%05d", 20000, 3)), P("Adı", eName, vGiven), P("Soyadı", eName, vFamily), P("T.C. Kimlik No", eID, vID("tckn")),
			P("Doğum Tarihi", eDOB, vDOB("02.01.2006")), P("Cep Tel", ePhone, vPhone("mob")).b(0.05), P("E-posta", eEmail, vEmail).b(0.1), P("Adres", eAddr, vStreet),
			N("İl", vCity), N("İlçe", vPick("Kadıköy|Çankaya|Konak|Nilüfer|Muratpaşa|Selçuklu|Seyhan|Şahinbey")), Z("Posta Kodu"), N("Departman", vDept),
			N("Unvan", vJob), N("İşe Giriş Tarihi", vHire("02.01.2006")), N("Brüt Maaş", vAmount(22000, 150000, 2, "", true)), P("IBAN", eIBAN, vIBAN("TR", true))}},
		{name: "tr_siparisler.csv", locale: "tr-TR", delim: ',', cols: []col{
			N("siparis_no", vSeq("TR%08d", 1000000, 3)), N("siparis_tarihi", vTS("02.01.2006 15:04")), P("musteri_adi", eName, vFull), P("eposta", eEmail, vEmail),
			P("gsm", ePhone, vPhone("intl", "mob")), P("teslimat_adresi", eAddr, vAddr), N("urun", vProduct), N("stok_kodu", vFill("STK-#####")), N("adet", vQty(1, 6)),
			N("tutar", vAmount(49, 25000, 2, "%s TL", true)), N("odeme_tipi", vPick("Kredi Kartı|Havale/EFT|Kapıda Ödeme|Taksitli")), N("kargo_takip", vTrack),
			N("durum", vStatus), P("kart_no", eCard, vCard(0, "troy", "visa", "mc")).b(0.25), P("ip", eIP, vIP(15))}},
		{name: "kr_insa.csv", locale: "ko-KR", delim: ',', cols: []col{
			N("사번", vSeq("%07d", 2010000, 9)), P("성명", eName, vFull), P("영문명", eName, vLatin), P("주민등록번호", eID, vID("rrn")),
			P("생년월일", eDOB, vDOB("2006.01.02")), P("휴대폰", ePhone, vPhone("mob")), P("이메일", eEmail, vEmail).b(0.1), P("주소", eAddr, vStreet), Z("우편번호"),
			N("부서", vDept), N("직급", vJob), N("입사일", vHire("2006.01.02")), N("연봉", vAmount(28000000, 120000000, 0, "", true))}},
		{name: "kr_orders.csv", locale: "ko-KR", delim: ',', cols: []col{
			N("주문번호", vSeq("2025%010d", 1000000, 50)), N("주문일시", vTS("2006-01-02 15:04:05")), P("주문자", eName, vFull), P("수령인", eName, vOtherFull),
			P("연락처", ePhone, vPhone("mob", "land")), P("배송지", eAddr, vAddr), N("상품명", vProduct), N("상품코드", vFill("P########")), N("수량", vQty(1, 5)),
			N("결제금액", vAmount(5000, 900000, 0, "%s원", true)), N("결제수단", vPick("신용카드|카카오페이|네이버페이|무통장입금|토스")), N("주문상태", vStatus),
			N("송장번호", vTrack), P("이메일", eEmail, vEmail).b(0.2), P("info", eName, vFamily)}},
		{name: "app_users_export.csv", locale: "en-US", delim: ',', cols: []col{
			N("userId", vUUID), P("firstName", eName, vGiven), P("lastName", eName, vFamily), P("emailAddress", eEmail, vEmail),
			P("phoneNumber", ePhone, vPhone("intl", "mob")).b(0.3), P("dateOfBirth", eDOB, vDOB("2006-01-02")).b(0.2), P("signupIp", eIP, vIP(35)),
			N("lastLoginAt", vTS("2006-01-02T15:04:05Z")), N("planTier", vPick("free|pro|team|enterprise")), N("appVersion", vVersion),
			N("referralCode", vFill("@@@@-####")), N("countryCode", vPick("US|CA|GB|DE|MX|BR|IN")), N("accountBalance", vAmount(0, 2500, 2, "", false)),
			N("currencyCode", vPick("USD|EUR|GBP|CAD|MXN|BRL|INR")), N("isbnLastPurchase", vISBN).b(0.3)}},
		{name: "de_verein_anmeldung.csv", locale: "de-DE", delim: ';', cols: []col{
			N("lfd. Nr.", vSeq("%d", 0, 1)), N("Startnr.", vSeq("%04d", 1000, 2)),
			P("Name", eName, func(g *gen, p *person, _ int) string { return p.family.n + ", " + p.given.n }),
			P("geb.", eDOB, vDOB("02.01.06")), P("tel.", ePhone, vPhone("mob", "land", "intl")).b(0.2).j(), P("e-mail", eEmail, vEmail).b(0.1),
			P("Anschrift", eAddr, vAddr).b(0.15), N("Verein", vPick("TSV 1860 Musterstadt e.V.|SC Grün-Weiß Nord|LG Rhein-Main|Lauftreff Elbufer|ohne Verein")),
			N("T-Shirt-Größe", vPick("XS|S|M|L|XL|XXL")), N("Startgebühr", vAmount(15, 65, 2, "%s €", false)), N("Anmeldedatum", vTS("02.01.2006")),
			N("Bezahlt", vPick("ja|nein|offen")), N("Strecke", vPick("5 km|10 km|Halbmarathon|Marathon|Staffel"))}},
		{name: "export_dump_us.csv", locale: "en-US", delim: ',', cols: []col{
			N("col1", vSeq("%d", 1, 1)), P("col2", eEmail, vEmail), P("col3", ePhone, vPhone("intl")), P("col4", eName, vFull), N("col5", vUUID),
			N("col6", vAmount(1, 900, 2, "", false)), P("col7", eCard, vCard(2, "visa", "mc")), N("col8", vTS("2006-01-02")), P("col9", eDOB, vDOB("2006-01-02")),
			N("col10", vVersion), P("col11", eAddr, vStreet), N("col12", vISBN), P("col13", eIP, vIP(0)), N("col14", vPick("active|inactive|pending"))}},
		{name: "export_dump_eu.csv", locale: "de-DE", delim: ';', cols: []col{
			N("field_1", vSeq("%d", 500, 3)), P("field_2", eIBAN, vIBAN("DE", false)), P("field_3", eEmail, vEmail), N("field_4", vHash(64)),
			P("field_5", ePhone, vPhone("intl")), N("field_6", vAmount(10, 99999, 2, "", true)), P("field_7", eName, vFull), N("field_8", vEAN),
			P("field_9", eDOB, vDOB("02.01.2006")), N("field_10", vCity), P("value", eID, vID("steuerid")), N("info", vPick("EUR|CHF|USD|GBP"))}},
	}
}

// ---------------------------------------------------------------- run

type labelCol struct {
	Header   string `json:"header"`
	Expected string `json:"expected"`
	Postcode bool   `json:"postcode,omitempty"`
}

type labelFile struct {
	File      string     `json:"file"`
	Locale    string     `json:"locale"`
	Delimiter string     `json:"delimiter"`
	Rows      int        `json:"rows"`
	Columns   []labelCol `json:"columns"`
}

type outcome struct {
	file, locale, header string
	want, got            inlet.Entity
	flagged, possible    bool
	zip                  bool
	reason, kind         string
	samples              []string
}

var junkCells = []string{"n/a", "-", "?", "N/A", "--"}

func generate(t *testing.T, dir string, i int, s fileSpec) (labelFile, [][]string) {
	l := locales[s.locale]
	if l == nil {
		t.Fatalf("generator error: no locale %s", s.locale)
	}
	g := &gen{r: rand.New(rand.NewPCG(20260401, uint64(1000+i))), l: l, t: t, seqs: map[string]int{},
		nativeOnly: s.nativeOnly, tmplTries: map[string]int{}, tmplValid: map[string]int{}}
	rows := 150 + g.r.IntN(151)
	header := make([]string, len(s.cols))
	for c, cl := range s.cols {
		header[c] = cl.h
	}
	data := [][]string{header}
	for row := 0; row < rows; row++ {
		p := g.newPerson()
		rec := make([]string, len(s.cols))
		for c, cl := range s.cols {
			v := cl.f(g, p, row) // always draw, so blanks do not shift other columns
			switch {
			case cl.blank > 0 && g.r.Float64() < cl.blank:
				v = ""
			case cl.junk && g.r.IntN(40) == 0:
				v = g.pick(junkCells)
			}
			rec[c] = v
		}
		data = append(data, rec)
	}
	var tms []string
	for tm := range g.tmplTries {
		tms = append(tms, tm)
	}
	sort.Strings(tms)
	for _, tm := range tms {
		n := g.tmplTries[tm]
		if g.tmplValid[tm] == 0 {
			t.Errorf("generator error: phone template %q never valid (%d tries)", tm, n)
		} else if float64(g.tmplValid[tm])/float64(n) < 0.5 {
			t.Logf("generator note: phone template %q valid %d/%d", tm, g.tmplValid[tm], n)
		}
	}
	f, err := os.Create(filepath.Join(dir, s.name))
	if err != nil {
		t.Fatal(err)
	}
	if s.bom {
		f.WriteString("\ufeff")
	}
	w := csv.NewWriter(f)
	w.Comma = s.delim
	w.UseCRLF = s.delim == ';'
	if err := w.WriteAll(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	lf := labelFile{File: s.name, Locale: s.locale, Delimiter: string(s.delim), Rows: rows}
	for _, cl := range s.cols {
		lf.Columns = append(lf.Columns, labelCol{Header: cl.h, Expected: string(cl.want), Postcode: cl.zip})
	}
	return lf, data
}

func samplesOf(data [][]string, c int) []string {
	var out []string
	seen := map[string]bool{}
	for _, rec := range data[1:] {
		v := rec[c]
		if v == "" || seen[v] {
			continue
		}
		for _, j := range junkCells {
			if v == j {
				v = ""
			}
		}
		if v == "" {
			continue
		}
		seen[v] = true
		out = append(out, v)
		if len(out) == 3 {
			break
		}
	}
	return out
}

func TestHeldout(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	insp := ingest.NewInspector(ingest.Config{PhoneRegion: "US", TmpDir: t.TempDir()})
	var labels []labelFile
	var outs []outcome
	for i, s := range specs() {
		seen := map[string]bool{}
		for _, c := range s.cols {
			if seen[c.h] {
				t.Fatalf("generator error: %s: duplicate header %q", s.name, c.h)
			}
			seen[c.h] = true
		}
		lf, data := generate(t, dir, i, s)
		labels = append(labels, lf)
		ins, err := insp.InspectFile(ctx, filepath.Join(dir, s.name), s.name, inlet.InspectOptions{})
		if err != nil {
			t.Logf("INSPECT ERROR %s: %v (all its columns count as not flagged)", s.name, err)
			ins = &inlet.Inspection{}
		}
		if ins.Dialect.Delimiter != "" && ins.Dialect.Delimiter != string(s.delim) {
			t.Logf("NOTE %s: delimiter detected %q, written %q", s.name, ins.Dialect.Delimiter, string(s.delim))
		}
		if len(ins.Columns) != len(s.cols) && err == nil {
			t.Logf("NOTE %s: inspector saw %d columns, file has %d", s.name, len(ins.Columns), len(s.cols))
		}
		for c, cl := range s.cols {
			o := outcome{file: s.name, locale: s.locale, header: cl.h, want: cl.want, zip: cl.zip, samples: samplesOf(data, c)}
			var ic *inlet.InspectedColumn
			for k := range ins.Columns {
				if ins.Columns[k].SourceName == cl.h {
					ic = &ins.Columns[k]
					break
				}
			}
			if ic == nil && c < len(ins.Columns) {
				ic = &ins.Columns[c]
				if err == nil {
					t.Logf("NOTE %s: column %q matched by position (source name %q)", s.name, cl.h, ic.SourceName)
				}
			}
			if ic != nil && ic.PII != nil {
				o.reason, o.kind, o.got = ic.PII.Reason, ic.PII.Kind, ic.PII.Entity
				o.possible = ic.PII.Possible
				o.flagged = !ic.PII.Possible
			}
			outs = append(outs, o)
		}
	}
	js, _ := json.MarshalIndent(labels, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "labels.json"), js, 0o644); err != nil {
		t.Fatal(err)
	}
	report(t, labels, outs)
}

type tally struct{ pos, det, correct, neg, fp, possMiss int }

func pct(a, b int) string {
	if b == 0 {
		return "   -  "
	}
	return fmt.Sprintf("%5.1f%%", 100*float64(a)/float64(b))
}

func report(t *testing.T, labels []labelFile, outs []outcome) {
	rows := 0
	for _, l := range labels {
		rows += l.Rows
	}
	add := func(m map[string]*tally, k string) *tally {
		if m[k] == nil {
			m[k] = &tally{}
		}
		return m[k]
	}
	all, allNoZip := &tally{}, &tally{}
	byEnt, byLoc, byGot := map[string]*tally{}, map[string]*tally{}, map[string]*tally{}
	var misses, fps, wrong, zips []outcome
	for _, o := range outs {
		tl := []*tally{all, add(byLoc, o.locale)}
		if !o.zip {
			tl = append(tl, allNoZip)
		}
		if o.want != "" {
			e := add(byEnt, string(o.want))
			tl = append(tl, e)
			for _, x := range tl {
				x.pos++
				if o.flagged {
					x.det++
					if o.got == o.want {
						x.correct++
					}
				} else if o.possible {
					x.possMiss++
				}
			}
			switch {
			case !o.flagged:
				misses = append(misses, o)
			case o.got != o.want:
				wrong = append(wrong, o)
			}
		} else {
			for _, x := range tl {
				x.neg++
				if o.flagged {
					x.fp++
				}
			}
			if o.zip {
				zips = append(zips, o)
			} else if o.flagged {
				fps = append(fps, o)
			}
		}
		if o.flagged {
			g := add(byGot, string(o.got))
			g.det++
			if o.got == o.want {
				g.correct++
			}
		}
	}
	line := func(name string, x *tally) {
		t.Logf("  %-16s pos %3d  recall %s (possible-only %2d)  entity-acc %s  strict-recall %s | neg %3d  FP %2d  precision %s",
			name, x.pos, pct(x.det, x.pos), x.possMiss, pct(x.correct, x.det), pct(x.correct, x.pos), x.neg, x.fp, pct(x.det, x.det+x.fp))
	}
	t.Logf("HELD-OUT PII EVALUATION: %d files, %d rows, %d columns (%d PII, %d not PII of which %d postcode/zip)",
		len(labels), rows, len(outs), all.pos, all.neg, all.neg-allNoZip.neg)
	t.Logf("OVERALL (postcodes counted as not-PII):")
	line("all", all)
	t.Logf("OVERALL (postcode columns excluded):")
	line("all-no-zip", allNoZip)
	// Floors: recall 91.9 %, precision 100 % when this set was first run.
	if r := float64(allNoZip.det) / float64(allNoZip.pos); r < 0.91 {
		t.Errorf("held-out recall %.3f is below the 0.91 floor", r)
	}
	if p := float64(allNoZip.det) / float64(allNoZip.det+allNoZip.fp); p < 0.99 {
		t.Errorf("held-out precision %.3f is below the 0.99 floor", p)
	}
	t.Logf("PER EXPECTED ENTITY:")
	keys := func(m map[string]*tally) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	for _, k := range keys(byEnt) {
		line(k, byEnt[k])
	}
	t.Logf("PER PREDICTED ENTITY (precision = predicted entity matches label):")
	for _, k := range keys(byGot) {
		x := byGot[k]
		t.Logf("  %-16s predicted %3d  correct %3d  precision %s", k, x.det, x.correct, pct(x.correct, x.det))
	}
	t.Logf("PER LOCALE:")
	for _, k := range keys(byLoc) {
		line(k, byLoc[k])
	}
	show := func(tag string, o outcome) {
		got := "-"
		if o.got != "" {
			got = string(o.got)
			if o.possible {
				got += " (possible)"
			}
			if o.kind != "" {
				got += " [" + o.kind + "]"
			}
		}
		want := string(o.want)
		if want == "" {
			want = "not-pii"
		}
		t.Logf("  %s %s | %q | want %s got %s | reason: %q | samples: %q", tag, o.file, o.header, want, got, o.reason, o.samples)
	}
	t.Logf("MISSES (%d):", len(misses))
	for _, o := range misses {
		show("MISS", o)
	}
	t.Logf("WRONG ENTITY (%d):", len(wrong))
	for _, o := range wrong {
		show("WRONG", o)
	}
	t.Logf("FALSE POSITIVES, excluding postcode columns (%d):", len(fps))
	for _, o := range fps {
		show("FP", o)
	}
	t.Logf("NOT-PII COLUMNS GIVEN ONLY A 'POSSIBLE' VERDICT (not counted as flagged), excluding postcodes:")
	for _, o := range outs {
		if o.want == "" && !o.zip && o.possible {
			show("NEG-POSSIBLE", o)
		}
	}
	t.Logf("POSTCODE/ZIP COLUMNS (labelled not-PII; how they were judged):")
	for _, o := range zips {
		show("ZIP", o)
	}
}
