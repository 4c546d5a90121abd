package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// cmdExpect sets a table's expectations: every write that breaks one is
// refused with the failing rows' lines. The flags replace the whole list;
// --clear removes it.
func cmdExpect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("expect", &cfg, stderr)
	var notNull, unique, ranges, allowed multiFlag
	fs.Var(&notNull, "not-null", "COLUMN: must not be NULL (repeatable)")
	fs.Var(&unique, "unique", "COLUMN: no value twice, in the upload or with the table (repeatable)")
	fs.Var(&ranges, "range", "COLUMN=MIN..MAX: numbers within bounds; either bound may be left out, e.g. amount=0.. (repeatable)")
	fs.Var(&allowed, "allowed", "COLUMN=V1|V2|...: only these values (repeatable)")
	rowCount := fs.Float64("row-count", 0, "PERCENT: an upload's row count within this many percent of the last upload's")
	clearAll := fs.Bool("clear", false, "remove every expectation")
	a, ref, err := openTable(ctx, "expect", fs, &cfg, args, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	ex := []inlet.Expectation{}
	for _, c := range notNull {
		ex = append(ex, inlet.Expectation{Kind: inlet.ExpectNotNull, Column: c})
	}
	for _, c := range unique {
		ex = append(ex, inlet.Expectation{Kind: inlet.ExpectUnique, Column: c})
	}
	for _, r := range ranges {
		col, bounds, ok := strings.Cut(r, "=")
		lo, hi, ok2 := strings.Cut(bounds, "..")
		if !ok || !ok2 {
			return &usageError{fmt.Sprintf("--range %q: write COLUMN=MIN..MAX", r)}
		}
		e := inlet.Expectation{Kind: inlet.ExpectRange, Column: col}
		for _, b := range []struct {
			s   string
			dst **float64
		}{{lo, &e.Min}, {hi, &e.Max}} {
			if b.s == "" {
				continue
			}
			v, err := strconv.ParseFloat(b.s, 64)
			if err != nil {
				return &usageError{fmt.Sprintf("--range %q: %q is not a number", r, b.s)}
			}
			*b.dst = &v
		}
		ex = append(ex, e)
	}
	for _, v := range allowed {
		col, values, ok := strings.Cut(v, "=")
		if !ok {
			return &usageError{fmt.Sprintf("--allowed %q: write COLUMN=V1|V2", v)}
		}
		ex = append(ex, inlet.Expectation{Kind: inlet.ExpectAllowed, Column: col, Values: strings.Split(values, "|")})
	}
	if *rowCount != 0 {
		ex = append(ex, inlet.Expectation{Kind: inlet.ExpectRowCount, Percent: *rowCount})
	}
	if len(ex) == 0 && !*clearAll {
		return &usageError{"expect needs at least one of --not-null, --unique, --range, --allowed, --row-count, or --clear"}
	}
	if err := a.catalog.SetTableInfo(ctx, cfg.Tenant, ref, inlet.TableInfo{Expectations: &ex}); err != nil {
		return err
	}
	if err := a.db.RecordAudit(ctx, &inlet.AuditEvent{At: time.Now().UTC(), Tenant: cfg.Tenant, Actor: cliActor(), Action: "table.expectations",
		Object: "table:" + ref.String(), Outcome: "ok", Detail: map[string]any{"expectations": len(ex)}}); err != nil {
		return err
	}
	if len(ex) == 0 {
		fmt.Fprintf(stdout, "%s has no expectations now\n", ref)
	}
	for _, e := range ex {
		fmt.Fprintf(stdout, "%s: %s\n", ref, describeExpectation(e))
	}
	return nil
}

func cliActor() string {
	if u := os.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

// describeExpectation says what an expectation asks, as a sentence.
func describeExpectation(e inlet.Expectation) string {
	switch e.Kind {
	case inlet.ExpectNotNull:
		return e.Column + " is never NULL"
	case inlet.ExpectUnique:
		return e.Column + " is unique"
	case inlet.ExpectRange:
		lo, hi := "", ""
		if e.Min != nil {
			lo = strconv.FormatFloat(*e.Min, 'g', -1, 64)
		}
		if e.Max != nil {
			hi = strconv.FormatFloat(*e.Max, 'g', -1, 64)
		}
		return fmt.Sprintf("%s is within %s..%s", e.Column, lo, hi)
	case inlet.ExpectAllowed:
		return fmt.Sprintf("%s is one of %s", e.Column, strings.Join(e.Values, " | "))
	case inlet.ExpectRowCount:
		return fmt.Sprintf("each upload's row count is within %g %% of the last upload's", e.Percent)
	}
	return string(e.Kind)
}

// cmdDiff compares two snapshots of a table.
func cmdDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("diff", &cfg, stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 || len(pos) > 3 {
		return &usageError{"diff takes DATABASE.TABLE FROM_SNAPSHOT [TO_SNAPSHOT] (TO defaults to the current one)"}
	}
	ref, err := inlet.ParseTableRef(pos[0])
	if err != nil {
		return err
	}
	ids := make([]int64, 0, 2)
	for _, p := range pos[1:] {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return &usageError{fmt.Sprintf("%q is not a snapshot id (see inlet table %s)", p, ref)}
		}
		ids = append(ids, id)
	}
	a, err := openApp(ctx, &cfg, newLogger(&cfg, stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	if len(ids) == 1 {
		t, err := a.catalog.Table(ctx, cfg.Tenant, ref)
		if err != nil {
			return err
		}
		if t.CurrentSnapshot == nil {
			return inlet.Errorf(inlet.EINVALID, "table %s has no snapshot yet", ref)
		}
		ids = append(ids, *t.CurrentSnapshot)
	}
	d, err := a.catalog.Diff(ctx, cfg.Tenant, ref, ids[0], ids[1])
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, d)
	}
	fmt.Fprintf(stdout, "%s: snapshot %d → %d\nrows      %d → %d (%+d)\n", ref, d.From, d.To, d.RowsBefore, d.RowsAfter, d.RowsAfter-d.RowsBefore)
	fmt.Fprintf(stdout, "files     %d added (%d rows), %d removed (%d rows)\n", d.FilesAdded, d.RowsInAddedFiles, d.FilesRemoved, d.RowsInRemovedFiles)
	for _, c := range d.ColumnsAdded {
		fmt.Fprintf(stdout, "column    + %s %s\n", c.Name, c.Type)
	}
	for _, c := range d.ColumnsRemoved {
		fmt.Fprintf(stdout, "column    - %s %s\n", c.Name, c.Type)
	}
	for _, c := range d.ColumnsChanged {
		fmt.Fprintf(stdout, "column    ~ %s %s → %s\n", c.Name, c.From, c.To)
	}
	for _, s := range d.Between {
		if l := s.Lineage; l != nil {
			fmt.Fprintf(stdout, "snapshot  %d %s %s: %d rows from %s by %s\n", s.ID, s.Time.Format("2006-01-02 15:04:05Z"), l.Mode, l.Rows, l.SourceFile, l.Uploader)
		} else {
			fmt.Fprintf(stdout, "snapshot  %d %s %s\n", s.ID, s.Time.Format("2006-01-02 15:04:05Z"), s.Operation)
		}
	}
	return nil
}
