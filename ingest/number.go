package ingest

import "bytes"

// numInfo describes a number as written in a cell.
type numInfo struct {
	intDigits   int  // significant digits before the decimal separator
	scale       int  // digits after the decimal separator
	exp         bool // has an exponent (1e6)
	leadingZero bool // like 007: a code, not a number
	grouped     bool // used a thousands separator
	groups      int  // how many
}

// Number styles: which character separates decimals.
const (
	styleDot   uint8 = 1 << iota // 1,234.56
	styleComma                   // 1.234,56
	styleBoth  = styleDot | styleComma
)

// scanNumber reports whether b is a number in the given style, and its shape.
// Grouping separators must be consistent (groups of three).
func scanNumber(b []byte, style uint8) (n numInfo, ok bool) {
	dec, grp := byte('.'), byte(',')
	if style == styleComma {
		dec, grp = ',', '.'
	}
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		// +31 8855 443322: a long number with a plus is a phone number.
		if b[i] == '+' && len(b) >= 9 && bytes.IndexAny(b, ".,") < 0 {
			return n, false
		}
		i++
	}
	start := i
	groupLen := -1 // digits since the last group separator; -1: none seen
	firstGroup := 0
	for ; i < len(b); i++ {
		c := b[i]
		if c >= '0' && c <= '9' {
			if n.intDigits > 0 || c != '0' {
				n.intDigits++
			} else if i > start {
				// a zero after a leading zero: still leading
			}
			if groupLen >= 0 {
				groupLen++
				if groupLen > 3 {
					return n, false
				}
			} else {
				firstGroup++
			}
			continue
		}
		if c == grp {
			if groupLen >= 0 && groupLen != 3 {
				return n, false
			}
			if groupLen < 0 && (firstGroup == 0 || firstGroup > 3) {
				return n, false
			}
			n.grouped = true
			n.groups++
			groupLen = 0
			continue
		}
		break
	}
	if groupLen >= 0 && groupLen != 3 {
		return n, false
	}
	intLen := i - start
	if intLen > 1 && b[start] == '0' && !n.grouped {
		n.leadingZero = true
	}
	if i < len(b) && b[i] == dec {
		i++
		fs := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		n.scale = i - fs
		if n.scale == 0 {
			return n, false
		}
	} else if intLen == 0 {
		return n, false
	}
	if intLen == 0 && n.scale == 0 {
		return n, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') && style == styleDot {
		i++
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			i++
		}
		es := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == es {
			return n, false
		}
		n.exp = true
	}
	return n, i == len(b)
}

// normaliseNumber writes b in plain dot style (no grouping) into dst.
func normaliseNumber(dst, b []byte, style uint8) []byte {
	dec, grp := byte('.'), byte(',')
	if style == styleComma {
		dec, grp = ',', '.'
	}
	dst = dst[:0]
	for _, c := range b {
		switch c {
		case grp:
		case dec:
			dst = append(dst, '.')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
