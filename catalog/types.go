package catalog

import (
	"fmt"

	"github.com/apache/iceberg-go"
	inlet "github.com/inlet-data/inlet"
)

// icebergType maps a column type to its Iceberg type.
func icebergType(t inlet.Type) (iceberg.Type, error) {
	if p, s, ok := t.Decimal(); ok {
		return iceberg.DecimalTypeOf(p, s), nil
	}
	switch t {
	case inlet.TypeBigint:
		return iceberg.PrimitiveTypes.Int64, nil
	case inlet.TypeDouble:
		return iceberg.PrimitiveTypes.Float64, nil
	case inlet.TypeBoolean:
		return iceberg.PrimitiveTypes.Bool, nil
	case inlet.TypeDate:
		return iceberg.PrimitiveTypes.Date, nil
	case inlet.TypeTimestamp:
		return iceberg.PrimitiveTypes.Timestamp, nil
	case inlet.TypeString:
		return iceberg.PrimitiveTypes.String, nil
	}
	return nil, fmt.Errorf("no Iceberg type for %q", t)
}

// glueType spells an Iceberg type as Glue and Hive do.
func glueType(t iceberg.Type) inlet.Type {
	switch v := t.(type) {
	case iceberg.Int64Type, iceberg.Int32Type:
		return inlet.TypeBigint
	case iceberg.Float64Type, iceberg.Float32Type:
		return inlet.TypeDouble
	case iceberg.DecimalType:
		return inlet.DecimalType(v.Precision(), v.Scale())
	case iceberg.BooleanType:
		return inlet.TypeBoolean
	case iceberg.DateType:
		return inlet.TypeDate
	case iceberg.TimestampType, iceberg.TimestampTzType:
		return inlet.TypeTimestamp
	}
	return inlet.TypeString
}

// fits reports whether values of type from can be written into a column of
// type into without loss: the promotions Inlet does on append.
func fits(from, into inlet.Type) bool { return from.FitsInto(into) }
