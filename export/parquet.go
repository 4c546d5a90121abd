package export

import (
	"bufio"
	"fmt"
	"io"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/czstd"
)

const (
	// parquetBatch is how many rows one Arrow record batch holds.
	parquetBatch = 64 << 10
	// parquetRowGroup is how many rows one row group holds: large groups
	// read fastest in engines. The writer holds a group's compressed pages
	// until it ends, so this bounds memory too.
	parquetRowGroup = 1 << 20
)

// parquetWriter writes zstd Parquet with the columns' own types, through
// Arrow builders it reuses batch after batch.
type parquetWriter struct {
	bw     *bufio.Writer
	fw     *pqarrow.FileWriter
	rb     *array.RecordBuilder
	cols   []column
	append []func(v any) error
	n      int
}

func arrowSchema(cols []column) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		var t arrow.DataType
		switch c.kind {
		case kindBigint:
			t = arrow.PrimitiveTypes.Int64
		case kindDouble:
			t = arrow.PrimitiveTypes.Float64
		case kindDecimal:
			t = &arrow.Decimal128Type{Precision: int32(c.prec), Scale: int32(c.scale)}
		case kindBoolean:
			t = arrow.FixedWidthTypes.Boolean
		case kindDate:
			t = arrow.FixedWidthTypes.Date32
		case kindTimestamp:
			t = &arrow.TimestampType{Unit: arrow.Microsecond} // no zone: wall-clock time, as the table has it
		default:
			t = arrow.BinaryTypes.String
		}
		fields[i] = arrow.Field{Name: c.name, Type: t, Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

func newParquet(w io.Writer, rcols []inlet.ResultColumn) (*parquetWriter, error) {
	czstd.Use()
	cols := columnsOf(rcols)
	schema := arrowSchema(cols)
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCompressionLevel(czstd.Level),
		parquet.WithMaxRowGroupLength(parquetRowGroup),
		parquet.WithStats(true),
		parquet.WithCreatedBy("inlet"),
	)
	p := &parquetWriter{bw: bufio.NewWriterSize(w, 1<<20), cols: cols}
	var err error
	if p.fw, err = pqarrow.NewFileWriter(schema, p.bw, props, pqarrow.NewArrowWriterProperties()); err != nil {
		return nil, err
	}
	p.rb = array.NewRecordBuilder(memory.DefaultAllocator, schema)
	p.rb.Reserve(parquetBatch)
	for i, c := range cols {
		p.append = append(p.append, appender(p.rb.Field(i), c))
	}
	return p, nil
}

// appender returns the function that appends a column's non-nil values.
func appender(b array.Builder, c column) func(v any) error {
	bad := func(v any) error { return fmt.Errorf("column %s: a %T value in a %s column", c.name, v, b.Type()) }
	switch fb := b.(type) {
	case *array.Int64Builder:
		return func(v any) error {
			x, ok := v.(int64)
			if !ok {
				return bad(v)
			}
			fb.Append(x)
			return nil
		}
	case *array.Float64Builder:
		return func(v any) error {
			x, ok := v.(float64)
			if !ok {
				return bad(v)
			}
			fb.Append(x)
			return nil
		}
	case *array.BooleanBuilder:
		return func(v any) error {
			x, ok := v.(bool)
			if !ok {
				return bad(v)
			}
			fb.Append(x)
			return nil
		}
	case *array.Date32Builder:
		return func(v any) error {
			x, ok := v.(time.Time)
			if !ok {
				return bad(v)
			}
			fb.Append(arrow.Date32FromTime(x))
			return nil
		}
	case *array.TimestampBuilder:
		return func(v any) error {
			x, ok := v.(time.Time)
			if !ok {
				return bad(v)
			}
			fb.Append(arrow.Timestamp(x.UnixMicro()))
			return nil
		}
	case *array.Decimal128Builder:
		prec, scale := int32(c.prec), int32(c.scale)
		return func(v any) error {
			s, ok := v.(string)
			if !ok {
				return bad(v)
			}
			d, err := parseDecimal(s, prec, scale)
			if err != nil {
				// Not the parse error: it would carry the value into the log.
				return fmt.Errorf("column %s: a value that is not a decimal(%d,%d)", c.name, prec, scale)
			}
			fb.Append(d)
			return nil
		}
	case *array.StringBuilder:
		return func(v any) error {
			if s, ok := v.(string); ok {
				fb.Append(s)
			} else {
				fb.BinaryBuilder.Append(appendText(nil, v, c.kind, ' '))
			}
			return nil
		}
	}
	return func(v any) error { return fmt.Errorf("column %s: no Arrow builder for %T", c.name, b) }
}

func (p *parquetWriter) row(vals []any) error {
	for i, v := range vals {
		if v == nil {
			p.rb.Field(i).AppendNull()
			continue
		}
		if err := p.append[i](v); err != nil {
			return err
		}
	}
	if p.n++; p.n == parquetBatch {
		return p.flush()
	}
	return nil
}

func (p *parquetWriter) flush() error {
	if p.n == 0 {
		return nil
	}
	p.n = 0
	rec := p.rb.NewRecordBatch()
	defer rec.Release()
	return p.fw.WriteBuffered(rec)
}

func (p *parquetWriter) close() error {
	if p.fw == nil {
		return nil
	}
	err := p.flush()
	if cerr := p.fw.Close(); err == nil {
		err = cerr
	}
	p.fw = nil
	p.rb.Release()
	if ferr := p.bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

// pow10 are the powers of ten a uint64 holds.
var pow10 = func() (p [19]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// parseDecimal reads a decimal's exact text at the column's scale: digits
// straight into an integer when they fit 18 of them (every value of a
// decimal(18,s) column, the common one), decimal128.FromString otherwise.
func parseDecimal(s string, prec, scale int32) (decimal128.Num, error) {
	i, neg := 0, false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg, i = s[i] == '-', 1
	}
	var u uint64
	digits, frac, dot := 0, 0, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits > 0 || c != '0' {
				digits++
			}
			u = u*10 + uint64(c-'0')
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			digits = 99 // not plain: let FromString decide
			i = len(s)
		}
		if digits > 18 {
			break
		}
	}
	if digits+int(scale)-frac > 18 || frac > int(scale) || digits > 18 {
		return decimal128.FromString(s, prec, scale)
	}
	u *= pow10[int(scale)-frac]
	n := decimal128.FromU64(u)
	if neg {
		n = n.Negate()
	}
	if !n.FitsInPrecision(prec) {
		return n, fmt.Errorf("%s does not fit decimal(%d,%d)", s, prec, scale)
	}
	return n, nil
}
