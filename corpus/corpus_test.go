package corpus

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The committed sample of public test files reads as hand-checked: each
// file's format, dialect, header, columns, types and rows (or its refusal)
// are what corpus/sample/expected.json says (go run ./corpus/compare
// -sample regenerates it from checked results; see corpus/README.md).
func TestSample(t *testing.T) {
	want, err := ReadExpected(filepath.Join("sample", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 100 {
		t.Fatalf("the sample has %d files, fewer than 100", len(want))
	}
	r, err := NewRunner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, e := range want {
		got := r.Run(context.Background(), filepath.Join("sample", e.File))
		if diff := cmp.Diff(e.Inlet.Comparable(), got.Comparable()); diff != "" {
			t.Errorf("%s (%s, %s) (-want +got):\n%s", e.File, e.Repo, e.Checked, diff)
		}
	}
}
