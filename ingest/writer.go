package ingest

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/apache/arrow-go/v18/parquet/schema"
	inlet "github.com/inlet-data/inlet"
)

// parquetSchema is the data files' schema: every column optional, with its
// Iceberg field id so readers map columns by id, typed as Iceberg's Parquet
// mapping says (timestamps without zone, decimals in 16 bytes).
func parquetSchema(targets []target) (*schema.GroupNode, error) {
	fields := make(schema.FieldList, len(targets))
	for i := range targets {
		t := &targets[i]
		id, opt := int32(t.fieldID), parquet.Repetitions.Optional
		var n schema.Node
		var err error
		switch t.kind {
		case kBigint:
			n, err = schema.NewPrimitiveNodeLogical(t.name, opt, schema.NewIntLogicalType(64, true), parquet.Types.Int64, -1, id)
		case kDouble:
			n, err = schema.NewPrimitiveNode(t.name, opt, parquet.Types.Double, id, -1)
		case kDecimal:
			// The fewest bytes the precision needs, as Iceberg's Parquet
			// mapping asks (16 for decimal(38,s)).
			n, err = schema.NewPrimitiveNodeLogical(t.name, opt, schema.NewDecimalLogicalType(t.precision, t.scale), parquet.Types.FixedLenByteArray, int(pqarrow.DecimalSize(t.precision)), id)
		case kBool:
			n, err = schema.NewPrimitiveNode(t.name, opt, parquet.Types.Boolean, id, -1)
		case kDate:
			n, err = schema.NewPrimitiveNodeLogical(t.name, opt, schema.DateLogicalType{}, parquet.Types.Int32, -1, id)
		case kTimestamp:
			n, err = schema.NewPrimitiveNodeLogical(t.name, opt, schema.NewTimestampLogicalType(false, schema.TimeUnitMicros), parquet.Types.Int64, -1, id)
		default:
			n, err = schema.NewPrimitiveNodeLogical(t.name, opt, schema.StringLogicalType{}, parquet.Types.ByteArray, -1, id)
		}
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", t.name, err)
		}
		fields[i] = n
	}
	return schema.NewGroupNode("schema", parquet.Repetitions.Required, fields, -1)
}

// fileRoller writes one worker's batches to data files through Parquet's
// column writers (no Arrow in between), closing a row group every
// cfg.RowGroupRows rows and starting a new file every cfg.FileRows rows.
type fileRoller struct {
	job    *writeJob
	worker int
	schema *schema.GroupNode
	seq    int

	w      io.WriteCloser
	count  *countingWriter
	fw     *file.Writer
	rg     file.BufferedRowGroupWriter
	rgRows int
	rows   int64
	loc    string
	done   []inlet.DataFile

	ba   []parquet.ByteArray // reused views of a batch's strings
	flba []parquet.FixedLenByteArray
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

// write appends a converted batch to the current file.
func (r *fileRoller) write(ctx context.Context, conv *converter) error {
	if conv.rows == 0 {
		return nil
	}
	if r.fw == nil {
		r.seq++
		r.loc = fmt.Sprintf("%s/%s-%d-%05d.parquet", r.job.dataDir, r.job.prefix, r.worker, r.seq)
		w, err := r.job.lake.Create(ctx, r.loc)
		if err != nil {
			return fmt.Errorf("create data file: %w", err)
		}
		r.w, r.count = w, &countingWriter{w: w}
		r.fw, err = file.NewParquetWriterWithError(r.count, r.schema, file.WithWriterProps(r.job.writerProps()))
		if err != nil {
			w.Close()
			return fmt.Errorf("parquet writer: %w", err)
		}
		r.rows = 0
		// The file counts as written from now on, so a failure removes it.
		r.done = append(r.done, inlet.DataFile{Location: r.loc})
	}
	if r.rg == nil {
		rg, err := r.fw.AppendBufferedRowGroupChecked()
		if err != nil {
			return fmt.Errorf("write parquet: %w", err)
		}
		r.rg, r.rgRows = rg, 0
	}
	for i := range conv.cols {
		if err := r.writeColumn(i, &conv.cols[i], conv.targets[i].kind); err != nil {
			return fmt.Errorf("write parquet column %s: %w", conv.targets[i].name, err)
		}
	}
	r.rgRows += conv.rows
	r.rows += int64(conv.rows)
	if r.rgRows >= r.job.cfg.RowGroupRows {
		if err := r.closeRowGroup(); err != nil {
			return err
		}
	}
	if r.rows >= r.job.cfg.FileRows {
		return r.finish()
	}
	return nil
}

func (r *fileRoller) writeColumn(i int, col *colValues, k kind) error {
	cw, err := r.rg.Column(i)
	if err != nil {
		return err
	}
	switch w := cw.(type) {
	case *file.Int64ColumnChunkWriter:
		_, err = w.WriteBatch(col.i64, col.def, nil)
	case *file.Int32ColumnChunkWriter:
		_, err = w.WriteBatch(col.i32, col.def, nil)
	case *file.Float64ColumnChunkWriter:
		_, err = w.WriteBatch(col.f64, col.def, nil)
	case *file.BooleanColumnChunkWriter:
		_, err = w.WriteBatch(col.bools, col.def, nil)
	case *file.FixedLenByteArrayColumnChunkWriter:
		// Values are 16 big-endian bytes; narrower decimals keep the low
		// bytes (two's complement: the dropped ones are sign extension).
		skip := 16 - w.Descr().TypeLength()
		r.flba = r.flba[:0]
		for off := 0; off+16 <= len(col.data); off += 16 {
			r.flba = append(r.flba, col.data[off+skip:off+16:off+16])
		}
		_, err = w.WriteBatch(r.flba, col.def, nil)
	case *file.ByteArrayColumnChunkWriter:
		r.ba = r.ba[:0]
		start := int32(0)
		for _, end := range col.ends {
			r.ba = append(r.ba, col.data[start:end:end])
			start = end
		}
		_, err = w.WriteBatch(r.ba, col.def, nil)
	default:
		err = fmt.Errorf("no writer for %T (kind %d)", cw, k)
	}
	return err
}

func (r *fileRoller) closeRowGroup() error {
	if r.rg == nil {
		return nil
	}
	err := r.rg.Close()
	r.rg = nil
	if err != nil {
		return fmt.Errorf("write parquet row group: %w", err)
	}
	return nil
}

// finish closes the current file and records its size and rows.
func (r *fileRoller) finish() error {
	if r.fw == nil {
		return nil
	}
	err := r.closeRowGroup()
	if cerr := r.fw.Close(); err == nil { // writes the footer; the counting writer has no Close, so r.w stays open
		err = cerr
	}
	if cerr := r.w.Close(); err == nil {
		err = cerr
	}
	last := &r.done[len(r.done)-1]
	last.Rows, last.Size = r.rows, r.count.n
	r.fw, r.w = nil, nil
	return err
}

// close finishes the open file and returns every file this roller created.
func (r *fileRoller) close() ([]inlet.DataFile, error) {
	err := r.finish()
	return r.done, err
}
