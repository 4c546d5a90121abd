// Package mirror keeps a local, size-bounded copy of the lake objects a
// file-reading engine needs: the embedded DuckDB engine reads local files
// only (its bindings carry no S3 extension), so on an object-store lake
// the data files a statement reads are fetched to local disk first.
//
// Table data files never change once written (a commit adds new ones), so
// a copy is valid for as long as it is kept: there is nothing to
// invalidate. The copy of a location lives at the same path under Dir as
// under the lake's root, so a tenant's files stay under Dir/TENANT, the
// one directory that tenant's engine may read.
package mirror

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	inlet "github.com/inlet-data/inlet"
	"golang.org/x/sync/singleflight"
)

// Mirror is a local copy of part of a lake, at most Max bytes of objects
// not in use. It is safe for concurrent use; one process owns its
// directory.
type Mirror struct {
	lake inlet.Lake
	root string // the lake's root location, without a trailing slash
	dir  string
	max  int64
	// tenantMax bounds the copies one tenant's statements hold at once,
	// so that one tenant's long reads cannot take the whole cache from
	// the others.
	tenantMax int64

	lock    *os.File // holds the directory's lock while open
	fetches singleflight.Group

	mu      sync.Mutex
	files   map[string]*file // by path relative to dir
	lru     list.List        // of *file not in use, least recently used first
	total   int64            // bytes of every copy
	inUse   int64            // bytes of copies held by a caller
	pending int64            // bytes of fetches under way
	held    map[string]int64 // by tenant: bytes of the copies it holds and of its fetches under way
}

type file struct {
	rel  string
	size int64
	refs int
	elem *list.Element // in lru while refs == 0
}

// ErrBusy is New's error when another process has the directory open.
var ErrBusy = errors.New("lake mirror: the directory is in use by another process")

// New returns a mirror of the lake under root (its root location, e.g.
// s3://bucket/prefix) in dir, keeping at most max bytes, of which one
// tenant's statements hold at most tenantMax at once. Copies a previous
// process left in dir are kept and count against max; half-written ones
// are removed. Only one process at a time has a directory (ErrBusy): each
// process counts and evicts its own copies.
func New(lake inlet.Lake, root, dir string, max, tenantMax int64) (*Mirror, error) {
	if max <= 0 {
		return nil, fmt.Errorf("lake mirror: size %d: give a positive number of bytes", max)
	}
	if tenantMax <= 0 || tenantMax > max {
		return nil, fmt.Errorf("lake mirror: a tenant's share %d: give a positive number of bytes, at most the size %d", tenantMax, max)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("lake mirror: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	m := &Mirror{lake: lake, root: strings.TrimRight(root, "/"), dir: dir, max: max, tenantMax: tenantMax,
		files: map[string]*file{}, held: map[string]int64{}, lock: lock}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == lock.Name() {
			return err
		}
		if strings.HasSuffix(p, ".part") {
			return os.Remove(p)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		f := &file{rel: filepath.ToSlash(rel), size: info.Size()}
		f.elem = m.lru.PushBack(f)
		m.files[f.rel] = f
		m.total += f.size
		return nil
	})
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("lake mirror: read %s: %w", dir, err)
	}
	m.mu.Lock()
	m.evict()
	m.mu.Unlock()
	return m, nil
}

// lockName is the file in the directory a process holds a lock on.
const lockName = ".lock"

// lockDir takes the directory's lock, or returns ErrBusy when another
// process holds it; closing the file lets go of it.
func lockDir(dir string) (*os.File, error) {
	lock, err := os.OpenFile(filepath.Join(dir, lockName), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lake mirror: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrBusy
		}
		return nil, fmt.Errorf("lake mirror: lock %s: %w", dir, err)
	}
	return lock, nil
}

// RemoveUnused removes a mirror directory no process has open (ErrBusy if
// one has).
func RemoveUnused(dir string) error {
	lock, err := lockDir(dir)
	if err != nil {
		return err
	}
	defer lock.Close()
	return os.RemoveAll(dir)
}

// Close lets go of the directory; the copies stay for the next process.
func (m *Mirror) Close() error { return m.lock.Close() }

// Dir is the directory the copies are in.
func (m *Mirror) Dir() string { return m.dir }

// Acquire makes local copies of the objects at locations, all under the
// tenant's part of the lake, fetching those it does not hold, and returns
// their paths in the same order. The copies stay until release is called
// (once); after that they may be evicted. A location outside the tenant's
// part of the lake is refused before anything is fetched.
func (m *Mirror) Acquire(ctx context.Context, tenant string, locations []string) (paths []string, release func(), err error) {
	rels := make([]string, len(locations))
	for i, loc := range locations {
		if rels[i], err = m.rel(tenant, loc); err != nil {
			return nil, nil, err
		}
	}
	var held []*file
	free := func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		for _, f := range held {
			if f.refs--; f.refs == 0 {
				f.elem = m.lru.PushBack(f)
				m.inUse -= f.size
				m.addHeld(tenant, -f.size)
			}
		}
		held = nil
		m.evict()
	}
	for i, rel := range rels {
		f, err := m.hold(ctx, tenant, locations[i], rel)
		if err != nil {
			free()
			return nil, nil, err
		}
		held = append(held, f)
		paths = append(paths, filepath.Join(m.dir, filepath.FromSlash(rel)))
	}
	var once sync.Once
	return paths, func() { once.Do(free) }, nil
}

// rel is a location's path under the lake's root, refused unless it is a
// plain path (no empty, . or .. element, no leading slash) inside the
// tenant's directory.
func (m *Mirror) rel(tenant, location string) (string, error) {
	rest, ok := strings.CutPrefix(location, m.root+"/")
	if !ok || !fs.ValidPath(rest) || strings.ContainsAny(rest, "\\\x00") || tenant == "" || !strings.HasPrefix(rest, tenant+"/") {
		return "", fmt.Errorf("lake mirror: %q is not a file of tenant %s in the lake %s", location, tenant, m.root)
	}
	return rest, nil
}

// addHeld adds n bytes to what tenant holds. m.mu is held.
func (m *Mirror) addHeld(tenant string, n int64) {
	if m.held[tenant] += n; m.held[tenant] == 0 {
		delete(m.held, tenant)
	}
}

// tenantFull is the refusal of a statement that would take a tenant past
// its share of the cache.
func (m *Mirror) tenantFull() error {
	return inlet.Errorf(inlet.ETOOLARGE, "this tenant's statements running read more table files than its share of the local query cache holds (%d MB): read fewer or smaller tables, or raise --lake-cache-tenant-size", m.tenantMax>>20)
}

// hold returns the copy of rel (one of tenant's files) with one more
// reference, fetching it first if needed. Fetches of one location are
// shared by everyone who asks.
func (m *Mirror) hold(ctx context.Context, tenant, location, rel string) (*file, error) {
	for {
		m.mu.Lock()
		if f, ok := m.files[rel]; ok {
			if f.refs == 0 {
				if m.held[tenant]+f.size > m.tenantMax {
					m.mu.Unlock()
					return nil, m.tenantFull()
				}
				m.lru.Remove(f.elem)
				f.elem = nil
				m.inUse += f.size
				m.addHeld(tenant, f.size)
			}
			f.refs++
			m.mu.Unlock()
			return f, nil
		}
		m.mu.Unlock()
		// A fetch is shared by everyone asking for the location, so one
		// caller giving up does not stop it: it runs to its end, and the
		// copy serves the next statement.
		ch := m.fetches.DoChan(rel, func() (any, error) {
			return nil, m.fetch(context.WithoutCancel(ctx), tenant, location, rel)
		})
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case r := <-ch:
			if r.Err != nil {
				return nil, r.Err
			}
		}
		// Fetched: take it on the next turn (evicted in between, fetch again).
	}
}

// fetchTimeout bounds one object's copy: a stalled read must not hold
// the location from every later statement.
const fetchTimeout = time.Hour

// fetch copies one object to its place under dir, whole or not at all.
func (m *Mirror) fetch(ctx context.Context, tenant, location, rel string) error {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	m.mu.Lock()
	_, done := m.files[rel] // fetched by a call that left singleflight just before this one joined
	m.mu.Unlock()
	if done {
		return nil
	}
	obj, err := m.lake.Open(ctx, location)
	if err != nil {
		return err
	}
	defer obj.Close()
	size := obj.Size()
	m.mu.Lock()
	// The tenant's share first, when it is smaller than the cache: a
	// statement past it is refused however busy the cache is.
	if m.tenantMax < m.max && m.held[tenant]+size > m.tenantMax {
		m.mu.Unlock()
		return m.tenantFull()
	}
	if m.inUse+m.pending+size > m.max {
		m.mu.Unlock()
		return inlet.Errorf(inlet.ETOOLARGE, "the statements running read more table files than the local query cache holds (%d MB): read fewer or smaller tables, or raise --lake-cache-size", m.max>>20)
	}
	m.pending += size
	m.addHeld(tenant, size)
	m.evict()
	m.mu.Unlock()
	// The reservation ends in the same critical section that adds the
	// copy (or on a failure): between the two, the copy would count twice
	// for a statement taking it.
	reserved := true
	unreserve := func() { // m.mu is held
		if reserved {
			m.pending -= size
			m.addHeld(tenant, -size)
			reserved = false
		}
	}
	defer func() {
		m.mu.Lock()
		unreserve()
		m.mu.Unlock()
	}()
	dst := filepath.Join(m.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".*.part")
	if err != nil {
		return err
	}
	n, err := io.Copy(tmp, io.LimitReader(obj, size+1))
	if err == nil && n != size {
		err = fmt.Errorf("read %d bytes of an object of %d", n, size)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("copy %s from the lake: %w", location, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	unreserve()
	if _, ok := m.files[rel]; ok { // another fetch got there first: keep its copy
		os.Remove(tmp.Name())
		return nil
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("copy %s from the lake: %w", location, err)
	}
	f := &file{rel: rel, size: size}
	f.elem = m.lru.PushBack(f)
	m.files[rel] = f
	m.total += size
	return nil
}

// evict removes copies not in use, least recently used first, until the
// copies and the fetches under way fit within max (or nothing unused is
// left). m.mu is held.
func (m *Mirror) evict() {
	for m.total+m.pending > m.max {
		e := m.lru.Front()
		if e == nil {
			return
		}
		f := m.lru.Remove(e).(*file)
		if m.files[f.rel] != f {
			continue // not this entry's copy
		}
		delete(m.files, f.rel)
		m.total -= f.size
		// A copy that cannot be removed stays on disk, to be counted
		// again by the next New.
		os.Remove(filepath.Join(m.dir, filepath.FromSlash(f.rel)))
	}
}

// Size is the bytes of copies held, in use or not.
func (m *Mirror) Size() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.total
}
