package export

import (
	"context"
	"io"
	"path"
	"strings"

	"github.com/apache/arrow-go/v18/parquet"
	inlet "github.com/inlet-data/inlet"
)

// Area is the lake's export area: one prefix per export, outside every
// tenant's table prefix (so no tenant's query engine, confined to its
// tables, can read exports), removed whole at expiry.
type Area struct {
	Lake inlet.Lake
	// Root is the lake's root location (file:///... or s3://...).
	Root string
}

// prefix is where an export's files live.
func (a Area) prefix(e *inlet.Export) string {
	return strings.TrimRight(a.Root, "/") + "/_exports/" + e.Tenant + "/" + e.ID
}

// Location is one file's location.
func (a Area) Location(e *inlet.Export, file string) string {
	return a.prefix(e) + "/" + path.Base(file)
}

// Open opens a file of an export.
func (a Area) Open(ctx context.Context, e *inlet.Export, file string) (io.ReadCloser, error) {
	return a.Lake.Open(ctx, a.Location(e, file))
}

// openSeekable opens a file of an export for random access (a Parquet
// reader's): every lake object reads at any offset.
func (a Area) openSeekable(ctx context.Context, e *inlet.Export, file string) (io.ReadCloser, parquet.ReaderAtSeeker, error) {
	f, err := a.Lake.Open(ctx, a.Location(e, file))
	if err != nil {
		return nil, nil, err
	}
	return f, f, nil
}

// Delete removes every file of an export.
func (a Area) Delete(ctx context.Context, e *inlet.Export) error {
	return a.Lake.DeletePrefix(ctx, a.prefix(e)+"/")
}

// Sink writes an export's files into the area.
func (a Area) Sink(e *inlet.Export) AreaSink { return AreaSink{area: a, export: e} }

// AreaSink creates the files of one export.
type AreaSink struct {
	area   Area
	export *inlet.Export
}

// Create starts a file; it appears whole when closed.
func (s AreaSink) Create(ctx context.Context, name string) (io.WriteCloser, error) {
	return s.area.Lake.Create(ctx, s.area.Location(s.export, name))
}
