package inlet

import (
	"context"
	"io"
	"time"
)

// IngestJobSpec is what an ingest job carries: the uploader's choices and
// where the file is. It is the one payload of JobIngest jobs, whoever
// queues them (the server, the command line) and whoever runs them.
type IngestJobSpec struct {
	IngestSpec
	FileName string `json:"file_name"`
	SHA256   string `json:"sha256"`
	// SourcePath is set for files ingested from the command line: the
	// user's own file, read in place and never deleted. Uploads are read
	// from staging instead and deleted when the job ends.
	SourcePath string `json:"source_path,omitempty"`
}

// StagedUpload is an upload just staged, with its first inspection or,
// while that still runs, how far it has got.
type StagedUpload struct {
	Upload     *Upload          `json:"upload"`
	Inspection *Inspection      `json:"inspection"`
	Inspecting *InspectProgress `json:"inspecting,omitempty"`
}

// IngestService owns an upload's life: staged (Stage, Adopt), inspected
// and reviewed (Inspect, Check), ingested by a job (Submit, or IngestFile
// for a file ingested in place), or expired. The HTTP server, the command
// line and the janitor all go through it.
type IngestService interface {
	// Stage streams r into staging as upload u, records it and starts its
	// inspection, waiting up to wait for the result. The caller sets u's
	// ID, Tenant, FileName, UploadedBy and Owner; Stage sets the rest in
	// place (also when it fails, as far as it got). A file Inlet cannot
	// read is refused, and its raw bytes removed.
	Stage(ctx context.Context, u *Upload, r io.Reader, wait time.Duration) (*StagedUpload, error)
	// Adopt is Stage for a file that arrived elsewhere on this machine (a
	// resumable upload) at path: it is moved into staging.
	Adopt(ctx context.Context, u *Upload, path string, wait time.Duration) (*StagedUpload, error)
	// Inspect inspects a staged upload with options (the tenant's PII
	// rules added): the result if it is ready within wait, else how far it
	// has got. A file that cannot be read with the default options is
	// refused, as Stage refuses it.
	Inspect(ctx context.Context, u *Upload, opts InspectOptions, wait time.Duration) (*Inspection, *InspectProgress, error)
	// Check checks ingest settings for a staged upload against its
	// inspection and the target table, without ingesting: a fixable
	// choice fails on its field. An inspection still running is not
	// waited for (the job checks again before it writes).
	Check(ctx context.Context, u *Upload, spec IngestSpec) error
	// Submit checks the settings as Check does and queues the upload's
	// ingest job, created by createdBy; the upload is ingesting from then
	// on, and a second Submit of it fails with ECONFLICT.
	Submit(ctx context.Context, u *Upload, spec IngestSpec, createdBy string) (*Job, error)
	// IngestFile ingests a local file in place (read, never deleted) under
	// a job this process runs now: u is recorded as its upload (the caller
	// sets Tenant, UploadedBy and Owner). If the process dies, a server
	// sharing the metadata takes the job over.
	IngestFile(ctx context.Context, u *Upload, spec IngestSpec, path string) (*Job, *IngestResult, error)
	// Expire ends the staged uploads whose expiry is before now: each is
	// marked expired (only if it is still staged, so an ingest that began
	// meanwhile keeps it) and then its raw file is deleted.
	Expire(ctx context.Context, now time.Time) error
}
