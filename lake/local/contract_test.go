package local

import (
	"testing"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/lake/laketest"
)

func TestContract(t *testing.T) {
	laketest.Run(t, func(t *testing.T) (inlet.Lake, string) {
		l, err := New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return l, l.URL()
	}, laketest.Options{})
}
