package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// LakeStaging keeps raw uploads in the lake (S3 in production), under
// ROOT/_staging/TENANT/ID, outside every tenant's table prefix, so any
// replica can inspect and ingest an upload another one received. The
// file readers (CSV sniffing, XLSX, which is a zip) still read a local
// file: Path spools a copy into Spool, a 0700 directory on this machine,
// which Delete removes with the object and Sweep clears at start.
type LakeStaging struct {
	Lake     inlet.Lake
	Root     string // the lake's root location
	Spool    string // local directory for spooled copies
	MaxBytes int64  // uploads larger than this are refused (0: no limit)
	// Timeout bounds the download of one spooled copy (default 1h).
	Timeout time.Duration
}

var _ inlet.Staging = (*LakeStaging)(nil)

// NewLakeStaging returns staging in lake under root, spooling into spool.
func NewLakeStaging(lake inlet.Lake, root, spool string, maxBytes int64) (*LakeStaging, error) {
	if err := os.MkdirAll(spool, 0o700); err != nil {
		return nil, err
	}
	return &LakeStaging{Lake: lake, Root: strings.TrimRight(root, "/"), Spool: spool, MaxBytes: maxBytes}, nil
}

// local is the spool path; tenant and id are checked first.
func (s *LakeStaging) local(tenant, id string) (string, error) {
	return (&Staging{Dir: s.Spool}).Path(tenant, id)
}

func (s *LakeStaging) location(tenant, id string) (string, error) {
	if _, err := s.local(tenant, id); err != nil {
		return "", err
	}
	return s.Root + "/_staging/" + tenant + "/" + id, nil
}

// Put streams r into the lake, hashing as it goes, and keeps a spooled
// copy for this replica's inspection. A failed or oversized upload leaves
// nothing behind.
func (s *LakeStaging) Put(ctx context.Context, tenant, id string, r io.Reader) (int64, string, error) {
	loc, err := s.location(tenant, id)
	if err != nil {
		return 0, "", err
	}
	target, _ := s.local(tenant, id)
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return 0, "", err
	}
	spool, err := os.CreateTemp(filepath.Dir(target), ".part-"+id+"-*")
	if err != nil {
		return 0, "", err
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.Lake.Create(wctx, loc)
	if err != nil {
		spool.Close()
		os.Remove(spool.Name())
		return 0, "", err
	}
	ok := false
	defer func() {
		if !ok {
			cancel() // the lake object is not created
			w.Close()
			spool.Close()
			os.Remove(spool.Name())
		}
	}()
	h := sha256.New()
	src := r
	if s.MaxBytes > 0 {
		src = io.LimitReader(r, s.MaxBytes+1)
	}
	n, err := io.Copy(io.MultiWriter(w, spool, h), ctxReader{ctx, src})
	if err != nil {
		return 0, "", fmt.Errorf("receive upload: %w", err)
	}
	if s.MaxBytes > 0 && n > s.MaxBytes {
		return 0, "", inlet.Errorf(inlet.ETOOLARGE, "the file is larger than the %s upload limit", byteSize64(s.MaxBytes))
	}
	if err := spool.Close(); err != nil {
		return 0, "", err
	}
	if err := w.Close(); err != nil {
		ok = true // the writer is closed; only the spool is left to remove
		os.Remove(spool.Name())
		return 0, "", fmt.Errorf("stage upload: %w", err)
	}
	ok = true
	if err := os.Rename(spool.Name(), target); err != nil {
		os.Remove(spool.Name()) // Path downloads it again
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// Adopt uploads a file that arrived on this machine (a resumable upload)
// to the lake and keeps it as the spooled copy.
func (s *LakeStaging) Adopt(ctx context.Context, tenant, id, path string) (int64, string, error) {
	loc, err := s.location(tenant, id)
	if err != nil {
		return 0, "", err
	}
	target, _ := s.local(tenant, id)
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.Lake.Create(wctx, loc)
	if err != nil {
		return 0, "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), ctxReader{ctx, f})
	if err != nil {
		cancel()
		w.Close()
		return 0, "", fmt.Errorf("stage upload: %w", err)
	}
	if err := w.Close(); err != nil {
		return 0, "", fmt.Errorf("stage upload: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err == nil {
		if os.Rename(path, target) == nil {
			return n, hex.EncodeToString(h.Sum(nil)), nil
		}
	}
	os.Remove(path) // not spooled: Path downloads it
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// Path returns the spooled copy, downloading it first when this replica
// has none (upload ids are never reused: a copy of the same size is the
// file). A file no longer staged has no copy: the
// path returned does not exist, as with local staging.
func (s *LakeStaging) Path(tenant, id string) (string, error) {
	target, err := s.local(tenant, id)
	if err != nil {
		return "", err
	}
	loc, _ := s.location(tenant, id)
	timeout := s.Timeout
	if timeout == 0 {
		timeout = time.Hour
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	st, err := s.Lake.Stat(ctx, loc)
	if inlet.ErrorCode(err) == inlet.ENOTFOUND {
		os.Remove(target)
		return target, nil
	} else if err != nil {
		return "", fmt.Errorf("staged upload: %w", err)
	}
	if fi, err := os.Stat(target); err == nil && fi.Size() == st.Size {
		return target, nil
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return "", err
	}
	r, err := s.Lake.Open(ctx, loc)
	if inlet.ErrorCode(err) == inlet.ENOTFOUND {
		return target, nil
	} else if err != nil {
		return "", fmt.Errorf("staged upload: %w", err)
	}
	defer r.Close()
	tmp, err := os.CreateTemp(filepath.Dir(target), ".part-"+id+"-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(tmp, r)
	if err == nil {
		err = tmp.Close()
	} else {
		tmp.Close()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), target)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("spool staged upload: %w", err)
	}
	return target, nil
}

// Open opens the staged object in the lake.
func (s *LakeStaging) Open(ctx context.Context, tenant, id string) (inlet.LakeObject, error) {
	loc, err := s.location(tenant, id)
	if err != nil {
		return nil, err
	}
	return s.Lake.Open(ctx, loc)
}

// Delete removes the staged object and this replica's spooled copy.
// (Another replica's copy goes at its next Path, which finds the object
// gone, or its next start.)
func (s *LakeStaging) Delete(ctx context.Context, tenant, id string) error {
	loc, err := s.location(tenant, id)
	if err != nil {
		return err
	}
	target, _ := s.local(tenant, id)
	if err := os.Remove(target); err != nil && !os.IsNotExist(err) {
		return err
	}
	return s.Lake.Delete(ctx, loc)
}

// Sweep removes spooled copies and partial files older than the given age:
// at start no reader of this process holds them, and the lake keeps the
// staged files themselves.
func (s *LakeStaging) Sweep(olderThan func(os.FileInfo) bool) error {
	return filepath.Walk(s.Spool, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		if olderThan(info) {
			os.Remove(path)
		}
		return nil
	})
}
