package ingest

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	inlet "github.com/inlet-data/inlet"
)

// fileRoller writes one worker's batches to data files, starting a new file
// every cfg.FileRows rows.
type fileRoller struct {
	job    *writeJob
	worker int
	schema *arrow.Schema
	mem    memory.Allocator
	seq    int

	w     io.WriteCloser
	count *countingWriter
	fw    *pqarrow.FileWriter
	loc   string
	done  []inlet.DataFile
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (r *fileRoller) write(ctx context.Context, batch arrow.RecordBatch) error {
	if r.fw == nil {
		r.seq++
		r.loc = fmt.Sprintf("%s/%s-%d-%05d.parquet", r.job.dataDir, r.job.prefix, r.worker, r.seq)
		w, err := r.job.lake.Create(ctx, r.loc)
		if err != nil {
			return fmt.Errorf("create data file: %w", err)
		}
		r.w, r.count = w, &countingWriter{w: w}
		props := r.job.writerProps()
		r.fw, err = pqarrow.NewFileWriter(r.schema, r.count, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(r.mem)))
		if err != nil {
			w.Close()
			return fmt.Errorf("parquet writer: %w", err)
		}
		// The file counts as written from now on, so a failure removes it.
		r.done = append(r.done, inlet.DataFile{Location: r.loc})
	}
	if err := r.fw.WriteBuffered(batch); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	if int64(r.fw.NumRows()) >= r.job.cfg.FileRows {
		return r.finish()
	}
	return nil
}

// finish closes the current file and records its size and rows.
func (r *fileRoller) finish() error {
	if r.fw == nil {
		return nil
	}
	rows := int64(r.fw.NumRows())
	err := r.fw.Close() // writes the footer; the counting writer has no Close, so r.w stays open
	if cerr := r.w.Close(); err == nil {
		err = cerr
	}
	last := &r.done[len(r.done)-1]
	last.Rows, last.Size = rows, r.count.n
	r.fw, r.w = nil, nil
	return err
}

// close finishes the open file and returns every file this roller created.
func (r *fileRoller) close() ([]inlet.DataFile, error) {
	err := r.finish()
	return r.done, err
}
