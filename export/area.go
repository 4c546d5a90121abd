package export

import (
	"context"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

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
	// Scratch is a local directory an engine that writes files itself
	// (DuckDB's COPY) writes into when Root is not on local disk; the file
	// is then copied into the area. Its layout is Scratch/TENANT/..., like
	// the area's.
	Scratch string
}

// scratchFile is a file an engine writes for an export: in the area on a
// local lake, else in the local scratch directory.
type scratchFile struct {
	location string     // file:// for the engine
	lake     inlet.Lake // the area's lake, or nil for the scratch directory
}

// scratch is where an engine writes the file name of e.
func (a Area) scratch(e *inlet.Export, name string) scratchFile {
	if _, local := localFile(a.Root); local || a.Scratch == "" {
		return scratchFile{location: a.Location(e, name), lake: a.Lake}
	}
	p := filepath.Join(a.Scratch, e.Tenant, e.ID, path.Base(name))
	return scratchFile{location: (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()}
}

// inArea says whether the file is already in the export area.
func (s scratchFile) inArea() bool { return s.lake != nil }

// open opens the file for reading, at any offset.
func (s scratchFile) open(ctx context.Context) (io.ReadCloser, parquet.ReaderAtSeeker, error) {
	if s.lake != nil {
		f, err := s.lake.Open(ctx, s.location)
		if err != nil {
			return nil, nil, err
		}
		return f, f, nil
	}
	p, _ := localFile(s.location)
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, err
	}
	return f, f, nil
}

// size is the file's size in bytes.
func (s scratchFile) size(ctx context.Context) (int64, error) {
	if s.lake != nil {
		info, err := s.lake.Stat(ctx, s.location)
		return info.Size, err
	}
	p, _ := localFile(s.location)
	fi, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// remove deletes the file, and its export's scratch directory once empty.
func (s scratchFile) remove(ctx context.Context) {
	if s.lake != nil {
		s.lake.Delete(ctx, s.location)
		return
	}
	p, _ := localFile(s.location)
	os.Remove(p)
	os.Remove(filepath.Dir(p)) // fails while another file of the export is there
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

// SweepScratch removes scratch files not written to for longer than age,
// which a process killed during an export left behind, and the export
// directories they leave empty. A file being written is younger than
// that: the caller gives an age above the longest unload.
func (a Area) SweepScratch(age time.Duration) {
	if a.Scratch == "" {
		return
	}
	tenants, _ := os.ReadDir(a.Scratch)
	for _, t := range tenants {
		exports, _ := os.ReadDir(filepath.Join(a.Scratch, t.Name()))
		for _, e := range exports {
			dir := filepath.Join(a.Scratch, t.Name(), e.Name())
			files, _ := os.ReadDir(dir)
			for _, f := range files {
				if fi, err := f.Info(); err == nil && time.Since(fi.ModTime()) > age {
					os.Remove(filepath.Join(dir, f.Name()))
				}
			}
			os.Remove(dir) // only if now empty
		}
	}
}
