package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Appends from several processes at once (cron jobs, Airflow workers) all
// land: each commit that meets a table another append moved on is rebased
// and retried, so every batch is in the table exactly once, and the
// refused tries leave no metadata files behind.
func TestConcurrentAppends(t *testing.T) {
	const writers, rows = 6, 3000
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	batch := func(k int) string {
		var b strings.Builder
		b.WriteString("batch,n,label\n")
		for i := 0; i < rows; i++ {
			fmt.Fprintf(&b, "%d,%d,row %d of batch %d\n", k, i, i, k)
		}
		path := filepath.Join(dir, fmt.Sprintf("batch%d.csv", k))
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if _, stderr, code := cli(t, data, "ingest", batch(0), "--table", "load.t1"); code != 0 {
		t.Fatalf("create: %s", stderr)
	}
	var wg sync.WaitGroup
	errs := make([]string, writers)
	for k := 1; k <= writers; k++ {
		path := batch(k)
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "ingest", path, "--table", "load.t1", "--mode", "append", "--data-dir", data)
			cmd.Env = append(os.Environ(), "INLET_TEST_MAIN=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[k-1] = fmt.Sprintf("append %d: %v\n%s", k, err, out)
			}
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Error(e)
		}
	}
	out, stderr, code := cli(t, data, "query", "SELECT batch, count(*) AS n, count(DISTINCT n) AS d FROM load.t1 GROUP BY batch ORDER BY batch", "--format", "csv")
	if code != 0 {
		t.Fatalf("query: %s", stderr)
	}
	var want strings.Builder
	want.WriteString("batch,n,d\n")
	for k := 0; k <= writers; k++ {
		fmt.Fprintf(&want, "%d,%d,%d\n", k, rows, rows)
	}
	if got := strings.ReplaceAll(out, "\r\n", "\n"); got != want.String() {
		t.Errorf("rows per batch:\n%s\nwant\n%s", got, want.String())
	}
	// One manifest list and one manifest per snapshot: nothing from a
	// refused try is left.
	var avro int
	for _, f := range lakeFiles(t, data) {
		if strings.HasSuffix(f, ".avro") {
			avro++
		}
	}
	if avro != 2*(writers+1) {
		t.Errorf("%d Avro files in the table's metadata, want %d (a manifest list and a manifest per snapshot)", avro, 2*(writers+1))
	}
}
