package mirror_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/lake/local"
	"github.com/inlet-data/inlet/lake/mirror"
)

// countingLake counts the objects opened, and can fail or block opens.
type countingLake struct {
	inlet.Lake
	opens atomic.Int64
	fail  atomic.Bool
	gate  chan struct{} // when set, reads wait for it to close
}

func (c *countingLake) Open(ctx context.Context, location string) (inlet.LakeObject, error) {
	c.opens.Add(1)
	if c.fail.Load() {
		return nil, errors.New("the lake is down")
	}
	obj, err := c.Lake.Open(ctx, location)
	if err != nil || c.gate == nil {
		return obj, err
	}
	return gatedObject{obj, c.gate}, nil
}

type gatedObject struct {
	inlet.LakeObject
	gate chan struct{}
}

func (g gatedObject) Read(p []byte) (int, error) {
	<-g.gate
	return g.LakeObject.Read(p)
}

type fixture struct {
	lake *countingLake
	root string
	dir  string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	l, err := local.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{lake: &countingLake{Lake: l}, root: l.URL(), dir: filepath.Join(t.TempDir(), "mirror")}
}

// put writes an object of size bytes under the lake's root and returns its
// location.
func (f *fixture) put(t *testing.T, rel string, size int) string {
	t.Helper()
	loc := f.root + "/" + rel
	w, err := f.lake.Create(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(bytes.Repeat([]byte{byte(len(rel))}, size)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return loc
}

func (f *fixture) open(t *testing.T, max int64) *mirror.Mirror {
	return f.openShared(t, max, max)
}

// openShared opens the mirror with a tenant's share of tenantMax bytes.
func (f *fixture) openShared(t *testing.T, max, tenantMax int64) *mirror.Mirror {
	t.Helper()
	m, err := mirror.New(f.lake, f.root, f.dir, max, tenantMax)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func TestCopiesAreLocalAndWhole(t *testing.T) {
	f := newFixture(t)
	a := f.put(t, "acme/sales.db/orders/data/a.parquet", 1000)
	b := f.put(t, "acme/sales.db/orders/data/b.parquet", 2000)
	m := f.open(t, 1<<20)
	paths, release, err := m.Acquire(context.Background(), "acme", []string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	// Under Dir at the same path as under the lake's root: a tenant's
	// files stay in Dir/TENANT, the directory its engine may read.
	if want := filepath.Join(m.Dir(), "acme", "sales.db", "orders", "data", "a.parquet"); paths[0] != want {
		t.Errorf("copy of a at %s, want %s", paths[0], want)
	}
	for i, want := range []int{1000, 2000} {
		fi, err := os.Stat(paths[i])
		if err != nil || fi.Size() != int64(want) {
			t.Errorf("copy %d: %v, size %v, want %d bytes", i, err, fi, want)
		}
	}
	if m.Size() != 3000 {
		t.Errorf("size %d, want 3000", m.Size())
	}
	// Held copies are not fetched again.
	if _, again, err := m.Acquire(context.Background(), "acme", []string{a}); err != nil {
		t.Fatal(err)
	} else {
		again()
	}
	if n := f.lake.opens.Load(); n != 2 {
		t.Errorf("%d objects opened, want 2", n)
	}
}

func TestRefusesLocationsOutsideTheLake(t *testing.T) {
	f := newFixture(t)
	m := f.open(t, 1<<20)
	for _, loc := range []string{
		"file:///etc/passwd",
		f.root + "/../outside.parquet",
		f.root + "/..",
		f.root + "/.",
		f.root + "/acme/../../outside.parquet",
		f.root + "/acme//a.parquet",
		f.root + "/",
		f.root,
		f.root + "x/acme/a.parquet", // a sibling directory whose name starts with the root's
		f.root + "/acme/a\\..\\b.parquet",
		f.root + "//acme/a.parquet",  // a leading slash: another key, the same local path
		f.root + "/beta/t/a.parquet", // another tenant's file
		f.root + "/.lock",            // the mirror's own lock file
		f.root + "/acme",             // the tenant's directory itself
		f.root + "/acme/",
	} {
		if _, _, err := m.Acquire(context.Background(), "acme", []string{loc}); err == nil {
			t.Errorf("%s: fetched, want refused", loc)
		}
	}
	if n := f.lake.opens.Load(); n != 0 {
		t.Errorf("%d objects opened for refused locations", n)
	}
}

func TestEvictsLeastRecentlyUsedCopiesNotInUse(t *testing.T) {
	f := newFixture(t)
	var locs []string
	for i := range 4 {
		locs = append(locs, f.put(t, fmt.Sprintf("acme/t/data/%d.parquet", i), 400))
	}
	m := f.open(t, 1000) // room for two
	ctx := context.Background()
	get := func(i int) (string, func()) {
		t.Helper()
		paths, release, err := m.Acquire(ctx, "acme", []string{locs[i]})
		if err != nil {
			t.Fatal(err)
		}
		return paths[0], release
	}
	p0, r0 := get(0)
	r0()
	p1, r1 := get(1)
	r1()
	_, r0 = get(0) // 0 is now the more recently used
	r0()
	p2, held := get(2) // evicts 1, the least recently used
	if _, err := os.Stat(p1); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("copy 1 still there (%v): want it evicted", err)
	}
	if _, err := os.Stat(p0); err != nil {
		t.Errorf("copy 0: %v, want it kept", err)
	}
	// A copy in use is never evicted, even when room is needed.
	_, r3 := get(3)
	if _, err := os.Stat(p2); err != nil {
		t.Errorf("copy 2, in use: %v", err)
	}
	r3()
	held()
	if m.Size() > 1000 {
		t.Errorf("size %d after releases, want at most 1000", m.Size())
	}
}

func TestRefusesMoreInUseThanItHolds(t *testing.T) {
	f := newFixture(t)
	a := f.put(t, "acme/t/data/a.parquet", 600)
	b := f.put(t, "acme/t/data/b.parquet", 600)
	m := f.open(t, 1000)
	_, _, err := m.Acquire(context.Background(), "acme", []string{a, b})
	if inlet.ErrorCode(err) != inlet.ETOOLARGE || !strings.Contains(inlet.ErrorMessage(err), "--lake-cache-size") {
		t.Fatalf("two 600-byte files in a 1000-byte mirror: %v, want ETOOLARGE naming --lake-cache-size", err)
	}
	// What the refused statement held is released: another one fits.
	if _, release, err := m.Acquire(context.Background(), "acme", []string{b}); err != nil {
		t.Fatalf("after the refusal: %v", err)
	} else {
		release()
	}
}

// One tenant's statements hold at most its share of the cache, so the
// others always find room: a statement that would take it past the share
// is refused, naming the flag, while another tenant's runs.
func TestATenantHoldsAtMostItsShare(t *testing.T) {
	f := newFixture(t)
	a1 := f.put(t, "acme/t/data/1.parquet", 300)
	a2 := f.put(t, "acme/t/data/2.parquet", 300)
	b1 := f.put(t, "beta/t/data/1.parquet", 400)
	m := f.openShared(t, 1000, 500)
	ctx := context.Background()
	_, releaseA, err := m.Acquire(ctx, "acme", []string{a1})
	if err != nil {
		t.Fatal(err)
	}
	// A second acme statement, fetching: 300 + 300 is past acme's 500.
	if _, _, err := m.Acquire(ctx, "acme", []string{a2}); inlet.ErrorCode(err) != inlet.ETOOLARGE || !strings.Contains(inlet.ErrorMessage(err), "--lake-cache-tenant-size") {
		t.Fatalf("acme past its share: %v, want ETOOLARGE naming --lake-cache-tenant-size", err)
	}
	// beta still gets its files while acme holds its share.
	_, releaseB, err := m.Acquire(ctx, "beta", []string{b1})
	if err != nil {
		t.Fatalf("beta while acme holds its share: %v", err)
	}
	releaseB()
	releaseA()
	// Released, acme may read the other file; then a copy it already has
	// counts when it is taken again: 300 + 300 held at once is refused.
	_, releaseA, err = m.Acquire(ctx, "acme", []string{a2})
	if err != nil {
		t.Fatalf("acme after releasing: %v", err)
	}
	if _, _, err := m.Acquire(ctx, "acme", []string{a1}); inlet.ErrorCode(err) != inlet.ETOOLARGE {
		t.Fatalf("acme taking a kept copy past its share: %v, want ETOOLARGE", err)
	}
	releaseA()
	if _, release, err := m.Acquire(ctx, "acme", []string{a1}); err != nil {
		t.Fatalf("acme with nothing held: %v", err)
	} else {
		release()
	}
	// A file past the share is the share's refusal, even while the cache
	// is too busy to take it anyway (beta's 400 bytes are in use).
	big := f.put(t, "acme/t/data/big.parquet", 700)
	_, releaseB, err = m.Acquire(ctx, "beta", []string{b1})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.Acquire(ctx, "acme", []string{big}); inlet.ErrorCode(err) != inlet.ETOOLARGE || !strings.Contains(inlet.ErrorMessage(err), "--lake-cache-tenant-size") {
		t.Fatalf("a 700-byte file past a 500-byte share, the cache busy: %v, want ETOOLARGE naming --lake-cache-tenant-size", err)
	}
	releaseB()
	for _, share := range []int64{0, -1, 1001} {
		if _, err := mirror.New(f.lake, f.root, t.TempDir(), 1000, share); err == nil {
			t.Errorf("a tenant's share of %d bytes in a 1000-byte mirror accepted", share)
		}
	}
}

func TestFailedFetchLeavesNothing(t *testing.T) {
	f := newFixture(t)
	a := f.put(t, "acme/t/data/a.parquet", 1000)
	m := f.open(t, 1<<20)
	f.lake.fail.Store(true)
	if _, _, err := m.Acquire(context.Background(), "acme", []string{a}); err == nil {
		t.Fatal("fetched from a lake that is down")
	}
	f.lake.fail.Store(false)
	var left []string
	filepath.Walk(m.Dir(), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && info.Name() != ".lock" {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 || m.Size() != 0 {
		t.Errorf("after a failed fetch: files %v, size %d", left, m.Size())
	}
	if _, release, err := m.Acquire(context.Background(), "acme", []string{a}); err != nil {
		t.Fatalf("after the lake is back: %v", err)
	} else {
		release()
	}
}

func TestConcurrentAcquiresFetchOnce(t *testing.T) {
	f := newFixture(t)
	a := f.put(t, "acme/t/data/a.parquet", 100_000)
	f.lake.gate = make(chan struct{})
	m := f.open(t, 1<<20)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			paths, release, err := m.Acquire(context.Background(), "acme", []string{a})
			if err != nil {
				errs <- err
				return
			}
			defer release()
			b, err := os.ReadFile(paths[0])
			if err == nil && len(b) != 100_000 {
				err = fmt.Errorf("read %d bytes of the copy", len(b))
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	// One caller giving up does not fail the others' shared fetch.
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() {
		_, _, err := m.Acquire(ctx, "acme", []string{a})
		gaveUp <- err
	}()
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled acquire: %v, want context.Canceled", err)
	}
	close(f.lake.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := f.lake.opens.Load(); n != 1 {
		t.Errorf("%d fetches of one object by 9 callers, want 1", n)
	}
}

func TestKeepsCopiesAcrossRestarts(t *testing.T) {
	f := newFixture(t)
	a := f.put(t, "acme/t/data/a.parquet", 500)
	m := f.open(t, 1<<20)
	paths, release, err := m.Acquire(context.Background(), "acme", []string{a})
	if err != nil {
		t.Fatal(err)
	}
	release()
	// A half-written copy a killed process left behind goes.
	part := paths[0] + ".123.part"
	if err := os.WriteFile(part, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := mirror.New(f.lake, f.root, f.dir, 1<<20, 1<<20); !errors.Is(err, mirror.ErrBusy) {
		t.Fatalf("a second mirror on an open directory: %v, want ErrBusy", err)
	}
	if err := mirror.RemoveUnused(f.dir); !errors.Is(err, mirror.ErrBusy) {
		t.Fatalf("removing an open mirror: %v, want ErrBusy", err)
	}
	m.Close()
	m = f.open(t, 1<<20)
	if m.Size() != 500 {
		t.Errorf("size after restart %d, want 500", m.Size())
	}
	if _, err := os.Stat(part); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("half-written copy kept: %v", err)
	}
	if _, release, err := m.Acquire(context.Background(), "acme", []string{a}); err != nil {
		t.Fatal(err)
	} else {
		release()
	}
	if n := f.lake.opens.Load(); n != 1 {
		t.Errorf("%d fetches, want 1: the copy from before the restart serves", n)
	}
	// A smaller bound evicts at start.
	m.Close()
	m = f.open(t, 100)
	if m.Size() != 0 {
		t.Errorf("size %d with a 100-byte bound, want 0", m.Size())
	}
	// A directory no process has open can go.
	m.Close()
	if err := mirror.RemoveUnused(f.dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(f.dir); !os.IsNotExist(err) {
		t.Errorf("an unused mirror directory after RemoveUnused: %v", err)
	}
}

var _ io.Reader = gatedObject{}
