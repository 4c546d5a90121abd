package igzip

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// inflate reads a raw deflate stream back with the standard library, an
// independent decoder.
func inflate(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 3<<20+17)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	var xml strings.Builder
	for i := range 60000 {
		fmt.Fprintf(&xml, `<row r="%d"><c t="inlineStr"><is><t>%x</t></is></c><c s="2"><v>%d</v></c></row>`, i+2, rng.Uint64(), rng.IntN(50000))
	}
	cases := map[string]struct {
		data  []byte
		chunk int // bytes per Write
	}{
		"empty":                {nil, 1},
		"one byte":             {[]byte{'x'}, 1},
		"sheet XML":            {[]byte(xml.String()), 256 << 10},
		"sheet XML, byte-wise": {[]byte(xml.String())[:200000], 1},
		"random, one write":    {random, len(random)},
		"random, odd writes":   {random, 65537},
		"one value repeated":   {bytes.Repeat([]byte{0}, 5<<20), 1 << 20},
	}
	defer func(n int) { outSize = n }(outSize)
	for _, size := range []int{outSize, 1000} {
		outSize = size
		for name, c := range cases {
			for level := 1; level <= 3; level++ {
				t.Run(fmt.Sprintf("%s/level %d/output by %d", name, level, size), func(t *testing.T) {
					var out bytes.Buffer
					z, err := NewWriter(&out, level)
					if err != nil {
						t.Fatal(err)
					}
					for p := c.data; len(p) > 0; {
						n := min(c.chunk, len(p))
						if w, err := z.Write(p[:n]); err != nil || w != n {
							t.Fatalf("Write = %d, %v; want %d", w, err, n)
						}
						p = p[n:]
					}
					if err := z.Close(); err != nil {
						t.Fatal(err)
					}
					if got := inflate(t, out.Bytes()); !bytes.Equal(got, c.data) {
						t.Fatalf("read back %d bytes, want the %d written", len(got), len(c.data))
					}
					if name == "sheet XML" && out.Len() > len(c.data)/3 {
						t.Errorf("sheet XML compressed to %d of %d bytes: not compressing", out.Len(), len(c.data))
					}
				})
			}
		}
	}
}

func TestLevels(t *testing.T) {
	for _, level := range []int{-1, 0, 4, 9} {
		if _, err := NewWriter(io.Discard, level); err == nil {
			t.Errorf("level %d accepted", level)
		}
	}
}

// failingWriter fails once it has taken limit bytes.
type failingWriter struct{ limit int }

var errFull = errors.New("disk full")

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		return 0, errFull
	}
	f.limit -= len(p)
	return len(p), nil
}

func TestErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, 2<<20)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	z, err := NewWriter(&failingWriter{limit: 300 << 10}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := z.Write(data); !errors.Is(err, errFull) {
		t.Fatalf("Write into a full disk: %v, want %v", err, errFull)
	}
	if err := z.Close(); !errors.Is(err, errFull) {
		t.Fatalf("Close after a failed write: %v, want %v", err, errFull)
	}
	if err := z.Close(); !errors.Is(err, errFull) {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := z.Write([]byte("x")); err == nil {
		t.Fatal("Write after Close accepted")
	}
}
