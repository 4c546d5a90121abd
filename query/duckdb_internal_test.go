package query

import (
	"math/big"
	"testing"
)

func TestDecimalString(t *testing.T) {
	for _, c := range []struct {
		v     int64
		scale int
		want  string
	}{{10000, 2, "100.00"}, {-5, 2, "-0.05"}, {0, 3, "0.000"}, {123, 0, "123"}, {-1234567, 4, "-123.4567"}} {
		if got := decimalString(big.NewInt(c.v), c.scale); got != c.want {
			t.Errorf("decimalString(%d, %d) = %s, want %s", c.v, c.scale, got, c.want)
		}
	}
}
