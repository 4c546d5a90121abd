package duckdb_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query/duckdb"
	"github.com/inlet-data/inlet/query/querytest"
)

func TestDuckDBContract(t *testing.T) {
	querytest.Run(t, func(t *testing.T, tables []querytest.Table) (inlet.Engine, map[string][]time.Time) {
		reader, times := materialise(t, tables)
		e, err := duckdb.New(reader, duckdb.Config{LakeRoot: reader.root, Timeout: time.Minute, Memory: 512 << 20}, slog.Default())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		return e, times
	})
}

func TestDuckDBTimeout(t *testing.T) {
	reader, _ := materialise(t, querytest.Fixture())
	e, err := duckdb.New(reader, duckdb.Config{LakeRoot: reader.root, Timeout: 300 * time.Millisecond}, slog.Default())
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
	root   string // the lake: ROOT/TENANT/files
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
	s := &snapshotFiles{root: dir, tables: map[string]querytest.Table{}, files: map[string][]string{}, times: map[string][]time.Time{}}
	base := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for ti, tb := range tables {
		key := tb.Tenant + "/" + tb.Ref.String()
		s.tables[key] = tb
		names := make([]string, len(tb.Columns))
		for i, c := range tb.Columns {
			names[i] = `"` + c.Name + `"`
		}
		if err := os.MkdirAll(filepath.Join(dir, tb.Tenant), 0o755); err != nil {
			t.Fatal(err)
		}
		for i, src := range tb.Snapshots {
			path := filepath.Join(dir, tb.Tenant, fmt.Sprintf("t%d-s%d.parquet", ti, i))
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

// Queries analysts write: the guard must let every one of them run.
var analystQueries = []string{
	`SELECT * FROM sales.orders`,
	`SELECT id, email FROM sales.orders WHERE amount > 10 ORDER BY id DESC LIMIT 2 OFFSET 0`,
	`FROM sales.orders SELECT id`,
	`FROM sales.orders`,
	`SELECT count(*), sum(amount), avg(score), min(day), max(ts) FROM sales.orders`,
	`SELECT paid, count(*) AS n FROM sales.orders GROUP BY paid HAVING count(*) > 0 ORDER BY n DESC`,
	`SELECT paid, count(*) FROM sales.orders GROUP BY ALL ORDER BY ALL`,
	`SELECT paid, day, count(*) FROM sales.orders GROUP BY GROUPING SETS ((paid), (day), ())`,
	`SELECT paid, day, count(*), GROUPING(paid) FROM sales.orders GROUP BY ROLLUP (paid, day)`,
	`SELECT paid, day, count(*) FROM sales.orders GROUP BY CUBE (paid, day)`,
	`SELECT DISTINCT paid FROM sales.orders`,
	`SELECT DISTINCT ON (paid) paid, id FROM sales.orders ORDER BY paid, id`,
	`SELECT o.id, p.id FROM sales.orders o JOIN sales.orders p ON o.id = p.id`,
	`SELECT * FROM sales.orders o LEFT JOIN sales.orders p USING (id)`,
	`SELECT * FROM sales.orders o FULL OUTER JOIN sales.orders p ON o.id = p.id + 1`,
	`SELECT * FROM sales.orders o CROSS JOIN (SELECT 1 AS one) x`,
	`SELECT * FROM sales.orders o SEMI JOIN sales.orders p ON o.id = p.id`,
	`SELECT * FROM sales.orders o ANTI JOIN sales.orders p ON o.id = p.id + 10`,
	`SELECT * FROM sales.orders o ASOF JOIN sales.orders p ON o.ts >= p.ts`,
	`SELECT * FROM sales.orders o POSITIONAL JOIN sales.orders p`,
	`SELECT * FROM sales.orders o, LATERAL (SELECT o.id * 2 AS twice) x`,
	`SELECT * FROM sales.orders a NATURAL JOIN sales.orders b`,
	`WITH big AS (SELECT * FROM sales.orders WHERE amount > 10) SELECT count(*) FROM big`,
	`WITH a AS MATERIALIZED (SELECT 1 AS x), b AS NOT MATERIALIZED (SELECT 2 AS y) SELECT * FROM a, b`,
	`WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT sum(n) FROM r`,
	`WITH RECURSIVE r(n) USING KEY (n) AS (SELECT 1 UNION SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r`,
	`SELECT id FROM sales.orders UNION SELECT id FROM sales.orders`,
	`SELECT id FROM sales.orders UNION ALL BY NAME SELECT id FROM sales.orders`,
	`SELECT id FROM sales.orders INTERSECT SELECT id FROM sales.orders EXCEPT SELECT 99`,
	`(SELECT 1 AS a) UNION (SELECT 2) ORDER BY 1`,
	`SELECT id FROM sales.orders WHERE id IN (SELECT id FROM sales.orders WHERE paid) AND EXISTS (SELECT 1)`,
	`SELECT id FROM sales.orders WHERE amount > ANY (SELECT amount FROM sales.orders) OR id = (SELECT max(id) FROM sales.orders)`,
	`SELECT id FROM sales.orders WHERE id IN (1, 2) AND id NOT IN (5) AND email NOT LIKE 'z%' AND email ILIKE 'A%'`,
	`SELECT CASE WHEN amount > 50 THEN 'big' WHEN amount > 10 THEN 'mid' ELSE 'small' END, CASE paid WHEN true THEN 1 ELSE 0 END FROM sales.orders`,
	`SELECT CAST(id AS VARCHAR), TRY_CAST(email AS INTEGER), amount::DOUBLE, id::DECIMAL(10, 2), '2026-01-01'::DATE, '{}'::JSON FROM sales.orders`,
	`SELECT DATE '2026-01-01', TIMESTAMP '2026-01-01 10:00', INTERVAL 1 DAY, INTERVAL '2 hours', day + INTERVAL 3 DAY FROM sales.orders`,
	`SELECT amount BETWEEN 1 AND 20, email SIMILAR TO 'a.*', email GLOB 'a*', email IS NULL, score IS NOT NULL, id IS DISTINCT FROM 1, coalesce(score, 0), nullif(id, 1) FROM sales.orders`,
	`SELECT list_transform([1, 2, 3], x -> x + 1), [x * 2 FOR x IN [1, 2, 3] IF x > 1], {'a': 1, 'b': 2}.a, [1, 2, 3][1:2], struct_pack(a := 1), map([1], [2])`,
	`SELECT list_filter([1, 2], lambda x: x > 1), list_reduce([1, 2, 3], (a, b) -> a + b), len([1, 2])`,
	`SELECT COLUMNS('a.*') FROM sales.orders`,
	`SELECT * EXCLUDE (email) FROM sales.orders`,
	`SELECT * REPLACE (amount * 2 AS amount) FROM sales.orders`,
	`SELECT min(COLUMNS(*)) FROM sales.orders`,
	`SELECT id, row_number() OVER (PARTITION BY paid ORDER BY id), sum(amount) OVER w, lag(id) OVER (ORDER BY id) FROM sales.orders WINDOW w AS (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`,
	`SELECT ntile(2) OVER (ORDER BY id), rank() OVER (ORDER BY id), dense_rank() OVER (ORDER BY id), percent_rank() OVER (ORDER BY id), cume_dist() OVER (ORDER BY id), first_value(id) OVER (ORDER BY id), last_value(id) OVER (ORDER BY id), nth_value(id, 2) OVER (ORDER BY id), lead(id, 1, 0) OVER (ORDER BY id) FROM sales.orders`,
	`SELECT id FROM sales.orders QUALIFY row_number() OVER (ORDER BY amount DESC) = 1`,
	`SELECT count(*) FILTER (WHERE paid), sum(DISTINCT id), string_agg(email, ',' ORDER BY email), arg_max(id, amount), quantile_cont(amount, 0.5), list(id ORDER BY id DESC), median(score), mode(paid) FROM sales.orders`,
	`SELECT approx_count_distinct(email), histogram(paid), count_if(paid), bool_and(paid), stddev(score) FROM sales.orders`,
	`SELECT * FROM sales.orders USING SAMPLE 50%`,
	`SELECT * FROM sales.orders TABLESAMPLE reservoir(2 ROWS) REPEATABLE (42)`,
	`SELECT * FROM sales.orders LIMIT 50%`,
	`SELECT #1, #2 FROM sales.orders`,
	`SELECT * FROM (VALUES (1, 'a'), (2, 'b')) v(x, y)`,
	`VALUES (1), (2)`,
	`SELECT * FROM unnest([1, 2, 3]) AS u(x)`,
	`SELECT * FROM range(5)`,
	`SELECT * FROM generate_series(DATE '2026-01-01', DATE '2026-01-31', INTERVAL 1 WEEK) g(week)`,
	`SELECT unnest([1, 2]) AS x, unnest([[1]], recursive := true)`,
	`SELECT * FROM sales.orders PIVOT (count(*) FOR paid IN (true, false) GROUP BY day)`,
	`UNPIVOT (SELECT id, amount, score FROM sales.orders) ON amount, score INTO NAME k VALUE v`,
	`SELECT upper(email), lower(email), length(email), substr(email, 1, 2), replace(email, 'a', 'b'), regexp_matches(email, '^a'), regexp_extract(email, '[0-9]+'), split_part(email, 'f', 1), concat_ws('-', email, id), lpad(email, 8, '*'), trim(email), email || '!' FROM sales.orders`,
	`SELECT strftime(day, '%Y-%m'), date_trunc('month', ts), extract(year FROM day), date_part('dow', day), date_diff('day', day, DATE '2026-12-31'), make_date(2026, 1, 1), last_day(day), dayname(day), epoch(ts), age(ts) FROM sales.orders`,
	`SELECT abs(-1), round(amount, 1), floor(score), ceil(score), sqrt(4), ln(2), power(2, 10), greatest(1, 2), least(1, 2), 7 // 2, 7 % 2, 2 ^ 3, -id FROM sales.orders`,
	`SELECT sha256(email), md5(email), hash(email), gen_random_uuid() IS NOT NULL, uuid() IS NOT NULL, random() < 1 FROM sales.orders`,
	`SELECT json_extract('{"a": 1}', '$.a'), '{"a": 1}'::JSON->>'$.a', json_object('k', id), to_json(struct_pack(i := id)) FROM sales.orders`,
	`SELECT id FROM sales.orders WHERE email = ? AND id > ?`,
	`SELECT email COLLATE nocase FROM sales.orders ORDER BY email COLLATE nocase`,
	`SELECT IF(paid, 'y', 'n'), TRY(1 / 0) FROM sales.orders`,
	`SELECT current_date IS NOT NULL, current_timestamp IS NOT NULL, now() IS NOT NULL, today() IS NOT NULL`,
	`SELECT typeof(id), alias(id) FROM sales.orders`,
	`SELECT o.ts FROM sales.orders o WHERE o.ts > TIMESTAMP '2026-01-01' ORDER BY o.ts NULLS LAST`,
	`SELECT sales.orders.id FROM sales.orders`,
	`SELECT id FROM sales.orders FETCH FIRST 2 ROWS ONLY`,
	`SELECT (SELECT 1) + 1, {'x': 1}, ARRAY[1, 2]`,
	`SELECT 1 IS TRUE, NULL IS UNKNOWN, NOT true`,
	`SELECT list_sort([3, 1, 2]), array_to_string([1, 2], ','), list_distinct([1, 1]), flatten([[1], [2]]), list_has([1], 1)`,
	`SELECT time_bucket(INTERVAL '1 day', ts), isodow(day), weekofyear(day) FROM sales.orders`,
}

func TestAnalystQueriesRun(t *testing.T) {
	reader, _ := materialise(t, querytest.Fixture())
	e, err := duckdb.New(reader, duckdb.Config{LakeRoot: reader.root}, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, sql := range analystQueries {
		t.Run(sql, func(t *testing.T) {
			q := inlet.Query{Tenant: "acme", SQL: sql}
			if strings.Contains(sql, "?") {
				q.Args = []any{"a1f0", int64(0)}
			}
			r, err := e.Query(context.Background(), q)
			if err == nil {
				for r.Next() {
				}
				err = r.Err()
				r.Close()
			}
			if err != nil {
				t.Fatalf("%v", err)
			}
		})
	}
}
