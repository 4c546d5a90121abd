// Package catalog keeps Inlet's tables as Apache Iceberg tables through
// iceberg-go: one Iceberg catalog per tenant (the SQL catalog, on SQLite in
// the embedded default or on Postgres), with lineage in snapshot summaries
// and PII decisions in column comments and table properties. It imports the root package only among Inlet's own.
package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/iceberg-go"
	icecat "github.com/apache/iceberg-go/catalog"
	sqlcat "github.com/apache/iceberg-go/catalog/sql"
	icebergio "github.com/apache/iceberg-go/io"
	"github.com/apache/iceberg-go/table"
	inlet "github.com/inlet-data/inlet"
)

// Property keys Inlet writes. Snapshot summaries carry lineage; table
// properties carry per-column PII decisions and source names.
const (
	propJobID       = "inlet.job-id"
	propSourceFile  = "inlet.source-file"
	propSourceSHA   = "inlet.source-sha256"
	propSheet       = "inlet.sheet"
	propUploader    = "inlet.uploader"
	propRows        = "inlet.rows"
	propMode        = "inlet.mode"
	propPII         = "inlet.pii"
	propTime        = "inlet.time"
	propKeys        = "inlet.merge-keys" // JSON list, an upsert's
	propUpdated     = "inlet.updated-rows"
	propInserted    = "inlet.inserted-rows"
	propProfile     = "inlet.profile" // the location of the column profiles
	propExpect      = "inlet.expectations"
	propColumnPII   = "inlet.pii."           // + column: JSON ColumnPII
	propColumnSrc   = "inlet.source-column." // + column: the header it came from
	propDescription = "comment"              // what Glue, Spark and Trino show as the table comment
	propOwner       = "inlet.owner"
)

// Catalog is the Iceberg catalog of every tenant.
type Catalog struct {
	// Warehouse is the root location of table data: file:///... or s3://...
	Warehouse string
	Lake      inlet.Lake
	Logger    *slog.Logger
	// IOProps configure Iceberg's file IO for the warehouse's scheme (for
	// s3://, the s3.* properties: endpoint, region, addressing); set
	// before first use.
	IOProps map[string]string

	open  Opener
	mu    sync.Mutex
	cats  map[string]icecat.Catalog
	files map[string][]string // data files per tenant/table/snapshot
}

var _ inlet.Catalog = (*Catalog)(nil)

// Opener opens the Iceberg catalog of one tenant (a valid tenant id). The
// Catalog calls it once per tenant and keeps what it returns; cmd/inlet
// chooses it: the SQL catalog on SQLite or on Postgres today, Glue later.
type Opener func(tenant string) (icecat.Catalog, error)

// SQLCatalogs opens tenants' Iceberg SQL catalogs in db, whose SQL is
// dialect's (sqlcat.SQLite or sqlcat.Postgres), each tenant's new tables
// under warehouse/TENANT. Tenants share the SQL tables and are kept apart
// by catalog name, as the Iceberg SQL catalog spec intends.
func SQLCatalogs(db *sql.DB, dialect sqlcat.SupportedDialect, warehouse string, ioProps map[string]string) Opener {
	warehouse = strings.TrimRight(warehouse, "/")
	return func(tenant string) (icecat.Catalog, error) {
		props := iceberg.Properties{}
		maps.Copy(props, ioProps)
		props["warehouse"] = warehouse + "/" + tenant
		cat, err := sqlcat.NewCatalog(tenant, db, dialect, props)
		if err != nil {
			// Two replicas creating the catalog tables at once: one loses
			// Postgres's race on CREATE TABLE IF NOT EXISTS; the tables exist now.
			cat, err = sqlcat.NewCatalog(tenant, db, dialect, props)
		}
		return cat, err
	}
}

// New returns a catalog whose tenants' Iceberg catalogs open opens, their
// tables' data under warehouse in lake.
func New(open Opener, warehouse string, lake inlet.Lake, logger *slog.Logger) *Catalog {
	return &Catalog{open: open, Warehouse: strings.TrimRight(warehouse, "/"), Lake: lake, Logger: logger, cats: map[string]icecat.Catalog{}, files: map[string][]string{}}
}

// tenantCatalog returns the Iceberg catalog of one tenant.
func (c *Catalog) tenantCatalog(tenant string) (icecat.Catalog, error) {
	if err := inlet.ValidateTenant(tenant); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cat, ok := c.cats[tenant]; ok {
		return cat, nil
	}
	cat, err := c.open(tenant)
	if err != nil {
		return nil, fmt.Errorf("open catalog of tenant %s: %w", tenant, err)
	}
	c.cats[tenant] = cat
	return cat, nil
}

func ident(ref inlet.TableRef) table.Identifier { return table.Identifier{ref.Database, ref.Name} }

func (c *Catalog) load(ctx context.Context, tenant string, ref inlet.TableRef) (icecat.Catalog, *table.Table, error) {
	cat, err := c.tenantCatalog(tenant)
	if err != nil {
		return nil, nil, err
	}
	tbl, err := cat.LoadTable(ctx, ident(ref))
	if errors.Is(err, icecat.ErrNoSuchTable) || errors.Is(err, icecat.ErrNoSuchNamespace) {
		return cat, nil, inlet.Errorf(inlet.ENOTFOUND, "table %s does not exist", ref)
	} else if err != nil {
		return cat, nil, fmt.Errorf("load table %s: %w", ref, err)
	}
	return cat, tbl, nil
}

// Tables lists a tenant's tables, sorted by name.
func (c *Catalog) Tables(ctx context.Context, tenant string) ([]inlet.TableSummary, error) {
	cat, err := c.tenantCatalog(tenant)
	if err != nil {
		return nil, err
	}
	nss, err := cat.ListNamespaces(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("list databases: %w", err)
	}
	var out []inlet.TableSummary
	for _, ns := range nss {
		for id, err := range cat.ListTables(ctx, ns) {
			if err != nil {
				return nil, fmt.Errorf("list tables: %w", err)
			}
			ref := inlet.TableRef{Database: strings.Join(id[:len(id)-1], "."), Name: id[len(id)-1]}
			_, tbl, err := c.load(ctx, tenant, ref)
			if err != nil {
				return nil, err
			}
			s := inlet.TableSummary{Ref: ref, Columns: len(tbl.Schema().Fields()), Description: tbl.Properties()[propDescription]}
			for _, f := range tbl.Schema().Fields() {
				s.ColumnNames = append(s.ColumnNames, f.Name)
				if _, ok := tbl.Properties()[propColumnPII+f.Name]; ok {
					s.PIIColumns++
				}
			}
			if snap := tbl.CurrentSnapshot(); snap != nil {
				s.Rows = summaryInt(snap, "total-records")
				s.UpdatedAt = time.UnixMilli(snap.TimestampMs).UTC()
			}
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ref.String() < out[j].Ref.String() })
	return out, nil
}

func summaryInt(s *table.Snapshot, key string) int64 {
	if s.Summary == nil {
		return 0
	}
	n, _ := strconv.ParseInt(s.Summary.Properties[key], 10, 64)
	return n
}

// Table describes one table: schema with PII tags, snapshots with lineage,
// and the current snapshot's data files.
func (c *Catalog) Table(ctx context.Context, tenant string, ref inlet.TableRef) (*inlet.Table, error) {
	return c.TableAt(ctx, tenant, ref, inlet.SnapshotSelector{})
}

// TableAt describes a table as of a snapshot (time travel): the schema,
// row count, data files and profiles of that snapshot, with the whole
// history. The zero selector is the current snapshot.
func (c *Catalog) TableAt(ctx context.Context, tenant string, ref inlet.TableRef, at inlet.SnapshotSelector) (*inlet.Table, error) {
	_, tbl, err := c.load(ctx, tenant, ref)
	if err != nil {
		return nil, err
	}
	snap, err := pickSnapshot(tbl, ref, at)
	if err != nil {
		return nil, err
	}
	props := tbl.Properties()
	t := &inlet.Table{Tenant: tenant, Ref: ref, Location: tbl.Location(), MetadataLocation: tbl.MetadataLocation(),
		Description: props[propDescription], Owner: props[propOwner], Properties: map[string]string{}, Expectations: []inlet.Expectation{}}
	if raw := props[propExpect]; raw != "" {
		_ = json.Unmarshal([]byte(raw), &t.Expectations)
	}
	for k, v := range props {
		if k != table.DefaultNameMappingKey {
			t.Properties[k] = v
		}
	}
	schema := schemaAt(tbl, snap)
	if cur := tbl.CurrentSnapshot(); snap != nil && (cur == nil || cur.SnapshotID != snap.SnapshotID) {
		id := snap.SnapshotID
		t.AsOf = &id
	}
	profiles := c.profiles(ctx, snap)
	for _, f := range schema.Fields() {
		col := inlet.Column{FieldID: f.ID, Name: f.Name, Type: glueType(f.Type), Comment: f.Doc, SourceName: props[propColumnSrc+f.Name]}
		if raw, ok := props[propColumnPII+f.Name]; ok {
			var p inlet.ColumnPII
			if json.Unmarshal([]byte(raw), &p) == nil {
				col.PII = &p
			}
		}
		if p, ok := profiles[f.ID]; ok {
			col.Profile = &p
		}
		t.Columns = append(t.Columns, col)
	}
	for _, s := range tbl.Metadata().Snapshots() {
		t.Snapshots = append(t.Snapshots, snapshotOf(s))
	}
	sort.Slice(t.Snapshots, func(i, j int) bool { return t.Snapshots[i].Time.Before(t.Snapshots[j].Time) })
	if cur := tbl.CurrentSnapshot(); cur != nil {
		id := cur.SnapshotID
		t.CurrentSnapshot = &id
	}
	if snap != nil {
		t.Rows = summaryInt(snap, "total-records")
		t.UpdatedAt = time.UnixMilli(snap.TimestampMs).UTC()
		files, err := c.snapshotFiles(ctx, tenant, ref, tbl, snap.SnapshotID)
		if err != nil {
			return nil, err
		}
		t.DataFiles = files
	}
	return t, nil
}

// profiles reads a snapshot's column profiles, by field id. A profile is
// a convenience: one that cannot be read is logged and left out.
func (c *Catalog) profiles(ctx context.Context, snap *table.Snapshot) map[int]inlet.ColumnProfile {
	if snap == nil || snap.Summary == nil || snap.Summary.Properties[propProfile] == "" {
		return nil
	}
	loc := snap.Summary.Properties[propProfile]
	r, err := c.Lake.Open(ctx, loc)
	if err != nil {
		c.Logger.Warn("column profiles unreadable", "location", loc, "err", err)
		return nil
	}
	defer r.Close()
	var f struct {
		Columns map[string]struct {
			Profile inlet.ColumnProfile `json:"profile"`
		} `json:"columns"`
	}
	if err := json.NewDecoder(io.LimitReader(r, 64<<20)).Decode(&f); err != nil {
		c.Logger.Warn("column profiles unreadable", "location", loc, "err", err)
		return nil
	}
	out := map[int]inlet.ColumnProfile{}
	for id, p := range f.Columns {
		if n, err := strconv.Atoi(id); err == nil {
			out[n] = p.Profile
		}
	}
	return out
}

// DataFiles lists the data files of a table's current snapshot.
func DataFiles(ctx context.Context, tbl *table.Table) ([]string, error) {
	files, err := scanFiles(ctx, tbl.Scan())
	if err != nil {
		return nil, fmt.Errorf("plan files: %w", err)
	}
	return files, nil
}

// scanFiles lists the data files a scan reads, sorted, each once: a scan
// plans a file bigger than the table's split size (128 MB by default) as
// several tasks, one per byte range, and a reader handed every task's file
// would read such a file that many times over.
func scanFiles(ctx context.Context, scan *table.Scan) ([]string, error) {
	tasks, err := scan.PlanFiles(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(tasks))
	for _, task := range tasks {
		out = append(out, task.File.FilePath())
	}
	sort.Strings(out)
	return slices.Compact(out), nil
}

func snapshotOf(s table.Snapshot) inlet.Snapshot {
	out := inlet.Snapshot{ID: s.SnapshotID, ParentID: s.ParentSnapshotID, Time: time.UnixMilli(s.TimestampMs).UTC()}
	if s.Summary == nil {
		return out
	}
	out.Operation = string(s.Summary.Operation)
	p := s.Summary.Properties
	if p[propJobID] == "" {
		return out
	}
	l := &inlet.Lineage{JobID: p[propJobID], SourceFile: p[propSourceFile], SourceSHA256: p[propSourceSHA], Sheet: p[propSheet],
		Uploader: p[propUploader], Mode: inlet.WriteMode(p[propMode])}
	l.Rows, _ = strconv.ParseInt(p[propRows], 10, 64)
	l.Time, _ = time.Parse(time.RFC3339Nano, p[propTime])
	_ = json.Unmarshal([]byte(p[propPII]), &l.PII)
	if k := p[propKeys]; k != "" {
		_ = json.Unmarshal([]byte(k), &l.Keys)
		l.Updated, _ = strconv.ParseInt(p[propUpdated], 10, 64)
		l.Inserted, _ = strconv.ParseInt(p[propInserted], 10, 64)
	}
	l.Profile = p[propProfile]
	out.Lineage = l
	return out
}

// lineageProps renders lineage as snapshot summary properties.
func lineageProps(l inlet.Lineage) iceberg.Properties {
	pii, _ := json.Marshal(l.PII)
	p := iceberg.Properties{
		propJobID: l.JobID, propSourceFile: l.SourceFile, propSourceSHA: l.SourceSHA256, propUploader: l.Uploader,
		propRows: strconv.FormatInt(l.Rows, 10), propMode: string(l.Mode), propPII: string(pii),
		propTime: l.Time.UTC().Format(time.RFC3339Nano),
	}
	if l.Sheet != "" {
		p[propSheet] = l.Sheet
	}
	if len(l.Keys) > 0 {
		keys, _ := json.Marshal(l.Keys)
		p[propKeys] = string(keys)
	}
	if l.Profile != "" {
		p[propProfile] = l.Profile
	}
	return p
}

// columnProps renders per-column PII decisions and source names as table
// properties, so any engine reading the catalog can see them.
func columnProps(cols []inlet.Column) iceberg.Properties {
	p := iceberg.Properties{}
	for _, c := range cols {
		if c.PII != nil {
			b, _ := json.Marshal(c.PII)
			p[propColumnPII+c.Name] = string(b)
		}
		if c.SourceName != "" {
			p[propColumnSrc+c.Name] = c.SourceName
		}
	}
	return p
}

// fsF opens the file IO for locations under the warehouse.
func (c *Catalog) fsF(ctx context.Context) (icebergio.IO, error) {
	props := iceberg.Properties{}
	maps.Copy(props, c.IOProps)
	return icebergio.LoadFS(ctx, props, c.Warehouse)
}

// SetTableInfo commits new table properties for the description and owner.
func (c *Catalog) SetTableInfo(ctx context.Context, tenant string, ref inlet.TableRef, info inlet.TableInfo) error {
	_, tbl, err := c.load(ctx, tenant, ref)
	if err != nil {
		return err
	}
	props := iceberg.Properties{}
	if info.Description != nil {
		if len(*info.Description) > 2048 {
			return inlet.Errorf(inlet.EINVALID, "keep the description under 2048 characters (Glue's limit)")
		}
		props[propDescription] = *info.Description
	}
	if info.Owner != nil {
		props[propOwner] = *info.Owner
	}
	if info.Expectations != nil {
		t, err := c.Table(ctx, tenant, ref)
		if err != nil {
			return err
		}
		if err := inlet.ValidateExpectations(*info.Expectations, t.Columns); err != nil {
			return err
		}
		b, _ := json.Marshal(*info.Expectations)
		props[propExpect] = string(b)
	}
	if len(props) == 0 {
		return nil
	}
	// Properties do not depend on the rows: an append that commits
	// meanwhile is no reason to fail, so the change is made again on the
	// table as it is then.
	_, err = retryMoved(ctx, c.Logger, ref, func() (struct{}, error) {
		if tbl == nil {
			if _, tbl, err = c.load(ctx, tenant, ref); err != nil {
				return struct{}{}, err
			}
		}
		txn := tbl.NewTransaction()
		tbl = nil
		if err := txn.SetProperties(props); err != nil {
			return struct{}{}, err
		}
		if _, err := txn.Commit(ctx); err != nil {
			if movedOn(err) {
				return struct{}{}, errMoved
			}
			return struct{}{}, fmt.Errorf("update %s: %w", ref, err)
		}
		return struct{}{}, nil
	})
	if errors.Is(err, errMoved) {
		return inlet.Errorf(inlet.ECONFLICT, "table %s keeps changing: try again", ref)
	}
	return err
}
