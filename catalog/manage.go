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
	if cur := meta.CurrentSnapshot(); cur != nil && cur.SnapshotID == snapshotID {
		return inlet.Errorf(inlet.EINVALID, "snapshot %d is already the current one of %s", snapshotID, ref)
	}
	txn := tbl.NewTransaction()
	if err := txn.RollbackToSnapshot(snapshotID); err != nil {
		return inlet.Errorf(inlet.EINVALID, "cannot roll %s back to snapshot %d: %v", ref, snapshotID, err)
	}
	if _, err := txn.Commit(ctx); err != nil {
		return fmt.Errorf("roll back %s: %w", ref, err)
	}
	return nil
}
