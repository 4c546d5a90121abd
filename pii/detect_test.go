package pii

import (
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

func repeat(vals ...string) []string {
	var out []string
	for i := 0; i < 10; i++ {
		out = append(out, vals...)
	}
	return out
}

func TestDetect(t *testing.T) {
	d := &Detector{Region: "US"}
	tests := []struct {
		name   string
		column string
		values []string
		want   inlet.Entity // "" for no finding
	}{
		{"email", "E-mail", repeat("john@example.com", "MARY.Jones@corp.co.uk", "a.b+tag@x.io"), inlet.EntityEmail},
		{"email without telling name", "contact", repeat("john@example.com", "mary@corp.co.uk"), inlet.EntityEmail},
		{"email with blanks and junk", "email", append(repeat("a@b.com", "c@d.org", ""), "n/a", "unknown"), inlet.EntityEmail},
		{"phone e164", "Phone", repeat("+1 415-555-0132", "+44 20 7946 0958", "+49 30 901820"), inlet.EntityPhone},
		{"fictional numbers under a phone name", "Mobile", repeat("+44 7700 900123", "07700 900456", "+44 7700 900789"), inlet.EntityPhone},
		{"phone national", "mobile", repeat("(415) 555-0132", "415.555.0199", "212-555-0100"), inlet.EntityPhone},
		{"person name", "Full Name", repeat("John Smith", "María García", "Li Wei", "Anne-Marie O'Neil"), inlet.EntityPersonName},
		{"first names only by values", "who", repeat("James Carter", "Mary Lopez", "Robert King", "Linda Hall", "Susan Moore",
			"Peter Walsh", "Laura Quinn", "Daniel Rhodes", "Emma Clarke", "Oliver Grant", "Sophie Dunn", "Henry Blake"), inlet.EntityPersonName},
		{"few distinct names by values are only possible", "who", repeat("James Carter", "Mary Lopez", "Robert King", "Linda Hall"), ""},
		{"last name", "surname", repeat("Smith", "García", "O'Neil"), inlet.EntityPersonName},
		{"street address", "Address", repeat("221B Baker Street", "1600 Pennsylvania Ave NW", "10 Downing St"), inlet.EntityStreetAddress},
		{"german address", "anschrift", repeat("Hauptstraße 5", "Lindenweg 12", "Goethestr. 3"), inlet.EntityStreetAddress},
		{"ipv4", "client_ip", repeat("192.168.1.10", "10.0.0.1", "8.8.8.8"), inlet.EntityIPAddress},
		{"ipv6 unnamed", "src", repeat("2001:db8::1", "fe80::1ff:fe23:4567:890a"), inlet.EntityIPAddress},
		{"credit card", "card_number", repeat("4111 1111 1111 1111", "5500-0000-0000-0004", "340000000000009"), inlet.EntityCreditCard},
		{"credit card unnamed", "x", repeat("4111111111111111", "5555555555554444", "378282246310005"), inlet.EntityCreditCard},
		{"ssn", "SSN", repeat("123-45-6789", "078-05-1120", "219-09-9999"), inlet.EntityNationalID},
		{"nino", "ni_number", repeat("QQ 12 34 56 C", "AB123456D"), inlet.EntityNationalID},
		{"iban", "IBAN", repeat("DE89 3704 0044 0532 0130 00", "GB29NWBK60161331926819", "FR1420041010050500013M02606"), inlet.EntityIBAN},
		{"date of birth", "Date of Birth", repeat("1984-03-12", "1990-11-02", "1975-07-30"), inlet.EntityDateOfBirth},
		{"dob short", "dob", repeat("12/03/1984", "02/11/1990"), inlet.EntityDateOfBirth},

		{"amounts with seven digits are not phones", "lifetime_value", repeat("78357.58", "1234567.89", "99999.99", "18774.45"), ""},
		{"dotted quads are addresses of hosts, not phones", "peer", repeat("211.234.85.79", "53.112.52.112", "10.200.30.40"), inlet.EntityIPAddress},
		{"numeric ids", "customer_id", repeat("1001", "1002", "1003", "4111111111111111"), ""},
		{"plain digit ids", "account", repeat("4155550132", "2125550100", "6505550199"), ""},
		{"skus", "sku", repeat("SKU-10023", "SKU-20991", "AB-1234-XY"), ""},
		{"versions", "version", repeat("1.2.3.4", "10.0.19041.1", "2.0.0.1"), ""},
		{"uuids", "request", repeat("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "7c9e6679-7425-40de-944b-e07fc1f90ae7"), ""},
		{"sha256 hex", "checksum", repeat("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), ""},
		{"isbn", "isbn", repeat("9780306406157", "978-0-306-40615-7", "9781861972712"), ""},
		{"isbn unnamed", "ref", repeat("9780306406157", "9781861972712", "9780141036144"), ""},
		{"company names", "company", repeat("Acme Inc", "Globex Corporation", "Initech LLC", "Umbrella Group"), ""},
		{"company names under name", "name", repeat("Acme Inc", "Globex Corporation", "Initech LLC", "Umbrella Holdings"), ""},
		{"order dates", "order_date", repeat("2024-03-12", "2024-11-02"), ""},
		{"product names", "product_name", repeat("Blue Widget", "Red Gadget"), ""},
		{"cities", "city", repeat("Paris", "London", "Berlin"), ""},
		{"free text", "comment", repeat("Great service, will buy again", "Delivery was late by 2 days"), ""},
		{"amounts", "amount", repeat("12.50", "100.00", "7.25"), ""},

		// The review's international misses.
		{"german landline", "Festnetz", repeat("030 1234567", "030 9876543", "089 2345678"), inlet.EntityPhone},
		{"japanese mobile", "携帯番号", repeat("090-1234-5678", "080-2345-6789", "070-3456-7890"), inlet.EntityPhone},
		{"french mobile, generic header", "misc", repeat("06 12 34 56 78", "07 23 45 67 89", "06 98 76 54 32"), inlet.EntityPhone},
		{"brazilian mobile, generic header", "column_3", repeat("(11) 98765-4321", "(21) 99876-5432", "(31) 91234-5678"), inlet.EntityPhone},
		{"portuguese mobile digits", "telemóvel", repeat("912345678", "923456789", "961234567"), inlet.EntityPhone},
		{"uk mobile", "Mobile", repeat("+44 7911 123456", "+44 7700 900123", "+44 7400 123456"), inlet.EntityPhone},
		{"german family names", "Familienname", repeat("Müller", "Schmidt", "Brandt", "Engel"), inlet.EntityPersonName},
		{"spanish family names", "apellido", repeat("García", "Cabrera", "Pastor", "Vidal"), inlet.EntityPersonName},
		{"portuguese family names", "sobrenome", repeat("Silva", "Guimarães", "Cavalcanti", "Bezerra"), inlet.EntityPersonName},
		{"japanese family names", "姓", repeat("佐藤", "鈴木", "菅原", "望月"), inlet.EntityPersonName},
		{"russian family names", "Фамилия", repeat("Иванов", "Смирнова", "Кузнецов", "Соколова"), inlet.EntityPersonName},
		{"portuguese address", "morada", repeat("Rua Augusta, 12", "Avenida da Liberdade 100", "Travessa do Carmo 5"), inlet.EntityStreetAddress},
		{"japanese birthday", "誕生日", repeat("1980/04/12", "1975/11/30", "1992/02/08"), inlet.EntityDateOfBirth},
		{"brazilian cpf", "documento", repeat("529.982.247-25", "111.444.777-35", "390.533.447-05"), inlet.EntityNationalID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := d.Detect(tt.column, tt.values)
			switch {
			case tt.want == "" && f != nil && !f.Possible:
				t.Errorf("got %s (%.2f: %s), want no finding (or a possible one)", f.Entity, f.Confidence, f.Reason)
			case tt.want != "" && (f == nil || f.Possible):
				t.Errorf("got %+v, want %s", f, tt.want)
			case tt.want != "" && f.Entity != tt.want:
				t.Errorf("got %s (%s), want %s", f.Entity, f.Reason, tt.want)
			case f != nil && (f.Confidence <= 0 || f.Confidence > 1 || f.Reason == ""):
				t.Errorf("got confidence %v reason %q, want (0,1] and a reason", f.Confidence, f.Reason)
			}
		})
	}
}

func TestDetectReasonNeverQuotesValues(t *testing.T) {
	d := &Detector{}
	vals := repeat("secret.person@example.com", "other.person@example.org")
	f := d.Detect("email", vals)
	for _, v := range vals {
		if f == nil || strings.Contains(f.Reason, v) {
			t.Fatalf("reason %v quotes a value", f)
		}
	}
}
