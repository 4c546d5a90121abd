package ingest

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// slowInspector reports progress, then waits to be released.
type slowInspector struct {
	release chan struct{}
	runs    atomic.Int32
	running atomic.Int32
	most    atomic.Int32
}

func (s *slowInspector) InspectFile(ctx context.Context, path, fileName string, opts inlet.InspectOptions) (*inlet.Inspection, error) {
	s.runs.Add(1)
	n := s.running.Add(1)
	defer s.running.Add(-1)
	for m := s.most.Load(); n > m && !s.most.CompareAndSwap(m, n); m = s.most.Load() {
	}
	opts.Progress(inlet.InspectProgress{Phase: "sampling", RowsDone: 3000, RowsTotal: 10000})
	<-s.release
	return &inlet.Inspection{FileName: fileName}, nil
}

func TestBackgroundInspection(t *testing.T) {
	slow := &slowInspector{release: make(chan struct{})}
	b := &Background{Inspector: slow, Running: 2}
	// While it runs, callers get its progress; the same file and options share one run.
	var p *inlet.InspectProgress
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		var ins *inlet.Inspection
		var err error
		ins, p, err = b.Inspect("acme/u1", "/x", "big.xlsx", inlet.InspectOptions{}, 10*time.Millisecond)
		if ins != nil || err != nil {
			t.Fatalf("a running inspection returned %v, %v", ins, err)
		}
		if p.Phase == "sampling" {
			break
		}
	}
	if p.Phase != "sampling" || p.RowsDone != 3000 {
		t.Fatalf("progress %+v, want sampling 3000 of 10000", p)
	}
	// Others queue behind the bound of two at once.
	b.Inspect("acme/u2", "/y", "b.csv", inlet.InspectOptions{}, 0)
	b.Inspect("acme/u3", "/z", "c.csv", inlet.InspectOptions{}, 0)
	time.Sleep(50 * time.Millisecond)
	if n := slow.most.Load(); n > 2 {
		t.Errorf("%d inspections ran at once, want at most 2", n)
	}
	close(slow.release)
	ins, p, err := b.Inspect("acme/u1", "/x", "big.xlsx", inlet.InspectOptions{}, 5*time.Second)
	if err != nil || p != nil || ins == nil || ins.FileName != "big.xlsx" {
		t.Fatalf("finished inspection: %v %v %v", ins, p, err)
	}
	b.Inspect("acme/u1", "/x", "big.xlsx", inlet.InspectOptions{}, 5*time.Second)
	b.Inspect("acme/u2", "/y", "b.csv", inlet.InspectOptions{}, 5*time.Second)
	b.Inspect("acme/u3", "/z", "c.csv", inlet.InspectOptions{}, 5*time.Second)
	if n := slow.runs.Load(); n != 3 {
		t.Errorf("%d runs, want 3 (one per upload)", n)
	}
	// Forgotten, the result goes with the upload: the next ask runs again.
	b.Forget("acme/u1")
	b.Inspect("acme/u1", "/x", "big.xlsx", inlet.InspectOptions{}, 5*time.Second)
	if n := slow.runs.Load(); n != 4 {
		t.Errorf("%d runs after Forget, want 4", n)
	}
}
