package export_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/inlet-data/inlet/export"
)

// A scratch file older than the sweep's age goes, with its directory; a
// newer one (an export being written) stays.
func TestSweepScratch(t *testing.T) {
	a := export.Area{Scratch: t.TempDir()}
	old := filepath.Join(a.Scratch, "acme", "exp1", ".unload-exp1.csv")
	fresh := filepath.Join(a.Scratch, "acme", "exp2", ".unload-exp2.csv")
	for _, p := range []string{old, fresh} {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("id\n1\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-8 * time.Hour)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}
	a.SweepScratch(7 * time.Hour)
	if _, err := os.Stat(filepath.Dir(old)); !os.IsNotExist(err) {
		t.Errorf("an 8-hour-old scratch file's directory: %v, want it gone", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a fresh scratch file: %v, want it kept", err)
	}
}
