package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync/atomic"

	inlet "github.com/inlet-data/inlet"
)

// source yields the records of one table in a file: a CSV file or one sheet
// of a workbook. Title rows and the header are already consumed.
type source interface {
	// Next returns the next record; the slices are valid until the next call.
	// It returns io.EOF at the end.
	Next() ([][]byte, error)
	// Line is the line (CSV) or row (XLSX) the last record started on.
	Line() int
	Close() error
}

// countingReader counts the bytes read, for progress reports, and hashes
// them, so the file's sha256 for lineage costs no second read.
type countingReader struct {
	r   io.Reader
	n   atomic.Int64
	sum hash.Hash
	eof bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	c.sum.Write(p[:n])
	if err == io.EOF {
		c.eof = true
	}
	return n, err
}

// csvSource reads a delimited text file.
type csvSource struct {
	f         *os.File
	r         *csvReader
	header    []string
	count     *countingReader
	closeText func() error
	zip       bool // read through the archive index: the raw file is not read in order
}

// csvLayout is everything needed to read a text file.
type csvLayout struct {
	enc       textEncoding
	delim     byte
	quote     byte
	comment   byte // full-line comment prefix (0: none)
	crOnly    bool // lines end with a lone CR
	skipRows  int  // title lines before the header, comment lines not counted
	header    bool
	rowNames  bool     // the header lacks the first column's name
	fit       widthFit // how records are made as wide as the table
	maxCell   int
	maxFields int
	wrap      string // wrapGzip or wrapZip for a compressed CSV
	limits    xlsxLimits
}

func openCSV(path string, l csvLayout) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	count := &countingReader{r: f, sum: sha256.New()}
	text, closeText, err := unwrapped(f, count, l.wrap, l.limits)
	if err != nil {
		f.Close()
		return nil, err
	}
	dec, err := l.enc.decoder(text)
	if err != nil {
		closeText()
		f.Close()
		return nil, err
	}
	if l.crOnly {
		dec = crToLF{dec}
	}
	s := &csvSource{f: f, r: newCSVReader(dec, l.delim, l.quote, l.maxCell), count: count, closeText: closeText, zip: l.wrap == wrapZip}
	s.r.maxFields, s.r.comment = l.maxFields, l.comment
	for skipped := 0; skipped < l.skipRows; {
		line, err := s.r.readLine()
		if err != nil {
			f.Close()
			if err == io.EOF {
				return nil, &parseError{Line: s.r.line + 1, Column: 1, Reason: fmt.Sprintf("the file has fewer than the %d title rows to skip", l.skipRows)}
			}
			return nil, err
		}
		if l.comment == 0 || len(line) == 0 || line[0] != l.comment {
			skipped++
		}
	}
	// The header is read as it is; the width fit applies to the data.
	if l.header {
		rec, err := s.r.Read()
		if err != nil {
			f.Close()
			if err == io.EOF {
				return nil, errNoRows
			}
			return nil, err
		}
		if l.rowNames {
			s.header = append(s.header, "")
		}
		for _, c := range rec {
			s.header = append(s.header, string(bytes.TrimSpace(c)))
		}
		if l.fit.dropTrailing && len(s.header) == l.fit.width+1 && s.header[len(s.header)-1] == "" {
			s.header = s.header[:l.fit.width]
		}
	}
	s.r.fit = l.fit
	return s, nil
}

var errNoRows = errors.New("the file has no rows")

// crToLF reads text whose lines end with a lone carriage return as lines
// ending with a newline.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

func (s *csvSource) Next() ([][]byte, error) { return s.r.Read() }

// NextInto appends the next record's cells to buf (see csvReader.readInto).
func (s *csvSource) NextInto(buf []byte) ([]byte, []int, error) { return s.r.readInto(buf) }

// appender is a source that can write records straight into a chunk.
type appender interface {
	NextInto(buf []byte) ([]byte, []int, error)
}

func (s *csvSource) Line() int { return s.r.Line() }
func (s *csvSource) Close() error {
	s.closeText()
	return s.f.Close()
}

// SHA256 is the checksum of the whole file, once it has been read to the end.
func (s *csvSource) SHA256() (string, bool) {
	if !s.count.eof || s.zip {
		return "", false
	}
	return hex.EncodeToString(s.count.sum.Sum(nil)), true
}

// checksummer is a source that hashes the file as it reads it.
type checksummer interface {
	SHA256() (string, bool)
}

// Formats this package ingests.
var _ = inlet.FormatCSV
