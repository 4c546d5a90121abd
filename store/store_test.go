package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
	"github.com/inlet-data/inlet/store"
	"github.com/inlet-data/inlet/store/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testkit.StopPostgres()
	os.Exit(code)
}

func openURL(t *testing.T, url string, now func() time.Time) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if now != nil {
		db.Now = now
	}
	return db
}

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) storetest.Store {
		return openURL(t, "sqlite://"+filepath.Join(t.TempDir(), "inlet.db"), now)
	})
}

func TestPostgres(t *testing.T) {
	testkit.Postgres(t) // skips (or fails under CI) before any case runs
	storetest.Run(t, func(t *testing.T, now func() time.Time) storetest.Store {
		return openURL(t, testkit.Postgres(t), now)
	})
}

// Reopening runs no migration twice; on Postgres several processes
// starting at once (replicas) migrate the database once between them.
func TestMigrations(t *testing.T) {
	for _, b := range []struct {
		name string
		url  func(t testing.TB) string
	}{
		{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "inlet.db") }},
		{"postgres", testkit.Postgres},
	} {
		t.Run(b.name, func(t *testing.T) {
			url := b.url(t)
			const n = 4
			errs := make(chan error, n)
			for range n {
				go func() {
					db, err := store.Open(context.Background(), url)
					if err == nil {
						db.Close()
					}
					errs <- err
				}()
			}
			for range n {
				if err := <-errs; err != nil {
					t.Fatalf("concurrent open: %v", err)
				}
			}
			db := openURL(t, url, nil)
			if db.Backend() != b.name {
				t.Errorf("backend: got %s, want %s", db.Backend(), b.name)
			}
			var applied, files int
			if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil {
				t.Fatal(err)
			}
			names, _ := filepath.Glob("migrations/*.sql")
			files = len(names)
			if applied != files {
				t.Errorf("%d migrations recorded, want %d", applied, files)
			}
		})
	}
}

func TestOpenURLs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, url := range []string{filepath.Join(dir, "a.db"), "sqlite://" + filepath.Join(dir, "b.db")} {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		if db.Backend() != "sqlite" {
			t.Errorf("%s: backend %s, want sqlite", url, db.Backend())
		}
		db.Close()
	}
	for _, url := range []string{"", "sqlite://", "mysql://root:hunter2@db/inlet"} {
		_, err := store.Open(ctx, url)
		if inlet.ErrorCode(err) != inlet.EINVALID {
			t.Errorf("%q: got %v, want EINVALID", url, err)
		}
		if err != nil && contains(err.Error(), "hunter2") {
			t.Errorf("%q: the error shows the password: %v", url, err)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
