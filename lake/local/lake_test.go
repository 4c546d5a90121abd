package local

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

func TestLake(t *testing.T) {
	ctx := context.Background()
	l, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	loc := l.URL() + "/t/data/job-1-0-00001.parquet"
	w, err := l.Create(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("hello"))
	// Not visible before Close.
	if _, err := l.Open(ctx, loc); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Fatalf("open before close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := l.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "hello" {
		t.Errorf("got %q", b)
	}
	// A Create that never closes leaves a temp file that DeletePrefix removes.
	if _, err := l.Create(ctx, l.URL()+"/t/data/job-1-1-00001.parquet"); err != nil {
		t.Fatal(err)
	}
	other := l.URL() + "/t/data/job-2-0-00001.parquet"
	w2, _ := l.Create(ctx, other)
	w2.Close()
	if err := l.DeletePrefix(ctx, l.URL()+"/t/data/job-1-"); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(l.Root, "t", "data"))
	if len(entries) != 1 || entries[0].Name() != "job-2-0-00001.parquet" {
		t.Errorf("after DeletePrefix: %v", entries)
	}
	// Locations outside the lake are refused.
	if _, err := l.Create(ctx, "file:///etc/passwd"); err == nil {
		t.Error("created a file outside the lake")
	}
	if err := l.DeletePrefix(ctx, l.URL()+"/"); err == nil {
		t.Error("deleted the whole lake")
	}
}
