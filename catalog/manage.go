package catalog

import (
	"context"
	"fmt"

	inlet "github.com/inlet-data/inlet"
)

// DropTable removes a table: its catalog entry first (engines stop seeing
// it at once), then every file under its location, which is its own (see
// PlanWrite), so nothing is left orphaned. It returns the table as it was,
// for the audit log to keep its lineage.
func (c *Catalog) DropTable(ctx context.Context, tenant string, ref inlet.TableRef) (*inlet.Table, error) {
	t, err := c.Table(ctx, tenant, ref)
	if err != nil {
		return nil, err
	}
	cat, _, err := c.load(ctx, tenant, ref)
	if err != nil {
		return nil, err
	}
	if err := cat.DropTable(ctx, ident(ref)); err != nil {
		return nil, fmt.Errorf("drop %s: %w", ref, err)
	}
	if err := c.Lake.DeletePrefix(ctx, t.Location+"/"); err != nil {
		return t, fmt.Errorf("table %s is dropped but its files under %s could not all be removed: %w", ref, t.Location, err)
	}
	return t, nil
}

// Rollback makes an earlier snapshot of a table its current one again, as
// Iceberg rolls back: the later snapshots stay in the history (time travel
// still reads them) and no data file is rewritten.
func (c *Catalog) Rollback(ctx context.Context, tenant string, ref inlet.TableRef, snapshotID int64) error {
	_, tbl, err := c.load(ctx, tenant, ref)
	if err != nil {
		return err
	}
	meta := tbl.Metadata()
	if meta.SnapshotByID(snapshotID) == nil {
		return inlet.Errorf(inlet.ENOTFOUND, "table %s has no snapshot %d (see its history)", ref, snapshotID)
	}
	cur := meta.CurrentSnapshot()
	if cur != nil && cur.SnapshotID == snapshotID {
		return inlet.Errorf(inlet.EINVALID, "snapshot %d is already the current one of %s", snapshotID, ref)
	}
	// Iceberg rolls back to an ancestor of the current snapshot only: one
	// that an earlier rollback left out of the history cannot be restored.
	ancestor := false
	for s := cur; s != nil && !ancestor; {
		if s.ParentSnapshotID == nil {
			break
		}
		ancestor = *s.ParentSnapshotID == snapshotID
		s = meta.SnapshotByID(*s.ParentSnapshotID)
	}
	if !ancestor {
		return inlet.Errorf(inlet.EINVALID, "snapshot %d of %s is not in its current history (a rollback left it out): roll back only to an earlier snapshot of the current history", snapshotID, ref)
	}
	// The schema stays the current one in a rollback. Columns added since
	// read NULL in the old files, which is right; a column replaced since
	// (an overwrite gives it a new field id) or removed would read wrong.
	if target := meta.SnapshotByID(snapshotID); target.SchemaID != nil {
		now := meta.CurrentSchema()
		for _, old := range meta.Schemas() {
			if old.ID != *target.SchemaID {
				continue
			}
			for _, f := range old.Fields() {
				if g, ok := now.FindFieldByName(f.Name); !ok || g.ID != f.ID {
					return inlet.Errorf(inlet.EINVALID, "column %s of %s was replaced after snapshot %d: rolling back would read its files with today's columns; ingest the old file again with --mode overwrite instead", f.Name, ref, snapshotID)
				}
			}
		}
	}
	txn := tbl.NewTransaction()
	if err := txn.RollbackToSnapshot(snapshotID); err != nil {
		return fmt.Errorf("roll back %s to %d: %w", ref, snapshotID, err)
	}
	if _, err := txn.Commit(ctx); err != nil {
		if movedOn(err) {
			// A write committed since the history was read: rolling back
			// now would undo it too, unseen.
			return inlet.Errorf(inlet.ECONFLICT, "table %s changed while rolling back: look at its history again", ref)
		}
		return fmt.Errorf("roll back %s: %w", ref, err)
	}
	return nil
}
