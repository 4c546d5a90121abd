package pii

import (
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

// No value, however odd, makes detection, hashing, redaction or
// generalisation panic: they run on every cell of files nobody vetted.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{"", ".", "-", "李", "佐藤", "+", "00", "(0)", "1980-04-12", "12.04.1980", "SW1A 1AA", "192.168.0.1", "DE89 3704 0044 0532 0130 00",
		"65929970489", "123-45-6789", "RSSMRA85T10A562S", "a@b.co", "Иванов", "O'Neil", "x\x00y", "\xff\xfe", "0171 2345678", "EMP-1", "ｱｲｳ"} {
		f.Add("name", s)
		f.Add("telefon", s)
		f.Add("notes", s+" call 030 1234567 or a@b.de")
	}
	d := &Detector{Region: "DE", Rules: &inlet.PIIRules{Countries: []string{"BR"}, Custom: []inlet.CustomEntity{{Name: "c", Pattern: `\d+`, Validator: "luhn"}}}}
	h := NewHasher(inlet.Key{ID: "k", Secret: make([]byte, 32)}, "US")
	f.Fuzz(func(t *testing.T, header, v string) {
		vals := []string{v, v + v, strings.ToUpper(v), v, "", v}
		d.DetectTable([]string{header, "country"}, [][]string{{vals[0], "DE"}, {vals[1], "Brasil"}, {vals[2], ""}, {vals[3], "x"}, {vals[4], "JP"}, {vals[5], "US"}})
		for _, e := range append(inlet.Entities, inlet.EntityFreeText, inlet.EntityOther, "custom:c") {
			h.HashIn(e, []byte(v), "DE")
			for _, level := range []string{LevelYear, LevelAgeBand, LevelPrefix, LevelNetwork} {
				day, _ := ParseBirthDay(v)
				Generalise(e, level, v, day, day)
			}
		}
		Redact(v, Spans(v, "GB"), func(e inlet.Entity, s string) string { return "[x]" })
	})
}
