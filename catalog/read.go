package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/table"
	inlet "github.com/inlet-data/inlet"
)

// fileCacheSize bounds the cache of snapshot data file lists.
const fileCacheSize = 512

var _ inlet.SnapshotReader = (*Catalog)(nil)

// ReadSnapshot resolves a table at a snapshot for a query engine: the schema
// the snapshot was written with and its data files. Snapshots never change,
// so their file lists are cached: a query then costs one metadata read, not
// a walk of the manifests.
func (c *Catalog) ReadSnapshot(ctx context.Context, tenant string, ref inlet.TableRef, at inlet.SnapshotSelector) (*inlet.TableSnapshot, error) {
	_, tbl, err := c.load(ctx, tenant, ref)
	if err != nil {
		return nil, err
	}
	snap, err := pickSnapshot(tbl, ref, at)
	if err != nil {
		return nil, err
	}
	schema := schemaAt(tbl, snap)
	// Every table starts with the empty schema 0 its create is built on:
	// only a second schema with columns is an evolution.
	schemas := 0
	for _, s := range tbl.Metadata().Schemas() {
		if len(s.Fields()) > 0 {
			schemas++
		}
	}
	out := &inlet.TableSnapshot{Ref: ref, SchemaEvolved: schemas > 1}
	for _, f := range schema.Fields() {
		out.Columns = append(out.Columns, inlet.Column{FieldID: f.ID, Name: f.Name, Type: glueType(f.Type)})
	}
	if snap == nil {
		return out, nil
	}
	out.SnapshotID = snap.SnapshotID
	if out.Files, err = c.snapshotFiles(ctx, tenant, ref, tbl, snap.SnapshotID); err != nil {
		return nil, err
	}
	return out, nil
}

// snapshotFiles lists a snapshot's data files, sorted, from the cache.
func (c *Catalog) snapshotFiles(ctx context.Context, tenant string, ref inlet.TableRef, tbl *table.Table, snapshotID int64) ([]string, error) {
	key := fmt.Sprintf("%s/%s/%d", tenant, ref, snapshotID)
	c.mu.Lock()
	files, ok := c.files[key]
	c.mu.Unlock()
	if ok {
		return files, nil
	}
	files, err := scanFiles(ctx, tbl.Scan(table.WithSnapshotID(snapshotID)))
	if err != nil {
		return nil, fmt.Errorf("plan files of %s at snapshot %d: %w", ref, snapshotID, err)
	}
	c.mu.Lock()
	if len(c.files) >= fileCacheSize {
		clear(c.files) // snapshots are cheap to plan again; a simple bound is enough
	}
	c.files[key] = files
	c.mu.Unlock()
	return files, nil
}

// schemaAt is the schema a snapshot was written with.
func schemaAt(tbl *table.Table, snap *table.Snapshot) *iceberg.Schema {
	if snap != nil && snap.SchemaID != nil {
		// Tables created before createdSchemaID name the empty schema 0 in
		// their first snapshot: the current schema reads them right.
		if s, ok := tbl.Schemas()[*snap.SchemaID]; ok && len(s.Fields()) > 0 {
			return s
		}
	}
	return tbl.Schema()
}

func pickSnapshot(tbl *table.Table, ref inlet.TableRef, at inlet.SnapshotSelector) (*table.Snapshot, error) {
	switch {
	case at.ID != 0:
		if s := tbl.SnapshotByID(at.ID); s != nil {
			return s, nil
		}
		return nil, inlet.Errorf(inlet.ENOTFOUND, "table %s has no snapshot %d", ref, at.ID)
	case !at.AsOf.IsZero():
		if s := tbl.SnapshotAsOf(at.AsOf.UnixMilli(), true); s != nil {
			return s, nil
		}
		return nil, inlet.Errorf(inlet.ENOTFOUND, "table %s did not exist yet at %s", ref, at.AsOf.UTC().Format(time.RFC3339))
	}
	return tbl.CurrentSnapshot(), nil
}

// IcebergMetadata returns a table's current metadata location and document,
// as the Iceberg REST protocol hands them to other engines.
func (c *Catalog) IcebergMetadata(ctx context.Context, tenant string, ref inlet.TableRef) (string, []byte, error) {
	_, tbl, err := c.load(ctx, tenant, ref)
	if err != nil {
		return "", nil, err
	}
	b, err := json.Marshal(tbl.Metadata())
	if err != nil {
		return "", nil, fmt.Errorf("encode metadata of %s: %w", ref, err)
	}
	return tbl.MetadataLocation(), b, nil
}
