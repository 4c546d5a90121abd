package catalog_test

import (
	"database/sql"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sqlcat "github.com/apache/iceberg-go/catalog/sql"
	"github.com/inlet-data/inlet/catalog"
	"github.com/inlet-data/inlet/catalog/catalogtest"
	"github.com/inlet-data/inlet/internal/testkit"
	"github.com/inlet-data/inlet/lake/local"
	"github.com/inlet-data/inlet/store" // registers the "sqlite" driver
)

func TestMain(m *testing.M) {
	code := m.Run()
	testkit.StopPostgres()
	os.Exit(code)
}

// env opens each catalog instance on its own connection pool, as separate
// processes or replicas do.
func env(t *testing.T, driver, dsn string, dialect sqlcat.SupportedDialect) catalogtest.Env {
	lake, err := local.New(filepath.Join(t.TempDir(), "lake"))
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(t.Output(), nil)) // shown with -v or on failure
	return catalogtest.Env{Lake: lake, Open: func() catalogtest.Catalog {
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return catalog.New(catalog.SQLCatalogs(db, dialect, lake.URL(), nil), lake.URL(), lake, logger)
	}, List: func(prefix string) []string {
		var out []string
		root := strings.TrimPrefix(prefix, "file://")
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, "file://"+p)
			}
			return nil
		})
		return out
	}}
}

// The Iceberg SQL catalog on SQLite, as the embedded default keeps it.
func TestCatalogSQLite(t *testing.T) {
	catalogtest.Run(t, func(t *testing.T) catalogtest.Env {
		return env(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "catalog.db")), sqlcat.SQLite)
	})
}

// The Iceberg SQL catalog on Postgres, as replicas in production share it.
func TestCatalogPostgres(t *testing.T) {
	testkit.Postgres(t) // skips (or fails under CI) before any case runs
	catalogtest.Run(t, func(t *testing.T) catalogtest.Env {
		return env(t, "pgx", testkit.Postgres(t), sqlcat.Postgres)
	})
}
