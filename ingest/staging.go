package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	inlet "github.com/inlet-data/inlet"
)

// Staging keeps raw uploads in a local directory, one file per upload,
// readable by the owner only: they hold raw PII until ingest deletes them.
type Staging struct {
	Dir      string
	MaxBytes int64 // uploads larger than this are refused (0: no limit)
}

var _ inlet.Staging = (*Staging)(nil)

// NewStaging returns staging under dir (created 0700).
func NewStaging(dir string, maxBytes int64) (*Staging, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &Staging{Dir: dir, MaxBytes: maxBytes}, nil
}

// uploadID is what a staged file's name may be: the server's own ids.
var uploadID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// Path is where a tenant's upload is staged. Tenant and id are checked
// before they touch the file system: a name like ../../x is refused.
func (s *Staging) Path(tenant, id string) (string, error) {
	if err := inlet.ValidateTenant(tenant); err != nil {
		return "", err
	}
	if !uploadID.MatchString(id) {
		return "", inlet.Errorf(inlet.EINVALID, "invalid upload id %q", id)
	}
	return filepath.Join(s.Dir, tenant, id), nil
}

// Put streams r to the staging file, hashing as it goes. A failed or
// oversized upload leaves nothing behind.
func (s *Staging) Put(ctx context.Context, tenant, id string, r io.Reader) (int64, string, error) {
	target, err := s.Path(tenant, id)
	if err != nil {
		return 0, "", err
	}
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, "", err
	}
	f, err := os.CreateTemp(dir, ".part-"+id+"-*")
	if err != nil {
		return 0, "", err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	src := r
	if s.MaxBytes > 0 {
		src = io.LimitReader(r, s.MaxBytes+1)
	}
	n, err := io.Copy(io.MultiWriter(f, h), ctxReader{ctx, src})
	if err != nil {
		return 0, "", fmt.Errorf("receive upload: %w", err)
	}
	if s.MaxBytes > 0 && n > s.MaxBytes {
		return 0, "", inlet.Errorf(inlet.ETOOLARGE, "the file is larger than the %s upload limit", byteSize64(s.MaxBytes))
	}
	if err := f.Sync(); err != nil {
		return 0, "", err
	}
	if err := f.Close(); err != nil {
		return 0, "", err
	}
	if err := os.Rename(f.Name(), target); err != nil {
		return 0, "", err
	}
	ok = true
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

func (s *Staging) Adopt(ctx context.Context, tenant, id, path string) (int64, string, error) {
	target, err := s.Path(tenant, id)
	if err != nil {
		return 0, "", err
	}
	size, sum, err := HashFile(path)
	if err != nil {
		return 0, "", err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return 0, "", err
	}
	if err := os.Rename(path, target); err != nil {
		return 0, "", err
	}
	return size, sum, nil
}

// Open opens the staged file.
func (s *Staging) Open(ctx context.Context, tenant, id string) (inlet.LakeObject, error) {
	p, err := s.Path(tenant, id)
	if err != nil {
		return nil, err
	}
	return openLocal(p)
}

// openLocal opens a local file as a lake object.
func openLocal(p string) (inlet.LakeObject, error) {
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		return nil, inlet.Errorf(inlet.ENOTFOUND, "staged file not found")
	} else if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return localFile{File: f, size: st.Size()}, nil
}

type localFile struct {
	*os.File
	size int64
}

func (f localFile) Size() int64 { return f.size }

func (s *Staging) Delete(ctx context.Context, tenant, id string) error {
	target, err := s.Path(tenant, id)
	if err != nil {
		return err
	}
	err = os.Remove(target)
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

// Sweep removes partial uploads and workbook scratch files left by a process
// that died, older than the given age.
func (s *Staging) Sweep(olderThan func(os.FileInfo) bool) error {
	return filepath.Walk(s.Dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		name := info.Name()
		if (len(name) > 6 && name[:6] == ".part-" || len(name) > 9 && name[:9] == "excelize-") && olderThan(info) {
			os.Remove(path)
		}
		return nil
	})
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// HashFile returns the size and sha256 of a local file.
func HashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
