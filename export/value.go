package export

import (
	"fmt"
	"math"
	"strconv"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// kind is a column's type as the writers switch on it, decided once per
// export instead of once per value.
type kind uint8

const (
	kindString kind = iota
	kindBigint
	kindDouble
	kindDecimal
	kindBoolean
	kindDate
	kindTimestamp
)

type column struct {
	name        string
	kind        kind
	prec, scale int // decimals only
}

func columnsOf(cols []inlet.ResultColumn) []column {
	out := make([]column, len(cols))
	for i, c := range cols {
		out[i] = column{name: c.Name, kind: kindString}
		if p, s, ok := c.Type.Decimal(); ok {
			out[i].kind, out[i].prec, out[i].scale = kindDecimal, p, s
			continue
		}
		switch c.Type {
		case inlet.TypeBigint:
			out[i].kind = kindBigint
		case inlet.TypeDouble:
			out[i].kind = kindDouble
		case inlet.TypeBoolean:
			out[i].kind = kindBoolean
		case inlet.TypeDate:
			out[i].kind = kindDate
		case inlet.TypeTimestamp:
			out[i].kind = kindTimestamp
		}
	}
	return out
}

// appendText appends a non-nil value as text: the CSV rendering, which
// JSON Lines shares for dates (with sep 'T' for timestamps).
func appendText(b []byte, v any, k kind, sep byte) []byte {
	switch x := v.(type) {
	case string:
		return append(b, x...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	case bool:
		return strconv.AppendBool(b, x)
	case time.Time:
		if k == kindDate {
			return appendDate(b, x)
		}
		return appendTimestamp(b, x, sep)
	}
	return fmt.Append(b, v)
}

// appendDate appends YYYY-MM-DD; hand-written because time.Format is a
// large share of an export's time.
func appendDate(b []byte, t time.Time) []byte {
	t = t.UTC()
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, time.DateOnly)
	}
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
	return b
}

// appendTimestamp appends YYYY-MM-DD HH:MM:SS (sep between date and time),
// then .ffffff when there are microseconds.
func appendTimestamp(b []byte, t time.Time, sep byte) []byte {
	t = t.UTC()
	b = appendDate(b, t)
	h, mi, s := t.Clock()
	b = append(b, sep, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+s/10), byte('0'+s%10))
	if us := t.Nanosecond() / 1000; us != 0 {
		b = append(b, '.')
		for d := 100000; d > 0; d /= 10 {
			b = append(b, byte('0'+us/d%10))
		}
	}
	return b
}

// excelEpochDays is 1899-12-30 in days since 1970-01-01: Excel's serial
// day 0 for every date since 1900-03-01 (before it, Excel's invented
// 1900-02-29 shifts the count).
const excelEpochDays = 25569

// excelFirstDay is 1900-03-01, the first day whose serial is exact.
var excelFirstDay = time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)

// excelSerial is t as an Excel date-time number, and false before
// 1900-03-01, which Excel cannot show as a date.
func excelSerial(t time.Time) (float64, bool) {
	return excelSerialMicros(t.UnixMicro())
}

// excelFirstMicros is excelFirstDay in microseconds since 1970.
var excelFirstMicros = excelFirstDay.UnixMicro()

// excelSerialMicros is excelSerial of a time given in microseconds since
// 1970-01-01 UTC.
func excelSerialMicros(us int64) (float64, bool) {
	if us < excelFirstMicros {
		return 0, false
	}
	days := math.Floor(float64(us) / 86400e6)
	frac := float64(us-int64(days)*86400e6) / 86400e6
	return days + excelEpochDays + frac, true
}
