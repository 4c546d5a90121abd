package query

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/marcboeker/go-duckdb"
)

// rows adapts a DuckDB result to inlet.ResultRows: values converted to the
// engine-neutral Go types, the connection released on Close.
type rows struct {
	e      *DuckDB
	ctx    context.Context // the statement's: its deadline explains an interrupt
	conn   *sql.Conn
	cancel context.CancelFunc
	res    *sql.Rows
	detach string // a per-statement catalog to drop on Close

	cols   []inlet.ResultColumn
	uuid   []bool // DuckDB hands UUIDs over as 16 raw bytes
	scan   []any
	values []any
	err    error
	closed bool
}

func (r *rows) describe() error {
	types, err := r.res.ColumnTypes()
	if err != nil {
		return err
	}
	r.cols = make([]inlet.ResultColumn, len(types))
	r.scan = make([]any, len(types))
	r.values = make([]any, len(types))
	r.uuid = make([]bool, len(types))
	for i, t := range types {
		r.uuid[i] = t.DatabaseTypeName() == "UUID"
		r.cols[i] = inlet.ResultColumn{Name: t.Name(), Type: neutralType(t.DatabaseTypeName())}
		r.scan[i] = new(any)
	}
	return nil
}

func (r *rows) Columns() []inlet.ResultColumn { return r.cols }
func (r *rows) Values() []any                 { return r.values }

func (r *rows) Next() bool {
	if r.err != nil || r.res == nil || !r.res.Next() {
		if r.res != nil && r.err == nil {
			if err := r.res.Err(); err != nil {
				r.err = r.e.explain(r.ctx, err)
			}
		}
		return false
	}
	if err := r.res.Scan(r.scan...); err != nil {
		r.err = err
		return false
	}
	for i, p := range r.scan {
		v := *(p.(*any))
		if b, ok := v.([]byte); ok && r.uuid[i] {
			var u duckdb.UUID
			copy(u[:], b)
			v = u.String()
		}
		r.values[i] = neutralValue(v)
	}
	return true
}

func (r *rows) Err() error { return r.err }

func (r *rows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.cancel() // interrupts DuckDB if the statement still runs
	if r.res != nil {
		r.res.Close()
	}
	if r.detach != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = r.conn.ExecContext(ctx, "USE memory")
		if _, err := r.conn.ExecContext(ctx, "DETACH "+ident(r.detach)); err != nil {
			r.e.log.Warn("detach per-query catalog", "catalog", r.detach, "err", err)
		}
	}
	return r.conn.Close()
}

// neutralType maps DuckDB's type names to the Glue/Hive names of tables.
func neutralType(t string) inlet.Type {
	switch {
	case strings.HasPrefix(t, "DECIMAL"):
		var p, s int
		if _, err := fmt.Sscanf(t, "DECIMAL(%d,%d)", &p, &s); err == nil {
			return inlet.DecimalType(p, s)
		}
		return inlet.DecimalType(38, 9)
	case t == "HUGEINT" || t == "UHUGEINT" || t == "UBIGINT":
		return inlet.DecimalType(38, 0)
	}
	switch t {
	case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UINTEGER", "USMALLINT", "UTINYINT":
		return inlet.TypeBigint
	case "DOUBLE", "FLOAT":
		return inlet.TypeDouble
	case "BOOLEAN":
		return inlet.TypeBoolean
	case "DATE":
		return inlet.TypeDate
	case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMPTZ":
		return inlet.TypeTimestamp
	}
	return inlet.TypeString
}

// neutralValue converts a scanned DuckDB value to the type its column says.
func neutralValue(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return fmt.Sprint(x) // UBIGINT is typed decimal(38,0)
	case float32:
		return float64(x)
	case float64:
		return x
	case bool:
		return x
	case string:
		return x
	case time.Time:
		return x.UTC()
	case duckdb.Decimal:
		return decimalString(x.Value, int(x.Scale))
	case *big.Int:
		return x.String()
	case []byte:
		return string(x)
	case fmt.Stringer:
		return x.String()
	}
	if b, err := json.Marshal(v); err == nil {
		return string(b)
	}
	return fmt.Sprint(v)
}

// decimalString writes an unscaled decimal with exactly scale fractional
// digits (duckdb.Decimal.String drops trailing zeros: 100.00 would read 100).
func decimalString(unscaled *big.Int, scale int) string {
	digits := new(big.Int).Abs(unscaled).String()
	sign := ""
	if unscaled.Sign() < 0 {
		sign = "-"
	}
	if scale <= 0 {
		return sign + digits
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
}
