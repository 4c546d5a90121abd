// Package laketest is the contract every lake obeys, as a test suite: the
// local lake runs it and the S3 lake runs it against a real S3 server. A
// lake passes when objects round-trip, appear whole or not at all, list in
// order, read by range, and go away by location or prefix.
package laketest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// Setup returns an empty lake and the location of its root (file:///...
// or s3://bucket/prefix), under which the suite writes.
type Setup func(t *testing.T) (lake inlet.Lake, root string)

// Options tune the suite to a backend.
type Options struct {
	// Large is the size of the object the large-object test writes; a
	// backend with multipart uploads sets it above its part size.
	Large int
}

// Run runs the contract.
func Run(t *testing.T, setup Setup, opt Options) {
	if opt.Large == 0 {
		opt.Large = 3 << 20
	}
	tests := []struct {
		name string
		fn   func(t *testing.T, l inlet.Lake, root string)
	}{
		{"PutGet", testPutGet},
		{"Replace", testReplace},
		{"Missing", testMissing},
		{"AtomicCreate", testAtomicCreate},
		{"AbortOnCancel", testAbortOnCancel},
		{"AbortOnWriteError", testAbortOnWriteError},
		{"Ranged", testRanged},
		{"Large", func(t *testing.T, l inlet.Lake, root string) { testLarge(t, l, root, opt.Large) }},
		{"List", testList},
		{"Delete", testDelete},
		{"DeletePrefix", testDeletePrefix},
		{"Signed", testSigned},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, root := setup(t)
			tc.fn(t, l, strings.TrimRight(root, "/"))
		})
	}
}

func put(t *testing.T, l inlet.Lake, loc string, b []byte) {
	t.Helper()
	w, err := l.Create(context.Background(), loc)
	if err != nil {
		t.Fatalf("create %s: %v", loc, err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatalf("write %s: %v", loc, err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close %s: %v", loc, err)
	}
}

func get(t *testing.T, l inlet.Lake, loc string) []byte {
	t.Helper()
	r, err := l.Open(context.Background(), loc)
	if err != nil {
		t.Fatalf("open %s: %v", loc, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %s: %v", loc, err)
	}
	return b
}

func absent(t *testing.T, l inlet.Lake, loc, when string) {
	t.Helper()
	if r, err := l.Open(context.Background(), loc); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		if r != nil {
			r.Close()
		}
		t.Fatalf("%s: open %s = %v, want ENOTFOUND", when, loc, err)
	}
	if _, err := l.Stat(context.Background(), loc); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Fatalf("%s: stat %s = %v, want ENOTFOUND", when, loc, err)
	}
	objs, err := l.List(context.Background(), loc)
	if err != nil {
		t.Fatalf("%s: list %s: %v", when, loc, err)
	}
	for _, o := range objs {
		if o.Location == loc {
			t.Fatalf("%s: %s is listed", when, loc)
		}
	}
}

func data(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func testPutGet(t *testing.T, l inlet.Lake, root string) {
	loc := root + "/t/data/job-1-0-00001.parquet"
	want := []byte("hello, lake")
	put(t, l, loc, want)
	if got := get(t, l, loc); !bytes.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	st, err := l.Stat(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	if st.Location != loc || st.Size != int64(len(want)) {
		t.Errorf("stat = %+v, want location %s size %d", st, loc, len(want))
	}
	if d := time.Since(st.Modified); d < -time.Minute || d > time.Hour {
		t.Errorf("stat modified %v is not about now", st.Modified)
	}
	// An empty object is an object.
	empty := root + "/t/empty"
	put(t, l, empty, nil)
	if got := get(t, l, empty); len(got) != 0 {
		t.Errorf("empty object reads %d bytes", len(got))
	}
	if st, err := l.Stat(context.Background(), empty); err != nil || st.Size != 0 {
		t.Errorf("stat empty = %+v, %v", st, err)
	}
}

func testReplace(t *testing.T, l inlet.Lake, root string) {
	loc := root + "/t/metadata/profile.json"
	put(t, l, loc, []byte("first version, longer"))
	put(t, l, loc, []byte("second"))
	if got := get(t, l, loc); string(got) != "second" {
		t.Fatalf("after replace: %q", got)
	}
}

func testMissing(t *testing.T, l inlet.Lake, root string) {
	absent(t, l, root+"/no/such/object", "never written")
	if err := l.Delete(context.Background(), root+"/no/such/object"); err != nil {
		t.Errorf("delete of a missing object: %v", err)
	}
	if err := l.DeletePrefix(context.Background(), root+"/no/such/"); err != nil {
		t.Errorf("delete of a missing prefix: %v", err)
	}
	objs, err := l.List(context.Background(), root+"/no/such/")
	if err != nil || len(objs) != 0 {
		t.Errorf("list of a missing prefix = %v, %v", objs, err)
	}
}

// testAtomicCreate: nothing is visible while a create is under way, the
// whole object on Close.
func testAtomicCreate(t *testing.T, l inlet.Lake, root string) {
	loc := root + "/t/data/atomic.parquet"
	w, err := l.Create(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	want := data(256<<10, 1)
	if _, err := w.Write(want[:100<<10]); err != nil {
		t.Fatal(err)
	}
	absent(t, l, loc, "before Close")
	if _, err := w.Write(want[100<<10:]); err != nil {
		t.Fatal(err)
	}
	absent(t, l, loc, "before Close")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := get(t, l, loc); !bytes.Equal(got, want) {
		t.Fatalf("after Close: %d bytes, want %d equal", len(got), len(want))
	}
	// A create that is never closed leaves nothing visible, and
	// DeletePrefix clears what it left behind.
	w2, err := l.Create(context.Background(), root+"/t/data/left-open")
	if err != nil {
		t.Fatal(err)
	}
	w2.Write([]byte("partial"))
	absent(t, l, root+"/t/data/left-open", "never closed")
	if err := l.DeletePrefix(context.Background(), root+"/t/data/left-"); err != nil {
		t.Fatal(err)
	}
	objs, err := l.List(context.Background(), root+"/t/")
	if err != nil || len(objs) != 1 || objs[0].Location != loc {
		t.Fatalf("after DeletePrefix of an open create: %v, %v", objs, err)
	}
	w2.Close() // whatever it returns, the prefix was deleted under it
}

// testAbortOnCancel: a create whose context ends before Close leaves
// nothing, and does not replace an existing object.
func testAbortOnCancel(t *testing.T, l inlet.Lake, root string) {
	loc := root + "/t/data/cancelled.parquet"
	ctx, cancel := context.WithCancel(context.Background())
	w, err := l.Create(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data(64<<10, 2))
	cancel()
	if err := w.Close(); err == nil {
		t.Error("Close after cancel succeeded")
	}
	absent(t, l, loc, "after a cancelled create")

	put(t, l, loc, []byte("kept"))
	ctx, cancel = context.WithCancel(context.Background())
	w, err = l.Create(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("replacement that never lands"))
	cancel()
	w.Close()
	if got := get(t, l, loc); string(got) != "kept" {
		t.Errorf("a cancelled create replaced the object: %q", got)
	}
}

// testAbortOnWriteError: Close after a failed Write does not publish a
// partial object. The failure is provoked by cancelling mid-stream on a
// large write; a lake whose Write never fails that way still must not
// publish.
func testAbortOnWriteError(t *testing.T, l inlet.Lake, root string) {
	loc := root + "/t/data/write-error"
	ctx, cancel := context.WithCancel(context.Background())
	w, err := l.Create(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	chunk := data(1<<20, 3)
	var werr error
	for i := 0; i < 12 && werr == nil; i++ {
		if i == 6 {
			cancel()
		}
		_, werr = w.Write(chunk)
	}
	cancel()
	if err := w.Close(); err == nil {
		t.Error("Close after a cancelled stream succeeded")
	}
	absent(t, l, loc, "after a failed stream")
}

func testRanged(t *testing.T, l inlet.Lake, root string) {
	loc := root + "/exports/e1/part-0001.csv"
	want := data(300<<10+17, 4)
	put(t, l, loc, want)
	ctx := context.Background()
	r, err := l.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Size() != int64(len(want)) {
		t.Fatalf("size %d, want %d", r.Size(), len(want))
	}
	for _, rg := range [][2]int{{0, 1}, {0, 4096}, {1000, 70000}, {len(want) - 10, 10}, {12345, 1}} {
		buf := make([]byte, rg[1])
		n, err := r.ReadAt(buf, int64(rg[0]))
		if err != nil && !(errors.Is(err, io.EOF) && n == rg[1]) {
			t.Fatalf("ReadAt(%d, %d): %d, %v", rg[0], rg[1], n, err)
		}
		if !bytes.Equal(buf[:n], want[rg[0]:rg[0]+rg[1]]) {
			t.Fatalf("ReadAt(%d, %d): wrong bytes", rg[0], rg[1])
		}
	}
	// Past the end: short with io.EOF.
	buf := make([]byte, 100)
	n, err := r.ReadAt(buf, int64(len(want)-40))
	if n != 40 || !errors.Is(err, io.EOF) || !bytes.Equal(buf[:40], want[len(want)-40:]) {
		t.Fatalf("ReadAt over the end: %d, %v", n, err)
	}
	if n, err := r.ReadAt(buf, int64(len(want))); n != 0 || !errors.Is(err, io.EOF) {
		t.Fatalf("ReadAt at the end: %d, %v", n, err)
	}
	// Seek and Read: what http.ServeContent does for a Range request.
	if end, err := r.Seek(0, io.SeekEnd); err != nil || end != int64(len(want)) {
		t.Fatalf("Seek end: %d, %v", end, err)
	}
	if _, err := r.Seek(200000, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 5000)
	if _, err := io.ReadFull(r, got); err != nil || !bytes.Equal(got, want[200000:205000]) {
		t.Fatalf("read after seek: %v", err)
	}
	// ReadAt does not move the stream.
	r.ReadAt(make([]byte, 10), 5)
	if _, err := io.ReadFull(r, got); err != nil || !bytes.Equal(got, want[205000:210000]) {
		t.Fatalf("read after ReadAt: %v", err)
	}
	if pos, _ := r.Seek(-10, io.SeekCurrent); pos != 209990 {
		t.Fatalf("Seek current: %d", pos)
	}
	rest, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(rest, want[209990:]) {
		t.Fatalf("read to end after seek: %d bytes, %v", len(rest), err)
	}
	if _, err := r.Seek(-1, io.SeekStart); err == nil {
		t.Error("Seek before the start succeeded")
	}
	// The whole file, as http.ServeContent serves a Range.
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{header: http.Header{}}
	req, _ := http.NewRequest("GET", "/x", nil)
	req.Header.Set("Range", "bytes=100-199")
	http.ServeContent(rec, req, "", time.Time{}, r)
	if rec.status != http.StatusPartialContent || !bytes.Equal(rec.body.Bytes(), want[100:200]) {
		t.Fatalf("ServeContent range: %d, %d bytes", rec.status, rec.body.Len())
	}
	// Concurrent ReadAt (a Parquet reader's column chunks).
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			off := i * 30000
			b := make([]byte, 20000)
			_, err := r.ReadAt(b, int64(off))
			if err == nil && !bytes.Equal(b, want[off:off+20000]) {
				err = fmt.Errorf("ReadAt(%d): wrong bytes", off)
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(s int)   { r.status = s }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	return r.body.Write(b)
}

func testLarge(t *testing.T, l inlet.Lake, root string, size int) {
	loc := root + "/t/data/large.parquet"
	want := data(size, 5)
	w, err := l.Create(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	// Odd-sized writes, so parts do not line up with them.
	for off := 0; off < len(want); {
		n := min(len(want)-off, 777_777)
		if _, err := w.Write(want[off : off+n]); err != nil {
			t.Fatal(err)
		}
		off += n
	}
	absent(t, l, loc, "large, before Close")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := get(t, l, loc); !bytes.Equal(got, want) {
		t.Fatalf("large object: read %d bytes, want %d equal", len(got), len(want))
	}
	// A large create aborted after parts went up leaves nothing.
	ctx, cancel := context.WithCancel(context.Background())
	w, err = l.Create(ctx, root+"/t/data/large-aborted")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(want)
	cancel()
	if err := w.Close(); err == nil {
		t.Error("Close of a cancelled large create succeeded")
	}
	absent(t, l, root+"/t/data/large-aborted", "large, cancelled")
}

func testList(t *testing.T, l inlet.Lake, root string) {
	locs := []string{
		root + "/acme/sales/orders/data/job-1-0-00001.parquet",
		root + "/acme/sales/orders/data/job-1-0-00002.parquet",
		root + "/acme/sales/orders/data/job-2-0-00001.parquet",
		root + "/acme/sales/orders/metadata/00001.metadata.json",
		root + "/acme/sales/orders2/data/x.parquet",
		root + "/globex/sales/orders/data/job-1-0-00001.parquet",
	}
	for i, loc := range locs {
		put(t, l, loc, bytes.Repeat([]byte{'x'}, i+1))
	}
	// A create under way is not listed.
	w, err := l.Create(context.Background(), root+"/acme/sales/orders/data/job-3-0-00001.parquet")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("partial"))
	defer w.Close()
	list := func(prefix string) []string {
		t.Helper()
		objs, err := l.List(context.Background(), prefix)
		if err != nil {
			t.Fatalf("list %s: %v", prefix, err)
		}
		var out []string
		for _, o := range objs {
			i := indexOf(locs, o.Location)
			if i < 0 {
				t.Fatalf("list %s: unexpected %s", prefix, o.Location)
			}
			if o.Size != int64(i+1) {
				t.Errorf("list %s: %s has size %d, want %d", prefix, o.Location, o.Size, i+1)
			}
			out = append(out, strings.TrimPrefix(o.Location, root+"/"))
		}
		return out
	}
	check := func(prefix string, want ...string) {
		t.Helper()
		got := list(root + "/" + prefix)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("list %q:\n got %v\nwant %v", prefix, got, want)
		}
	}
	check("acme/sales/orders/",
		"acme/sales/orders/data/job-1-0-00001.parquet", "acme/sales/orders/data/job-1-0-00002.parquet",
		"acme/sales/orders/data/job-2-0-00001.parquet", "acme/sales/orders/metadata/00001.metadata.json")
	check("acme/sales/orders",
		"acme/sales/orders/data/job-1-0-00001.parquet", "acme/sales/orders/data/job-1-0-00002.parquet",
		"acme/sales/orders/data/job-2-0-00001.parquet", "acme/sales/orders/metadata/00001.metadata.json",
		"acme/sales/orders2/data/x.parquet")
	check("acme/sales/orders/data/job-1-",
		"acme/sales/orders/data/job-1-0-00001.parquet", "acme/sales/orders/data/job-1-0-00002.parquet")
	check("globex/", "globex/sales/orders/data/job-1-0-00001.parquet")
	check("nobody/")
	if got := list(root + "/"); len(got) != len(locs) {
		t.Errorf("list of the root: %v", got)
	}
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func testDelete(t *testing.T, l inlet.Lake, root string) {
	a, b := root+"/t/a", root+"/t/ab"
	put(t, l, a, []byte("a"))
	put(t, l, b, []byte("b"))
	if err := l.Delete(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	absent(t, l, a, "after Delete")
	if got := get(t, l, b); string(got) != "b" {
		t.Errorf("Delete took a neighbour: %q", got)
	}
	if err := l.Delete(context.Background(), a); err != nil {
		t.Errorf("second Delete: %v", err)
	}
}

func testDeletePrefix(t *testing.T, l inlet.Lake, root string) {
	keep := []string{root + "/t/data/job-2-0-00001.parquet", root + "/t/metadata/x.json", root + "/t2/data/job-1-0.parquet"}
	gone := []string{root + "/t/data/job-1-0-00001.parquet", root + "/t/data/job-1-1-00001.parquet"}
	for _, loc := range append(append([]string{}, keep...), gone...) {
		put(t, l, loc, []byte(loc))
	}
	if err := l.DeletePrefix(context.Background(), root+"/t/data/job-1-"); err != nil {
		t.Fatal(err)
	}
	for _, loc := range gone {
		absent(t, l, loc, "after DeletePrefix")
	}
	for _, loc := range keep {
		get(t, l, loc)
	}
	// A prefix ending in / is a whole tree, and only that tree (not t2).
	if err := l.DeletePrefix(context.Background(), root+"/t/"); err != nil {
		t.Fatal(err)
	}
	objs, err := l.List(context.Background(), root+"/")
	if err != nil || len(objs) != 1 || objs[0].Location != keep[2] {
		t.Fatalf("after DeletePrefix of a tree: %v, %v", objs, err)
	}
	// Many objects (more than one listing page on S3).
	for i := range 1100 {
		if i%100 == 0 || i > 1050 {
			put(t, l, fmt.Sprintf("%s/many/%05d", root, i), []byte{1})
		}
	}
	many, _ := l.List(context.Background(), root+"/many/")
	if len(many) != 60 {
		t.Fatalf("listed %d objects under many/, want 60", len(many))
	}
	if err := l.DeletePrefix(context.Background(), root+"/many/"); err != nil {
		t.Fatal(err)
	}
	if left, _ := l.List(context.Background(), root+"/many/"); len(left) != 0 {
		t.Fatalf("after DeletePrefix many/: %d left", len(left))
	}
}

// testSigned: a lake that signs URLs hands out ones an unauthenticated GET
// downloads through, and a changed one is refused.
func testSigned(t *testing.T, l inlet.Lake, root string) {
	s, ok := l.(inlet.LakeSigner)
	if !ok {
		t.Skipf("%T does not sign URLs", l)
	}
	loc := root + "/exports/e2/orders.csv"
	want := []byte("id,amount\n1,12.50\n")
	put(t, l, loc, want)
	u, err := s.SignGet(context.Background(), loc, "orders.csv", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	status, body, hdr := httpGet(t, u)
	if status != http.StatusOK || !bytes.Equal(body, want) {
		t.Fatalf("GET signed URL: %d %q", status, body)
	}
	if cd := hdr.Get("Content-Disposition"); !strings.Contains(cd, "orders.csv") {
		t.Errorf("Content-Disposition %q does not name the file", cd)
	}
	// Tampered: another object, a longer expiry, a changed signature.
	for _, bad := range []string{
		strings.Replace(u, "orders.csv?", "orders.csx?", 1),
		strings.Replace(u, "X-Amz-Expires=60", "X-Amz-Expires=600", 1),
		tamperSig(u),
	} {
		if bad == u {
			t.Fatalf("tampering did not change %s", u)
		}
		if status, _, _ := httpGet(t, bad); status != http.StatusForbidden {
			t.Errorf("tampered URL: status %d, want 403", status)
		}
	}
}

func tamperSig(u string) string {
	i := strings.Index(u, "X-Amz-Signature=")
	if i < 0 {
		return u
	}
	i += len("X-Amz-Signature=")
	c := byte('0')
	if u[i] == '0' {
		c = '1'
	}
	return u[:i] + string(c) + u[i+1:]
}

func httpGet(t *testing.T, u string) (int, []byte, http.Header) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}
