package export

import (
	"context"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	inlet "github.com/inlet-data/inlet"
)

// DirSink writes into a local directory (for the CLI and tests). A file
// appears under its name only when it is complete: it is written as a
// temporary file, synced and renamed on Close.
type DirSink string

var _ Sink = DirSink("")

func (d DirSink) path(name string) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\`+"\x00") || strings.HasPrefix(name, ".") {
		return "", inlet.Errorf(inlet.EINVALID, "file name %q: use a plain name without slashes or a leading dot", name)
	}
	return filepath.Join(string(d), name), nil
}

// Create starts the file name in the directory.
func (d DirSink) Create(ctx context.Context, name string) (io.WriteCloser, error) {
	path, err := d.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(string(d), "."+name+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &dirFile{f: f, path: path}, nil
}

// Adopter is a sink that can take a finished local file as one of its
// files by moving it.
type Adopter interface {
	// Adopt moves the file at path to be the sink's file name, and says
	// false (moving nothing) when it cannot, e.g. across file systems.
	Adopt(name, path string) (bool, error)
}

var _ Adopter = DirSink("")

// Adopt renames path into the directory as name.
func (d DirSink) Adopt(name, path string) (bool, error) {
	target, err := d.path(name)
	if err != nil {
		return false, err
	}
	if err := os.Rename(path, target); errors.Is(err, syscall.EXDEV) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, nil
}

// localFile is the path of a file:// location.
func localFile(location string) (string, bool) {
	u, err := url.Parse(location)
	if err != nil || u.Scheme != "file" {
		return "", false
	}
	return filepath.FromSlash(u.Path), true
}

// Open reads a file of the directory: the open function Zip takes.
func (d DirSink) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	path, err := d.path(name)
	if err != nil {
		return nil, err
	}
	return os.Open(path)
}

// Remove deletes a file of the directory; one that is not there is fine.
func (d DirSink) Remove(ctx context.Context, name string) error {
	path, err := d.path(name)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

type dirFile struct {
	f    *os.File
	path string
	done bool
}

func (f *dirFile) Write(p []byte) (int, error) { return f.f.Write(p) }

func (f *dirFile) Close() error {
	if f.done {
		return nil
	}
	f.done = true
	err := f.f.Sync()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.f.Name())
	}
	return err
}
