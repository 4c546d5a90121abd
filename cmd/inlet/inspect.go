package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/ingest"
	"github.com/inlet-data/inlet/store"
)

// inspectJSON is the exact shape of `inlet inspect --json`.
type inspectJSON struct {
	Format  inlet.Format        `json:"format"`
	Dialect inlet.Dialect       `json:"dialect"`
	Sheets  []string            `json:"sheets"`
	Columns []inspectJSONColumn `json:"columns"`
}

type inspectJSONColumn struct {
	Name       string         `json:"name"`
	SourceName string         `json:"source_name"`
	Type       inlet.Type     `json:"type"`
	PII        *inlet.Finding `json:"pii"`
}

func cmdInspect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("inspect", &cfg, stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	layout := addLayoutFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &usageError{"inspect takes one FILE"}
	}
	path := pos[0]
	if _, err := os.Stat(path); err != nil {
		return inlet.Errorf(inlet.EINVALID, "%s: cannot read the file (%v)", path, errorsUnwrapPath(err))
	}
	tmp, err := os.MkdirTemp("", "inlet-inspect-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	rules, err := tenantRules(ctx, &cfg)
	if err != nil {
		return err
	}
	insp := ingest.NewInspector(ingest.Config{MaxCellBytes: cfg.MaxCellBytes, MaxColumns: cfg.MaxColumns, PhoneRegion: cfg.PhoneRegion, TmpDir: tmp})
	opts, err := layout.options()
	if err != nil {
		return err
	}
	opts.PhoneRegion, opts.Rules = cfg.PhoneRegion, rules
	ins, err := insp.InspectFile(ctx, path, filepath.Base(path), opts)
	if err != nil {
		return err
	}
	if *asJSON {
		out := inspectJSON{Format: ins.Format, Dialect: ins.Dialect, Sheets: ins.Sheets, Columns: []inspectJSONColumn{}}
		if out.Sheets == nil {
			out.Sheets = []string{}
		}
		for _, c := range ins.Columns {
			out.Columns = append(out.Columns, inspectJSONColumn{Name: c.Name, SourceName: c.SourceName, Type: c.Type, PII: c.PII})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	printInspection(stdout, ins)
	return nil
}

func printInspection(w io.Writer, ins *inlet.Inspection) {
	d := ins.Dialect
	fmt.Fprintf(w, "%s: %s", ins.FileName, ins.Format)
	if ins.Format == inlet.FormatCSV {
		quote := d.Quote
		if quote == "" {
			quote = "none"
		}
		fmt.Fprintf(w, ", %s, delimiter %s, quote %s", d.Encoding, describeDelimiter(d.Delimiter), quote)
	} else {
		fmt.Fprintf(w, ", sheet %q of %s", ins.Sheet, strings.Join(quoteAll(ins.Sheets), ", "))
	}
	fmt.Fprintf(w, ", header %s, %d title rows skipped, %d rows sampled\n\n", yesNo(d.Header), d.SkipRows, ins.Rows)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COLUMN\tSOURCE\tTYPE\tPII\tCONFIDENCE\tWHY")
	var possible []string
	for _, c := range ins.Columns {
		typ := string(c.Type)
		if c.DateFormat != "" {
			typ += " (" + c.DateFormat + ")"
		}
		if c.PII == nil {
			fmt.Fprintf(tw, "%s\t%s\t%s\t-\t\t\n", c.Name, c.SourceName, typ)
			continue
		}
		if c.PII.Possible {
			possible = append(possible, c.SourceName)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.2f\t%s\n", c.Name, c.SourceName, typ, describeFinding(c.PII), c.PII.Confidence, c.PII.Reason)
	}
	tw.Flush()
	if len(possible) > 0 {
		fmt.Fprintf(w, "\n%d column(s) may hold personal data (\"possible\"): %s.\nThey are kept as they are unless you say otherwise: ingest with --pii COLUMN=hash (or mask, drop) to protect one, or --pii COLUMN=keep to confirm it is not personal data.\n",
			len(possible), strings.Join(possible, ", "))
	}
	for _, warn := range ins.Warnings {
		fmt.Fprintf(w, "\nnote: %s", warn)
	}
	if len(ins.Warnings) > 0 {
		fmt.Fprintln(w)
	}
	for i, s := range ins.Suggestions {
		if i == 0 {
			fmt.Fprintln(w, "\nother readings:")
		}
		fmt.Fprintf(w, "  %-28s %s (%s)\n", suggestionFlags(s), s.Label, s.Reason)
	}
}

// describeFinding names what a column holds: "possible phone", "phone
// (DE, AT)", "national_id (BR CPF)", "free_text (contains email, phone)".
func describeFinding(f *inlet.Finding) string {
	s := string(f.Entity)
	if f.Possible {
		s = "possible " + s
	}
	var detail []string
	if f.Kind != "" {
		detail = append(detail, f.Kind)
	}
	if len(f.Regions) > 0 {
		detail = append(detail, strings.Join(f.Regions, ", "))
	}
	if len(f.Contains) > 0 {
		kinds := make([]string, len(f.Contains))
		for i, e := range f.Contains {
			kinds[i] = string(e)
		}
		detail = append(detail, "contains "+strings.Join(kinds, ", "))
	}
	if len(detail) > 0 {
		s += " (" + strings.Join(detail, "; ") + ")"
	}
	return s
}

// tenantRules reads the tenant's PII rules from the data directory's
// metadata database; a data directory that has none means no rules.
func tenantRules(ctx context.Context, cfg *config) (*inlet.PIIRules, error) {
	dbURL, err := metadataURL(cfg.DB, filepath.Join(cfg.DataDir, "inlet.db"))
	if err != nil {
		return nil, err
	}
	if path, ok := strings.CutPrefix(dbURL, "sqlite://"); ok {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("open metadata database: %w", err)
	}
	defer db.Close()
	return db.PIIRules(ctx, cfg.Tenant)
}

func describeDelimiter(d string) string {
	switch d {
	case "\t":
		return "tab"
	case " ":
		return "space"
	}
	return d
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}

// errorsUnwrapPath drops the path an *os.PathError repeats.
func errorsUnwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
