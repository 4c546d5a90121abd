package ingest

import (
	"bytes"
	"math/big"
	"strconv"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
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
)

// target is one output column: where its cells come from and how they convert.
type target struct {
	src       int // index of the source cell
	name      string
	source    string
	typ       inlet.Type
	kind      kind
	entity    inlet.Entity // for hash and mask
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

// arrowType is the Arrow type a target is written as.
func (t *target) arrowType() arrow.DataType {
	switch t.kind {
	case kBigint:
		return arrow.PrimitiveTypes.Int64
	case kDouble:
		return arrow.PrimitiveTypes.Float64
	case kDecimal:
		return &arrow.Decimal128Type{Precision: t.precision, Scale: t.scale}
	case kBool:
		return arrow.FixedWidthTypes.Boolean
	case kDate:
		return arrow.FixedWidthTypes.Date32
	case kTimestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	}
	return arrow.BinaryTypes.String
}

// arrowSchema builds the batch schema, with Iceberg field ids in the
// Parquet metadata so readers map columns by id.
func arrowSchema(targets []target) *arrow.Schema {
	fields := make([]arrow.Field, len(targets))
	for i := range targets {
		t := &targets[i]
		fields[i] = arrow.Field{Name: t.name, Type: t.arrowType(), Nullable: true,
			Metadata: arrow.NewMetadata([]string{"PARQUET:field_id"}, []string{strconv.Itoa(t.fieldID)})}
	}
	return arrow.NewSchema(fields, nil)
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

// converter turns records into Arrow batches. One per worker.
type converter struct {
	targets  []target
	nulls    nullSet
	hasher   *pii.Hasher
	schema   *arrow.Schema
	builder  *array.RecordBuilder
	row      []cell
	scratch  []byte
	hashBufs [][]byte // per target: hex digests of the row, until appended
}

func newConverter(targets []target, nulls nullSet, hasher *pii.Hasher, mem memory.Allocator) *converter {
	schema := arrowSchema(targets)
	return &converter{targets: targets, nulls: nulls, hasher: hasher, schema: schema,
		builder: array.NewRecordBuilder(mem, schema), row: make([]cell, len(targets)),
		hashBufs: make([][]byte, len(targets))}
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
		case kHash:
			c.hashBufs[i] = append(c.hashBufs[i][:0], c.hasher.Hash(t.entity, trimmed)...)
			out.s, ok = c.hashBufs[i], true
		case kMask:
			c.hashBufs[i] = append(c.hashBufs[i][:0], pii.Mask(t.entity, string(trimmed))...)
			out.s, ok = c.hashBufs[i], true
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
	return -1, ""
}

func (c *converter) appendCell(i int) {
	b := c.builder.Field(i)
	v := &c.row[i]
	if v.null {
		b.AppendNull()
		return
	}
	switch c.targets[i].kind {
	case kString, kHash, kMask:
		b.(*array.StringBuilder).BinaryBuilder.Append(v.s)
	case kBigint:
		b.(*array.Int64Builder).Append(v.i)
	case kDouble:
		b.(*array.Float64Builder).Append(v.f)
	case kDecimal:
		b.(*array.Decimal128Builder).Append(v.d)
	case kBool:
		b.(*array.BooleanBuilder).Append(v.b)
	case kDate:
		b.(*array.Date32Builder).Append(arrow.Date32(v.i))
	case kTimestamp:
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(v.i))
	}
}

// batch returns the rows converted so far as a record and resets the
// builder, with room reserved for a batch like this one: builders that grow
// by doubling copy and clear their buffers again and again.
func (c *converter) batch() arrow.RecordBatch {
	rec := c.builder.NewRecordBatch()
	rows := int(rec.NumRows())
	for i, f := range c.builder.Fields() {
		f.Reserve(rows)
		if sb, ok := f.(*array.StringBuilder); ok && rows > 0 {
			col := rec.Column(i).(*array.String)
			sb.ReserveData(len(col.ValueBytes()) + len(col.ValueBytes())/8)
		}
	}
	return rec
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
