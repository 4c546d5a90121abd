package igzip

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
)

// deflated compresses data with the standard library, an independent
// compressor.
func deflated(t *testing.T, data []byte, level int) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestInflate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	random := make([]byte, 1<<20+9)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	var xml strings.Builder
	for i := range 40000 {
		fmt.Fprintf(&xml, `<row r="%d"><c t="inlineStr"><is><t>%x</t></is></c><c s="2"><v>%d</v></c></row>`, i+2, rng.Uint64()%1000, rng.IntN(50000))
	}
	inputs := map[string][]byte{
		"empty":                   nil,
		"sheet XML":               []byte(xml.String()),
		"sheet XML, first 200 KB": []byte(xml.String()[:200000]),
		"random":                  random,
		"repeated":                bytes.Repeat([]byte("ab"), 3<<20),
	}
	for name, data := range inputs {
		for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression, flate.HuffmanOnly} {
			comp := deflated(t, data, level)
			for _, read := range []struct {
				name  string
				src   func([]byte) io.Reader
				chunk int
			}{
				{"whole", func(b []byte) io.Reader { return bytes.NewReader(b) }, 1 << 20},
				{"byte by byte in, 7 out", func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) }, 7},
				{"half reads, 1 out", func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) }, 1},
			} {
				if read.chunk < 1<<20 && len(data) > 300000 {
					continue // a byte at a time through megabytes is slow and proves no more
				}
				t.Run(fmt.Sprintf("%s/level %d/%s", name, level, read.name), func(t *testing.T) {
					z := NewReader(read.src(comp))
					defer z.Close()
					var got bytes.Buffer
					buf := make([]byte, read.chunk)
					for {
						n, err := z.Read(buf)
						got.Write(buf[:n])
						if err == io.EOF {
							break
						}
						if err != nil {
							t.Fatalf("after %d bytes: %v", got.Len(), err)
						}
					}
					if !bytes.Equal(got.Bytes(), data) {
						t.Fatalf("inflated %d bytes, want the %d deflated", got.Len(), len(data))
					}
				})
			}
		}
	}
}

func TestInflateRefusesDamage(t *testing.T) {
	data := bytes.Repeat([]byte("<row><c><v>12345</v></c></row>"), 20000)
	comp := deflated(t, data, flate.BestSpeed)
	read := func(b []byte) ([]byte, error) {
		z := NewReader(bytes.NewReader(b))
		defer z.Close()
		return io.ReadAll(z)
	}
	if _, err := read(comp[:len(comp)/2]); err == nil {
		t.Error("a stream cut in half read without an error")
	}
	bad := bytes.Clone(comp)
	bad[0] |= 0x06 // block type 3, which does not exist
	if _, err := read(bad); err == nil {
		t.Error("an invalid block type read without an error")
	}
	z := NewReader(bytes.NewReader(comp))
	z.Close()
	if _, err := z.Read(make([]byte, 10)); err == nil {
		t.Error("Read after Close succeeded")
	}
}

// A zip entry read through igzip, as the XLSX reader registers it, is
// the entry written, and a damaged entry fails (zip checks the CRC too).
func TestInflateZipEntries(t *testing.T) {
	var sheet strings.Builder
	for i := range 30000 {
		fmt.Fprintf(&sheet, `<row r="%d"><c><v>%d</v></c><c t="inlineStr"><is><t>名前 %d</t></is></c></row>`, i+1, i*37, i)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	io.WriteString(w, sheet.String())
	w, _ = zw.CreateHeader(&zip.FileHeader{Name: "stored.xml", Method: zip.Store})
	io.WriteString(w, "<stored/>")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	open := func(archive []byte) (map[string]string, error) {
		zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
		if err != nil {
			return nil, err
		}
		zr.RegisterDecompressor(zip.Deflate, NewReader)
		out := map[string]string{}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			body, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			out[f.Name] = string(body)
		}
		return out, nil
	}
	got, err := open(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got["xl/worksheets/sheet1.xml"] != sheet.String() || got["stored.xml"] != "<stored/>" {
		t.Fatalf("entries differ from those written (%d bytes of sheet)", len(got["xl/worksheets/sheet1.xml"]))
	}
	damaged := bytes.Clone(b.Bytes())
	damaged[len(damaged)/3] ^= 0x10
	if _, err := open(damaged); err == nil {
		t.Fatal("a damaged entry read without an error")
	}
}
