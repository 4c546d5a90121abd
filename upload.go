package inlet

import (
	"context"
	"io"
	"time"
)

// Upload states.
const (
	UploadStaged    = "staged"    // the raw file sits in staging, waiting for review
	UploadIngesting = "ingesting" // an ingest job owns it
	UploadIngested  = "ingested"  // landed in a table; the raw file is gone
	UploadFailed    = "failed"    // the ingest failed; the raw file is gone
	UploadExpired   = "expired"   // never ingested; the raw file was deleted on expiry
)

// Upload is a file a user sent. Its raw bytes live in staging only until
// ingest ends or the upload expires, because they hold raw PII.
type Upload struct {
	ID         string `json:"id"`
	Tenant     string `json:"tenant"`
	FileName   string `json:"file_name"`
	Size       int64  `json:"size"`
	SHA256     string `json:"sha256"`
	Format     Format `json:"format"`
	State      string `json:"state"`
	UploadedBy string `json:"uploaded_by"` // for people: an email
	// Owner is the uploader: a user id, or cli:NAME for a file ingested from
	// the command line. Until the upload is ingested, it and
	// its raw sample are the owner's alone (and admins', audited).
	Owner     string    `json:"owner,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// UploadStore keeps upload records (not their bytes).
type UploadStore interface {
	CreateUpload(ctx context.Context, u *Upload) error
	Upload(ctx context.Context, tenant, id string) (*Upload, error)
	SetUploadState(ctx context.Context, tenant, id, state string) error
	// TransitionUpload moves an upload from one state to another, or fails
	// with ECONFLICT if it is not in the from state: two ingests of one
	// upload cannot both start.
	TransitionUpload(ctx context.Context, tenant, id, from, to string) error
	// ExpiredUploads lists staged uploads whose expiry is before t.
	ExpiredUploads(ctx context.Context, t time.Time) ([]*Upload, error)
}

// Staging holds raw uploaded files until they are ingested or expire.
type Staging interface {
	// Put streams r into the staging file for id and returns its size and sha256.
	Put(ctx context.Context, tenant, id string, r io.Reader) (size int64, sha256hex string, err error)
	// Adopt moves a file that arrived elsewhere on this machine (a resumable
	// upload) into staging, and returns its size and sha256.
	Adopt(ctx context.Context, tenant, id, path string) (size int64, sha256hex string, err error)
	// Path returns the local path of a staged file, for readers that need
	// random access (XLSX is a zip); tenant and id are checked first. A
	// staging that keeps files elsewhere (the lake) spools a local copy.
	Path(tenant, id string) (string, error)
	// Open opens a staged file for streaming and ranged reads; a missing
	// one is ENOTFOUND.
	Open(ctx context.Context, tenant, id string) (LakeObject, error)
	Delete(ctx context.Context, tenant, id string) error
}
