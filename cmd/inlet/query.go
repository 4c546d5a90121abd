package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	start := time.Now()
	rows, err := e.Query(ctx, q)
	var n query.Written
	if err == nil {
		n, err = query.Write(stdout, *format, rows, *limit)
		rows.Close()
	}
	if aerr := auditQuery(ctx, a, &cfg, q.SQL, n.Rows, time.Since(start), err); aerr != nil && err == nil {
		err = aerr
	}
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

// auditQuery records a statement the command line ran, as the server
// does: the text's SHA-256, never the text (literals may be personal data).
func auditQuery(ctx context.Context, a *app, cfg *config, sql string, rows int64, took time.Duration, err error) error {
	sum := sha256.Sum256([]byte(sql))
	h := hex.EncodeToString(sum[:])
	e := &inlet.AuditEvent{At: time.Now().UTC(), Tenant: cfg.Tenant, Actor: cliActor(), Action: "query.run", Object: "sql:" + h, Outcome: "ok",
		Detail: map[string]any{"sql_sha256": h, "rows": rows, "ms": took.Milliseconds()}}
	if err != nil {
		e.Outcome = "failed"
		if inlet.ErrorCode(err) == inlet.EFORBIDDEN {
			e.Outcome = "refused"
		}
		e.Detail["error"] = inlet.ErrorCode(err)
	}
	return a.db.RecordAudit(context.WithoutCancel(ctx), e)
}
