// Package store is Inlet's metadata database: tenants, accounts, uploads,
// the durable job queue and the rest, over database/sql. SQLite is the
// embedded default, Postgres (pgx) the production one; both run the same
// SQL and the same migrations (numbered .sql files, embedded and applied at
// open, each in its own transaction), with the few differences in
// dialect.go. It imports the root package only.
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
	inlet "github.com/inlet-data/inlet"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the metadata database.
type DB struct {
	db  *handle
	Now func() time.Time
}

var (
	_ inlet.UploadStore = (*DB)(nil)
	_ inlet.JobStore    = (*DB)(nil)
)

// Open opens the metadata database at url, choosing the backend by its
// scheme: postgres:// (or postgresql://) for Postgres, sqlite://PATH or a
// bare path for SQLite.
func Open(ctx context.Context, url string) (*DB, error) {
	switch scheme, rest, ok := strings.Cut(url, "://"); {
	case url == "":
		return nil, inlet.Errorf(inlet.EINVALID, "no metadata database: use sqlite://PATH or postgres://...")
	case !ok:
		return OpenSQLite(ctx, url)
	case scheme == "postgres" || scheme == "postgresql":
		return OpenPostgres(ctx, url)
	case scheme == "sqlite":
		if rest == "" {
			return nil, inlet.Errorf(inlet.EINVALID, "sqlite:// needs a path: sqlite://PATH")
		}
		return OpenSQLite(ctx, rest)
	default:
		// Only the scheme: the rest may hold a password.
		return nil, inlet.Errorf(inlet.EINVALID, "metadata database %s://...: use sqlite://PATH or postgres://...", scheme)
	}
}

// OpenPostgres connects to a Postgres database (a postgres:// URL or a
// key=value DSN, as pgx reads them) and migrates it. Any number of
// processes may share it: migrations take an advisory lock, and the job
// queue claims rows with SKIP LOCKED.
func OpenPostgres(ctx context.Context, dsn string) (*DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// Each replica holds at most this many of the server's connections.
	db.SetMaxOpenConns(maxPostgresConns)
	db.SetMaxIdleConns(maxPostgresConns / 4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return open(ctx, db, dialectPostgres)
}

// maxPostgresConns bounds one process's pool (Postgres allows 100 in all
// by default). No method holds one connection while it waits for another.
const maxPostgresConns = 32

func open(ctx context.Context, db *sql.DB, d dialect) (*DB, error) {
	s := &DB{db: &handle{DB: db, d: d}, Now: func() time.Time { return time.Now().UTC() }}
	migrate := func() (struct{}, error) {
		err := s.migrate(ctx)
		if d == dialectSQLite && sqliteBusy(err) {
			return struct{}{}, err
		}
		return struct{}{}, backoff.Permanent(err)
	}
	// Processes opening a new SQLite file at once race to switch it to WAL,
	// where the busy timeout does not apply: SQLITE_BUSY is tried again.
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = 20 * time.Millisecond
	if _, err := backoff.Retry(ctx, migrate, backoff.WithBackOff(b), backoff.WithMaxElapsedTime(15*time.Second)); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// OpenSQLite opens (creating if needed) a SQLite database file with WAL and
// a busy timeout, so the server and CLI commands can share it, and migrates it.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", SQLiteDSN(abs))
	if err != nil {
		return nil, err
	}
	return open(ctx, db, dialectSQLite)
}

// SQLiteDSN is the connection string for a SQLite file Inlet shares between
// processes: WAL, a busy timeout, foreign keys, and write transactions that
// take the lock up front (no upgrade deadlocks).
func SQLiteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// SQL returns the underlying handle.
func (s *DB) SQL() *sql.DB { return s.db.DB }

// Backend names the database behind s: "sqlite" or "postgres".
func (s *DB) Backend() string { return s.db.d.String() }

func (s *DB) Close() error { return s.db.Close() }

func (s *DB) migrate(ctx context.Context) error {
	if err := s.migrationsTable(ctx); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", base)
		}
		if err := s.apply(ctx, version, name); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func (s *DB) migrationsTable(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.db.d.lockMigrations(ctx, tx.Tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *DB) apply(ctx context.Context, version int, name string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.db.d.lockMigrations(ctx, tx.Tx); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.Tx.ExecContext(ctx, s.db.d.migration(string(body))); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version, formatTime(s.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

// timeLayout is fixed width, so times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

func parseTimePtr(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := parseTime(s.String)
	return &t
}

type scanner interface{ Scan(...any) error }

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, s *DB, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// EnsureTenant creates a tenant if it does not exist.
func (s *DB) EnsureTenant(ctx context.Context, id, name string) error {
	if err := inlet.ValidateTenant(id); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		id, name, formatTime(s.Now()))
	return err
}

// Tenants lists all tenants.
func (s *DB) Tenants(ctx context.Context) ([]inlet.Tenant, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, created_at FROM tenants ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inlet.Tenant
	for rows.Next() {
		var t inlet.Tenant
		var created string
		if err := rows.Scan(&t.ID, &t.Name, &created); err != nil {
			return nil, err
		}
		t.CreatedAt = parseTime(created)
		out = append(out, t)
	}
	return out, rows.Err()
}

// CreateTenant creates a tenant; an existing id is ECONFLICT.
func (s *DB) CreateTenant(ctx context.Context, t *inlet.Tenant) error {
	if err := inlet.ValidateTenant(t.ID); err != nil {
		return err
	}
	t.CreatedAt = s.Now()
	_, err := s.db.ExecContext(ctx, `INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)`, t.ID, t.Name, formatTime(t.CreatedAt))
	return translate(err, "tenant "+t.ID)
}
