package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/catalog"
	"github.com/inlet-data/inlet/export"
	"github.com/inlet-data/inlet/ingest"
	"github.com/inlet-data/inlet/lake/mirror"
	"github.com/inlet-data/inlet/query/duckdb"
	"github.com/inlet-data/inlet/server"
	"github.com/inlet-data/inlet/store"

	sqlcat "github.com/apache/iceberg-go/catalog/sql"
)

// app is Inlet wired together for one data directory.
type app struct {
	cfg     *config
	logger  *slog.Logger
	db      *store.DB
	catDB   *sql.DB // the Iceberg SQL catalog's database: db's own on Postgres
	lake    inlet.Lake
	lakeURL string
	lakeDir string // the local lake's directory; "" on an object store
	dataDir string
	// mirror holds local copies of an object-store lake's table files for
	// the query engine; tempMirror is its directory when it is this
	// process's own (another process had the shared one).
	mirror     *mirror.Mirror
	tempMirror string
	catalog    *catalog.Catalog
	keys       inlet.Keyring
	staging    staging
	ingester   *ingest.Ingester
	// jobs is the durable job queue; a job queued through it wakes this
	// process's idle workers at once.
	jobs   *ingest.JobBell
	runner *ingest.Runner
	ingest *ingest.Service
	// links signs export download links; exports is the lake's export area.
	links   server.ExportLinks
	exports export.Area
	// scheduler runs export schedules (serve only).
	scheduler *export.Scheduler

	engineOnce sync.Once
	engine     *duckdb.Engine
	engineErr  error
	// engineIdle stops an engine process idle this long (0: the engine's
	// default; negative: as soon as it is idle, for a one-shot command).
	engineIdle time.Duration
}

// queryEngine opens the DuckDB engine on first use: commands that never
// query never pay for it. On an object-store lake the engine reads local
// copies of the table files (the lake mirror) and unloads exports into a
// scratch directory they are copied from.
func (a *app) queryEngine() (*duckdb.Engine, error) {
	a.engineOnce.Do(func() {
		cfg := duckdb.Config{LakeRoot: a.lakeDir, ExportRoot: filepath.Join(a.lakeDir, "_exports"), Timeout: a.cfg.QueryTimeout, Memory: a.cfg.QueryMemory,
			IdleTimeout: a.engineIdle}
		if a.lakeDir == "" {
			if a.engineErr = a.openMirror(); a.engineErr != nil {
				return
			}
			cfg.LakeRoot, cfg.ExportRoot, cfg.Copies = a.mirror.Dir(), a.exports.Scratch, a.mirror
		}
		a.engine, a.engineErr = duckdb.New(a.catalog, cfg, a.logger)
	})
	return a.engine, a.engineErr
}

// minLakeCache is the smallest --lake-cache-size taken.
const minLakeCache = 64 << 20

// openMirror opens the data directory's lake mirror, or a directory of
// this process's own when another process (a server beside a command)
// has it. Own directories a killed process left go first.
func (a *app) openMirror() error {
	shared := filepath.Join(a.dataDir, "lake-mirror")
	m, err := mirror.New(a.lake, a.lakeURL, shared, a.cfg.LakeCacheSize, a.cfg.LakeCacheTenant)
	if errors.Is(err, mirror.ErrBusy) {
		old, _ := filepath.Glob(shared + "-*")
		for _, dir := range old {
			// Young ones may be another process's, made a moment before it
			// locks them.
			if fi, err := os.Stat(dir); err != nil || time.Since(fi.ModTime()) < time.Hour {
				continue
			}
			mirror.RemoveUnused(dir) // ErrBusy: another process's
		}
		if a.tempMirror, err = os.MkdirTemp(a.dataDir, "lake-mirror-"); err != nil {
			return err
		}
		m, err = mirror.New(a.lake, a.lakeURL, a.tempMirror, a.cfg.LakeCacheSize, a.cfg.LakeCacheTenant)
	}
	if err != nil {
		return fmt.Errorf("open the lake mirror for queries: %w", err)
	}
	a.mirror = m
	return nil
}

// openApp opens (creating on first use) everything under the data directory.
func openApp(ctx context.Context, cfg *config, logger *slog.Logger) (*app, error) {
	if err := inlet.ValidateTenant(cfg.Tenant); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	dbURL, err := metadataURL(cfg.DB, filepath.Join(dir, "inlet.db"))
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, logger: logger, dataDir: dir}
	if a.db, err = store.Open(ctx, dbURL); err != nil {
		return nil, fmt.Errorf("open metadata database: %w", err)
	}
	if err := a.db.EnsureTenant(ctx, inlet.DefaultTenant, "Default"); err != nil {
		a.Close()
		return nil, err
	}
	if err := a.db.EnsureTenant(ctx, cfg.Tenant, cfg.Tenant); err != nil {
		a.Close()
		return nil, err
	}
	// The Iceberg SQL catalog: its own SQLite file beside inlet.db, or the
	// metadata database itself on Postgres (its tables are iceberg_*), so
	// every replica commits to one catalog.
	dialect := sqlcat.SQLite
	if a.db.Backend() == "postgres" {
		a.catDB, dialect = a.db.SQL(), sqlcat.Postgres
	} else if a.catDB, err = sql.Open("sqlite", store.SQLiteDSN(filepath.Join(dir, "catalog.db"))); err != nil {
		a.Close()
		return nil, err
	}
	lake, err := openLake(ctx, cfg, filepath.Join(dir, "lake"))
	if err != nil {
		a.Close()
		return nil, err
	}
	a.lake, a.lakeURL, a.lakeDir = lake.lake, lake.url, lake.dir
	if a.lakeDir == "" && cfg.LakeCacheSize < minLakeCache {
		a.Close()
		return nil, &usageError{fmt.Sprintf("--lake-cache-size %d: give at least 64MB, room for the table files one query reads", cfg.LakeCacheSize)}
	}
	if cfg.LakeCacheTenant == 0 {
		cfg.LakeCacheTenant = cfg.LakeCacheSize / 2
	}
	if a.lakeDir == "" && (cfg.LakeCacheTenant < minLakeCache/2 || cfg.LakeCacheTenant > cfg.LakeCacheSize) {
		a.Close()
		return nil, &usageError{fmt.Sprintf("--lake-cache-tenant-size %d: give at least 32MB and at most --lake-cache-size (%d)", cfg.LakeCacheTenant, cfg.LakeCacheSize)}
	}
	a.catalog = catalog.New(catalog.SQLCatalogs(a.catDB, dialect, a.lakeURL, lake.ioProps), a.lakeURL, a.lake, logger)
	a.catalog.IOProps = lake.ioProps
	if a.keys, err = openKeyring(ctx, cfg, dir, a.db); err != nil {
		a.Close()
		return nil, err
	}
	// The tenant's hashing key exists from the first start, not the first ingest.
	if _, err := a.keys.TenantKey(ctx, cfg.Tenant); err != nil {
		a.Close()
		return nil, err
	}
	if a.staging, err = openStaging(a, lake, filepath.Join(dir, "staging")); err != nil {
		a.Close()
		return nil, err
	}
	tmp := filepath.Join(dir, "staging", ".tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		a.Close()
		return nil, err
	}
	insp := ingest.NewInspector(ingest.Config{MaxCellBytes: cfg.MaxCellBytes, MaxColumns: cfg.MaxColumns, PhoneRegion: cfg.PhoneRegion, TmpDir: tmp, Workers: cfg.IngestWorkers})
	a.ingester = &ingest.Ingester{Inspector: insp, Keyring: a.keys, Lake: a.lake, Catalog: a.catalog, Logger: logger}
	// Replicas on one Postgres share the keyring, so links signed with keys
	// derived from it verify on each; one process on SQLite keeps its own
	// link key ring in the data directory.
	if a.db.Backend() == "postgres" {
		a.links = export.KeyringLinks{Keys: a.keys}
	} else if a.links, err = export.OpenLinkKeys(filepath.Join(dir, "keys", "links.json")); err != nil {
		a.Close()
		return nil, err
	}
	a.exports = export.Area{Lake: a.lake, Root: a.lakeURL, Scratch: filepath.Join(dir, "export-scratch")}
	// What a process killed mid-export left (longer than an unload may run).
	a.exports.SweepScratch(7 * time.Hour)
	a.jobs = ingest.NewJobBell(a.db)
	a.runner = &ingest.Runner{Jobs: a.jobs, Bell: a.jobs, Uploads: a.db, Staging: a.staging, Ingester: a.ingester, Rules: a.db, Audit: a.db, Logger: logger, Lease: cfg.JobLease,
		Rejects: ingest.RejectsDir{Dir: filepath.Join(cfg.DataDir, "rejects")}}
	// Every upload's life, from the server, the command line and the janitor.
	a.ingest = &ingest.Service{Uploads: a.db, Jobs: a.jobs, Staging: a.staging, Inspections: &ingest.Background{Inspector: insp},
		Runner: a.runner, Catalog: a.catalog, Rules: a.db, UploadTTL: cfg.UploadTTL, Logger: logger}
	// Scratch files of a process that died (they may hold raw cells) go now.
	a.staging.Sweep(func(fi os.FileInfo) bool { return time.Since(fi.ModTime()) > time.Hour })
	return a, nil
}

func (a *app) Close() {
	if a.engine != nil {
		a.engine.Close()
	}
	if a.mirror != nil {
		a.mirror.Close()
		if a.tempMirror != "" {
			os.RemoveAll(a.tempMirror)
		}
	}
	if a.db != nil {
		a.db.Close()
	}
	if a.catDB != nil && (a.db == nil || a.catDB != a.db.SQL()) {
		a.catDB.Close()
	}
}

// metadataURL checks a --db URL (store.Open's): sqlite://PATH or
// postgres://...; none means the SQLite file def.
func metadataURL(u, def string) (string, error) {
	if u == "" {
		return "sqlite://" + def, nil
	}
	switch {
	case strings.HasPrefix(u, "sqlite://") && len(u) > len("sqlite://"):
		return u, nil
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		return u, nil
	}
	return "", inlet.Errorf(inlet.EINVALID, "--db %s: use sqlite://PATH or postgres://USER@HOST/DB", redact(u))
}

// redact hides a URL's password.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparseable URL)"
	}
	return p.Redacted()
}
