package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// The export benchmark: a table of n customer rows Inlet wrote, exported by
// inlet export (a command: its process and its engine's start for the one
// export), by an export job of a running inlet serve (POST /exports, as
// the web UI does, timed until the job has succeeded), and by DuckDB's
// COPY ... TO straight from the same Parquet files, each in its own process
// so that peak RSS is its own. The server's figures are its whole process
// tree's: the server, its engine process, and the server's idle memory.

func benchExport(dir, inletBin string, n int64, formats []string, runs int) error {
	csvPath := filepath.Join(dir, fmt.Sprintf("customers-%drows.csv", n))
	if _, err := os.Stat(csvPath); err != nil {
		f, err := os.Create(csvPath)
		if err != nil {
			return err
		}
		rows, err := generate(f, 1<<62, n, 42)
		f.Close()
		if err != nil {
			return err
		}
		fmt.Printf("generated %s: %d rows\n", csvPath, rows)
	}
	data := filepath.Join(dir, fmt.Sprintf("export-data-%d", n))
	if _, err := os.Stat(filepath.Join(data, "catalog.db")); err != nil {
		fmt.Printf("ingesting %s into %s (once; kept for later runs)\n", csvPath, data)
		in := measure("inlet", inletBin, "ingest", csvPath, "--table", "bench.customers", "--data-dir", data, "--log-level", "warn")
		fmt.Printf("ingest: %.1fs\n", in.wall.Seconds())
	}
	out, err := exec.Command(inletBin, "table", "bench.customers", "--json", "--data-dir", data).Output()
	if err != nil {
		return fmt.Errorf("inlet table: %w", err)
	}
	var tbl struct {
		Rows      int64    `json:"rows"`
		DataFiles []string `json:"data_files"`
	}
	if err := json.Unmarshal(out, &tbl); err != nil {
		return err
	}
	files := make([]string, len(tbl.DataFiles))
	for i, f := range tbl.DataFiles {
		files[i] = strings.TrimPrefix(f, "file://")
	}
	outDir := filepath.Join(dir, "export-out")
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	self, _ := os.Executable()
	fmt.Printf("table: %d rows, 20 columns, %d data files; %d cores, DuckDB %s; best of %d\n\n", tbl.Rows, len(files), numCPU(), duckdbVersion(), runs)
	srv, err := startExportServer(inletBin, data)
	if err != nil {
		return err
	}
	defer srv.stop()
	// One export of no rows first, untimed: the server's engine process
	// starts at its first statement and then stays, so every timed job
	// runs on a warm engine, as on a server in use.
	if _, _, err := srv.export("csv", "customer_id < 0"); err != nil {
		return err
	}
	fmt.Printf("%-8s %-7s %9s %9s %10s %10s %12s %12s\n", "format", "tool", "wall", "cpu", "peak RSS", "anon", "size", "rows/s/core")
	for _, format := range formats {
		var best [3]result
		var size [3]int64
		for i := 0; i < runs; i++ {
			file := filepath.Join(outDir, "inlet."+format)
			os.Remove(file)
			// The default query memory (1 GiB): the engine unloads the rows
			// with COPY, which streams.
			in := measure("inlet", inletBin, "export", "bench.customers", "--format", format, "--out", file, "--data-dir", data,
				"--log-level", "warn")
			if i == 0 || in.wall < best[0].wall {
				best[0], size[0] = in, fileSize(file)
			}
			os.Remove(file)
			if format == "csv" || format == "parquet" {
				file = filepath.Join(outDir, "duckdb."+format)
				os.Remove(file)
				dk := measure("duckdb", self, append([]string{"duckdb-export", format, file}, files...)...)
				if i == 0 || dk.wall < best[1].wall {
					best[1], size[1] = dk, fileSize(file)
				}
				os.Remove(file)
			}
			sv, bytes, err := srv.export(format, "")
			if err != nil {
				return err
			}
			if i == 0 || sv.wall < best[2].wall {
				best[2], size[2] = sv, bytes
			}
		}
		for _, j := range []int{0, 2, 1} {
			r := best[j]
			if r.name == "" {
				continue
			}
			perCore := float64(tbl.Rows) / r.cpu.Seconds()
			fmt.Printf("%-8s %-7s %8.2fs %8.2fs %7.0f MB %7.0f MB %9.0f MB %12.0f\n", format, r.name, r.wall.Seconds(), r.cpu.Seconds(),
				float64(r.rss)/(1<<20), float64(r.anon)/(1<<20), float64(size[j])/(1<<20), perCore)
		}
		if best[1].name != "" {
			for _, j := range []int{0, 2} {
				fmt.Printf("%-8s ratio %s/duckdb: wall %.2fx, peak RSS %.2fx\n", format, best[j].name, best[j].wall.Seconds()/best[1].wall.Seconds(), float64(best[j].rss)/float64(best[1].rss))
			}
		} else {
			fmt.Printf("%-8s %.0f rows/s wall, %.0f rows/s per core (rows / CPU seconds)\n", format, float64(tbl.Rows)/best[0].wall.Seconds(), float64(tbl.Rows)/best[0].cpu.Seconds())
		}
	}
	return nil
}

// exportServer is an inlet serve on the benchmark's data directory.
type exportServer struct {
	cmd    *exec.Cmd
	client *apiClient
}

func startExportServer(inletBin, data string) (*exportServer, error) {
	cmd := exec.Command(inletBin, "serve", "--addr", "127.0.0.1:0", "--data-dir", data, "--log-level", "warn")
	cmd.Stderr = os.Stderr
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &exportServer{cmd: cmd}
	marker := filepath.Join(data, "bench-admin")
	_, err := os.Stat(marker)
	base, setup, err := serverAddress(stdout, err != nil)
	if err == nil {
		s.client, _, err = benchClient(base, setup, data)
	}
	if err != nil {
		s.stop()
		return nil, err
	}
	os.WriteFile(marker, nil, 0o644)
	return s, nil
}

func (s *exportServer) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	s.cmd.Wait()
}

// export runs one export job of the table (where, if set, filters it), as
// the web UI starts one, and deletes it after. CPU and memory are the
// server's process tree's over the job: the peak is the larger of the
// largest process's high-water mark (reset before the job) and the tree's
// PSS sampled every 100 ms, as measure takes it for a command.
func (s *exportServer) export(format, where string) (result, int64, error) {
	pid := s.cmd.Process.Pid
	for _, p := range tree(pid) {
		os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p), []byte("5"), 0) // resets VmHWM
	}
	cpu0 := treeCPU(pid)
	stop := sampleTree(pid)
	start := time.Now()
	var e struct {
		ID    string `json:"id"`
		State string `json:"state"`
		Error *struct {
			Message string `json:"message"`
		} `json:"error"`
		Files []struct {
			Bytes int64 `json:"bytes"`
		} `json:"files"`
	}
	source := map[string]any{"table": map[string]string{"database": "bench", "name": "customers"}}
	if where != "" {
		source["where"] = where
	}
	err := s.client.call("POST", "/exports", map[string]any{"format": format, "source": source}, &e)
	for err == nil && e.State != "succeeded" {
		if e.State == "failed" || e.State == "cancelled" {
			err = fmt.Errorf("the export job %s: %+v", e.State, e.Error)
			break
		}
		time.Sleep(50 * time.Millisecond) // about 0.2 % of a core in requests
		err = s.client.call("GET", "/exports/"+e.ID, nil, &e)
	}
	wall := time.Since(start)
	m := stop()
	for _, p := range tree(pid) {
		m[0] = max(m[0], highWater(p))
	}
	if err != nil {
		return result{}, 0, err
	}
	var bytes int64
	for _, f := range e.Files {
		bytes += f.Bytes
	}
	if err := s.client.call("DELETE", "/exports/"+e.ID, nil, nil); err != nil {
		return result{}, 0, err
	}
	return result{name: "server", wall: wall, cpu: treeCPU(pid) - cpu0, rss: m[0], anon: m[1]}, bytes, nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// duckdbExport is DuckDB's side of the export benchmark, in its own process.
func duckdbExport(format, out string, files []string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	list := make([]string, len(files))
	for i, f := range files {
		list[i] = "'" + strings.ReplaceAll(f, "'", "''") + "'"
	}
	opts := "(HEADER)"
	if format == "parquet" {
		opts = "(FORMAT parquet, COMPRESSION zstd)"
	}
	q := fmt.Sprintf("COPY (SELECT * FROM read_parquet([%s])) TO '%s' %s", strings.Join(list, ", "), strings.ReplaceAll(out, "'", "''"), opts)
	_, err = db.ExecContext(context.Background(), q)
	return err
}
