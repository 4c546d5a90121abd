package export

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query"
)

// Queue builds an export from a request, checks it as its job will run it
// (statement, guard, values, sharing) and queues the job: a mistake is
// refused on its field now, not reported by a failed job later. POST
// /exports and every run of a schedule go through it.
type Queue struct {
	Exports   inlet.ExportStore
	Jobs      inlet.JobStore
	Templates inlet.TemplateStore
	Catalog   inlet.Catalog
	Engine    inlet.Engine // checks statements; runs choices queries
	Members   interface {
		Members(ctx context.Context, tenant string) ([]inlet.Membership, error)
	}
}

// Build makes the export a request asks for, as user at now, and checks
// it without storing anything.
func (q *Queue) Build(ctx context.Context, tenant, user string, req inlet.ExportRequest, now time.Time) (*inlet.Export, error) {
	format, err := inlet.ParseExportFormat(req.Format)
	if err != nil {
		return nil, onField(err, "format")
	}
	switch req.Options.Delimiter {
	case "", ",", ";", "\t", "|":
	default:
		return nil, fieldError("options.delimiter", "delimiter %q: use a comma, semicolon, tab or |", req.Options.Delimiter)
	}
	if req.Options.PartRows < 0 {
		return nil, fieldError("options.part_rows", "part_rows must be 0 (one file) or more")
	}
	ttl := inlet.ExportDefaultTTL
	if req.ExpiresInHours != 0 {
		ttl = time.Duration(req.ExpiresInHours) * time.Hour
	}
	if ttl <= 0 || ttl > inlet.ExportMaxTTL {
		return nil, fieldError("expires_in_hours", "an export lasts from 1 hour to 7 days (168 hours), not %d hours", req.ExpiresInHours)
	}
	e := &inlet.Export{ID: "exp-" + uuid.Must(uuid.NewV7()).String(), Tenant: tenant, Source: req.Source, Format: format, Options: req.Options,
		State: inlet.ExportQueued, CreatedBy: user, CreatedAt: now, ExpiresAt: now.Add(ttl), Files: []inlet.ExportFile{}}
	if e.SharedWith, err = q.Customers(ctx, tenant, req.ShareWith); err != nil {
		return nil, err
	}
	name, err := q.check(ctx, e, user, now)
	if err != nil {
		return nil, err
	}
	e.Name = cleanName(cmp.Or(strings.TrimSpace(req.Name), name))
	return e, nil
}

// Create builds, checks and stores an export and queues its job.
func (q *Queue) Create(ctx context.Context, tenant, user string, req inlet.ExportRequest, now time.Time) (*inlet.Export, error) {
	e, err := q.Build(ctx, tenant, user, req, now)
	if err != nil {
		return nil, err
	}
	return e, q.Enqueue(ctx, e)
}

// Enqueue stores a built export and queues its job.
func (q *Queue) Enqueue(ctx context.Context, e *inlet.Export) error {
	e.JobID = "job-" + uuid.Must(uuid.NewV7()).String()
	spec, _ := json.Marshal(map[string]string{"export_id": e.ID})
	if err := q.Exports.CreateExport(ctx, e); err != nil {
		return err
	}
	j := &inlet.Job{ID: e.JobID, Tenant: e.Tenant, Kind: inlet.JobExport, State: inlet.JobQueued, Spec: spec, CreatedBy: e.CreatedBy, CreatedAt: e.CreatedAt}
	if err := q.Jobs.CreateJob(ctx, j); err != nil {
		// No job would ever run it: the export goes too.
		_ = q.Exports.DeleteExport(context.WithoutCancel(ctx), e.Tenant, e.ID)
		return err
	}
	return nil
}

// check resolves what an export reads and has the engine check its
// statement; it returns a file name for it and pins a table export to the
// snapshot current now, so the file is what the analyst saw.
func (q *Queue) check(ctx context.Context, e *inlet.Export, user string, now time.Time) (string, error) {
	var tmpl *inlet.Template
	var cols []inlet.Column
	name := "export"
	switch {
	case e.Source.TemplateID != "":
		t, err := q.Templates.Template(ctx, e.Tenant, e.Source.TemplateID)
		if err != nil {
			return "", onField(err, "source.template_id")
		}
		// A parameter whose choices come from a query takes only those,
		// as the form offers them.
		params, err := query.ResolveChoices(ctx, q.Engine, e.Tenant, user, t.Params, e.Source.Values)
		if err != nil {
			return "", err
		}
		resolved := *t
		resolved.Params = params
		tmpl, name = &resolved, t.Name
		e.Source.Table = nil
	case e.Source.Table != nil:
		t, err := q.Catalog.TableAt(ctx, e.Tenant, *e.Source.Table, inlet.SnapshotSelector{ID: e.Source.SnapshotID})
		if err != nil {
			return "", onField(err, "source.table")
		}
		if t.CurrentSnapshot == nil {
			return "", fieldError("source.table", "table %s has no rows yet", t.Ref)
		}
		if e.Source.SnapshotID == 0 {
			e.Source.SnapshotID = *t.CurrentSnapshot
		}
		cols, name = t.Columns, t.Ref.Database+"_"+t.Ref.Name
	}
	st, err := Statement(e, tmpl, cols, user, now)
	if err != nil {
		return "", err
	}
	if err := q.Engine.Check(ctx, st); err != nil {
		return "", onField(err, "source")
	}
	return name, nil
}

// Customers checks that every user an export is shared with is a customer
// of the tenant: staff see every export anyway, and a share must not reach
// outside the tenant.
func (q *Queue) Customers(ctx context.Context, tenant string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return []string{}, nil
	}
	members, err := q.Members.Members(ctx, tenant)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, u := range ids {
		i := slices.IndexFunc(members, func(m inlet.Membership) bool { return m.UserID == u })
		if i < 0 || members[i].Role != inlet.RoleCustomer {
			return nil, fieldError("share_with", "user %s is not a customer of tenant %s: invite them with the customer role first", u, tenant)
		}
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out, nil
}

// onField puts an error on a request field, keeping its message.
func onField(err error, field string) error {
	var e *inlet.Error
	if !errors.As(err, &e) {
		return err
	}
	if len(e.Fields) > 0 {
		return e
	}
	return &inlet.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{field: e.Message}}
}

// cleanName makes a name safe as a file stem in any script: letters,
// digits, - and _ (spaces and dots become _), at most 80 characters.
func cleanName(s string) string {
	var b []rune
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '-', r == '_':
			b = append(b, r)
		case r == ' ' || r == '.':
			b = append(b, '_')
		}
	}
	if len(b) == 0 {
		return "export"
	}
	return string(b[:min(len(b), 80)])
}
