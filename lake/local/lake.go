// Package local is the lake on a local directory: locations are file://
// URLs, and objects appear atomically (temp file, fsync, rename).
package local

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	inlet "github.com/inlet-data/inlet"
)

// Lake stores objects as files under Root.
type Lake struct {
	Root string // absolute directory
}

var _ inlet.Lake = (*Lake)(nil)

// New returns a lake rooted at dir (created if needed).
func New(dir string) (*Lake, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, err
	}
	return &Lake{Root: abs}, nil
}

// URL is the file:// location of the lake's root.
func (l *Lake) URL() string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(l.Root)}).String()
}

// path turns a file:// location into a path, refusing anything outside Root.
func (l *Lake) path(location string) (string, error) {
	p := location
	if strings.HasPrefix(location, "file://") {
		u, err := url.Parse(location)
		if err != nil {
			return "", fmt.Errorf("bad location %q: %w", location, err)
		}
		p = u.Path
	}
	p = filepath.Clean(filepath.FromSlash(p))
	if p != l.Root && !strings.HasPrefix(p, l.Root+string(filepath.Separator)) {
		return "", fmt.Errorf("location %q is outside the lake", location)
	}
	return p, nil
}

// Create writes to a temp file beside the target; Close fsyncs and renames it
// into place, so readers never see a partial object.
func (l *Lake) Create(ctx context.Context, location string) (io.WriteCloser, error) {
	p, err := l.path(location)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-"+filepath.Base(p)+"-*")
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, ctx: ctx, target: p}, nil
}

type atomicFile struct {
	*os.File
	ctx    context.Context
	target string
	err    error // the first failed Write: Close then discards
}

func (a *atomicFile) Write(p []byte) (int, error) {
	if a.err != nil {
		return 0, a.err
	}
	n, err := a.File.Write(p)
	if err != nil {
		a.err = err
	}
	return n, err
}

func (a *atomicFile) Close() error {
	err := a.err
	if err == nil {
		err = a.ctx.Err()
	}
	// Temp files are created 0600; lake objects are for every local reader.
	if err == nil {
		err = a.File.Chmod(0o644)
	}
	if err == nil {
		err = a.File.Sync()
	}
	if cerr := a.File.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.File.Name(), a.target)
	}
	if err != nil {
		os.Remove(a.File.Name())
	}
	return err
}

// Open opens the file; it is read, sought and read at like any file.
func (l *Lake) Open(ctx context.Context, location string) (inlet.LakeObject, error) {
	p, err := l.path(location)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		return nil, inlet.Errorf(inlet.ENOTFOUND, "object not found")
	} else if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		err = inlet.Errorf(inlet.ENOTFOUND, "object not found")
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &object{File: f, size: st.Size()}, nil
}

type object struct {
	*os.File
	size int64
}

func (o *object) Size() int64 { return o.size }

func (l *Lake) Stat(ctx context.Context, location string) (inlet.LakeObjectInfo, error) {
	p, err := l.path(location)
	if err != nil {
		return inlet.LakeObjectInfo{}, err
	}
	st, err := os.Stat(p)
	if os.IsNotExist(err) || err == nil && st.IsDir() {
		return inlet.LakeObjectInfo{}, inlet.Errorf(inlet.ENOTFOUND, "object not found")
	} else if err != nil {
		return inlet.LakeObjectInfo{}, err
	}
	return inlet.LakeObjectInfo{Location: l.location(p), Size: st.Size(), Modified: st.ModTime().UTC()}, nil
}

// location is the file:// URL of a path under Root.
func (l *Lake) location(p string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
}

// List walks the directory the prefix names or is in; temp files of
// unfinished creates are left out.
func (l *Lake) List(ctx context.Context, prefix string) ([]inlet.LakeObjectInfo, error) {
	p, err := l.path(strings.TrimSuffix(prefix, "/"))
	if err != nil {
		return nil, err
	}
	want := filepath.ToSlash(p)
	if strings.HasSuffix(prefix, "/") {
		want += "/"
	}
	dir := p
	if !strings.HasSuffix(prefix, "/") {
		dir = filepath.Dir(p)
	}
	var out []inlet.LakeObjectInfo
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		slash := filepath.ToSlash(path)
		if d.IsDir() {
			// Skip directories that cannot hold a match.
			if path != dir && !strings.HasPrefix(slash+"/", want) && !strings.HasPrefix(want, slash+"/") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasPrefix(slash, want) || strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, inlet.LakeObjectInfo{Location: l.location(path), Size: info.Size(), Modified: info.ModTime().UTC()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Location < out[j].Location })
	return out, nil
}

func (l *Lake) Delete(ctx context.Context, location string) error {
	p, err := l.path(location)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

// DeletePrefix removes every file whose path starts with the prefix: a
// prefix ending in / removes a directory tree.
func (l *Lake) DeletePrefix(ctx context.Context, prefix string) error {
	p, err := l.path(strings.TrimSuffix(prefix, "/"))
	if err != nil {
		return err
	}
	if strings.HasSuffix(prefix, "/") {
		if p == l.Root {
			return fmt.Errorf("refusing to delete the whole lake")
		}
		return os.RemoveAll(p)
	}
	dir, base := filepath.Split(p)
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		return err
	}
	for _, e := range entries {
		// Temp files of an interrupted Create carry the target's name too.
		name := strings.TrimPrefix(e.Name(), ".tmp-")
		if strings.HasPrefix(name, base) {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
