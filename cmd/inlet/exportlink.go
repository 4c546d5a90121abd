package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/export"
)

// linkRequest is what inlet export --link was asked for.
type linkRequest struct {
	ref                   inlet.TableRef
	template, format      string
	columns, where, delim string
	params                multiFlag
	bom                   bool
	partRows              int64
	expires               time.Duration
	publicURL             string
}

// exportLink makes an export as the server does (the same checks, the
// same job, the same files in the export area, an audit record) and prints
// a signed link to each of its files, for a server on this data directory
// to serve: a pipeline shares a file with a customer without the web UI.
func exportLink(ctx context.Context, a *app, cfg *config, r linkRequest, stdout, stderr io.Writer) error {
	if r.format == "" {
		return &usageError{"--link needs --format csv, xlsx, parquet or jsonl"}
	}
	if r.expires <= 0 || r.expires > inlet.ExportMaxTTL || r.expires%time.Hour != 0 {
		return &usageError{fmt.Sprintf("--expires %s: an export lasts whole hours, from 1h to 168h (7 days)", r.expires)}
	}
	if a.links == nil {
		return inlet.Errorf(inlet.EINVALID, "--link signs with this data directory's link keys, which this lake does not use")
	}
	base := strings.TrimRight(cmp.Or(r.publicURL, "http://"+cfg.Addr), "/")
	if !strings.HasPrefix(base, "https://") && !strings.HasPrefix(base, "http://") {
		return &usageError{fmt.Sprintf("--public-url %q: give the server's address, e.g. https://data.example.com", r.publicURL)}
	}
	req := inlet.ExportRequest{Format: strings.ToLower(r.format), ExpiresInHours: int(r.expires / time.Hour),
		Options: inlet.ExportOptions{BOM: r.bom, PartRows: r.partRows, Delimiter: r.delim}}
	if r.delim == `\t` || r.delim == "tab" {
		req.Options.Delimiter = "\t"
	}
	if req.Options.Delimiter == "," {
		req.Options.Delimiter = ""
	}
	pairs, err := r.params.pairs("param")
	if err != nil {
		return err
	}
	values := map[string][]string{}
	for _, p := range pairs {
		values[p[0]] = append(values[p[0]], p[1])
	}
	req.Source.Values = values
	if r.template != "" {
		t, err := findTemplate(ctx, a, cfg.Tenant, r.template)
		if err != nil {
			return err
		}
		req.Source.TemplateID = t.ID
	} else {
		ref := r.ref
		req.Source.Table, req.Source.Where = &ref, r.where
		for _, c := range strings.Split(r.columns, ",") {
			if c = strings.TrimSpace(c); c != "" {
				req.Source.Columns = append(req.Source.Columns, c)
			}
		}
	}
	engine, err := a.queryEngine()
	if err != nil {
		return err
	}
	queue := &export.Queue{Exports: a.db, Jobs: a.db, Templates: a.db, Catalog: a.catalog, Engine: engine, Members: a.db}
	now := time.Now().UTC()
	e, err := queue.Build(ctx, cfg.Tenant, cliActor(), req, now)
	if err != nil {
		return err
	}
	// Created with its job running under this process's lease, as an
	// ingest from the CLI is: a server on the data directory leaves it
	// alone, and takes it over if this process dies.
	e.JobID = "job-" + uuid.Must(uuid.NewV7()).String()
	if err := a.db.CreateExport(ctx, e); err != nil {
		return err
	}
	spec, _ := json.Marshal(map[string]string{"export_id": e.ID})
	lease := now.Add(cfg.JobLease)
	j := &inlet.Job{ID: e.JobID, Tenant: e.Tenant, Kind: inlet.JobExport, State: inlet.JobRunning, Attempts: 1, Spec: spec,
		CreatedBy: e.CreatedBy, CreatedAt: now, StartedAt: &now, LeaseUntil: &lease}
	if err := a.db.CreateJob(ctx, j); err != nil {
		a.db.DeleteExport(context.WithoutCancel(ctx), e.Tenant, e.ID)
		return err
	}
	if err := audit(ctx, a, e, "export.create", map[string]any{"format": e.Format, "source": "cli"}); err != nil {
		return err
	}
	runner := &export.Runner{Exports: a.db, Jobs: a.db, Templates: a.db, Catalog: a.catalog, Engine: engine, Area: a.exports,
		Logger: a.logger, Lease: cfg.JobLease}
	runner.Run(ctx, j)
	done, err := a.db.Export(ctx, e.Tenant, e.ID)
	if err != nil {
		return err
	}
	if done.State != inlet.ExportSucceeded {
		if done.Error != nil {
			return done.Error
		}
		return inlet.Errorf(inlet.EINTERNAL, "export %s ended %s", done.ID, done.State)
	}
	for _, f := range done.Files {
		path, err := a.links.Link(done, f.Name, now, done.ExpiresAt)
		if err != nil {
			return err
		}
		if err := audit(ctx, a, done, "export.link", map[string]any{"file": f.Name, "expires_at": done.ExpiresAt, "source": "cli"}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s%s\t%d rows\t%d bytes\texpires %s\n", base, path, f.Rows, f.Bytes, done.ExpiresAt.Format(time.RFC3339))
	}
	fmt.Fprintf(stderr, "export %s: a server on this data directory serves the links until they expire\n", done.ID)
	return nil
}

// audit records what the CLI did to an export, as the server records it.
func audit(ctx context.Context, a *app, e *inlet.Export, action string, detail map[string]any) error {
	return a.db.RecordAudit(context.WithoutCancel(ctx), &inlet.AuditEvent{At: time.Now().UTC(), Tenant: e.Tenant, Actor: cliActor(),
		Action: action, Object: "export:" + e.ID, Outcome: "ok", Detail: detail})
}
