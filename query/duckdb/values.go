package duckdb

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	inlet "github.com/inlet-data/inlet"
)

// scanner reads a DuckDB result as the engine-neutral values of
// inlet.ResultRows, refusing values larger than the result may carry.
type scanner struct {
	res      *sql.Rows
	cols     []inlet.ResultColumn
	uuid     []bool // DuckDB hands UUIDs over as 16 raw bytes
	scan     []any
	values   []any
	maxValue int
	err      error
}

func newScanner(res *sql.Rows, maxValue int) (*scanner, error) {
	types, err := res.ColumnTypes()
	if err != nil {
		return nil, err
	}
	s := &scanner{res: res, maxValue: maxValue, cols: make([]inlet.ResultColumn, len(types)),
		uuid: make([]bool, len(types)), scan: make([]any, len(types)), values: make([]any, len(types))}
	for i, t := range types {
		s.uuid[i] = t.DatabaseTypeName() == "UUID"
		s.cols[i] = inlet.ResultColumn{Name: t.Name(), Type: neutralType(t.DatabaseTypeName())}
		s.scan[i] = new(any)
	}
	return s, nil
}

func (s *scanner) next() bool {
	if s.err != nil || !s.res.Next() {
		if s.err == nil {
			s.err = s.res.Err()
		}
		return false
	}
	if err := s.res.Scan(s.scan...); err != nil {
		s.err = err
		return false
	}
	for i, p := range s.scan {
		v := *(p.(*any))
		if b, ok := v.([]byte); ok && s.uuid[i] {
			var u duckdb.UUID
			copy(u[:], b)
			v = u.String()
		}
		v = neutralValue(v)
		if str, ok := v.(string); ok && s.maxValue > 0 && len(str) > s.maxValue {
			s.err = inlet.Errorf(inlet.ETOOLARGE, "a value of column %s is %d bytes, more than a result may carry (%d): shorten it (left(%s, n)) or aggregate less", s.cols[i].Name, len(str), s.maxValue, s.cols[i].Name)
			return false
		}
		s.values[i] = v
	}
	return true
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
