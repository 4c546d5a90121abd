package export

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/klauspost/compress/flate"
)

// compressed are the extensions of parts that are compressed already
// (an XLSX is a zip itself, Parquet pages are zstd).
var compressed = map[string]bool{".xlsx": true, ".parquet": true}

// Zip packs parts into one zip file in the sink (deflated, or stored when
// compressed already), reading each through open. The returned Part counts
// the rows of all parts. Like Write, it leaves a failed file for the caller
// to delete.
func Zip(ctx context.Context, sink Sink, name string, parts []Part, open func(ctx context.Context, name string) (io.ReadCloser, error)) (Part, error) {
	out := Part{Name: name}
	wc, err := sink.Create(ctx, name)
	if err != nil {
		return out, fmt.Errorf("create %s: %w", name, err)
	}
	cw := &countingWriter{ctx: ctx, w: wc}
	zw := zip.NewWriter(cw)
	// klauspost's deflate at its default level: the same format at about
	// twice the speed of compress/flate.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.DefaultCompression)
	})
	now := time.Now()
	err = func() error {
		for _, p := range parts {
			method := zip.Deflate
			if compressed[strings.ToLower(path.Ext(p.Name))] {
				method = zip.Store // deflating it again would spend CPU to save nothing
			}
			w, err := zw.CreateHeader(&zip.FileHeader{Name: p.Name, Method: method, Modified: now})
			if err != nil {
				return err
			}
			r, err := open(ctx, p.Name)
			if err != nil {
				return fmt.Errorf("open %s: %w", p.Name, err)
			}
			_, err = io.Copy(w, r)
			r.Close()
			if err != nil {
				return fmt.Errorf("zip %s: %w", p.Name, err)
			}
			out.Rows += p.Rows
		}
		return zw.Close()
	}()
	if cerr := wc.Close(); err == nil {
		err = cerr
	}
	out.Bytes = cw.n
	return out, err
}
