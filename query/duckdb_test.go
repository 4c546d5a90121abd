package query_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query"
	"github.com/inlet-data/inlet/query/querytest"
	_ "github.com/marcboeker/go-duckdb"
)

func TestDuckDBContract(t *testing.T) {
	querytest.Run(t, func(t *testing.T, tables []querytest.Table) (inlet.Engine, map[string][]time.Time) {
		reader, times := materialise(t, tables)
		e, err := query.NewDuckDB(reader, query.DuckDBConfig{Timeout: time.Minute, MemoryLimit: "512MB"}, slog.Default())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		return e, times
	})
}

func TestDuckDBTimeout(t *testing.T) {
	reader, _ := materialise(t, querytest.Fixture())
	e, err := query.NewDuckDB(reader, query.DuckDBConfig{Timeout: 300 * time.Millisecond}, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	r, err := e.Query(context.Background(), inlet.Query{Tenant: "acme", SQL: `WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 2000000000) SELECT count(*) FROM r, sales.orders`})
	if err == nil {
		for r.Next() {
		}
		err = r.Err()
		r.Close()
	}
	if inlet.ErrorCode(err) != inlet.ETOOLARGE || !strings.Contains(inlet.ErrorMessage(err), "300ms limit") {
		t.Fatalf("got %v, want ETOOLARGE naming the 300ms limit", err)
	}
}

// snapshotFiles is a SnapshotReader over Parquet files DuckDB wrote.
type snapshotFiles struct {
	tables map[string]querytest.Table
	files  map[string][]string // per table, one file per snapshot
	times  map[string][]time.Time
}

func materialise(t *testing.T, tables []querytest.Table) (*snapshotFiles, map[string][]time.Time) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	s := &snapshotFiles{tables: map[string]querytest.Table{}, files: map[string][]string{}, times: map[string][]time.Time{}}
	base := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for ti, tb := range tables {
		key := tb.Tenant + "/" + tb.Ref.String()
		s.tables[key] = tb
		names := make([]string, len(tb.Columns))
		for i, c := range tb.Columns {
			names[i] = c.Name
		}
		for i, src := range tb.Snapshots {
			path := filepath.Join(dir, fmt.Sprintf("t%d-s%d.parquet", ti, i))
			stmt := fmt.Sprintf("COPY (SELECT * FROM (%s) AS t(%s)) TO '%s' (FORMAT parquet)", src, strings.Join(names, ", "), path)
			if _, err := db.Exec(stmt); err != nil {
				t.Fatalf("materialise %s: %v", key, err)
			}
			s.files[key] = append(s.files[key], "file://"+path)
			s.times[key] = append(s.times[key], base.Add(time.Duration(i)*time.Hour))
		}
	}
	return s, s.times
}

func (s *snapshotFiles) Tables(ctx context.Context, tenant string) ([]inlet.TableSummary, error) {
	return nil, nil
}

func (s *snapshotFiles) ReadSnapshot(ctx context.Context, tenant string, ref inlet.TableRef, at inlet.SnapshotSelector) (*inlet.TableSnapshot, error) {
	key := tenant + "/" + ref.String()
	tb, ok := s.tables[key]
	if !ok {
		return nil, inlet.Errorf(inlet.ENOTFOUND, "table %s does not exist", ref)
	}
	idx := len(tb.Snapshots) - 1
	if !at.AsOf.IsZero() {
		idx = -1
		for i, ts := range s.times[key] {
			if !ts.After(at.AsOf) {
				idx = i
			}
		}
		if idx < 0 {
			return nil, inlet.Errorf(inlet.ENOTFOUND, "table %s did not exist yet", ref)
		}
	}
	return &inlet.TableSnapshot{Ref: ref, SnapshotID: int64(idx + 1), Columns: tb.Columns, Files: []string{s.files[key][idx]}}, nil
}
