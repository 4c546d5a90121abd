package ingest

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/inlet-data/inlet/internal/igzip"
)

// Compression wrapping a CSV file: a .csv.gz, or a .zip holding one CSV.
const (
	wrapNone = ""
	wrapGzip = "gzip"
	wrapZip  = "zip"
)

// textEntryOf finds the one text file in a zip that is not a workbook; the
// checks against zip bombs are the workbook's.
func textEntryOf(f *os.File, lim xlsxLimits) (*zip.File, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("the zip archive cannot be read (%v)", err)
	}
	zr.RegisterDecompressor(zip.Deflate, igzip.NewReader)
	var entries []*zip.File
	for _, f := range zr.File {
		name := f.Name
		if f.FileInfo().IsDir() || strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(path.Base(name), ".") {
			continue
		}
		entries = append(entries, f)
	}
	if len(entries) != 1 {
		return nil, fmt.Errorf("the zip archive holds %d files: Inlet reads a zip with exactly one CSV file in it", len(entries))
	}
	e := entries[0]
	switch strings.ToLower(path.Ext(e.Name)) {
	case ".csv", ".tsv", ".txt", ".tab", ".psv":
	default:
		return nil, fmt.Errorf("the zip archive holds %s, not a CSV file", path.Base(e.Name))
	}
	if e.UncompressedSize64 > 16<<20 && e.CompressedSize64 > 0 && e.UncompressedSize64/e.CompressedSize64 > uint64(lim.MaxRatio) {
		return nil, fmt.Errorf("%s expands %d times (limit %d): refusing a possible zip bomb", path.Base(e.Name), e.UncompressedSize64/e.CompressedSize64, lim.MaxRatio)
	}
	return e, nil
}

// unwrapped opens the CSV inside a file, uncompressed, reading the file
// through raw (which counts and hashes what it reads). For a zip, the entry
// is read through the archive's index instead: close closes it all.
func unwrapped(f *os.File, raw io.Reader, wrap string, lim xlsxLimits) (r io.Reader, closeFn func() error, err error) {
	switch wrap {
	case wrapGzip:
		gz, err := gzip.NewReader(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("the gzip file cannot be read (%v)", err)
		}
		fi, err := f.Stat()
		if err != nil {
			return nil, nil, err
		}
		// gzip says nothing of its size up front: stop reading once the text
		// outgrows the ratio a zip entry may have.
		limit := max(16<<20, fi.Size()*lim.MaxRatio)
		return &expansionLimit{r: gz, left: limit, ratio: lim.MaxRatio}, gz.Close, nil
	case wrapZip:
		e, err := textEntryOf(f, lim)
		if err != nil {
			return nil, nil, err
		}
		rc, err := e.Open()
		if err != nil {
			return nil, nil, err
		}
		return rc, rc.Close, nil
	}
	return raw, func() error { return nil }, nil
}

// expansionLimit fails a decompressed stream that grows past its limit.
type expansionLimit struct {
	r     io.Reader
	left  int64
	ratio int64
}

// tooExpanded is the refusal of a compressed file that outgrew its ratio.
type tooExpanded struct{ ratio int64 }

func (e *tooExpanded) Error() string {
	return fmt.Sprintf("the gzip file expands more than %d times its size: refusing a possible gzip bomb", e.ratio)
}

func (e *expansionLimit) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, &tooExpanded{e.ratio}
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	return n, err
}

// isWorkbookZip tells an XLSX from other zip archives.
func isWorkbookZip(p string) bool {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return true // let the workbook reader say what is wrong
	}
	defer zr.Close()
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, "xl/workbook.xml") || strings.EqualFold(f.Name, "[Content_Types].xml") {
			return true
		}
	}
	return false
}

// readHead reads up to n bytes of the (uncompressed) text of a file, and
// whether that is all of it.
func readHead(p, wrap string, n int, lim xlsxLimits) ([]byte, bool, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	r, closeFn, err := unwrapped(f, f, wrap, lim)
	if err != nil {
		return nil, false, err
	}
	defer closeFn()
	head := make([]byte, n)
	m, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, false, fmt.Errorf("the compressed file is damaged (%v)", err)
	}
	return head[:m], m < n, nil
}

var gzipMagic = []byte{0x1F, 0x8B}

func isGzip(head []byte) bool { return bytes.HasPrefix(head, gzipMagic) }
