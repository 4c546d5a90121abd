// Package inlet is the vocabulary of Inlet: the domain types (tenants, uploads,
// tables, columns, jobs), the small interfaces between the parts, and the one
// error type. It imports only the standard library; every other package
// imports it, and it imports none of them.
package inlet

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// DefaultTenant is the one tenant of the embedded default mode.
const DefaultTenant = "default"

var tenantRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)

// ValidateTenant checks a tenant id: lowercase, starts with a letter, at most 63
// characters of [a-z0-9_-]. Tenant ids appear in paths and catalog names.
func ValidateTenant(id string) error {
	if !tenantRE.MatchString(id) {
		return Errorf(EINVALID, "invalid tenant %q: use 1-63 characters of a-z, 0-9, _ and -, starting with a letter", id)
	}
	return nil
}

// Tenant is an isolated customer space: its own tables, keys and uploads.
type Tenant struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Format is the container format of an uploaded file.
type Format string

const (
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// Type is a column type, spelled as Glue/Hive spell it: bigint, double,
// decimal(p,s), boolean, date, timestamp, string.
type Type string

const (
	TypeBigint    Type = "bigint"
	TypeDouble    Type = "double"
	TypeBoolean   Type = "boolean"
	TypeDate      Type = "date"
	TypeTimestamp Type = "timestamp"
	TypeString    Type = "string"
)

// DecimalType returns decimal(p,s).
func DecimalType(precision, scale int) Type {
	return Type(fmt.Sprintf("decimal(%d,%d)", precision, scale))
}

var decimalRE = regexp.MustCompile(`^decimal\((\d{1,2}),\s*(\d{1,2})\)$`)

// Decimal reports the precision and scale of a decimal type.
func (t Type) Decimal() (precision, scale int, ok bool) {
	m := decimalRE.FindStringSubmatch(string(t))
	if m == nil {
		return 0, 0, false
	}
	fmt.Sscan(m[1], &precision)
	fmt.Sscan(m[2], &scale)
	return precision, scale, true
}

// FitsInto reports whether every value of type t is a value of into, so a
// column of t appends into a table column of into without loss.
func (t Type) FitsInto(into Type) bool {
	if t == into || into == TypeString {
		return true
	}
	fp, fs, fromDec := t.Decimal()
	ip, is, intoDec := into.Decimal()
	switch {
	case intoDec && fromDec:
		return fs <= is && fp-fs <= ip-is
	case intoDec && t == TypeBigint:
		return ip-is >= 19
	case into == TypeDouble:
		return t == TypeBigint || fromDec
	case into == TypeTimestamp:
		return t == TypeDate
	}
	return false
}

// ParseType parses a user-supplied type name (case-insensitive; int, integer,
// long, float, bool, text, varchar and datetime are accepted as aliases).
func ParseType(s string) (Type, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "bigint", "int", "integer", "long":
		return TypeBigint, nil
	case "double", "float":
		return TypeDouble, nil
	case "boolean", "bool":
		return TypeBoolean, nil
	case "date":
		return TypeDate, nil
	case "timestamp", "datetime":
		return TypeTimestamp, nil
	case "string", "text", "varchar":
		return TypeString, nil
	case "decimal":
		return DecimalType(38, 0), nil
	}
	if p, sc, ok := Type(s).Decimal(); ok {
		if p < 1 || p > 38 || sc > p {
			return "", Errorf(EINVALID, "invalid type %q: decimal precision must be 1-38 and scale at most the precision", s)
		}
		return DecimalType(p, sc), nil
	}
	return "", Errorf(EINVALID, "unknown type %q: use bigint, double, decimal(p,s), boolean, date, timestamp or string", s)
}

// DataFile is a Parquet file written for a table, not yet committed.
type DataFile struct {
	Location string `json:"location"`
	Rows     int64  `json:"rows"`
	Size     int64  `json:"size"`
}

// Numeric reports whether t is bigint, double or a decimal.
func (t Type) Numeric() bool {
	_, _, dec := t.Decimal()
	return dec || t == TypeBigint || t == TypeDouble
}
