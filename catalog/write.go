package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/apache/iceberg-go"
	icecat "github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/table"
	"github.com/cenkalti/backoff/v5"
	inlet "github.com/inlet-data/inlet"
)

// PlanWrite checks a write against the table as it is and decides where the
// data files go and which field id each column has. It changes nothing.
func (c *Catalog) PlanWrite(ctx context.Context, req inlet.WriteRequest) (*inlet.WritePlan, error) {
	if req.JobID == "" {
		return nil, errors.New("plan write: no job id")
	}
	_, tbl, err := c.load(ctx, req.Tenant, req.Ref)
	exists := err == nil
	if err != nil && inlet.ErrorCode(err) != inlet.ENOTFOUND {
		return nil, err
	}
	wp := &inlet.WritePlan{Tenant: req.Tenant, Ref: req.Ref, Mode: req.Mode, JobID: req.JobID, Exists: exists,
		Columns: append([]inlet.Column(nil), req.Columns...)}
	switch {
	case req.Mode == inlet.ModeCreate && exists:
		return nil, inlet.Errorf(inlet.ECONFLICT, "table %s already exists: append to it, overwrite it, or choose another name", req.Ref)
	case req.Mode != inlet.ModeCreate && !exists:
		return nil, inlet.Errorf(inlet.ENOTFOUND, "table %s does not exist: create it first", req.Ref)
	}
	if !exists {
		// A location of its own per table, so that a failed create can remove
		// everything under it and a re-created table never meets old files.
		sum := sha256.Sum256([]byte(req.JobID))
		suffix := hex.EncodeToString(sum[:4])
		wp.Location = fmt.Sprintf("%s/%s/%s.db/%s-%s", c.Warehouse, req.Tenant, req.Ref.Database, req.Ref.Name, suffix)
		wp.DataDir = wp.Location + "/data"
		wp.Profile = profileLocation(wp)
		for i := range wp.Columns {
			wp.FieldIDs = append(wp.FieldIDs, i+1)
		}
		return wp, nil
	}
	wp.Location = tbl.Location()
	wp.DataDir = wp.Location + "/data"
	wp.Profile = profileLocation(wp)
	wp.Keys = req.Keys
	schema := tbl.Schema()
	next := tbl.Metadata().LastColumnID() + 1
	seen := map[string]bool{}
	var conflicts []string
	for i, col := range wp.Columns {
		seen[col.Name] = true
		f, ok := schema.FindFieldByName(col.Name)
		if !ok {
			wp.FieldIDs = append(wp.FieldIDs, next)
			next++
			wp.AddedColumns = append(wp.AddedColumns, col.Name)
			continue
		}
		have := glueType(f.Type)
		if !fits(col.Type, have) {
			if req.Mode == inlet.ModeOverwrite {
				// Overwrite replaces every row: the column is replaced too.
				wp.FieldIDs = append(wp.FieldIDs, next)
				next++
				continue
			}
			conflicts = append(conflicts, fmt.Sprintf("%s is %s in the table but %s in the file", col.Name, have, col.Type))
			wp.FieldIDs = append(wp.FieldIDs, f.ID)
			continue
		}
		wp.Columns[i].Type = have
		wp.FieldIDs = append(wp.FieldIDs, f.ID)
	}
	if len(conflicts) > 0 {
		return nil, inlet.Errorf(inlet.ECONFLICT, "cannot append to %s: %s (set the column type, rename the column, or overwrite)", req.Ref, strings.Join(conflicts, "; "))
	}
	for _, f := range schema.Fields() {
		if !seen[f.Name] {
			wp.MissingColumns = append(wp.MissingColumns, f.Name)
		}
	}
	return wp, nil
}

// schemaOf builds the Iceberg schema of a new table from the plan.
func schemaOf(wp *inlet.WritePlan) (*iceberg.Schema, error) {
	fields := make([]iceberg.NestedField, len(wp.Columns))
	for i, col := range wp.Columns {
		typ, err := icebergType(col.Type)
		if err != nil {
			return nil, err
		}
		fields[i] = iceberg.NestedField{ID: wp.FieldIDs[i], Name: col.Name, Type: typ, Doc: col.Comment}
	}
	return iceberg.NewSchema(0, fields...), nil
}

// Commit publishes the data files as one new snapshot with lineage. A create
// makes the table and its first snapshot in one catalog commit, so no empty
// table is ever visible.
func (c *Catalog) Commit(ctx context.Context, wp *inlet.WritePlan, files []inlet.DataFile, lineage inlet.Lineage) (*inlet.Snapshot, error) {
	cat, err := c.tenantCatalog(wp.Tenant)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.Location
	}
	snapProps := lineageProps(lineage)
	var meta table.Metadata
	switch {
	case !wp.Exists:
		meta, err = c.commitCreate(ctx, cat, wp, paths, snapProps)
	case wp.Mode == inlet.ModeAppend:
		meta, err = c.commitAppend(ctx, cat, wp, paths, snapProps)
	default:
		meta, err = c.commitExisting(ctx, cat, wp, paths, snapProps)
	}
	if errors.Is(err, errMoved) {
		return nil, inlet.Errorf(inlet.ECONFLICT, "table %s changed while the file was being ingested: try again", wp.Ref)
	}
	if err != nil {
		return nil, err
	}
	snap := jobSnapshot(meta, wp.JobID)
	if snap == nil {
		return nil, errors.New("commit produced no snapshot")
	}
	s := snapshotOf(*snap)
	return &s, nil
}

// jobSnapshot is the snapshot a job committed, if any: a job commits at
// most one.
func jobSnapshot(meta table.Metadata, jobID string) *table.Snapshot {
	snaps := meta.Snapshots()
	for i := len(snaps) - 1; i >= 0; i-- {
		if s := snaps[i]; s.Summary != nil && s.Summary.Properties[propJobID] == jobID {
			return &s
		}
	}
	return nil
}

func (c *Catalog) commitCreate(ctx context.Context, cat icecat.Catalog, wp *inlet.WritePlan, paths []string, snapProps iceberg.Properties) (table.Metadata, error) {
	ns := table.Identifier{wp.Ref.Database}
	if err := cat.CreateNamespace(ctx, ns, nil); err != nil && !errors.Is(err, icecat.ErrNamespaceAlreadyExists) {
		return nil, fmt.Errorf("create database %s: %w", wp.Ref.Database, err)
	}
	schema, err := schemaOf(wp)
	if err != nil {
		return nil, err
	}
	props := columnProps(wp.Columns)
	props["write.parquet.compression-codec"] = "zstd"
	props["format-version"] = "2"
	meta, err := table.NewMetadata(schema, iceberg.UnpartitionedSpec, table.UnsortedSortOrder, wp.Location, props)
	if err != nil {
		return nil, fmt.Errorf("new table metadata: %w", err)
	}
	// NewMetadata assigns field ids afresh, in order: they must be the ids
	// the data files were written with.
	for i, f := range meta.CurrentSchema().Fields() {
		if f.ID != wp.FieldIDs[i] {
			return nil, fmt.Errorf("field id of %s is %d, data files use %d", f.Name, f.ID, wp.FieldIDs[i])
		}
	}
	staging := table.New(ident(wp.Ref), meta, "", c.fsF, nil)
	txn := staging.NewTransaction()
	if err := txn.AddFiles(ctx, paths, snapProps, false); err != nil {
		return nil, fmt.Errorf("add data files: %w", err)
	}
	staged, err := txn.StagedTable()
	if err != nil {
		return nil, err
	}
	m := staged.Metadata()
	updates := []table.Update{
		table.NewAssignUUIDUpdate(m.TableUUID()),
		table.NewUpgradeFormatVersionUpdate(m.Version()),
		table.NewAddSchemaUpdate(m.CurrentSchema()),
		table.NewSetCurrentSchemaUpdate(-1),
		table.NewAddPartitionSpecUpdate(iceberg.UnpartitionedSpec, true),
		table.NewSetDefaultSpecUpdate(-1),
		table.NewAddSortOrderUpdate(&table.UnsortedSortOrder),
		table.NewSetDefaultSortOrderUpdate(-1),
		table.NewSetLocationUpdate(m.Location()),
		table.NewSetPropertiesUpdate(m.Properties()),
	}
	snap := *m.CurrentSnapshot()
	// The staged snapshot names the staged schema's id, but the catalog
	// numbers schemas afresh on create (after the empty schema 0 its base
	// starts with): name the id the table will really give the schema, or
	// readers of this snapshot would see no columns.
	schemaID, err := createdSchemaID(m.CurrentSchema())
	if err != nil {
		return nil, err
	}
	snap.SchemaID = &schemaID
	updates = append(updates,
		table.NewAddSnapshotUpdate(&snap),
		table.NewSetSnapshotRefUpdate(table.MainBranch, snap.SnapshotID, table.BranchRef, -1, -1, -1),
	)
	meta, _, err = cat.CommitTable(ctx, ident(wp.Ref), []table.Requirement{table.AssertCreate()}, updates)
	if err != nil {
		// Another create won: the SQL catalog says so with a bare
		// "table already exists" requirement error when it already sees the
		// table, or with the database's refusal of a second row when both
		// looked at once. Either way the table is there now.
		if exists, e := cat.CheckTableExists(ctx, ident(wp.Ref)); errors.Is(err, icecat.ErrTableAlreadyExists) || e == nil && exists {
			return nil, inlet.Errorf(inlet.ECONFLICT, "table %s was created by someone else meanwhile", wp.Ref)
		}
		return nil, fmt.Errorf("commit new table %s: %w", wp.Ref, err)
	}
	return meta, nil
}

// errMoved is a commit refused only because another writer committed to
// the table first: nothing was published, and an append may try again on
// the table as it is now.
var errMoved = errors.New("the table moved on")

// movedOn says whether a catalog refused a commit because the table's
// branch or metadata changed underneath it. iceberg-go's SQL catalog says
// so with table.ErrCommitFailed when its compare-and-swap misses, but with
// a bare "requirement failed" error when the change is already visible as
// it loads the table (its REST catalog maps both to ErrCommitFailed).
func movedOn(err error) bool {
	return errors.Is(err, table.ErrCommitFailed) || strings.HasPrefix(strings.ToLower(err.Error()), "requirement failed:")
}

// Append commit retries: several workers (cron, Airflow, replicas) append
// to one table at once, and each commit but the first meets a table that
// moved on. An append does not depend on the rows before it, so it is
// rebased on the new snapshot (the schema checked again) and committed
// again, after a jittered exponential wait, as Iceberg's own commits retry.
const (
	appendTries    = 12
	appendFirstTry = 50 * time.Millisecond
	appendLongest  = 2 * time.Second
	appendGiveUp   = 2 * time.Minute
)

// commitAppend commits an append, retrying on the table as it is now while
// others' commits keep winning.
func (c *Catalog) commitAppend(ctx context.Context, cat icecat.Catalog, wp *inlet.WritePlan, paths []string, snapProps iceberg.Properties) (table.Metadata, error) {
	return retryMoved(ctx, c.Logger, wp.Ref, func() (table.Metadata, error) {
		return c.commitExisting(ctx, cat, wp, paths, snapProps)
	})
}

// retryMoved calls try again, after a jittered exponential wait, while it
// fails with errMoved, as Iceberg's own commits retry.
func retryMoved[T any](ctx context.Context, logger *slog.Logger, ref inlet.TableRef, try func() (T, error)) (T, error) {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.RandomizationFactor = appendFirstTry, appendLongest, 0.5
	tries := 0
	return backoff.Retry(ctx, func() (T, error) {
		tries++
		out, err := try()
		if errors.Is(err, errMoved) {
			logger.Info("commit met a newer snapshot: retrying on it", "table", ref.String(), "try", tries)
			return out, err
		}
		if err != nil {
			return out, backoff.Permanent(err)
		}
		return out, nil
	}, backoff.WithBackOff(b), backoff.WithMaxTries(appendTries), backoff.WithMaxElapsedTime(appendGiveUp))
}

func (c *Catalog) commitExisting(ctx context.Context, cat icecat.Catalog, wp *inlet.WritePlan, paths []string, snapProps iceberg.Properties) (table.Metadata, error) {
	tbl, err := cat.LoadTable(ctx, ident(wp.Ref))
	if err != nil {
		return nil, fmt.Errorf("load table %s: %w", wp.Ref, err)
	}
	if jobSnapshot(tbl.Metadata(), wp.JobID) != nil {
		// This job committed already (an earlier try whose answer was lost,
		// or another worker of the same job): once is enough.
		return tbl.Metadata(), nil
	}
	txn := tbl.NewTransaction()
	schema := tbl.Schema()
	upd := txn.UpdateSchema(true, false)
	changed := false
	for i, col := range wp.Columns {
		typ, err := icebergType(col.Type)
		if err != nil {
			return nil, err
		}
		f, ok := schema.FindFieldByName(col.Name)
		switch {
		case ok && f.ID == wp.FieldIDs[i] && !f.Type.Equals(typ) && wp.Mode == inlet.ModeAppend:
			// Another write retyped the column (or added it with another
			// type) since the plan: the files hold the planned type.
			return nil, inlet.Errorf(inlet.ECONFLICT, "table %s changed while the file was being ingested: column %s is %s now, the file's rows are %s: ingest it again",
				wp.Ref, col.Name, glueType(f.Type), col.Type)
		case !ok:
			upd.AddColumn([]string{col.Name}, typ, col.Comment, false, nil)
			changed = true
		case f.ID != wp.FieldIDs[i]:
			// Overwrite with a new type: replace the column.
			upd.DeleteColumn([]string{col.Name})
			upd.AddColumn([]string{col.Name}, typ, col.Comment, false, nil)
			changed = true
		case f.Doc != col.Comment && col.Comment != "":
			upd.UpdateColumn([]string{col.Name}, table.ColumnUpdate{Doc: iceberg.Optional[string]{Val: col.Comment, Valid: true}})
			changed = true
		}
	}
	if changed {
		if err := upd.Commit(); err != nil {
			return nil, fmt.Errorf("evolve schema of %s: %w", wp.Ref, err)
		}
		staged, err := txn.StagedTable()
		if err != nil {
			return nil, err
		}
		for i, col := range wp.Columns {
			if f, ok := staged.Schema().FindFieldByName(col.Name); !ok || f.ID != wp.FieldIDs[i] {
				return nil, inlet.Errorf(inlet.ECONFLICT, "table %s changed while the file was being ingested: try again", wp.Ref)
			}
		}
	}
	colProps := columnProps(wp.Columns)
	if err := txn.SetProperties(colProps); err != nil {
		return nil, err
	}
	if wp.Mode == inlet.ModeOverwrite {
		// Every row is replaced: PII decisions and source names the new
		// rows do not have must not go on describing them.
		var stale []string
		for k := range tbl.Properties() {
			if _, keep := colProps[k]; !keep && (strings.HasPrefix(k, propColumnPII) || strings.HasPrefix(k, propColumnSrc)) {
				stale = append(stale, k)
			}
		}
		if len(stale) > 0 {
			if err := txn.RemoveProperties(stale); err != nil {
				return nil, err
			}
		}
	}
	if wp.Mode == inlet.ModeUpsert {
		m, err := c.merge(ctx, tbl, wp, paths)
		if err != nil {
			return nil, fmt.Errorf("upsert into %s: %w", wp.Ref, err)
		}
		rows, _ := strconv.ParseInt(snapProps[propRows], 10, 64)
		snapProps[propUpdated] = strconv.FormatInt(m.updated, 10)
		snapProps[propInserted] = strconv.FormatInt(rows-m.updated, 10)
		if len(m.removed) == 0 {
			err = txn.AddFiles(ctx, paths, snapProps, false)
		} else {
			err = txn.ReplaceDataFiles(ctx, m.removed, append(paths, m.rewritten...), snapProps)
		}
		if err != nil {
			return nil, fmt.Errorf("upsert into %s: %w", wp.Ref, err)
		}
	} else if wp.Mode == inlet.ModeOverwrite {
		old, err := DataFiles(ctx, tbl)
		if err != nil {
			return nil, err
		}
		err = txn.ReplaceDataFiles(ctx, old, paths, snapProps)
		if err != nil {
			return nil, fmt.Errorf("overwrite %s: %w", wp.Ref, err)
		}
	} else if err := txn.AddFiles(ctx, paths, snapProps, false); err != nil {
		return nil, fmt.Errorf("append to %s: %w", wp.Ref, err)
	}
	committed, err := txn.Commit(ctx)
	if err != nil {
		if movedOn(err) {
			c.removeStaged(ctx, txn)
			return nil, errMoved
		}
		return nil, fmt.Errorf("commit %s: %w", wp.Ref, err)
	}
	return committed.Metadata(), nil
}

// removeStaged deletes the manifest list and manifests a transaction wrote
// for a snapshot the catalog refused, so a retried commit leaves no
// orphans behind (the data files stay: the next try commits them).
func (c *Catalog) removeStaged(ctx context.Context, txn *table.Transaction) {
	staged, err := txn.StagedTable()
	if err != nil {
		return
	}
	snap := staged.CurrentSnapshot()
	if snap == nil {
		return
	}
	fs, err := c.fsF(ctx)
	if err != nil {
		return
	}
	manifests, err := snap.Manifests(fs)
	if err != nil {
		return
	}
	for _, m := range manifests {
		if m.SnapshotID() == snap.SnapshotID {
			c.removeObject(ctx, m.FilePath())
		}
	}
	c.removeObject(ctx, snap.ManifestList)
}

func (c *Catalog) removeObject(ctx context.Context, location string) {
	if err := c.Lake.Delete(context.WithoutCancel(ctx), location); err != nil {
		c.Logger.Warn("remove a refused commit's file", "location", location, "err", err)
	}
}

// Abort removes the files a failed write may have left: for a new table its
// whole location (unique to the write), else the write's data files.
func (c *Catalog) Abort(ctx context.Context, wp *inlet.WritePlan) error {
	if !wp.Exists {
		if _, _, err := c.load(ctx, wp.Tenant, wp.Ref); err == nil {
			// The create committed after all (or someone else's did): keep it.
			if t, err := c.Table(ctx, wp.Tenant, wp.Ref); err == nil && t.Location == wp.Location {
				return nil
			}
		}
		return c.Lake.DeletePrefix(ctx, wp.Location+"/")
	}
	if s, err := c.JobSnapshot(ctx, wp.Tenant, wp.Ref, wp.JobID); err != nil || s != nil {
		return err // the files are live (or we cannot tell): never delete them
	}
	if err := c.Lake.Delete(ctx, wp.Profile); err != nil {
		return err
	}
	return c.Lake.DeletePrefix(ctx, wp.DataDir+"/"+wp.JobID+"-")
}

// profileLocation is where a write keeps the table's column profiles: next
// to the table's metadata, named after the job (Abort removes it).
func profileLocation(wp *inlet.WritePlan) string {
	return wp.Location + "/metadata/" + wp.JobID + "-profile.json"
}

// JobSnapshot finds the snapshot committed by a job, if any.
func (c *Catalog) JobSnapshot(ctx context.Context, tenant string, ref inlet.TableRef, jobID string) (*inlet.Snapshot, error) {
	_, tbl, err := c.load(ctx, tenant, ref)
	if inlet.ErrorCode(err) == inlet.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if s := jobSnapshot(tbl.Metadata(), jobID); s != nil {
		snap := snapshotOf(*s)
		return &snap, nil
	}
	return nil, nil
}

// createdSchemaID is the id a schema gets in a newly created table: the
// catalogs build new tables on a base holding the empty schema 0.
func createdSchemaID(schema *iceberg.Schema) (int, error) {
	base, err := table.NewMetadata(iceberg.NewSchema(0), nil, table.UnsortedSortOrder, "", nil)
	if err != nil {
		return 0, err
	}
	b, err := table.MetadataBuilderFromBase(base, "")
	if err != nil {
		return 0, err
	}
	if err := b.AddSchema(schema); err != nil {
		return 0, err
	}
	if err := b.SetCurrentSchemaID(-1); err != nil {
		return 0, err
	}
	return b.CurrentSchema().ID, nil
}
