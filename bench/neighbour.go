package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The noisy-neighbour benchmark: one tenant's small query, timed while the
// server is idle and while another tenant's user keeps 12 heavy queries
// running at once, in the same run. The ratio says how much the burst slows
// the neighbour (the review measured 55 s of waiting before the fair
// scheduler and one engine process per tenant).

const neighbourBurst = 12

func benchNeighbour(dir, inletBin, csvPath string, runs int) error {
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
	c, heavyToken, err := benchClient(base, setup, data)
	if err != nil {
		return err
	}
	os.WriteFile(marker, nil, 0o644)

	// The neighbour: a tenant of its own with a small table, and its token.
	if err := c.call("POST", "/tenants", map[string]any{"id": "neighbour"}, nil); err != nil && !strings.Contains(err.Error(), "exists") {
		return err
	}
	small := filepath.Join(dir, "neighbour.csv")
	var b strings.Builder
	b.WriteString("id,amount\n")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&b, "%d,%d.%02d\n", i, i%977, i%100)
	}
	os.WriteFile(small, []byte(b.String()), 0o644)
	if out, err := exec.Command(inletBin, "ingest", small, "--table", "n.small", "--mode", "overwrite", "--tenant", "neighbour", "--data-dir", data, "--log-level", "warn").CombinedOutput(); err != nil {
		if out2, err2 := exec.Command(inletBin, "ingest", small, "--table", "n.small", "--tenant", "neighbour", "--data-dir", data, "--log-level", "warn").CombinedOutput(); err2 != nil {
			return fmt.Errorf("ingest the neighbour's table: %s %s", out, out2)
		}
	}
	if err := c.call("PUT", "/session", map[string]any{"tenant": "neighbour"}, nil); err != nil {
		return err
	}
	var tok struct{ Secret string }
	if err := c.call("POST", "/tokens", map[string]any{"name": "neighbour", "role": "viewer", "expires_in_days": 1}, &tok); err != nil {
		return err
	}
	small2 := map[string]any{"sql": "SELECT count(*) AS n, sum(amount) AS total FROM n.small"}
	heavy := map[string]any{"sql": "SELECT segment, country, count(DISTINCT email) AS people, sum(lifetime_value) AS ltv FROM bench.customers GROUP BY ALL ORDER BY ALL"}

	time1 := func() (time.Duration, error) {
		t0 := time.Now()
		err := c.callToken(tok.Secret, "/query", small2, nil)
		return time.Since(t0), err
	}
	sample := func(n int) ([]time.Duration, error) {
		var out []time.Duration
		for i := 0; i < n+2; i++ {
			d, err := time1()
			if err != nil {
				return nil, err
			}
			if i >= 2 {
				out = append(out, d)
			}
			time.Sleep(50 * time.Millisecond)
		}
		return out, nil
	}
	idle, err := sample(runs)
	if err != nil {
		return err
	}
	// The burst: 12 heavy statements at once, again and again, from one user.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	done, refused := 0, 0
	for i := 0; i < neighbourBurst; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := c.callToken(heavyToken, "/query", heavy, nil)
				mu.Lock()
				if err != nil {
					refused++
				} else {
					done++
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(2 * time.Second) // let the burst fill the engine and its queue
	loaded, err := sample(runs)
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	fmt.Printf("neighbour's query (count and sum over 10 000 rows), %d runs each, while another tenant runs %d heavy group-bys at once:\n", runs, neighbourBurst)
	fmt.Printf("%-12s %10s %10s %10s\n", "", "p50", "p95", "max")
	fmt.Printf("%-12s %9.1fms %9.1fms %9.1fms\n", "idle", ms(pct(idle, 50)), ms(pct(idle, 95)), ms(pct(idle, 100)))
	fmt.Printf("%-12s %9.1fms %9.1fms %9.1fms\n", "under burst", ms(pct(loaded, 50)), ms(pct(loaded, 95)), ms(pct(loaded, 100)))
	fmt.Printf("ratio under burst / idle: p50 %.2fx, p95 %.2fx; the burst finished %d heavy queries, %d were refused or failed\n",
		float64(pct(loaded, 50))/float64(pct(idle, 50)), float64(pct(loaded, 95))/float64(pct(idle, 95)), done, refused)
	return nil
}
