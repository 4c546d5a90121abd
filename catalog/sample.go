package catalog

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/iceberg-go/table"
	inlet "github.com/inlet-data/inlet"
)

// Sample returns up to limit rows of a table's current snapshot, as the lake
// holds them (hashed where hashed), with values rendered as text.
func (c *Catalog) Sample(ctx context.Context, tenant string, ref inlet.TableRef, at inlet.SnapshotSelector, limit int) (*inlet.Rows, error) {
	_, tbl, err := c.load(ctx, tenant, ref)
	if err != nil {
		return nil, err
	}
	snap, err := pickSnapshot(tbl, ref, at)
	if err != nil {
		return nil, err
	}
	out := &inlet.Rows{Rows: [][]*string{}}
	schema := schemaAt(tbl, snap)
	for _, f := range schema.Fields() {
		out.Columns = append(out.Columns, f.Name)
	}
	if snap == nil {
		return out, nil
	}
	_, records, err := tbl.Scan(table.WithLimit(int64(limit)), table.WithSnapshotID(snap.SnapshotID)).ToArrowRecords(ctx)
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", ref, err)
	}
	for rec, err := range records {
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", ref, err)
		}
		for r := 0; r < int(rec.NumRows()) && len(out.Rows) < limit; r++ {
			row := make([]*string, len(out.Columns))
			for i, name := range out.Columns {
				idx := rec.Schema().FieldIndices(name)
				if len(idx) == 0 {
					continue
				}
				col := rec.Column(idx[0])
				if col.IsNull(r) {
					continue
				}
				v := valueString(col, r)
				row[i] = &v
			}
			out.Rows = append(out.Rows, row)
		}
		rec.Release()
	}
	return out, nil
}

func valueString(col interface {
	ValueStr(int) string
}, r int) string {
	if s, ok := col.(*array.String); ok {
		return s.Value(r)
	}
	return col.ValueStr(r)
}
