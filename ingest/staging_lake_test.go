package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
	"github.com/inlet-data/inlet/lake/local"
	"github.com/inlet-data/inlet/lake/s3"
)

// Staging in the lake, on both lakes, as two replicas see it: an upload
// one receives, the other inspects (Path spools a copy) and reads by range
// (Open); an oversized or failed upload leaves nothing; Delete removes the
// object and the copies go.
func TestLakeStaging(t *testing.T) {
	t.Run("local", func(t *testing.T) {
		l, err := local.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		testLakeStaging(t, l, l.URL())
	})
	t.Run("s3", func(t *testing.T) {
		srv := testkit.S3(t)
		srv.Env(t)
		l, err := s3.Open(context.Background(), s3.Config{URL: "s3://" + srv.Bucket + "/lake", Endpoint: srv.Endpoint, PathStyle: true, PartSize: s3.MinPartSize})
		if err != nil {
			t.Fatal(err)
		}
		testLakeStaging(t, l, l.URL())
	})
}

func testLakeStaging(t *testing.T, lake inlet.Lake, root string) {
	ctx := context.Background()
	a, err := NewLakeStaging(lake, root, filepath.Join(t.TempDir(), "a"), 8<<20)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewLakeStaging(lake, root, filepath.Join(t.TempDir(), "b"), 8<<20)
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("id,email\n1,a@example.com\n"), 200_000) // 5 MB: more than one part
	sum := sha256.Sum256(body)
	n, got, err := a.Put(ctx, "acme", "up1", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(body)) || got != hex.EncodeToString(sum[:]) {
		t.Fatalf("Put: %d %s, want %d %x", n, got, len(body), sum)
	}
	if objs, _ := lake.List(ctx, root+"/_staging/acme/"); len(objs) != 1 || objs[0].Location != root+"/_staging/acme/up1" {
		t.Fatalf("staged objects: %v", objs)
	}
	// Replica b has no copy until it asks for the path.
	pb, err := b.Path("acme", "up1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(pb, b.Spool) {
		t.Errorf("path %s is not in b's spool", pb)
	}
	if onDisk, err := os.ReadFile(pb); err != nil || !bytes.Equal(onDisk, body) {
		t.Fatalf("b's spooled copy: %d bytes, %v", len(onDisk), err)
	}
	if fi, _ := os.Stat(pb); fi.Mode().Perm() != 0o600 {
		t.Errorf("spooled copy mode %v, want 0600", fi.Mode().Perm())
	}
	r, err := b.Open(ctx, "acme", "up1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Size() != int64(len(body)) {
		t.Errorf("size %d", r.Size())
	}
	tail := make([]byte, 10)
	if _, err := r.ReadAt(tail, r.Size()-10); err != nil || !bytes.Equal(tail, body[len(body)-10:]) {
		t.Errorf("ReadAt the end: %q, %v", tail, err)
	}
	r.Close()
	// Replica a received it, so has its copy already.
	pa, _ := a.Path("acme", "up1")
	if _, err := os.Stat(pa); err != nil {
		t.Errorf("a's copy: %v", err)
	}
	// Deleted on b: the object goes, b's copy goes, and a's goes at its next Path.
	if err := b.Delete(ctx, "acme", "up1"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Open(ctx, "acme", "up1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Errorf("Open after Delete: %v", err)
	}
	for _, p := range []string{pb, mustPath(t, a, "acme", "up1")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("copy %s after Delete: %v", p, err)
		}
	}
	// Too large: refused, nothing staged, nothing spooled.
	if _, _, err := a.Put(ctx, "acme", "big", bytes.NewReader(make([]byte, 9<<20))); inlet.ErrorCode(err) != inlet.ETOOLARGE {
		t.Fatalf("oversized Put: %v", err)
	}
	// A reader that fails mid-stream: the same.
	if _, _, err := a.Put(ctx, "acme", "broken", io.MultiReader(bytes.NewReader(body), failing{})); err == nil {
		t.Fatal("Put of a failing reader succeeded")
	}
	if objs, _ := lake.List(ctx, root+"/_staging/"); len(objs) != 0 {
		t.Errorf("staged objects after refused uploads: %v", objs)
	}
	filepath.Walk(a.Spool, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			t.Errorf("spool holds %s after refused uploads", p)
		}
		return nil
	})
	// Adopt: a resumable upload's file goes up and becomes the copy.
	tus := filepath.Join(t.TempDir(), "tusfile")
	os.WriteFile(tus, body[:1000], 0o600)
	if n, _, err := a.Adopt(ctx, "acme", "up2", tus); err != nil || n != 1000 {
		t.Fatalf("Adopt: %d, %v", n, err)
	}
	if _, err := os.Stat(tus); !os.IsNotExist(err) {
		t.Errorf("adopted file still at its old place: %v", err)
	}
	if p, _ := b.Path("acme", "up2"); !fileIs(p, body[:1000]) {
		t.Error("b's copy of the adopted file differs")
	}
	// Sweep at start clears every copy; the staged file stays in the lake.
	a.Sweep(func(os.FileInfo) bool { return true })
	if _, err := os.Stat(mustPath(t, a, "acme", "up2")); err != nil {
		t.Errorf("Path after Sweep: %v", err) // downloaded again
	}
	// Names are checked before they reach the lake or the disk.
	for _, bad := range [][2]string{{"../x", "id"}, {"acme", "../../etc"}, {"acme", "a/b"}, {"acme", ""}} {
		if _, _, err := a.Put(ctx, bad[0], bad[1], strings.NewReader("x")); err == nil {
			t.Errorf("Put(%q, %q) succeeded", bad[0], bad[1])
		}
		if _, err := a.Path(bad[0], bad[1]); err == nil {
			t.Errorf("Path(%q, %q) succeeded", bad[0], bad[1])
		}
	}
}

func mustPath(t *testing.T, s *LakeStaging, tenant, id string) string {
	t.Helper()
	p, err := s.Path(tenant, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func fileIs(p string, want []byte) bool {
	b, err := os.ReadFile(p)
	return err == nil && bytes.Equal(b, want)
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
