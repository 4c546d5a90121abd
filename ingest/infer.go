package ingest

import (
	"bytes"
	"strconv"
	"unsafe"

	inlet "github.com/inlet-data/inlet"
)

// DefaultNulls are the cell values read as NULL unless configured otherwise.
var DefaultNulls = []string{"", "NULL", "null", "Null", "NA", "N/A", "n/a", "#N/A", "None", "nil"}

// nullSet matches null markers. Cells are trimmed of spaces before matching.
// It is asked about every cell, so cells longer than any marker (most of
// them) are answered without a map lookup.
type nullSet struct {
	markers map[string]struct{}
	maxLen  int
}

func newNullSet(markers []string) nullSet {
	if markers == nil {
		markers = DefaultNulls
	}
	s := nullSet{markers: make(map[string]struct{}, len(markers)+1)}
	s.markers[""] = struct{}{}
	for _, m := range markers {
		s.markers[m] = struct{}{}
		s.maxLen = max(s.maxLen, len(m))
	}
	return s
}

func (s nullSet) has(b []byte) bool {
	if len(b) > s.maxLen {
		return false
	}
	_, ok := s.markers[unsafe.String(unsafe.SliceData(b), len(b))]
	return ok
}

// Boolean vocabularies: a column is boolean when all its values come from one.
var boolWords = map[string]bool{
	"true": true, "false": false, "yes": true, "no": false,
	"t": true, "f": false, "y": true, "n": false,
}

func parseBool(b []byte) (v, ok bool) {
	if len(b) > 5 {
		return false, false
	}
	var low [5]byte
	for i, c := range b {
		low[i] = c | 0x20
	}
	v, ok = boolWords[string(low[:len(b)])]
	return v, ok
}

// inferrer watches the values of one column and decides the narrowest type
// that holds them all. It is used on the sample at inspection and, with the
// same rules, to widen a column when a later value does not fit.
type inferrer struct {
	values int

	boolOK bool
	// letters counts single-letter booleans (Y, N, T, F); sawTrue and
	// sawFalse which values the column has.
	letters           int
	sawTrue, sawFalse bool

	numStyles     uint8 // styles under which every value so far is a number
	exp, leadZero bool
	big           bool // an integer past 64 bits
	intDigits     [2]int
	scale         [2]int
	// Per style: values whose one separator is read as grouping (5.555
	// under decimal commas), values that show grouping unambiguously
	// (1.234,5 or 1.234.567), values with a decimal separator alone.
	oneGroup, clearGroup, decimals [2]int
	dateOrders                     uint8 // orders under which every value so far is a date
	dateSep                        byte
	hasTime                        bool
	dateOK                         bool
	maxLen                         int
	decimalHint                    uint8 // styleComma when the file suggests decimal commas
	dateHint                       uint8 // orderDMY when the file suggests day-first dates
}

func newInferrer(decimalHint, dateHint uint8) *inferrer {
	return &inferrer{boolOK: true, numStyles: styleBoth, dateOrders: orderAll, dateOK: true,
		decimalHint: decimalHint, dateHint: dateHint}
}

// observe takes one trimmed, non-null cell.
func (f *inferrer) observe(b []byte) {
	f.values++
	if len(b) > f.maxLen {
		f.maxLen = len(b)
	}
	if f.boolOK {
		v, ok := parseBool(b)
		if !ok {
			f.boolOK = false
		}
		if len(b) == 1 {
			f.letters++
		}
		f.sawTrue, f.sawFalse = f.sawTrue || v, f.sawFalse || !v
	}
	if f.numStyles != 0 {
		for i, st := range [2]uint8{styleDot, styleComma} {
			if f.numStyles&st == 0 {
				continue
			}
			n, ok := scanNumber(b, st)
			if !ok {
				f.numStyles &^= st
				continue
			}
			f.exp = f.exp || n.exp
			f.leadZero = f.leadZero || n.leadingZero
			f.intDigits[i] = max(f.intDigits[i], n.intDigits)
			f.scale[i] = max(f.scale[i], n.scale)
			switch {
			case n.grouped && n.groups == 1 && n.scale == 0:
				f.oneGroup[i]++
			case n.grouped:
				f.clearGroup[i]++
			case n.scale > 0:
				f.decimals[i]++
			}
			if n.scale == 0 && !n.exp && n.intDigits >= 19 {
				norm := normaliseNumber(nil, b, st)
				if _, err := strconv.ParseInt(string(norm), 10, 64); err != nil {
					f.big = true
				}
			}
		}
	}
	if f.dateOK {
		_, orders := scanDateTime(b, f.dateOrders)
		if orders == 0 {
			f.dateOK = false
		} else {
			f.dateOrders &= orders
			if i := bytes.IndexAny(b, "-/."); i > 0 && f.dateSep == 0 {
				f.dateSep = b[i]
			}
			if _, t := splitDateTime(b); t != nil {
				f.hasTime = true
			}
		}
	}
}

// style is the number style chosen for the column.
func (f *inferrer) style() (uint8, int) {
	switch {
	case f.numStyles == styleBoth && f.decimalHint == styleComma:
		return styleComma, 1
	case f.numStyles&styleDot != 0:
		return styleDot, 0
	default:
		return styleComma, 1
	}
}

// mixedSeparators reports whether the column's number style rests on
// guesswork: some values use its decimal separator (5,5) while others have
// only the other character, read as grouping (5.555 as 5555), and no value
// shows that grouping for sure. The same text read in the other style has
// 5.555 as a decimal: a column of mixed styles is read wrong either way.
func (f *inferrer) mixedSeparators() bool {
	if f.numStyles == 0 || f.leadZero || f.exp {
		return false
	}
	_, i := f.style()
	return f.oneGroup[i] > 0 && f.decimals[i] > 0 && f.clearGroup[i] == 0
}

// order is the date order chosen for the column: the data decides when it
// can (a day above 12), the file's hint when it cannot.
func (f *inferrer) order() (o uint8, ambiguous bool) {
	switch {
	case f.dateOrders&orderYMD != 0:
		return orderYMD, false
	case f.dateOrders == orderDMY|orderMDY:
		if f.dateHint == orderDMY || f.dateSep == '.' {
			return orderDMY, true
		}
		return orderMDY, true
	case f.dateOrders&orderDMY != 0:
		return orderDMY, false
	default:
		return orderMDY, false
	}
}

// result returns the inferred type and, for dates, the layout name.
func (f *inferrer) result() (t inlet.Type, dateFormat string, ambiguous bool) {
	if f.values == 0 {
		return inlet.TypeString, "", false
	}
	// A lone Y among letters is a letter: single-letter flags are boolean
	// when both values appear or the column has a few of them.
	if f.boolOK && (f.letters == 0 || f.sawTrue && f.sawFalse || f.values >= 3) {
		return inlet.TypeBoolean, "", false
	}
	if f.numStyles != 0 && !f.leadZero {
		_, i := f.style()
		switch {
		case f.exp:
			return inlet.TypeDouble, "", false
		case f.scale[i] == 0 && !f.big:
			return inlet.TypeBigint, "", false
		case f.intDigits[i]+scaleBucket(f.scale[i]) <= 38:
			return inlet.DecimalType(decimalPrecision(f.intDigits[i], scaleBucket(f.scale[i])), scaleBucket(f.scale[i])), "", false
		case f.scale[i] > 0:
			return inlet.TypeDouble, "", false
		default:
			return inlet.TypeString, "", false
		}
	}
	if f.dateOK {
		o, amb := f.order()
		sep := f.dateSep
		if sep == 0 {
			sep = ' '
		}
		if f.hasTime {
			return inlet.TypeTimestamp, dateFormatName(o, sep, true), amb
		}
		return inlet.TypeDate, dateFormatName(o, sep, false), amb
	}
	return inlet.TypeString, "", false
}

// decimalPrecision is the precision of an inferred decimal: 18 digits (a
// 64-bit value, what money columns usually are) when the largest value
// seen has room to grow ten thousandfold, 38 otherwise. Fewer buckets keep
// files of one kind appending into each other's tables.
func decimalPrecision(intDigits, scale int) int {
	if intDigits+scale+4 <= 18 {
		return 18
	}
	return 38
}

// scaleBucket rounds a non-zero decimal scale up to 2, 4, 6, 9, 12 or 18 digits, so
// that files of the same kind (prices with one or two decimals) get the same
// column type and append into each other's tables.
func scaleBucket(scale int) int {
	if scale == 0 {
		return 0 // integers past 64 bits
	}
	for _, b := range []int{2, 4, 6, 9, 12, 18} {
		if scale <= b {
			return b
		}
	}
	return scale
}

// kindOf classifies a lone value, for header detection: a header cell is
// usually a word above numbers or dates.
func kindOf(b []byte) string {
	f := newInferrer(0, 0)
	f.observe(b)
	t, _, _ := f.result()
	if _, _, ok := t.Decimal(); ok {
		return "number"
	}
	switch t {
	case inlet.TypeBigint, inlet.TypeDouble:
		return "number"
	}
	return string(t)
}
