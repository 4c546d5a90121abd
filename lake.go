package inlet

import (
	"context"
	"io"
)

// Lake stores the objects of tables and exports at locations: file:// URLs in
// the embedded default, s3:// in production.
type Lake interface {
	// Create returns a writer for a new object; the object appears whole on a
	// successful Close and not at all otherwise.
	Create(ctx context.Context, location string) (io.WriteCloser, error)
	Open(ctx context.Context, location string) (io.ReadCloser, error)
	Delete(ctx context.Context, location string) error
	// DeletePrefix removes every object under a location prefix.
	DeletePrefix(ctx context.Context, prefix string) error
}
