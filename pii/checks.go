package pii

import "strings"

// Checks that recognise values by their structure: card numbers and IBANs.

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
