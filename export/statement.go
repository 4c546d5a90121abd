package export

import (
	"regexp"
	"slices"
	"strings"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query"
)

// refRE finds the parameters a filter names: {{name}} or {{name.start}}.
var refRE = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)`)

// Statement is the query an export runs: a table's columns with its bound
// filter, at its snapshot; or a template with its values. Values are
// always bound, never spliced, and the statement goes through the same
// engine and guard as any query. tmpl is the template of a template
// export (nil otherwise); columns are the table's, to check names against.
func Statement(e *inlet.Export, tmpl *inlet.Template, columns []inlet.Column, user string, now time.Time) (inlet.Query, error) {
	q := inlet.Query{Tenant: e.Tenant, User: user}
	src := e.Source
	if src.TimeZone != "" {
		// Relative dates count the days of the zone they were asked in.
		if loc, err := time.LoadLocation(src.TimeZone); err == nil {
			now = now.In(loc)
		}
	}
	switch {
	case src.TemplateID != "" && src.Table != nil:
		return q, fieldError("source", "export a table or a template, not both")
	case src.TemplateID != "":
		if tmpl == nil {
			return q, inlet.Errorf(inlet.ENOTFOUND, "template %s not found", src.TemplateID)
		}
		r, err := query.Render(tmpl.SQL, tmpl.Params, src.Values, now)
		if err != nil {
			return q, err
		}
		q.SQL, q.Args = r.SQL, r.Args
		return q, nil
	case src.Table == nil:
		return q, fieldError("source", "choose a table or a template to export")
	}
	ref := *src.Table
	have := map[string]bool{}
	for _, c := range columns {
		have[c.Name] = true
	}
	cols := src.Columns
	if len(cols) == 0 {
		for _, c := range columns {
			cols = append(cols, c.Name)
		}
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		if !have[c] {
			return q, fieldError("columns", "%s has no column %q", ref, c)
		}
		if slices.Contains(cols[:i], c) {
			return q, fieldError("columns", "column %s is chosen twice", c)
		}
		quoted[i] = `"` + c + `"` // Glue names: [a-z0-9_], nothing to escape
	}
	sql := "SELECT " + strings.Join(quoted, ", ") + "\nFROM " + ref.Database + "." + ref.Name
	if w := strings.TrimSpace(src.Where); w != "" {
		// The filter's parameters are text unless the export declares them.
		params := slices.Clone(src.Params)
		for _, m := range refRE.FindAllStringSubmatch(w, -1) {
			if !slices.ContainsFunc(params, func(p inlet.TemplateParam) bool { return p.Name == m[1] }) {
				params = append(params, inlet.TemplateParam{Name: m[1], Type: inlet.ParamText, Required: true})
			}
		}
		r, err := query.Render(sql+"\nWHERE ("+w+"\n)", params, src.Values, now)
		if err != nil {
			return q, err
		}
		q.SQL, q.Args = r.SQL, r.Args
	} else {
		q.SQL = sql
	}
	if src.SnapshotID != 0 {
		q.Snapshots = map[string]int64{ref.String(): src.SnapshotID}
	}
	return q, nil
}

func fieldError(field, format string, args ...any) error {
	err := inlet.Errorf(inlet.EINVALID, format, args...)
	err.Fields = map[string]string{field: err.Message}
	return err
}
