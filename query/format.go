package query

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	inlet "github.com/inlet-data/inlet"
)

// Formats results are written in.
const (
	FormatJSON  = "json"
	FormatCSV   = "csv"
	FormatArrow = "arrow" // an Arrow IPC stream
	FormatTable = "table" // aligned text for terminals
)

// ContentType is the media type of a format.
func ContentType(format string) string {
	switch format {
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatArrow:
		return "application/vnd.apache.arrow.stream"
	case FormatTable:
		return "text/plain; charset=utf-8"
	}
	return "application/json; charset=utf-8"
}

// Written says how much of a result went out.
type Written struct {
	Rows      int64 `json:"row_count"`
	Truncated bool  `json:"truncated"` // more rows existed past the limit
	// Total counts every row of a truncated result when that was cheap
	// (the rest arrived within countBudget); 0 when unknown.
	Total int64 `json:"total_rows,omitempty"`
}

// countBudget bounds the time spent counting the rows past a limit.
const countBudget = 300 * time.Millisecond

// Write streams rows in a format, stopping after limit rows (0: no limit).
// The stream is flushed as it goes; memory stays bounded by one batch.
func Write(w io.Writer, format string, rows inlet.ResultRows, limit int64) (Written, error) {
	switch format {
	case FormatCSV:
		return writeCSV(w, rows, limit)
	case FormatArrow:
		return writeArrow(w, rows, limit)
	case FormatTable:
		return writeTable(w, rows, limit)
	case FormatJSON, "":
		return writeJSON(w, rows, limit)
	}
	return Written{}, inlet.Errorf(inlet.EINVALID, "unknown format %q: use json, csv, arrow or table", format)
}

// each calls fn for every row up to limit, then reports whether more existed.
func each(rows inlet.ResultRows, limit int64, fn func([]any) error) (Written, error) {
	var n Written
	for rows.Next() {
		if limit > 0 && n.Rows >= limit {
			n.Truncated = true
			n.Total = countRest(rows, n.Rows)
			break
		}
		if err := fn(rows.Values()); err != nil {
			return n, err
		}
		n.Rows++
	}
	return n, rows.Err()
}

// countRest counts the rows left (the current one included) if they all
// arrive within countBudget, so a screen can say "100 000 of 123 456".
func countRest(rows inlet.ResultRows, seen int64) int64 {
	deadline := time.Now().Add(countBudget)
	total := seen + 1
	for i := 0; rows.Next(); i++ {
		total++
		if i%1024 == 0 && time.Now().After(deadline) {
			return 0
		}
	}
	if rows.Err() != nil {
		return 0
	}
	return total
}

// Text renders a value as CSV and terminals show it; nil is "".
func Text(v any, t inlet.Type) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if t == inlet.TypeDate {
			return x.Format(time.DateOnly)
		}
		return x.Format("2006-01-02T15:04:05.999999")
	}
	return fmt.Sprint(v)
}

func writeJSON(w io.Writer, rows inlet.ResultRows, limit int64) (Written, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	cols := rows.Columns()
	head, _ := json.Marshal(cols)
	fmt.Fprintf(bw, `{"columns":%s,"rows":[`, head)
	row := make([]any, len(cols))
	first := true
	n, err := each(rows, limit, func(vals []any) error {
		for i, v := range vals {
			switch x := v.(type) {
			case time.Time:
				row[i] = Text(x, cols[i].Type)
			case float64:
				if math.IsNaN(x) || math.IsInf(x, 0) {
					row[i] = Text(x, cols[i].Type) // JSON has no NaN
				} else {
					row[i] = x
				}
			default:
				row[i] = v
			}
		}
		b, err := json.Marshal(row)
		if err != nil {
			return err
		}
		if !first {
			bw.WriteByte(',')
		}
		first = false
		_, err = bw.Write(b)
		return err
	})
	if err != nil {
		// The status line is gone already; end the document with the error
		// so a client reading it sees why it stopped.
		msg, _ := json.Marshal(inlet.ErrorMessage(err))
		fmt.Fprintf(bw, `],"error":{"code":%q,"message":%s}}`, inlet.ErrorCode(err), msg)
		bw.Flush()
		return n, err
	}
	if n.Total > 0 {
		fmt.Fprintf(bw, `],"row_count":%d,"truncated":%t,"total_rows":%d}`, n.Rows, n.Truncated, n.Total)
	} else {
		fmt.Fprintf(bw, `],"row_count":%d,"truncated":%t}`, n.Rows, n.Truncated)
	}
	return n, bw.Flush()
}

func writeCSV(w io.Writer, rows inlet.ResultRows, limit int64) (Written, error) {
	cw := csv.NewWriter(w)
	cols := rows.Columns()
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.Name
	}
	if err := cw.Write(rec); err != nil {
		return Written{}, err
	}
	n, err := each(rows, limit, func(vals []any) error {
		for i, v := range vals {
			rec[i] = Text(v, cols[i].Type)
		}
		return cw.Write(rec)
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return n, err
}

func writeTable(w io.Writer, rows inlet.ResultRows, limit int64) (Written, error) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	cols := rows.Columns()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	fmt.Fprintln(tw, strings.Join(names, "\t"))
	cells := make([]string, len(cols))
	oneLine := strings.NewReplacer("\t", " ", "\n", " ")
	n, err := each(rows, limit, func(vals []any) error {
		for i, v := range vals {
			if v == nil {
				cells[i] = "NULL"
			} else {
				cells[i] = oneLine.Replace(Text(v, cols[i].Type))
			}
		}
		_, err := fmt.Fprintln(tw, strings.Join(cells, "\t"))
		return err
	})
	if ferr := tw.Flush(); err == nil {
		err = ferr
	}
	return n, err
}

// arrowBatch is how many rows go in one Arrow record batch.
const arrowBatch = 16384

// ArrowSchema types a result for Arrow: the table types map one to one.
func ArrowSchema(cols []inlet.ResultColumn) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.Name, Type: arrowType(c.Type), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

func arrowType(t inlet.Type) arrow.DataType {
	if p, s, ok := t.Decimal(); ok {
		return &arrow.Decimal128Type{Precision: int32(p), Scale: int32(s)}
	}
	switch t {
	case inlet.TypeBigint:
		return arrow.PrimitiveTypes.Int64
	case inlet.TypeDouble:
		return arrow.PrimitiveTypes.Float64
	case inlet.TypeBoolean:
		return arrow.FixedWidthTypes.Boolean
	case inlet.TypeDate:
		return arrow.FixedWidthTypes.Date32
	case inlet.TypeTimestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	}
	return arrow.BinaryTypes.String
}

func writeArrow(w io.Writer, rows inlet.ResultRows, limit int64) (Written, error) {
	cols := rows.Columns()
	schema := ArrowSchema(cols)
	iw := ipc.NewWriter(w, ipc.WithSchema(schema))
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	flush := func() error {
		rec := b.NewRecordBatch()
		defer rec.Release()
		if rec.NumRows() == 0 {
			return nil
		}
		return iw.Write(rec)
	}
	pending := 0
	n, err := each(rows, limit, func(vals []any) error {
		for i, v := range vals {
			if err := AppendArrow(b.Field(i), v); err != nil {
				return fmt.Errorf("column %s: %w", cols[i].Name, err)
			}
		}
		if pending++; pending == arrowBatch {
			pending = 0
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if cerr := iw.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// AppendArrow appends a result value to the builder of its column's Arrow type.
func AppendArrow(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch fb := b.(type) {
	case *array.Int64Builder:
		fb.Append(v.(int64))
	case *array.Float64Builder:
		fb.Append(v.(float64))
	case *array.BooleanBuilder:
		fb.Append(v.(bool))
	case *array.Date32Builder:
		fb.Append(arrow.Date32FromTime(v.(time.Time)))
	case *array.TimestampBuilder:
		fb.Append(arrow.Timestamp(v.(time.Time).UnixMicro()))
	case *array.Decimal128Builder:
		dt := fb.Type().(*arrow.Decimal128Type)
		d, err := decimal128.FromString(Text(v, ""), dt.Precision, dt.Scale)
		if err != nil {
			return err
		}
		fb.Append(d)
	case *array.StringBuilder:
		fb.Append(Text(v, inlet.TypeString))
	default:
		return fmt.Errorf("no Arrow builder for %T", b)
	}
	return nil
}
