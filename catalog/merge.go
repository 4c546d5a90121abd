package catalog

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/apache/iceberg-go/table"
	inlet "github.com/inlet-data/inlet"
)

// ScanKeys calls fn with the key of each row of a table's current snapshot
// (see inlet.Catalog for the encoding).
func (c *Catalog) ScanKeys(ctx context.Context, tenant string, ref inlet.TableRef, columns []string, fn func(key []byte)) error {
	_, tbl, err := c.load(ctx, tenant, ref)
	if err != nil {
		return err
	}
	ids, err := fieldIDs(tbl, columns)
	if err != nil {
		return err
	}
	if tbl.CurrentSnapshot() == nil {
		return nil
	}
	files, err := c.snapshotFiles(ctx, tenant, ref, tbl, tbl.CurrentSnapshot().SnapshotID)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := c.fileKeys(ctx, f, ids, func(_ int64, key []byte) { fn(key) }); err != nil {
			return err
		}
	}
	return nil
}

func fieldIDs(tbl *table.Table, columns []string) ([]int, error) {
	ids := make([]int, len(columns))
	for i, name := range columns {
		f, ok := tbl.Schema().FindFieldByName(name)
		if !ok {
			return nil, inlet.Errorf(inlet.EINVALID, "table has no column %s", name)
		}
		ids[i] = f.ID
	}
	return ids, nil
}

// fileKeys reads the key columns (by field id) of one data file and calls fn
// with each row's index and key; rows with a NULL key, or from a file
// written before a key column existed, are left out.
func (c *Catalog) fileKeys(ctx context.Context, location string, ids []int, fn func(row int64, key []byte)) error {
	fs, err := c.fsF(ctx)
	if err != nil {
		return err
	}
	f, err := fs.Open(location)
	if err != nil {
		return fmt.Errorf("open %s: %w", location, err)
	}
	defer f.Close()
	pf, err := file.NewParquetReader(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", location, err)
	}
	defer pf.Close()
	sc := pf.MetaData().Schema
	cols := make([]int, len(ids))
	for i, id := range ids {
		cols[i] = -1
		for k := 0; k < sc.NumColumns(); k++ {
			if int(sc.Column(k).SchemaNode().FieldID()) == id {
				cols[i] = k
			}
		}
		if cols[i] < 0 {
			return nil // every row's key has a NULL: nothing matches
		}
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 64 << 10}, memory.DefaultAllocator)
	if err != nil {
		return err
	}
	rr, err := fr.GetRecordReader(ctx, cols, nil)
	if err != nil {
		return err
	}
	defer rr.Release()
	var row int64
	var key []byte
	for rr.Next() {
		rec := rr.RecordBatch()
		n := int(rec.NumRows())
	rows:
		for r := 0; r < n; r++ {
			key = key[:0]
			for i := range cols {
				col := rec.Column(i)
				if col.IsNull(r) {
					continue rows
				}
				if key, err = appendKey(key, col, r); err != nil {
					return fmt.Errorf("%s: %w", location, err)
				}
			}
			fn(row+int64(r), key)
		}
		row += int64(n)
	}
	if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: %w", location, err)
	}
	return nil
}

// appendKey appends value r of an array in inlet.Catalog's key encoding.
func appendKey(buf []byte, col arrow.Array, r int) ([]byte, error) {
	switch a := col.(type) {
	case *array.Int64:
		return binary.LittleEndian.AppendUint64(buf, uint64(a.Value(r))), nil
	case *array.Timestamp:
		return binary.LittleEndian.AppendUint64(buf, uint64(a.Value(r))), nil
	case *array.Date32:
		return binary.LittleEndian.AppendUint32(buf, uint32(a.Value(r))), nil
	case *array.Float64:
		return binary.LittleEndian.AppendUint64(buf, math.Float64bits(a.Value(r))), nil
	case *array.Boolean:
		if a.Value(r) {
			return append(buf, 1), nil
		}
		return append(buf, 0), nil
	case *array.Decimal128:
		v := a.Value(r)
		buf = binary.BigEndian.AppendUint64(buf, uint64(v.HighBits()))
		return binary.BigEndian.AppendUint64(buf, v.LowBits()), nil
	case *array.String:
		v := a.Value(r)
		buf = binary.LittleEndian.AppendUint32(buf, uint32(len(v)))
		return append(buf, v...), nil
	case *array.Binary:
		v := a.Value(r)
		buf = binary.LittleEndian.AppendUint32(buf, uint32(len(v)))
		return append(buf, v...), nil
	}
	return nil, fmt.Errorf("no key encoding for %s", col.DataType())
}

// mergeResult is what an upsert does to the table's files.
type mergeResult struct {
	removed   []string // files holding rows the upsert replaces
	rewritten []string // those files without those rows
	updated   int64    // rows of the upload whose key was in the table
}

// merge finds the rows of the current snapshot whose key is in the new
// files and writes every file holding some again without them
// (copy-on-write: engines that read Iceberg v2 without delete files, ours
// included, read the result right).
func (c *Catalog) merge(ctx context.Context, tbl *table.Table, wp *inlet.WritePlan, newFiles []string) (*mergeResult, error) {
	ids, err := fieldIDs(tbl, wp.Keys)
	if err != nil {
		return nil, err
	}
	keys := map[string]bool{} // the upload's keys; true once found in the table
	for _, f := range newFiles {
		if err := c.fileKeys(ctx, f, ids, func(_ int64, k []byte) { keys[string(k)] = false }); err != nil {
			return nil, err
		}
	}
	old, err := DataFiles(ctx, tbl)
	if err != nil {
		return nil, err
	}
	out := &mergeResult{}
	for n, f := range old {
		var drop []int64
		err := c.fileKeys(ctx, f, ids, func(row int64, k []byte) {
			if _, ok := keys[string(k)]; ok {
				drop = append(drop, row)
				keys[string(k)] = true
			}
		})
		if err != nil {
			return nil, err
		}
		if len(drop) == 0 {
			continue
		}
		out.removed = append(out.removed, f)
		loc := fmt.Sprintf("%s/%s-merge-%05d.parquet", wp.DataDir, wp.JobID, n)
		kept, err := c.rewriteWithout(ctx, f, loc, drop)
		if err != nil {
			return nil, err
		}
		if kept > 0 {
			out.rewritten = append(out.rewritten, loc)
		} else if err := c.Lake.Delete(ctx, loc); err != nil {
			return nil, err
		}
	}
	for _, found := range keys {
		if found {
			out.updated++
		}
	}
	return out, nil
}

// rewriteWithout writes a data file again without the given rows (sorted),
// keeping its schema and field ids, and returns how many rows it kept.
func (c *Catalog) rewriteWithout(ctx context.Context, from, to string, drop []int64) (int64, error) {
	fs, err := c.fsF(ctx)
	if err != nil {
		return 0, err
	}
	f, err := fs.Open(from)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", from, err)
	}
	defer f.Close()
	pf, err := file.NewParquetReader(f)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", from, err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 64 << 10}, memory.DefaultAllocator)
	if err != nil {
		return 0, err
	}
	schema, err := fr.Schema()
	if err != nil {
		return 0, err
	}
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return 0, err
	}
	defer rr.Release()
	w, err := c.Lake.Create(ctx, to)
	if err != nil {
		return 0, err
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithStats(true), parquet.WithCreatedBy("inlet"))
	pw, err := pqarrow.NewFileWriter(schema, w, props, pqarrow.NewArrowWriterProperties())
	if err != nil {
		w.Close()
		return 0, err
	}
	var row, kept int64
	next := 0 // index into drop
	for rr.Next() {
		rec := rr.RecordBatch()
		n := rec.NumRows()
		mask := array.NewBooleanBuilder(memory.DefaultAllocator)
		for r := int64(0); r < n; r++ {
			dropped := next < len(drop) && drop[next] == row+r
			if dropped {
				next++
			}
			mask.Append(!dropped)
		}
		m := mask.NewBooleanArray()
		mask.Release()
		filtered, err := compute.FilterRecordBatch(ctx, rec, m, compute.DefaultFilterOptions())
		m.Release()
		if err != nil {
			pw.Close()
			return 0, err
		}
		kept += filtered.NumRows()
		if filtered.NumRows() > 0 {
			err = pw.WriteBuffered(filtered)
		}
		filtered.Release()
		if err != nil {
			pw.Close()
			return 0, fmt.Errorf("write %s: %w", to, err)
		}
		row += n
	}
	if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		pw.Close()
		return 0, fmt.Errorf("read %s: %w", from, err)
	}
	if err := pw.Close(); err != nil { // closes w too
		return 0, fmt.Errorf("write %s: %w", to, err)
	}
	return kept, nil
}
