package main

import (
	"context"
	"fmt"
	"io"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query"
)

func cmdQuery(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("query", &cfg, stderr)
	format := fs.String("format", query.FormatTable, "table, json or csv (arrow writes an Arrow IPC stream)")
	asOf := fs.String("as-of", "", "read every table as it was at this time (RFC 3339, e.g. 2026-11-01T00:00:00Z)")
	limit := fs.Int64("limit", 0, "stop after this many rows (0: all)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{"query takes one SQL statement in quotes, e.g. inlet query 'SELECT count(*) FROM sales.orders'"}
	}
	q := inlet.Query{Tenant: cfg.Tenant, User: cliUser(), SQL: pos[0], OnQueued: func(ahead int) {
		fmt.Fprintf(stderr, "waiting for a turn: %d queries ahead\n", ahead)
	}}
	if *asOf != "" {
		if q.AsOf, err = time.Parse(time.RFC3339, *asOf); err != nil {
			return &usageError{fmt.Sprintf("--as-of %q: use RFC 3339, e.g. 2026-11-01T00:00:00Z", *asOf)}
		}
	}
	a, err := openApp(ctx, &cfg, newLogger(&cfg, stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	e, err := a.queryEngine()
	if err != nil {
		return err
	}
	rows, err := e.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	n, err := query.Write(stdout, *format, rows, *limit)
	if err != nil {
		return err
	}
	if *format == query.FormatTable {
		more := ""
		if n.Truncated {
			more = fmt.Sprintf(" (stopped at --limit %d)", *limit)
		}
		fmt.Fprintf(stderr, "%d rows%s\n", n.Rows, more)
	}
	return nil
}
