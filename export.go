package inlet

import (
	"context"
	"time"
)

// JobExport is the kind of job that writes a data export.
const JobExport = "export"

// Export states. An export is written by a job (JobExport) from the same
// durable queue as ingests; its files live in the lake's export area until
// it expires.
const (
	ExportQueued    = "queued"
	ExportRunning   = "running"
	ExportSucceeded = "succeeded"
	ExportFailed    = "failed"
	ExportCancelled = "cancelled"
)

// Limits of an export's lifetime: links and files go at expiry.
const (
	ExportDefaultTTL = 24 * time.Hour
	ExportMaxTTL     = 7 * 24 * time.Hour
)

// ExportSource is what an export reads: a table (at a snapshot, some
// columns, an optional bound filter), or a saved template with values.
type ExportSource struct {
	Table *TableRef `json:"table,omitempty"`
	// SnapshotID pins the table's snapshot; 0 reads the current one, and
	// the export records which one it read.
	SnapshotID int64    `json:"snapshot_id,omitempty,string"`
	Columns    []string `json:"columns,omitempty"` // all when empty
	// Where is a predicate written as a template: {{name}} is a bound
	// parameter (never spliced into SQL), its values in Values.
	Where  string          `json:"where,omitempty"`
	Params []TemplateParam `json:"params,omitempty"` // the types of Where's parameters (text unless declared)
	// TemplateID exports a saved template's result with Values.
	TemplateID string              `json:"template_id,omitempty"`
	Values     map[string][]string `json:"values,omitempty"`
	// TimeZone is where relative dates (today, last_7_days) are counted:
	// a schedule's zone; UTC when empty.
	TimeZone string `json:"time_zone,omitempty"`
}

// ExportOptions shape the files.
type ExportOptions struct {
	Delimiter string `json:"delimiter,omitempty"` // CSV: , ; tab or |
	BOM       bool   `json:"bom,omitempty"`       // CSV: a byte order mark for Excel
	PartRows  int64  `json:"part_rows,omitempty"` // split into files of this many rows
	Zip       bool   `json:"zip,omitempty"`       // one zip of every part
}

// ExportFile is one file of a finished export.
type ExportFile struct {
	Name  string `json:"name"`
	Rows  int64  `json:"rows"`
	Bytes int64  `json:"bytes"`
}

// ExportProgress is how far an export's job has got.
type ExportProgress struct {
	Rows  int64 `json:"rows"`
	Bytes int64 `json:"bytes"`
	Parts int   `json:"parts"`
}

// Export is a data export: what it reads, the files it wrote, and who may
// download them until when.
type Export struct {
	ID       string         `json:"id"`
	Tenant   string         `json:"tenant"`
	Name     string         `json:"name"` // the files' stem
	Source   ExportSource   `json:"source"`
	Format   string         `json:"format"` // csv, xlsx, parquet or jsonl
	Options  ExportOptions  `json:"options"`
	State    string         `json:"state"`
	Progress ExportProgress `json:"progress"`
	Files    []ExportFile   `json:"files"`
	Error    *Error         `json:"error,omitempty"`
	JobID    string         `json:"job_id"`
	// SharedWith are the customers (user ids) who see it on their page.
	SharedWith []string  `json:"shared_with"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	// LinksNotBefore revokes links: one signed before it is refused.
	LinksNotBefore *time.Time `json:"links_revoked_at,omitempty"`
	FinishedAt     *time.Time `json:"finished_at,omitempty"`
	// Schedule names the schedule that made it, if any.
	Schedule string `json:"schedule,omitempty"`
}

// Rows is the export's total row count.
func (e *Export) Rows() int64 {
	var n int64
	for _, f := range e.Files {
		n += f.Rows
	}
	return n
}

// ExportFilter selects a tenant's exports; zero fields match all.
type ExportFilter struct {
	SharedWith string // a customer's user id
	Schedule   string // the schedule that made them
	Limit      int
}

// ExportStore keeps exports in the metadata store.
type ExportStore interface {
	CreateExport(ctx context.Context, e *Export) error
	Export(ctx context.Context, tenant, id string) (*Export, error)
	Exports(ctx context.Context, tenant string, f ExportFilter) ([]*Export, error)
	// TransitionExport saves an export's state, progress, files, error and
	// source if its state is still one of from, else ECONFLICT: the job
	// finishing and a user cancelling never overwrite each other.
	TransitionExport(ctx context.Context, e *Export, from ...string) error
	// SetExportProgress records progress and returns the export's state (a
	// running job learns it was cancelled).
	SetExportProgress(ctx context.Context, tenant, id string, p ExportProgress) (string, error)
	// SetExportAccess saves who an export is shared with and when its links
	// were last revoked.
	SetExportAccess(ctx context.Context, e *Export) error
	// ExpiredExports lists exports of every tenant past their expiry.
	ExpiredExports(ctx context.Context, now time.Time) ([]*Export, error)
	DeleteExport(ctx context.Context, tenant, id string) error
}

// ParseExportFormat parses csv, xlsx, parquet or jsonl.
func ParseExportFormat(s string) (string, error) {
	switch s {
	case "csv", "xlsx", "parquet", "jsonl":
		return s, nil
	}
	return "", Errorf(EINVALID, "unknown export format %q: use csv, xlsx, parquet or jsonl", s)
}
