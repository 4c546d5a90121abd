package ingest

import (
	"bytes"
	"time"
)

// Date component orders.
const (
	orderYMD uint8 = 1 << iota
	orderDMY
	orderMDY
	orderAll = orderYMD | orderDMY | orderMDY
)

// parsedTime is a date or timestamp read from a cell.
type parsedTime struct {
	year, month, day   int
	hour, min, sec, ns int
	offset             int // seconds east of UTC
	hasTime, hasZone   bool
}

// micros returns microseconds since the Unix epoch, UTC.
func (p parsedTime) micros() int64 {
	t := time.Date(p.year, time.Month(p.month), p.day, p.hour, p.min, p.sec, p.ns, time.UTC)
	return t.UnixMicro() - int64(p.offset)*1e6
}

// days returns days since the Unix epoch.
func (p parsedTime) days() int32 {
	return int32(daysFromCivil(p.year, p.month, p.day))
}

// daysFromCivil is Howard Hinnant's algorithm: days since 1970-01-01.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

var monthNames = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// monthByName parses "Mar" or "March" (case-insensitive).
func monthByName(b []byte) int {
	if len(b) < 3 {
		return 0
	}
	var low [16]byte
	if len(b) > len(low) {
		return 0
	}
	for i, c := range b {
		low[i] = c | 0x20
	}
	for i, m := range monthNames {
		if string(low[:3]) == m {
			full := [...]string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}[i]
			if len(b) == 3 || string(low[:len(b)]) == full || (len(b) == 4 && string(low[:4]) == "sept") {
				return i + 1
			}
		}
	}
	return 0
}

// scanDateTime parses b as a date, optionally followed by a time, trying the
// component orders in orders. It returns the orders under which b parses.
// Numeric forms: YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY (also with
// two-digit years); with month names: 15-Mar-2024, 15 March 2024, Mar 15, 2024.
func scanDateTime(b []byte, orders uint8) (p parsedTime, ok uint8) {
	datePart, timePart := splitDateTime(b)
	// ISO dates, by far the commonest in exports, skip the general scan
	// (same result: the general path reads them as year-month-day too).
	if len(datePart) == 10 && datePart[4] == '-' && datePart[7] == '-' && orders&orderYMD != 0 {
		y, yok := digits(datePart[:4])
		m, mok := digits(datePart[5:7])
		d, dok := digits(datePart[8:])
		if yok && mok && dok && validDate(y, m, d) {
			p.year, p.month, p.day = y, m, d
			if timePart != nil && !scanTime(timePart, &p) {
				return p, 0
			}
			return p, orderYMD
		}
	}
	return scanDateTimeGeneral(datePart, timePart, orders)
}

// scanDateTimeGeneral reads every date form scanDateTime accepts.
func scanDateTimeGeneral(datePart, timePart []byte, orders uint8) (p parsedTime, ok uint8) {
	if len(datePart) < 6 || len(datePart) > 20 {
		return p, 0
	}
	var parts [3][]byte
	n := 0
	var sep byte
	start := 0
	for i := 0; i <= len(datePart); i++ {
		if i == len(datePart) || datePart[i] == '-' || datePart[i] == '/' || datePart[i] == '.' || datePart[i] == ' ' || datePart[i] == ',' {
			if i < len(datePart) && i > 0 && i == start && datePart[i] != ' ' && datePart[i] != ',' && datePart[i-1] != ' ' && datePart[i-1] != ',' {
				return p, 0 // 08//01/2019: an empty part is a typo, not a date
			}
			if i > start {
				if n == 3 {
					return p, 0
				}
				parts[n] = datePart[start:i]
				n++
			}
			if i < len(datePart) && datePart[i] != ' ' && datePart[i] != ',' {
				if sep == 0 {
					sep = datePart[i]
				} else if sep != datePart[i] {
					return p, 0
				}
			}
			start = i + 1
		}
	}
	if n != 3 {
		return p, 0
	}
	a, aok := digits(parts[0])
	bv, bok := digits(parts[1])
	c, cok := digits(parts[2])
	switch {
	case aok && bok && cok && len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		if orders&orderYMD != 0 && validDate(a, bv, c) {
			p.year, p.month, p.day, ok = a, bv, c, orderYMD
		}
	case aok && bok && cok && len(parts[0]) <= 2 && len(parts[1]) <= 2 && (len(parts[2]) == 4 || len(parts[2]) == 2):
		y := c
		if len(parts[2]) == 2 {
			y = pivotYear(c)
		}
		if orders&orderDMY != 0 && validDate(y, bv, a) {
			p.year, p.month, p.day = y, bv, a
			ok |= orderDMY
		}
		if orders&orderMDY != 0 && validDate(y, a, bv) {
			if ok == 0 {
				p.year, p.month, p.day = y, a, bv
			}
			ok |= orderMDY
		}
	case aok && !bok && cok && len(parts[0]) <= 2 && (len(parts[2]) == 4 || len(parts[2]) == 2):
		// 15-Mar-2024, 15 March 2024
		m := monthByName(parts[1])
		y := c
		if len(parts[2]) == 2 {
			y = pivotYear(c)
		}
		if m > 0 && validDate(y, m, a) {
			p.year, p.month, p.day, ok = y, m, a, orders&(orderDMY|orderMDY|orderYMD)
		}
	case !aok && bok && cok && len(parts[1]) <= 2 && len(parts[2]) == 4:
		// Mar 15, 2024
		m := monthByName(parts[0])
		if m > 0 && validDate(c, m, bv) {
			p.year, p.month, p.day, ok = c, m, bv, orders&(orderDMY|orderMDY|orderYMD)
		}
	}
	if ok == 0 || timePart == nil {
		return p, ok
	}
	if !scanTime(timePart, &p) {
		return p, 0
	}
	return p, ok
}

// splitDateTime splits "2024-03-15T10:00:00" or "15/03/2024 10:00" into
// date and time; time is nil when there is none.
func splitDateTime(b []byte) (date, tm []byte) {
	if i := bytes.IndexByte(b, 'T'); i >= 8 && i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '9' {
		return b[:i], b[i+1:]
	}
	// The time starts at the first space followed by H:MM or HH:MM.
	for i := 0; i < len(b); i++ {
		if b[i] == ' ' && i+3 < len(b) && b[i+1] >= '0' && b[i+1] <= '9' {
			rest := b[i+1:]
			if (len(rest) > 2 && rest[1] == ':') || (len(rest) > 3 && rest[2] == ':') {
				return b[:i], rest
			}
		}
	}
	return b, nil
}

// scanTime parses HH:MM[:SS[.fraction]][ ][AM|PM][Z|±HH[:MM]].
func scanTime(b []byte, p *parsedTime) bool {
	i := 0
	num := func(max int) (int, bool) {
		s := i
		v := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' && i-s < max {
			v = v*10 + int(b[i]-'0')
			i++
		}
		return v, i > s
	}
	h, ok := num(2)
	if !ok || i >= len(b) || b[i] != ':' {
		return false
	}
	i++
	m, ok := num(2)
	if !ok || m > 59 {
		return false
	}
	s := 0
	if i < len(b) && b[i] == ':' {
		i++
		if s, ok = num(2); !ok || s > 60 {
			return false
		}
		if i < len(b) && (b[i] == '.' || b[i] == ',') {
			i++
			fs := i
			ns := 0
			for i < len(b) && b[i] >= '0' && b[i] <= '9' {
				if i-fs < 9 {
					ns = ns*10 + int(b[i]-'0')
				}
				i++
			}
			if i == fs {
				return false
			}
			for d := i - fs; d < 9; d++ {
				ns *= 10
			}
			p.ns = ns
		}
	}
	if i < len(b) && b[i] == ' ' {
		i++
	}
	if i+1 < len(b) && (b[i]|0x20 == 'a' || b[i]|0x20 == 'p') && b[i+1]|0x20 == 'm' {
		if h < 1 || h > 12 {
			return false
		}
		if b[i]|0x20 == 'p' && h != 12 {
			h += 12
		} else if b[i]|0x20 == 'a' && h == 12 {
			h = 0
		}
		i += 2
	}
	if h > 23 {
		return false
	}
	p.hour, p.min, p.sec, p.hasTime = h, m, s, true
	if i < len(b) && b[i] == ' ' {
		i++
	}
	if i < len(b) {
		switch b[i] {
		case 'Z', 'z':
			i++
			p.hasZone = true
		case '+', '-':
			sign := 1
			if b[i] == '-' {
				sign = -1
			}
			i++
			oh, ok := num(2)
			if !ok || oh > 18 {
				return false
			}
			om := 0
			if i < len(b) && b[i] == ':' {
				i++
			}
			if i < len(b) {
				if om, ok = num(2); !ok || om > 59 {
					return false
				}
			}
			p.offset = sign * (oh*3600 + om*60)
			p.hasZone = true
		}
	}
	if s == 60 { // leap second: clamp
		p.sec = 59
	}
	return i == len(b)
}

func digits(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 4 {
		return 0, false
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// pivotYear maps a two-digit year as spreadsheets do: 00-29 → 20xx, else 19xx.
func pivotYear(y int) int {
	if y < 30 {
		return 2000 + y
	}
	return 1900 + y
}

func validDate(y, m, d int) bool {
	if y < 1 || m < 1 || m > 12 || d < 1 {
		return false
	}
	dim := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		dim = 29
	}
	return d <= dim
}

// dateFormatName names a column's date layout for people, e.g. DD/MM/YYYY.
func dateFormatName(order uint8, sep byte, withTime bool) string {
	s := string(sep)
	var f string
	switch order {
	case orderYMD:
		f = "YYYY" + s + "MM" + s + "DD"
	case orderDMY:
		f = "DD" + s + "MM" + s + "YYYY"
	case orderMDY:
		f = "MM" + s + "DD" + s + "YYYY"
	}
	if withTime {
		f += " hh:mm:ss"
	}
	return f
}
