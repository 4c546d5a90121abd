// Command bench measures Inlet's ingest against DuckDB doing the same work
// on the same file in the same run: read a ~1 GB customer CSV, hash three PII
// columns, write zstd Parquet. It prints wall time, peak RSS and the ratio.
//
//	go run ./bench                 # 1 GB, in bench/data (kept between runs)
//	go run ./bench -size 200MB     # a quicker look
//	go run ./bench -query -size 2500MB -runs 30
//	                               # queries on a ~10 M-row table: Inlet's API vs DuckDB
//	go run ./bench -export 1000000 # inlet export to CSV, Parquet, XLSX vs DuckDB's COPY
package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "duckdb-export" {
		if err := duckdbExport(os.Args[2], os.Args[3], os.Args[4:]); err != nil {
			fmt.Fprintln(os.Stderr, "duckdb:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "duckdb-child" {
		if err := duckdbChild(os.Args[2], os.Args[3]); err != nil {
			fmt.Fprintln(os.Stderr, "duckdb:", err)
			os.Exit(1)
		}
		return
	}
	size := flag.String("size", "1GB", "size of the generated CSV (e.g. 200MB, 1GB)")
	dir := flag.String("dir", "bench/data", "where the CSV and outputs go")
	inletBin := flag.String("inlet", "", "inlet binary (default: built into DIR)")
	runs := flag.Int("runs", 1, "runs of each tool; the best is reported (with -query: timed runs per query)")
	queries := flag.Bool("query", false, "benchmark queries on the ingested table (through Inlet's API and directly in DuckDB) instead of ingest")
	neighbour := flag.Bool("neighbour", false, "time one tenant's small query while another tenant runs a burst of heavy ones")
	xlsxRows := flag.Int("xlsx", 0, "benchmark ingesting a workbook of this many customer rows (e.g. 200000) against openpyxl reading it")
	exportRows := flag.Int64("export", 0, "benchmark exporting a table of this many customer rows (e.g. 1000000) against DuckDB's COPY ... TO")
	exportFormats := flag.String("formats", "csv,parquet,xlsx", "with -export: the formats to export")
	flag.Parse()
	bytes, err := parseSize(*size)
	if err != nil {
		fail(err)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fail(err)
	}
	if *xlsxRows > 0 {
		if err := benchXLSX(*dir, buildInlet(*dir, *inletBin), *xlsxRows, *runs); err != nil {
			fail(err)
		}
		return
	}
	if *exportRows > 0 {
		if err := benchExport(*dir, buildInlet(*dir, *inletBin), *exportRows, strings.Split(*exportFormats, ","), *runs); err != nil {
			fail(err)
		}
		return
	}
	csvPath := filepath.Join(*dir, fmt.Sprintf("customers-%s.csv", strings.ToLower(*size)))
	if fi, err := os.Stat(csvPath); err != nil || fi.Size() < bytes {
		f, err := os.Create(csvPath)
		if err != nil {
			fail(err)
		}
		rows, err := generate(f, bytes, 0, 42)
		f.Close()
		if err != nil {
			fail(err)
		}
		fmt.Printf("generated %s: %d rows\n", csvPath, rows)
	}
	fi, _ := os.Stat(csvPath)
	*inletBin = buildInlet(*dir, *inletBin)
	if *neighbour {
		fmt.Printf("DuckDB %s, %d cores\n", duckdbVersion(), numCPU())
		if err := benchNeighbour(*dir, *inletBin, csvPath, max(*runs, 20)); err != nil {
			fail(err)
		}
		return
	}
	if *queries {
		fmt.Printf("DuckDB %s, %d cores\n", duckdbVersion(), numCPU())
		if err := benchQueries(*dir, *inletBin, csvPath, max(*runs, 20)); err != nil {
			fail(err)
		}
		return
	}
	self, _ := os.Executable()
	fmt.Printf("file: %s (%.2f GB), %d cores, DuckDB %s\n\n", csvPath, float64(fi.Size())/1e9, numCPU(), duckdbVersion())

	var best [2]result
	for i := 0; i < *runs; i++ {
		data := filepath.Join(*dir, "inlet-data")
		os.RemoveAll(data)
		in := measure("inlet", *inletBin, "ingest", csvPath, "--table", "bench.customers", "--data-dir", data,
			"--pii", "ip_address=keep", "--reason", "ip_address=benchmark: three hashed columns, as DuckDB's",
			"--log-level", "warn")
		out := filepath.Join(*dir, "duckdb.parquet")
		os.Remove(out)
		dk := measure("duckdb", self, "duckdb-child", csvPath, out)
		fmt.Printf("run %d: inlet %.2fs %.0f MB, duckdb %.2fs %.0f MB, ratio %.2fx\n", i+1,
			in.wall.Seconds(), float64(in.rss)/(1<<20), dk.wall.Seconds(), float64(dk.rss)/(1<<20), in.wall.Seconds()/dk.wall.Seconds())
		if i == 0 || in.wall < best[0].wall {
			best[0] = in
		}
		if i == 0 || dk.wall < best[1].wall {
			best[1] = dk
		}
	}
	fmt.Printf("%-8s %10s %12s\n", "tool", "wall", "peak RSS")
	for _, r := range best {
		fmt.Printf("%-8s %9.2fs %9.0f MB\n", r.name, r.wall.Seconds(), float64(r.rss)/(1<<20))
	}
	fmt.Printf("\nratio inlet/duckdb: wall %.2fx, peak RSS %.2fx\n", best[0].wall.Seconds()/best[1].wall.Seconds(), float64(best[0].rss)/float64(best[1].rss))
}

// buildInlet returns the inlet binary to measure: bin, or one built now.
func buildInlet(dir, bin string) string {
	if bin != "" {
		return bin
	}
	bin = filepath.Join(dir, "inlet")
	build := exec.Command("go", "build", "-o", bin, "./cmd/inlet")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fail(fmt.Errorf("build inlet: %w", err))
	}
	return bin
}

type result struct {
	name string
	wall time.Duration
	rss  int64 // bytes
	// anon is the tree's peak anonymous memory (PSS): what the work itself
	// takes, without the binary's pages mapped from the page cache. Those
	// depend on how the file was written: a binary that go build wrote
	// sits in the page cache in 2 MB folios, mapped whole (about 50 MB more
	// per process than one copied in 4 KiB writes, on this kernel).
	anon int64
	cpu  time.Duration // user and system
}

// measure runs a command and reports its wall time, CPU time and peak
// memory. Inlet runs its query engine in a child process, so the peak is
// that of the whole process tree: the larger of getrusage's peak RSS (the
// largest single process) and the tree's proportional set size (PSS: pages
// the processes share, such as the binary's, counted once) sampled every
// 100 ms. Reading smaps_rollup walks a process's page tables: every 20 ms
// it took 80 % of a core beside a 2 GB DuckDB, on a machine of two.
func measure(name, bin string, args ...string) result {
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fail(fmt.Errorf("%s: %w", name, err))
	}
	stop := sampleTree(cmd.Process.Pid)
	err := cmd.Wait()
	wall := time.Since(start)
	sampled := stop()
	if err != nil {
		fail(fmt.Errorf("%s: %w", name, err))
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return result{name: name, wall: wall, rss: max(ru.Maxrss*1024, sampled[0]), anon: sampled[1], cpu: cpu}
}

// sampleTree samples the memory of pid's process tree every 100 ms until
// the returned stop is called, which gives the peaks: PSS and its
// anonymous part.
func sampleTree(pid int) (stop func() [2]int64) {
	done := make(chan struct{})
	peak := make(chan [2]int64)
	go func() {
		var m [2]int64
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				peak <- m
				return
			case <-t.C:
				pss, anon := treeRSS(pid)
				m[0], m[1] = max(m[0], pss), max(m[1], anon)
			}
		}
	}()
	return func() [2]int64 {
		close(done)
		return <-peak
	}
}

// treeRSS is the memory of pid and all its descendants: the sum of their
// PSS, and of its anonymous part, from /proc.
func treeRSS(pid int) (pss, anon int64) {
	for _, p := range tree(pid) {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/smaps_rollup")
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			switch f[0] {
			case "Pss:":
				pss += kb << 10
			case "Pss_Anon:":
				anon += kb << 10
			}
		}
	}
	return pss, anon
}

// treeCPU is the CPU time pid and its descendants have used, those they
// have waited for included, from /proc (in USER_HZ ticks, 1/100 s on
// Linux). A child reaped between the reads of its own stat and its
// parent's could count twice or not at all; the server's engine lives
// through a benchmark.
func treeCPU(pid int) time.Duration {
	var ticks int64
	for _, p := range tree(pid) {
		f := statFields(p)
		if len(f) < 15 {
			continue
		}
		// utime, stime, cutime, cstime: the 14th to 17th fields, counted
		// from the state (the 3rd).
		for _, v := range f[11:15] {
			n, _ := strconv.ParseInt(v, 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// highWater is a process's peak RSS (VmHWM) since it started, or since
// "5" was last written to its clear_refs.
func highWater(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// tree is pid and all its descendants.
func tree(pid int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	parent := map[int]int{}
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f := statFields(p); len(f) > 1 {
			parent[p], _ = strconv.Atoi(f[1])
		}
	}
	in := map[int]bool{pid: true}
	for changed := true; changed; {
		changed = false
		for p, pp := range parent {
			if !in[p] && in[pp] {
				in[p], changed = true, true
			}
		}
	}
	out := make([]int, 0, len(in))
	for p := range in {
		out = append(out, p)
	}
	return out
}

// statFields are the fields of /proc/PID/stat from the state on. The
// command name before them, in parentheses, may hold spaces.
func statFields(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(b[i+1:]))
}

// duckdbChild does DuckDB's side in its own process, so its RSS is its own.
func duckdbChild(csvPath, out string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	q := fmt.Sprintf(`COPY (SELECT * EXCLUDE (email, full_name, phone),
		sha256(email) AS email, sha256(full_name) AS full_name, sha256(phone) AS phone
		FROM read_csv('%s')) TO '%s' (FORMAT parquet, COMPRESSION zstd)`, csvPath, out)
	_, err = db.ExecContext(context.Background(), q)
	return err
}

func duckdbVersion() string {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return "?"
	}
	defer db.Close()
	var v string
	db.QueryRow("SELECT version()").Scan(&v)
	return v
}

func parseSize(s string) (int64, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.m
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return int64(f * float64(mult)), nil
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return strings.Count(string(b), "processor\t:")
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}
