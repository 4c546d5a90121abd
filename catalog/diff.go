package catalog

import (
	"context"
	"fmt"

	"github.com/apache/iceberg-go/table"
	inlet "github.com/inlet-data/inlet"
)

// Diff compares two snapshots of a table: data files and their rows added
// and removed, columns added, removed and retyped, and the snapshots
// between them.
func (c *Catalog) Diff(ctx context.Context, tenant string, ref inlet.TableRef, from, to int64) (*inlet.SnapshotDiff, error) {
	_, tbl, err := c.load(ctx, tenant, ref)
	if err != nil {
		return nil, err
	}
	a, err := pickSnapshot(tbl, ref, inlet.SnapshotSelector{ID: from})
	if err != nil {
		return nil, err
	}
	b, err := pickSnapshot(tbl, ref, inlet.SnapshotSelector{ID: to})
	if err != nil {
		return nil, err
	}
	d := &inlet.SnapshotDiff{From: from, To: to, RowsBefore: summaryInt(a, "total-records"), RowsAfter: summaryInt(b, "total-records"),
		ColumnsAdded: []inlet.Column{}, ColumnsRemoved: []inlet.Column{}, ColumnsChanged: []inlet.ColumnChange{}, Between: []inlet.Snapshot{}}
	filesA, err := fileRows(ctx, tbl, from)
	if err != nil {
		return nil, err
	}
	filesB, err := fileRows(ctx, tbl, to)
	if err != nil {
		return nil, err
	}
	for f, n := range filesB {
		if _, ok := filesA[f]; !ok {
			d.FilesAdded++
			d.RowsInAddedFiles += n
		}
	}
	for f, n := range filesA {
		if _, ok := filesB[f]; !ok {
			d.FilesRemoved++
			d.RowsInRemovedFiles += n
		}
	}
	sa, sb := schemaAt(tbl, a), schemaAt(tbl, b)
	for _, f := range sb.Fields() {
		old, ok := sa.FindFieldByID(f.ID)
		switch {
		case !ok:
			d.ColumnsAdded = append(d.ColumnsAdded, inlet.Column{FieldID: f.ID, Name: f.Name, Type: glueType(f.Type)})
		case glueType(old.Type) != glueType(f.Type):
			d.ColumnsChanged = append(d.ColumnsChanged, inlet.ColumnChange{Name: f.Name, From: glueType(old.Type), To: glueType(f.Type)})
		}
	}
	for _, f := range sa.Fields() {
		if _, ok := sb.FindFieldByID(f.ID); !ok {
			d.ColumnsRemoved = append(d.ColumnsRemoved, inlet.Column{FieldID: f.ID, Name: f.Name, Type: glueType(f.Type)})
		}
	}
	// The snapshots between, when to descends from from (walking back).
	var chain []inlet.Snapshot
	for s := b; s != nil && s.SnapshotID != from; {
		chain = append(chain, snapshotOf(*s))
		if s.ParentSnapshotID == nil {
			chain = nil
			break
		}
		s = tbl.SnapshotByID(*s.ParentSnapshotID)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		d.Between = append(d.Between, chain[i])
	}
	return d, nil
}

// fileRows maps each data file of a snapshot to its row count.
func fileRows(ctx context.Context, tbl *table.Table, snapshotID int64) (map[string]int64, error) {
	tasks, err := tbl.Scan(table.WithSnapshotID(snapshotID)).PlanFiles(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan files at snapshot %d: %w", snapshotID, err)
	}
	out := make(map[string]int64, len(tasks))
	for _, t := range tasks {
		out[t.File.FilePath()] = t.File.Count()
	}
	return out, nil
}
