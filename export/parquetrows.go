package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	inlet "github.com/inlet-data/inlet"
)

// parquetRows reads a Parquet file (an engine's unload) as inlet.ResultRows,
// batch by batch, so the writers that take rows take it too.
type parquetRows struct {
	pf     *file.Reader
	rr     pqarrow.RecordReader
	cols   []inlet.ResultColumn
	rec    arrow.RecordBatch
	row    int
	values []any
	err    error
}

// openParquetRows reads f's rows.
func openParquetRows(ctx context.Context, f parquet.ReaderAtSeeker) (*parquetRows, error) {
	// Pages are read as they are decoded (a buffered stream, up to 1 MiB
	// per column), not a whole column chunk at a time, and rows come 4096
	// at a time, into buffers reused batch after batch.
	mem := newBatchAllocator()
	props := parquet.NewReaderProperties(mem)
	props.BufferedStreamEnabled = true
	props.BufferSize = 1 << 20
	pf, err := file.NewParquetReader(f, file.WithReadProps(props))
	if err != nil {
		return nil, err
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 4 << 10}, mem)
	if err != nil {
		pf.Close()
		return nil, err
	}
	schema, err := fr.Schema()
	if err != nil {
		pf.Close()
		return nil, err
	}
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		pf.Close()
		return nil, err
	}
	r := &parquetRows{pf: pf, rr: rr, values: make([]any, schema.NumFields())}
	for _, f := range schema.Fields() {
		r.cols = append(r.cols, inlet.ResultColumn{Name: f.Name, Type: typeOf(f.Type)})
	}
	return r, nil
}

// typeOf names an Arrow type as tables name theirs.
func typeOf(t arrow.DataType) inlet.Type {
	switch t := t.(type) {
	case *arrow.Int64Type, *arrow.Int32Type, *arrow.Int16Type, *arrow.Int8Type:
		return inlet.TypeBigint
	case *arrow.Float64Type, *arrow.Float32Type:
		return inlet.TypeDouble
	case *arrow.Decimal128Type:
		return inlet.DecimalType(int(t.Precision), int(t.Scale))
	case *arrow.BooleanType:
		return inlet.TypeBoolean
	case *arrow.Date32Type:
		return inlet.TypeDate
	case *arrow.TimestampType:
		return inlet.TypeTimestamp
	}
	return inlet.TypeString
}

func (r *parquetRows) Columns() []inlet.ResultColumn { return r.cols }
func (r *parquetRows) Values() []any                 { return r.values }
func (r *parquetRows) Err() error                    { return r.err }

func (r *parquetRows) Next() bool {
	for {
		if r.rec != nil && r.row < int(r.rec.NumRows()) {
			for i, col := range r.rec.Columns() {
				r.values[i] = cell(col, r.row)
			}
			r.row++
			return true
		}
		if !r.rr.Next() {
			if err := r.rr.Err(); err != nil && !errors.Is(err, io.EOF) {
				r.err = err
			}
			return false
		}
		r.rec, r.row = r.rr.RecordBatch(), 0
	}
}

func (r *parquetRows) Close() error {
	r.rr.Release()
	return r.pf.Close()
}

// cell is one value as the engine's rows give it (see inlet.ResultRows).
func cell(col arrow.Array, i int) any {
	if col.IsNull(i) {
		return nil
	}
	switch a := col.(type) {
	case *array.Int64:
		return a.Value(i)
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int8:
		return int64(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	case *array.Float32:
		return float64(a.Value(i))
	case *array.Boolean:
		return a.Value(i)
	case *array.String:
		// The batch's memory: valid until the next call to Next, which is
		// as long as a writer looks at a row (none keeps a value).
		return a.Value(i)
	case *array.Date32:
		return a.Value(i).ToTime().UTC()
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit).UTC()
	case *array.Decimal128:
		scale := int(a.DataType().(*arrow.Decimal128Type).Scale)
		v := a.Value(i)
		if hi, lo := v.HighBits(), v.LowBits(); hi == 0 && lo>>63 == 0 || hi == -1 && lo>>63 == 1 {
			return scaledText(int64(lo), scale) // fits 64 bits: no big.Int
		}
		return decimalText(v.BigInt(), scale)
	}
	return fmt.Sprint(col.GetOneForMarshal(i))
}

// scaledText writes an unscaled 64-bit decimal exactly.
func scaledText(n int64, scale int) string {
	var buf [48]byte
	return string(appendScaled(buf[:0], n, scale))
}

// appendScaled appends an unscaled 64-bit decimal exactly.
func appendScaled(out []byte, n int64, scale int) []byte {
	if scale <= 0 {
		return strconv.AppendInt(out, n, 10)
	}
	var buf [24]byte
	b := strconv.AppendInt(buf[:0], n, 10)
	neg := b[0] == '-'
	digits := b
	if neg {
		digits = b[1:]
		out = append(out, '-')
	}
	if len(digits) <= scale {
		out = append(out, '0', '.')
		for k := len(digits); k < scale; k++ {
			out = append(out, '0')
		}
		return append(out, digits...)
	}
	out = append(out, digits[:len(digits)-scale]...)
	out = append(out, '.')
	return append(out, digits[len(digits)-scale:]...)
}

// nextBatch is the next record batch whole, for a writer that reads the
// columns' arrays itself (arrowEncoder) instead of boxed values. It is
// valid until the next call; Next and nextBatch are not to be mixed.
func (r *parquetRows) nextBatch() (arrow.RecordBatch, bool) {
	if !r.rr.Next() {
		if err := r.rr.Err(); err != nil && !errors.Is(err, io.EOF) {
			r.err = err
		}
		return nil, false
	}
	return r.rr.RecordBatch(), true
}

// decimalText writes an unscaled decimal exactly.
func decimalText(n *big.Int, scale int) string {
	neg := n.Sign() < 0
	digits := new(big.Int).Abs(n).String()
	if scale > 0 {
		for len(digits) <= scale {
			digits = "0" + digits
		}
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}
