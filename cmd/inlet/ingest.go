package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	inlet "github.com/inlet-data/inlet"
)

func cmdIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("ingest", &cfg, stderr)
	tableName := fs.String("table", "", "target table, DATABASE.TABLE (required)")
	mode := fs.String("mode", "create", "create, append, overwrite or upsert (with --key)")
	keys := fs.String("key", "", "COLUMN[,COLUMN]: the merge key of --mode upsert (table column names)")
	onError := fs.String("on-error", "widen", "a value that does not fit its column: widen (the inferred type), skip (the row) or fail")
	layout := addLayoutFlags(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	var piiFlags, entities, levels, reasons, types, renames, nulls multiFlag
	fs.Var(&piiFlags, "pii", "COLUMN=hash|mask|redact|generalise|drop|keep (repeatable)")
	fs.Var(&entities, "entity", "COLUMN=ENTITY: what a column marked with --pii holds (email, phone, person_name, ...), so the right normaliser runs (repeatable)")
	fs.Var(&levels, "level", "COLUMN=LEVEL: how far --pii COLUMN=generalise goes: year or age_band (birth dates), prefix (postcodes), network (IPs)")
	fs.Var(&reasons, "reason", "COLUMN=TEXT: why a detected PII column is kept (repeatable); with one --pii keep, --reason TEXT works too")
	fs.Var(&types, "type", "COLUMN=TYPE: bigint, double, decimal(p,s), boolean, date, timestamp, string (repeatable)")
	fs.Var(&renames, "rename", "COLUMN=NEW_NAME (repeatable)")
	fs.Var(&nulls, "null", "a cell value read as NULL (repeatable; replaces the defaults)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{"ingest takes one FILE"}
	}
	if *tableName == "" {
		return &usageError{"ingest needs --table DATABASE.TABLE"}
	}
	ref, err := inlet.ParseTableRef(*tableName)
	if err != nil {
		return err
	}
	wm, err := inlet.ParseWriteMode(*mode)
	if err != nil {
		return err
	}
	opts, err := layout.options()
	if err != nil {
		return err
	}
	opts.PhoneRegion = cfg.PhoneRegion
	spec := inlet.IngestSpec{Table: ref, Mode: wm, OnError: *onError, Options: opts}
	if *keys != "" {
		for _, k := range strings.Split(*keys, ",") {
			spec.Keys = append(spec.Keys, strings.TrimSpace(k))
		}
	}
	if (wm == inlet.ModeUpsert) != (len(spec.Keys) > 0) {
		return &usageError{"--mode upsert needs --key COLUMN[,COLUMN], and --key is for --mode upsert only"}
	}
	if len(nulls) > 0 {
		spec.Options.Nulls = nulls
	}
	if spec.Columns, err = columnSpecs(columnFlags{piiFlags, entities, levels, reasons, types, renames}); err != nil {
		return err
	}
	path, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return inlet.Errorf(inlet.EINVALID, "%s: cannot read the file (%v)", pos[0], errorsUnwrapPath(err))
	}

	// An ingest streams: its live heap stays near 120 MB whatever the file
	// size, so a soft heap limit of 144 MB keeps the process (binary, C zstd
	// contexts and stacks included) under 256 MB, at little GC cost.
	applyMemoryLimit(&cfg, 144<<20)
	logger := newLogger(&cfg, stderr)
	a, err := openApp(ctx, &cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	u := &inlet.Upload{Tenant: cfg.Tenant, UploadedBy: cliUser(), Owner: cliActor()}
	a.runner.CancelOnShutdown = true
	j, res, err := a.ingest.IngestFile(ctx, u, spec, path)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "table     %s\nsnapshot  %d\nrows      %d\n", res.Table, res.SnapshotID, res.Rows)
	if wm == inlet.ModeUpsert {
		fmt.Fprintf(stdout, "updated   %d\ninserted  %d\n", res.Updated, res.Inserted)
	}
	if res.SkippedRows > 0 {
		fmt.Fprintf(stdout, "skipped   %d rows with errors:\n", res.SkippedRows)
		for _, e := range res.RowErrors {
			fmt.Fprintf(stdout, "          %s\n", e.Error())
		}
	}
	if res.RejectsFile {
		if p, err := a.runner.Rejects.Path(cfg.Tenant, j.ID); err == nil {
			fmt.Fprintf(stdout, "rejected  the skipped rows, PII protected, to fix and append: %s\n", p)
		}
	}
	for _, w := range res.Widened {
		fmt.Fprintf(stdout, "widened   %s\n", w)
	}
	for _, u := range res.Uncertain {
		fmt.Fprintf(stdout, "possible  personal data kept as it is: %s\n", u)
	}
	if len(res.Uncertain) > 0 {
		fmt.Fprintf(stdout, "          (ingest again with --mode overwrite --pii COLUMN=hash to protect a column)\n")
	}
	fmt.Fprintf(stdout, "files     %d\n", len(res.Files))
	for _, f := range res.Files {
		fmt.Fprintf(stdout, "          %s\n", f)
	}
	return nil
}

// columnFlags are the per-column flags of ingest.
type columnFlags struct {
	pii, entities, levels, reasons, types, renames multiFlag
}

// columnSpecs merges the per-column flags into column specs.
func columnSpecs(f columnFlags) ([]inlet.ColumnSpec, error) {
	byCol := map[string]*inlet.ColumnSpec{}
	var order []string
	get := func(col string) *inlet.ColumnSpec {
		if s, ok := byCol[col]; ok {
			return s
		}
		byCol[col] = &inlet.ColumnSpec{Source: col}
		order = append(order, col)
		return byCol[col]
	}
	pairs, err := f.pii.pairs("pii")
	if err != nil {
		return nil, err
	}
	var kept []string
	for _, p := range pairs {
		a, err := inlet.ParseAction(p[1])
		if err != nil {
			return nil, err
		}
		get(p[0]).Action = a
		if a == inlet.ActionKeep {
			kept = append(kept, p[0])
		}
	}
	if pairs, err = f.entities.pairs("entity"); err != nil {
		return nil, err
	}
	for _, p := range pairs {
		e, err := inlet.ParseEntity(p[1])
		if err != nil {
			return nil, err
		}
		get(p[0]).Entity = e
	}
	if pairs, err = f.levels.pairs("level"); err != nil {
		return nil, err
	}
	for _, p := range pairs {
		get(p[0]).Level = p[1]
	}
	for _, r := range f.reasons {
		col, text, ok := splitPair(r)
		if !ok || byCol[col] == nil {
			// A bare reason belongs to the one kept column.
			if len(kept) != 1 {
				return nil, &usageError{fmt.Sprintf("--reason %q: write it as COLUMN=TEXT", r)}
			}
			col, text = kept[0], r
		}
		get(col).Reason = text
	}
	if pairs, err = f.types.pairs("type"); err != nil {
		return nil, err
	}
	for _, p := range pairs {
		t, err := inlet.ParseType(p[1])
		if err != nil {
			return nil, err
		}
		get(p[0]).Type = t
	}
	if pairs, err = f.renames.pairs("rename"); err != nil {
		return nil, err
	}
	for _, p := range pairs {
		get(p[0]).Name = p[1]
	}
	out := make([]inlet.ColumnSpec, 0, len(order))
	for _, col := range order {
		out = append(out, *byCol[col])
	}
	return out, nil
}

func splitPair(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '=' {
			return s[:i], s[i+1:], i > 0
		}
	}
	return "", "", false
}

// cliUser names the person running the command, for lineage.
func cliUser() string {
	for _, k := range []string{"INLET_USER", "USER", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "cli"
}
