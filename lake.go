package inlet

import (
	"context"
	"io"
	"time"
)

// Lake stores the objects of tables and exports at locations: file:// URLs in
// the embedded default, s3:// in production. lake/laketest is the contract
// every implementation passes.
type Lake interface {
	// Create returns a writer for a new object (replacing one at the same
	// location); the object appears whole on a successful Close and not at
	// all otherwise: not if ctx is done before Close, not if a Write
	// failed, not if the writer is never closed.
	Create(ctx context.Context, location string) (io.WriteCloser, error)
	// Open opens an object for streaming and for ranged reads; a missing
	// object is ENOTFOUND.
	Open(ctx context.Context, location string) (LakeObject, error)
	// Stat describes one object; a missing object is ENOTFOUND.
	Stat(ctx context.Context, location string) (LakeObjectInfo, error)
	// List describes every object whose location starts with prefix, in
	// location order; objects being created are not listed.
	List(ctx context.Context, prefix string) ([]LakeObjectInfo, error)
	// Delete removes an object; a missing one is not an error.
	Delete(ctx context.Context, location string) error
	// DeletePrefix removes every object under a location prefix, and what
	// unfinished creates under it left behind.
	DeletePrefix(ctx context.Context, prefix string) error
}

// LakeObject is an opened object: Read streams from the current offset,
// Seek moves it, ReadAt reads any range (one ranged GET on S3) without
// moving it.
type LakeObject interface {
	io.ReadCloser
	io.ReaderAt
	io.Seeker
	Size() int64
}

// LakeObjectInfo describes one object.
type LakeObjectInfo struct {
	Location string
	Size     int64
	Modified time.Time
}

// LakeSigner is a lake that can hand out URLs a client without credentials
// can GET one object through, until they expire (S3's presigned URLs). The
// local lake has none: its files are served by Inlet's own signed links.
type LakeSigner interface {
	// SignGet returns a URL that downloads the object at location until
	// expires; filename, if set, is the download's suggested name.
	SignGet(ctx context.Context, location, filename string, expires time.Duration) (string, error)
}
