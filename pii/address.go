package pii

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Street addresses, as they are written in the languages Inlet reads: a
// number and a street word in either order (221B Baker Street, Hauptstraße
// 5, Rua Augusta, 12, ul. Marszałkowska 10, 12 rue de Rivoli), or the
// prefecture-city-block of Japan and the province-road-number of China.
var streetWords = `street|st|avenue|ave|av|road|rd|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|close|` +
	`square|sq|highway|hwy|parkway|pkwy|crescent|cres|alley|row|mews|` +
	`strasse|straße|str|weg|gasse|platz|allee|ring|damm|ufer|chaussee|` +
	`rue|avenue|boulevard|bd|chemin|impasse|allée|quai|cours|place|route|` +
	`calle|c/|avenida|avda|paseo|plaza|carrera|camino|travesía|ronda|` +
	`rua|r\.|avenida|av\.|travessa|largo|praça|alameda|estrada|rodovia|` +
	`via|viale|piazza|corso|vicolo|largo|strada|` +
	`straat|laan|plein|weg|kade|gracht|singel|dijk|` +
	`ul\.|ulica|al\.|aleja|os\.|osiedle|pl\.|plac|` +
	`marg|nagar|colony|sector|chowk|gali|` +
	`شارع|طريق`

var (
	streetRE = regexp.MustCompile(`(?i)(^|\s)(` + streetWords + `)(\.|\s|,|$)`)
	// A street word glued to its name: Hauptstraße, Kalverstraat, Lindenweg.
	streetSuffixRE = regexp.MustCompile(`(?i)\pL(straße|strasse|str\.|weg|gasse|platz|allee|straat|laan|plein|gracht|vej|gade|gatan|vägen|katu)\b`)
	jpAddressRE    = regexp.MustCompile(`(都|道|府|県|市|区|町|村).*(\d|丁目|番地|番|号)`)
	cnAddressRE    = regexp.MustCompile(`(省|市|区|县|路|街|道).*(\d|号)`)
)

// addressShape reports whether v is written as a street address.
func addressShape(v string) bool {
	if len(v) < 5 || len(v) > 200 {
		return false
	}
	hasDigit := strings.ContainsAny(v, "0123456789０１２３４５６７８９")
	if !ascii(v) && (jpAddressRE.MatchString(v) || cnAddressRE.MatchString(v)) {
		return true
	}
	if !hasDigit || strings.IndexFunc(v, unicode.IsLetter) < 0 || strings.Contains(v, "@") {
		return false
	}
	return streetRE.MatchString(v) || streetSuffixRE.MatchString(v)
}

// addressLike: numbers and words together, the loose shape of an address
// for columns whose header says address.
func addressLike(v string) bool {
	return strings.ContainsAny(v, "0123456789") && strings.IndexFunc(v, unicode.IsLetter) >= 0 &&
		strings.ContainsAny(v, " ,") && !strings.Contains(v, "@")
}

func ascii(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
