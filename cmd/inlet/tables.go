package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/catalog"
)

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdTables(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("tables", &cfg, stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return &usageError{"tables takes no arguments"}
	}
	a, err := openApp(ctx, &cfg, newLogger(&cfg, stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	tables, err := a.catalog.Tables(ctx, cfg.Tenant)
	if err != nil {
		return err
	}
	if *asJSON {
		if tables == nil {
			tables = []inlet.TableSummary{}
		}
		return printJSON(stdout, tables)
	}
	if len(tables) == 0 {
		fmt.Fprintln(stdout, "no tables yet: create one with inlet ingest FILE --table DATABASE.TABLE")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tCOLUMNS\tROWS\tUPDATED")
	for _, t := range tables {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", t.Ref, t.Columns, t.Rows, t.UpdatedAt.Format("2006-01-02 15:04:05Z"))
	}
	return tw.Flush()
}

// openTable parses the arguments of a command about one table and opens
// the data directory; fs may carry the command's own flags.
func openTable(ctx context.Context, name string, fs *flagSet, cfg *config, args []string, stderr io.Writer) (*app, inlet.TableRef, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, inlet.TableRef{}, err
	}
	if len(pos) != 1 {
		return nil, inlet.TableRef{}, &usageError{name + " takes one DATABASE.TABLE"}
	}
	ref, err := inlet.ParseTableRef(pos[0])
	if err != nil {
		return nil, ref, err
	}
	a, err := openApp(ctx, cfg, newLogger(cfg, stderr))
	return a, ref, err
}

func cmdTable(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("table", &cfg, stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	snapshot := fs.Int64("snapshot", 0, "describe the table as of this snapshot id (time travel)")
	asOf := fs.String("as-of", "", "describe the table as it was at this time (RFC 3339)")
	a, ref, err := openTable(ctx, "table", fs, &cfg, args, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	at := inlet.SnapshotSelector{ID: *snapshot}
	if *asOf != "" {
		if at.AsOf, err = time.Parse(time.RFC3339, *asOf); err != nil {
			return &usageError{fmt.Sprintf("--as-of %q: give a time in RFC 3339, e.g. 2026-11-01T09:00:00Z", *asOf)}
		}
	}
	t, err := a.catalog.TableAt(ctx, cfg.Tenant, ref, at)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, t)
	}
	fmt.Fprintf(stdout, "%s  (%d rows)\nlocation  %s\nmetadata  %s\n", t.Ref, t.Rows, t.Location, t.MetadataLocation)
	if t.AsOf != nil {
		fmt.Fprintf(stdout, "as of     snapshot %d (not the current one)\n", *t.AsOf)
	}
	fmt.Fprintln(stdout)
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COLUMN\tTYPE\tPII\tNULLS\tDISTINCT\tMIN\tMAX\tCOMMENT")
	for _, c := range t.Columns {
		tag := "-"
		if c.PII != nil {
			tag = fmt.Sprintf("%s (%s)", c.PII.Entity, c.PII.Action)
		}
		nulls, distinct, lo, hi := "", "", "", ""
		if p := c.Profile; p != nil {
			nulls, distinct = strconv.FormatInt(p.Nulls, 10), "~"+strconv.FormatInt(p.Distinct, 10)
			if p.Min != nil {
				lo, hi = *p.Min, *p.Max
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Type, tag, nulls, distinct, lo, hi, c.Comment)
	}
	tw.Flush()
	if len(t.Expectations) > 0 {
		fmt.Fprintln(stdout, "\nEXPECTATIONS")
		for _, e := range t.Expectations {
			fmt.Fprintf(stdout, "  %s\n", describeExpectation(e))
		}
	}
	fmt.Fprintln(stdout, "\nSNAPSHOTS")
	tw = tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME\tOPERATION\tROWS\tSOURCE\tSHA256\tUPLOADER\tPII")
	for _, s := range t.Snapshots {
		l := s.Lineage
		if l == nil {
			fmt.Fprintf(tw, "%d\t%s\t%s\t\t\t\t\t\n", s.ID, s.Time.Format("2006-01-02 15:04:05Z"), s.Operation)
			continue
		}
		var pii []string
		for _, d := range l.PII {
			pii = append(pii, fmt.Sprintf("%s:%s", d.Column, d.Action))
		}
		sha := l.SourceSHA256
		if len(sha) > 12 {
			sha = sha[:12]
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", s.ID, s.Time.Format("2006-01-02 15:04:05Z"), s.Operation, l.Rows,
			l.SourceFile, sha, l.Uploader, strings.Join(pii, " "))
	}
	return tw.Flush()
}

func cmdGlue(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	a, ref, err := openTable(ctx, "glue", newFlags("glue", &cfg, stderr), &cfg, args, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	in, err := a.catalog.GlueTableInput(ctx, cfg.Tenant, ref)
	if err != nil {
		return err
	}
	b, err := catalog.MarshalGlue(in)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", b)
	return err
}

// cmdDrop deletes a table and its files; --confirm repeats its name, as the
// web UI asks the user to type it.
func cmdDrop(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("drop", &cfg, stderr)
	confirm := fs.String("confirm", "", "the table's name again, DATABASE.TABLE, to confirm (required)")
	a, ref, err := openTable(ctx, "drop", fs, &cfg, args, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	if *confirm != ref.String() {
		return &usageError{fmt.Sprintf("drop deletes %s and all its files: confirm with --confirm %s", ref, ref)}
	}
	t, err := a.catalog.DropTable(ctx, cfg.Tenant, ref)
	if t != nil {
		by := "cli"
		if u := os.Getenv("USER"); u != "" {
			by = "cli:" + u
		}
		outcome := "ok"
		if err != nil {
			outcome = "files left"
		}
		if aerr := a.db.RecordAudit(ctx, &inlet.AuditEvent{At: time.Now().UTC(), Tenant: cfg.Tenant, Actor: by, Action: "table.drop",
			Object: "table:" + ref.String(), Outcome: outcome, Detail: map[string]any{"location": t.Location, "rows": t.Rows, "snapshots": len(t.Snapshots)}}); aerr != nil && err == nil {
			err = aerr
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dropped %s (%d rows, %d snapshots); its files under %s are gone\n", ref, t.Rows, len(t.Snapshots), t.Location)
	return nil
}

// cmdRollback makes an earlier snapshot of a table current again.
func cmdRollback(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("rollback", &cfg, stderr)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return &usageError{"rollback takes DATABASE.TABLE SNAPSHOT_ID (see inlet table DATABASE.TABLE for the history)"}
	}
	ref, err := inlet.ParseTableRef(pos[0])
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil {
		return &usageError{fmt.Sprintf("%q is not a snapshot id (see inlet table %s)", pos[1], ref)}
	}
	a, err := openApp(ctx, &cfg, newLogger(&cfg, stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.catalog.Rollback(ctx, cfg.Tenant, ref, id); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s is at snapshot %d again; later snapshots stay in its history\n", ref, id)
	return nil
}
