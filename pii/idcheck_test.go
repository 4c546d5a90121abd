package pii

import "testing"

// Published examples of each id kind pass its check; one digit changed fails.
func TestIDChecks(t *testing.T) {
	for _, c := range []struct{ v, kind string }{
		{"078-05-1120", "US SSN"}, {"AB 12 34 56 C", "UK NINO"}, {"86095742719", "DE Steuer-ID"},
		{"12345678Z", "ES DNI/NIE"}, {"X1234567L", "ES DNI/NIE"}, {"RSSMRA85T10A562S", "IT codice fiscale"},
		{"111222333", "NL BSN"}, {"529.982.247-25", "BR CPF"}, {"11.222.333/0001-81", "BR CNPJ"},
		{"ABCPE1234F", "IN PAN"}, {"046 454 286", "CA SIN"}, {"123 456 782", "AU TFN"},
	} {
		var k *idKind
		for i := range idKinds {
			if idKinds[i].name == c.kind {
				k = &idKinds[i]
			}
		}
		if k == nil || !k.valid(c.v) {
			t.Errorf("%s is a valid %s", c.v, c.kind)
			continue
		}
		if !k.checked {
			continue
		}
		b := []byte(c.v)
		for i := len(b) - 1; i >= 0; i-- {
			if b[i] >= '0' && b[i] <= '9' {
				b[i] = '0' + (b[i]-'0'+1)%10
				break
			}
		}
		if k.valid(string(b)) {
			t.Errorf("%s with its last digit changed still passes as %s", c.v, c.kind)
		}
	}
}
