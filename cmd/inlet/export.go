package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/export"
)

// exportTimeout is the longest an export's statement runs unless
// --query-timeout or INLET_QUERY_TIMEOUT says otherwise: an interactive
// query's minute is too short to stream millions of rows into a workbook.
const exportTimeout = 24 * time.Hour

// cmdExport writes a table, or the rows of it a bound predicate picks, to
// a file with the export writers the server uses.
func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("export", &cfg, stderr)
	if _, set := os.LookupEnv("INLET_QUERY_TIMEOUT"); !set {
		cfg.QueryTimeout = exportTimeout
	}
	format := fs.String("format", "", "csv, xlsx, parquet or jsonl (default: --out's extension)")
	out := fs.String("out", "", "the file to write, e.g. customers.csv (required)")
	columns := fs.String("columns", "", "the columns to export, comma-separated (default: all)")
	where := fs.String("where", "", "a filter with bound parameters, e.g. 'country = {{c}}' (values never spliced into SQL)")
	var params multiFlag
	fs.Var(&params, "param", "NAME=VALUE for {{NAME}} in --where (repeatable)")
	asOf := fs.String("as-of", "", "export the table as it was at this time (RFC 3339)")
	partRows := fs.Int64("part-rows", 0, "start a new file every N rows: OUT-part-0001.EXT, ... (0: one file)")
	bom := fs.Bool("bom", false, "CSV: start with a UTF-8 byte order mark, so Excel reads UTF-8")
	delim := fs.String("delimiter", ",", `CSV: the field delimiter: , ; | or \t (tab)`)
	template := fs.String("template", "", "export a saved template's result (its name or id) with --param values, instead of a table")
	link := fs.Bool("link", false, "instead of --out, write the export into the server's export area (this data directory's) and print a signed download link")
	expires := fs.Duration("expires", inlet.ExportDefaultTTL, "with --link: how long the export and its link last, in whole hours, at most 168h (7 days)")
	publicURL := fs.String("public-url", "", "with --link: the server's address as customers reach it, e.g. https://data.example.com (default http://ADDR)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	var ref inlet.TableRef
	switch {
	case *template != "" && len(pos) == 0:
	case *template == "" && len(pos) == 1:
		if ref, err = inlet.ParseTableRef(pos[0]); err != nil {
			return err
		}
	default:
		return &usageError{"export takes one DATABASE.TABLE, or --template NAME without one"}
	}
	if *template != "" && (*columns != "" || *where != "" || *asOf != "") {
		return &usageError{"--columns, --where and --as-of are for tables: a template's SQL says what it exports"}
	}
	a, err := openApp(ctx, &cfg, newLogger(&cfg, stderr))
	if err != nil {
		return err
	}
	defer a.Close()

	if *link {
		if *out != "" {
			return &usageError{"--link writes into the server's export area: leave out --out"}
		}
		return exportLink(ctx, a, &cfg, linkRequest{ref: ref, template: *template, format: *format, columns: *columns, where: *where,
			params: params, bom: *bom, delim: *delim, partRows: *partRows, expires: *expires, publicURL: *publicURL}, stdout, stderr)
	}
	if *out == "" {
		return &usageError{"export needs --out FILE (or --link), e.g. --out " + cmp.Or(ref.Name, "result") + ".csv"}
	}
	ext := strings.TrimPrefix(filepath.Ext(*out), ".")
	if *format == "" {
		*format = ext
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return err
	}
	if !strings.EqualFold(ext, f.Ext()) {
		return &usageError{fmt.Sprintf("--out %s: a %s export's file ends in .%s", *out, f, f.Ext())}
	}
	if fi, err := os.Stat(filepath.Dir(*out)); err != nil || !fi.IsDir() {
		return &usageError{fmt.Sprintf("--out %s: no directory %s to write into", *out, filepath.Dir(*out))}
	}
	opts := export.Options{Format: f, BOM: *bom, PartRows: *partRows,
		BaseName: strings.TrimSuffix(filepath.Base(*out), filepath.Ext(*out))}
	switch *delim {
	case `\t`, "tab":
		opts.Delimiter = '\t'
	default:
		if len(*delim) != 1 {
			return &usageError{fmt.Sprintf(`--delimiter %q: choose , ; | or \t`, *delim)}
		}
		opts.Delimiter = (*delim)[0]
	}

	q := inlet.Query{Tenant: cfg.Tenant, User: cliUser(), OnQueued: func(ahead int) {
		fmt.Fprintf(stderr, "waiting for a turn: %d queries ahead\n", ahead)
	}}
	at := inlet.SnapshotSelector{}
	if *asOf != "" {
		if at.AsOf, err = time.Parse(time.RFC3339, *asOf); err != nil {
			return &usageError{fmt.Sprintf("--as-of %q: use RFC 3339, e.g. 2026-11-01T00:00:00Z", *asOf)}
		}
		q.AsOf = at.AsOf
	}
	values := map[string][]string{}
	pairs, err := params.pairs("param")
	if err != nil {
		return err
	}
	for _, p := range pairs {
		values[p[0]] = append(values[p[0]], p[1])
	}
	// The statement is the one a server-side export of the same choices runs.
	spec := &inlet.Export{ID: "cli-" + uuid.NewString(), Tenant: cfg.Tenant, Source: inlet.ExportSource{Values: values}}
	var tmpl *inlet.Template
	var cols []inlet.Column
	if *template != "" {
		if tmpl, err = findTemplate(ctx, a, cfg.Tenant, *template); err != nil {
			return err
		}
		spec.Source.TemplateID = tmpl.ID
	} else {
		t, err := a.catalog.TableAt(ctx, cfg.Tenant, ref, at)
		if err != nil {
			return err
		}
		cols = t.Columns
		spec.Source.Table, spec.Source.Where = &ref, *where
		for _, c := range strings.Split(*columns, ",") {
			if c = strings.TrimSpace(c); c != "" {
				spec.Source.Columns = append(spec.Source.Columns, c)
			}
		}
		if len(values) > 0 && strings.TrimSpace(*where) == "" {
			return &usageError{"--param needs a --where that uses it"}
		}
	}
	stmt, err := export.Statement(spec, tmpl, cols, cliUser(), time.Now())
	if err != nil {
		return err
	}
	q.SQL, q.Args = stmt.SQL, stmt.Args

	// The engine is done once it has unloaded the rows: its process goes
	// then, not at exit, while an XLSX is still being written.
	a.engineIdle = -1
	e, err := a.queryEngine()
	if err != nil {
		return err
	}
	sink := export.DirSink(filepath.Dir(*out))
	// The engine unloads the rows to a scratch file in the export area and
	// the writers read it back: flat memory whatever the table's size.
	defer a.exports.Delete(context.WithoutCancel(ctx), spec) // the scratch area of this run
	parts, err := export.WriteQuery(ctx, e, q, a.exports, spec, sink, opts, nil)
	if err != nil {
		for _, p := range parts {
			sink.Remove(context.Background(), p.Name)
		}
		return err
	}
	for _, p := range parts {
		fmt.Fprintf(stdout, "%s\t%d rows\t%d bytes\n", filepath.Join(filepath.Dir(*out), p.Name), p.Rows, p.Bytes)
	}
	return nil
}

// findTemplate finds a tenant's template by id, else by its name.
func findTemplate(ctx context.Context, a *app, tenant, name string) (*inlet.Template, error) {
	if t, err := a.db.Template(ctx, tenant, name); err == nil {
		return t, nil
	}
	all, err := a.db.Templates(ctx, tenant)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Name == name {
			return &all[i], nil
		}
	}
	return nil, inlet.Errorf(inlet.ENOTFOUND, "no template %q in tenant %s (see the Templates page for names)", name, tenant)
}
