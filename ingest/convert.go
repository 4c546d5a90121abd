package ingest

import (
	"bytes"
	"encoding/binary"
	"math/big"
	"strconv"
	"time"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/pii"
)

// kind is how a target column converts cells.
type kind uint8

const (
	kString kind = iota
	kBigint
	kDouble
	kDecimal
	kBool
	kDate
	kTimestamp
	kHash
	kMask
	kRedact     // free text with each piece of personal data hashed in place
	kGeneralise // a coarser value: a year, an age band, a network
)

// transforms reports whether a kind writes a string made from the cell
// (hash, mask, redact, generalise) rather than the cell as its type.
func (k kind) transforms() bool {
	return k == kHash || k == kMask || k == kRedact || k == kGeneralise
}

// target is one output column: where its cells come from and how they convert.
type target struct {
	src    int // index of the source cell
	name   string
	source string
	typ    inlet.Type
	kind   kind
	entity inlet.Entity // for hash, mask, redact and generalise
	// region is the phone region of the column's numbers without a
	// country code; regionSrc, when >= 0, the source cell of the row's
	// country, which wins.
	region    string
	regionSrc int
	level     string // for generalise
	numStyle  uint8
	dateOrder uint8
	precision int32
	scale     int32
	explicit  bool // the user chose the type: never widened
	fieldID   int
	distinct  float64 // share of distinct values in the sample
}

// kindOfType maps a column type to a conversion kind.
func kindOfType(t inlet.Type) (k kind, precision, scale int32) {
	if p, s, ok := t.Decimal(); ok {
		return kDecimal, int32(p), int32(s)
	}
	switch t {
	case inlet.TypeBigint:
		return kBigint, 0, 0
	case inlet.TypeDouble:
		return kDouble, 0, 0
	case inlet.TypeBoolean:
		return kBool, 0, 0
	case inlet.TypeDate:
		return kDate, 0, 0
	case inlet.TypeTimestamp:
		return kTimestamp, 0, 0
	}
	return kString, 0, 0
}

// cell is one converted value, held until the whole row converts.
type cell struct {
	null bool
	i    int64
	f    float64
	d    decimal128.Num
	b    bool
	s    []byte
}

// converter turns records into columns of Parquet values: definition
// levels and values of each column's physical type, ready for the column
// writers. One per worker; its buffers are reused batch after batch, so a
// steady ingest allocates next to nothing.
type converter struct {
	targets  []target
	nulls    nullSet
	hasher   *pii.Hasher
	now      time.Time // for age bands
	cols     []colValues
	rows     int
	row      []cell
	scratch  []byte
	hashBufs [][]byte // per target: hex digests of the row, until appended
}

// colValues holds one column's converted values of the current batch.
type colValues struct {
	def   []int16 // 1 for a value, 0 for null
	i64   []int64 // bigint, timestamp (microseconds)
	i32   []int32 // date (days)
	f64   []float64
	bools []bool
	data  []byte  // strings back to back, or 16-byte big-endian decimals
	ends  []int32 // where each string ends in data
}

func newConverter(targets []target, nulls nullSet, hasher *pii.Hasher) *converter {
	return &converter{targets: targets, nulls: nulls, hasher: hasher, cols: make([]colValues, len(targets)),
		row: make([]cell, len(targets)), hashBufs: make([][]byte, len(targets))}
}

// reset empties the batch, keeping the buffers.
func (c *converter) reset() {
	for i := range c.cols {
		col := &c.cols[i]
		col.def, col.i64, col.i32, col.f64 = col.def[:0], col.i64[:0], col.i32[:0], col.f64[:0]
		col.bools, col.data, col.ends = col.bools[:0], col.data[:0], col.ends[:0]
	}
	c.rows = 0
}

// convertRow converts one record. On failure it returns the index of the
// target that failed and why; nothing of the row is appended then.
func (c *converter) convertRow(rec [][]byte) (failed int, reason string) {
	for i := range c.targets {
		t := &c.targets[i]
		v := rec[t.src]
		out := &c.row[i]
		trimmed := bytes.TrimSpace(v)
		if c.nulls.has(trimmed) {
			out.null = true
			continue
		}
		out.null = false
		var ok bool
		switch t.kind {
		case kString:
			out.s, ok = v, true
		case kHash, kMask, kRedact, kGeneralise:
			out.s, ok = c.transform(i, t, v, trimmed, rec)
		case kBigint:
			out.i, ok = c.parseInt(trimmed, t.numStyle)
		case kDouble:
			out.f, ok = c.parseFloat(trimmed, t.numStyle)
		case kDecimal:
			out.d, ok = c.parseDecimal(trimmed, t)
		case kBool:
			out.b, ok = parseBool(trimmed)
		case kDate:
			p, orders := scanDateTime(trimmed, t.dateOrder)
			if ok = orders != 0 && !p.hasTime; ok {
				out.i = int64(p.days())
			}
		case kTimestamp:
			p, orders := scanDateTime(trimmed, t.dateOrder)
			if ok = orders != 0; ok {
				out.i = p.micros()
			}
		}
		if !ok {
			return i, "value is not a valid " + string(t.typ)
		}
	}
	for i := range c.targets {
		c.appendCell(i)
	}
	c.rows++
	return -1, ""
}

// transform is what a hash, mask, redact or generalise target writes for a
// cell (in a buffer of the target's, valid until its next cell).
func (c *converter) transform(i int, t *target, v, trimmed []byte, rec [][]byte) ([]byte, bool) {
	switch t.kind {
	case kHash:
		v := trimmed
		if t.entity == inlet.EntityDateOfBirth {
			v = c.isoDay(trimmed, t)
		}
		c.hashBufs[i] = append(c.hashBufs[i][:0], c.hasher.HashIn(t.entity, v, c.region(rec, t))...)
		return c.hashBufs[i], true
	case kMask:
		c.hashBufs[i] = append(c.hashBufs[i][:0], pii.Mask(t.entity, string(trimmed))...)
		return c.hashBufs[i], true
	case kRedact:
		text := string(v)
		region := c.region(rec, t)
		c.hashBufs[i] = append(c.hashBufs[i][:0], pii.Redact(text, pii.Spans(text, region), func(e inlet.Entity, span string) string {
			return "[" + string(e) + ":" + string(c.hasher.HashIn(e, []byte(span), region)) + "]"
		})...)
		return c.hashBufs[i], true
	case kGeneralise:
		var day time.Time
		if t.entity == inlet.EntityDateOfBirth {
			if iso := c.isoDay(trimmed, t); len(iso) == 10 {
				day, _ = time.Parse(time.DateOnly, string(iso))
			}
		}
		g, ok := pii.Generalise(t.entity, t.level, string(trimmed), day, c.now)
		c.hashBufs[i] = append(c.hashBufs[i][:0], g...)
		return c.hashBufs[i], ok
	}
	return v, true
}

func (c *converter) appendCell(i int) {
	col := &c.cols[i]
	v := &c.row[i]
	if v.null {
		col.def = append(col.def, 0)
		return
	}
	col.def = append(col.def, 1)
	switch c.targets[i].kind {
	case kString, kHash, kMask, kRedact, kGeneralise:
		col.data = append(col.data, v.s...)
		col.ends = append(col.ends, int32(len(col.data)))
	case kBigint, kTimestamp:
		col.i64 = append(col.i64, v.i)
	case kDouble:
		col.f64 = append(col.f64, v.f)
	case kDecimal:
		// Parquet stores decimal(38,s) as 16 big-endian bytes, two's complement.
		col.data = binary.BigEndian.AppendUint64(col.data, uint64(v.d.HighBits()))
		col.data = binary.BigEndian.AppendUint64(col.data, v.d.LowBits())
	case kBool:
		col.bools = append(col.bools, v.b)
	case kDate:
		col.i32 = append(col.i32, int32(v.i))
	}
}

// region is the phone region of a row's value: its country cell, else the
// column's.
func (c *converter) region(rec [][]byte, t *target) string {
	if t.regionSrc >= 0 && t.regionSrc < len(rec) {
		if r := pii.RegionOf(string(bytes.TrimSpace(rec[t.regionSrc]))); r != "" {
			return r
		}
	}
	return t.region
}

// isoDay writes a date as YYYY-MM-DD in the column's own day order, so a
// birth date hashes the same however a file writes it; a value that is no
// date stays as it is.
func (c *converter) isoDay(b []byte, t *target) []byte {
	p, orders := scanDateTime(b, t.dateOrder)
	if orders == 0 {
		day, ok := pii.ParseBirthDay(string(b))
		if !ok {
			return b
		}
		return day.AppendFormat(c.scratch[:0], time.DateOnly)
	}
	c.scratch = time.Unix(int64(p.days())*86400, 0).UTC().AppendFormat(c.scratch[:0], time.DateOnly)
	return c.scratch
}

func (c *converter) numeric(b []byte, style uint8) ([]byte, numInfo, bool) {
	n, ok := scanNumber(b, style)
	if !ok {
		return nil, n, false
	}
	if style == styleDot && !n.grouped {
		return b, n, true
	}
	c.scratch = normaliseNumber(c.scratch, b, style)
	return c.scratch, n, true
}

func (c *converter) parseInt(b []byte, style uint8) (int64, bool) {
	s, n, ok := c.numeric(b, style)
	if !ok || n.scale > 0 || n.exp || n.leadingZero {
		return 0, false
	}
	v, err := strconv.ParseInt(unsafe.String(unsafe.SliceData(s), len(s)), 10, 64)
	return v, err == nil
}

func (c *converter) parseFloat(b []byte, style uint8) (float64, bool) {
	s, n, ok := c.numeric(b, style)
	if !ok || n.leadingZero {
		return 0, false
	}
	v, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(s), len(s)), 64)
	return v, err == nil
}

// parseDecimal reads a plain decimal into the target's scale; more fraction
// digits than the scale, or more digits than the precision, do not fit.
func (c *converter) parseDecimal(b []byte, t *target) (decimal128.Num, bool) {
	s, n, ok := c.numeric(b, t.numStyle)
	if !ok || n.exp || n.leadingZero || n.scale > int(t.scale) || n.intDigits+int(t.scale) > int(t.precision) {
		return decimal128.Num{}, false
	}
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	digits := n.intDigits + int(t.scale)
	if digits <= 18 {
		var v int64
		frac := 0
		inFrac := false
		for _, ch := range s {
			if ch == '.' {
				inFrac = true
				continue
			}
			v = v*10 + int64(ch-'0')
			if inFrac {
				frac++
			}
		}
		for ; frac < int(t.scale); frac++ {
			v *= 10
		}
		if neg {
			v = -v
		}
		return decimal128.FromI64(v), true
	}
	var bi big.Int
	str := string(bytes.Replace(s, []byte("."), nil, 1))
	for i := n.scale; i < int(t.scale); i++ {
		str += "0"
	}
	if _, ok := bi.SetString(str, 10); !ok {
		return decimal128.Num{}, false
	}
	if neg {
		bi.Neg(&bi)
	}
	return decimal128.FromBigInt(&bi), true
}
