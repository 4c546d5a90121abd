package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// The query benchmark: typical notebook and dashboard queries on a table
// Inlet wrote, sent through Inlet's SQL API (HTTP, token, guard, views over
// the Iceberg snapshot, JSON out) and run directly in DuckDB, in process, on
// the same Parquet files in the same run. Runs alternate between the two so
// that the machine's drift hits both alike.

type benchQuery struct {
	name string
	sql  string // for DuckDB, over the files; TABLE is replaced
	args []any
	// inlet is the request to Inlet: POST path and body.
	path string
	body map[string]any
}

func benchQueries(dir, inletBin, csvPath string, runs int) error {
	data := filepath.Join(dir, "query-data-"+strings.TrimSuffix(filepath.Base(csvPath), ".csv"))
	if _, err := os.Stat(filepath.Join(data, "catalog.db")); err != nil {
		fmt.Printf("ingesting %s into %s (once; kept for later runs)\n", csvPath, data)
		in := measure("inlet", inletBin, "ingest", csvPath, "--table", "bench.customers", "--data-dir", data, "--log-level", "warn")
		fmt.Printf("ingest: %.1fs\n", in.wall.Seconds())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := exec.CommandContext(ctx, inletBin, "serve", "--addr", "127.0.0.1:0", "--data-dir", data, "--log-level", "warn")
	srv.Stderr = os.Stderr
	stdout, _ := srv.StdoutPipe()
	if err := srv.Start(); err != nil {
		return err
	}
	defer srv.Process.Kill()
	marker := filepath.Join(data, "bench-admin")
	_, err := os.Stat(marker)
	base, setup, err := serverAddress(stdout, err != nil)
	if err != nil {
		return err
	}
	c, token, err := benchClient(base, setup, data)
	if err != nil {
		return err
	}
	os.WriteFile(marker, nil, 0o644)

	// The files of the current snapshot, and a real hashed email to look up.
	var tbl struct {
		Rows      int64    `json:"rows"`
		DataFiles []string `json:"data_files"`
	}
	if err := c.call("GET", "/tables/bench/customers", nil, &tbl); err != nil {
		return err
	}
	var res struct{ Rows [][]any }
	if err := c.call("POST", "/query", map[string]any{"sql": "SELECT email FROM bench.customers WHERE customer_id = ?", "params": []any{100000 + tbl.Rows/2}}, &res); err != nil {
		return err
	}
	email := res.Rows[0][0].(string)
	var tpl struct{ ID string }
	if err := c.call("POST", "/templates", map[string]any{
		"name": "signups by country", "sql": "SELECT country, count(*) AS n, sum(lifetime_value) AS ltv FROM bench.customers WHERE signup_date >= {{period.start}} AND signup_date < {{period.end}} GROUP BY country ORDER BY n DESC",
		"params": []map[string]any{{"name": "period", "type": "date_range"}},
	}, &tpl); err != nil && !strings.Contains(err.Error(), "already exists") {
		return err
	} else if tpl.ID == "" {
		var list struct{ Templates []struct{ ID string } }
		c.call("GET", "/templates", nil, &list)
		tpl.ID = list.Templates[0].ID
	}

	files := make([]string, len(tbl.DataFiles))
	for i, f := range tbl.DataFiles {
		files[i] = "'" + strings.TrimPrefix(f, "file://") + "'"
	}
	from := "read_parquet([" + strings.Join(files, ", ") + "])"
	start, end := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	queries := []benchQuery{
		{name: "group-by aggregate", sql: "SELECT segment, count(*) AS n, sum(lifetime_value) AS ltv, avg(score) AS score FROM TABLE GROUP BY segment ORDER BY segment",
			path: "/query", body: map[string]any{"sql": "SELECT segment, count(*) AS n, sum(lifetime_value) AS ltv, avg(score) AS score FROM bench.customers GROUP BY segment ORDER BY segment"}},
		{name: "point filter on hashed email", sql: "SELECT * FROM TABLE WHERE email = ?", args: []any{email},
			path: "/query", body: map[string]any{"sql": "SELECT * FROM bench.customers WHERE email = ?", "params": []any{email}}},
		{name: "date-range template", sql: "SELECT country, count(*) AS n, sum(lifetime_value) AS ltv FROM TABLE WHERE signup_date >= ? AND signup_date < ? GROUP BY country ORDER BY n DESC", args: []any{start, end},
			path: "/templates/" + tpl.ID + "/run", body: map[string]any{"values": map[string][]string{"period": {"2015-01-01", "2016-01-01"}}}},
	}

	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec("SET enable_object_cache = true"); err != nil { // as Inlet's engine has it
		return err
	}
	fmt.Printf("table: %d rows in %d data files; token auth; %d runs per query after 2 warm-ups\n\n", tbl.Rows, len(files), runs)
	fmt.Printf("%-30s %10s %10s %10s %10s %8s\n", "query", "inlet p50", "inlet p95", "duckdb p50", "duckdb p95", "ratio")
	for _, q := range queries {
		var in, dk []time.Duration
		duck := strings.ReplaceAll(q.sql, "TABLE", from)
		for i := 0; i < runs+2; i++ {
			t0 := time.Now()
			var out struct {
				RowCount int `json:"row_count"`
			}
			if err := c.callToken(token, q.path, q.body, &out); err != nil {
				return fmt.Errorf("%s through inlet: %w", q.name, err)
			}
			ti := time.Since(t0)
			t0 = time.Now()
			n, err := drain(db, duck, q.args...)
			if err != nil {
				return fmt.Errorf("%s in duckdb: %w", q.name, err)
			}
			td := time.Since(t0)
			if n != out.RowCount {
				return fmt.Errorf("%s: inlet returned %d rows, duckdb %d", q.name, out.RowCount, n)
			}
			if i >= 2 {
				in, dk = append(in, ti), append(dk, td)
			}
		}
		fmt.Printf("%-30s %9.1fms %9.1fms %9.1fms %9.1fms %7.2fx\n", q.name, ms(pct(in, 50)), ms(pct(in, 95)), ms(pct(dk, 50)), ms(pct(dk, 95)), float64(pct(in, 50))/float64(pct(dk, 50)))
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// pct is the p-th percentile (nearest rank).
func pct(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (p*len(s)+99)/100 - 1
	if i < 0 {
		i = 0
	}
	return s[i]
}

// drain runs a query and reads every value, as a client would.
func drain(db *sql.DB, q string, args ...any) (int, error) {
	rows, err := db.Query(q, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// serverAddress reads inlet serve's output for its address and, when the
// data dir has no admin yet, the one-time setup token.
func serverAddress(r io.Reader, needSetup bool) (base, setup string, err error) {
	sc := bufio.NewScanner(r)
	addr := regexp.MustCompile(`running at (http://[0-9.:]+)`)
	link := regexp.MustCompile(`/setup#([A-Za-z0-9_-]+)`)
	for sc.Scan() {
		if m := addr.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
		if m := link.FindStringSubmatch(sc.Text()); m != nil {
			setup = m[1]
		}
		if base != "" && (setup != "" || !needSetup) {
			go io.Copy(io.Discard, r)
			return base, setup, nil
		}
	}
	return "", "", fmt.Errorf("inlet serve did not start")
}

type apiClient struct {
	base string
	http *http.Client
	csrf string
}

const benchPassword = "benchmark password 1"

// benchClient signs in (creating the admin on first use) and makes a token.
func benchClient(base, setup, data string) (*apiClient, string, error) {
	jar, _ := cookiejar.New(nil)
	c := &apiClient{base: base + "/api/v1", http: &http.Client{Jar: jar}}
	var sess struct {
		CSRF string `json:"csrf_token"`
	}
	var err error
	if setup != "" {
		err = c.call("POST", "/setup", map[string]string{"token": setup, "email": "bench@example.com", "name": "Bench", "password": benchPassword}, &sess)
	} else {
		err = c.call("POST", "/session", map[string]string{"email": "bench@example.com", "password": benchPassword}, &sess)
	}
	if err != nil {
		return nil, "", fmt.Errorf("sign in (delete %s to start afresh): %w", data, err)
	}
	c.csrf = sess.CSRF
	var tok struct{ Secret string }
	if err := c.call("POST", "/tokens", map[string]any{"name": "bench", "role": "viewer", "expires_in_days": 1}, &tok); err != nil {
		return nil, "", err
	}
	return c, tok.Secret, nil
}

func (c *apiClient) call(method, path string, body, out any) error {
	return c.do(method, path, "", body, out)
}

func (c *apiClient) callToken(token, path string, body, out any) error {
	return c.do("POST", path, token, body, out)
}

func (c *apiClient) do(method, path, token string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	} else if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}
