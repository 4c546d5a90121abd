package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// Background inspects staged files off the request path: a slow workbook
// (millions of shared strings) keeps a worker busy, not a request, and the
// review page shows its progress. A bounded number run at once; the same
// file with the same options shares one run; results stay in memory (they
// hold the raw sample) until the upload ends or nobody has asked for them
// for Keep.
type Background struct {
	Inspector interface {
		InspectFile(ctx context.Context, path, fileName string, opts inlet.InspectOptions) (*inlet.Inspection, error)
	}
	Running int           // inspections at once (default 2)
	Keep    time.Duration // how long an unused result stays (default 30 min)

	once  sync.Once
	slots chan struct{}
	mu    sync.Mutex
	tasks map[string]*inspectTask
}

type inspectTask struct {
	done     chan struct{}
	ins      *inlet.Inspection
	err      error
	progress inlet.InspectProgress // under Background.mu
	used     time.Time
}

func (b *Background) init() {
	b.once.Do(func() {
		if b.Running <= 0 {
			b.Running = 2
		}
		if b.Keep <= 0 {
			b.Keep = 30 * time.Minute
		}
		b.slots = make(chan struct{}, b.Running)
		b.tasks = map[string]*inspectTask{}
	})
}

// Inspect returns the inspection of a staged upload with options: the
// result, if it is ready within wait, or else how far it has got. Upload
// is the key results are kept and forgotten by (tenant/id).
func (b *Background) Inspect(upload, path, fileName string, opts inlet.InspectOptions, wait time.Duration) (*inlet.Inspection, *inlet.InspectProgress, error) {
	b.init()
	key := upload + "\x00" + optionsKey(opts)
	b.mu.Lock()
	b.expire()
	t, ok := b.tasks[key]
	if !ok {
		t = &inspectTask{done: make(chan struct{}), progress: inlet.InspectProgress{Phase: "waiting"}}
		b.tasks[key] = t
		go b.run(t, path, fileName, opts)
	}
	t.used = time.Now()
	b.mu.Unlock()
	select {
	case <-t.done:
		return t.ins, nil, t.err
	case <-time.After(wait):
		b.mu.Lock()
		p := t.progress
		b.mu.Unlock()
		return nil, &p, nil
	}
}

func (b *Background) run(t *inspectTask, path, fileName string, opts inlet.InspectOptions) {
	defer close(t.done)
	b.slots <- struct{}{}
	defer func() { <-b.slots }()
	opts.Progress = func(p inlet.InspectProgress) {
		b.mu.Lock()
		t.progress = p
		b.mu.Unlock()
	}
	t.ins, t.err = b.Inspector.InspectFile(context.Background(), path, fileName, opts)
}

// Format tells a file's format from its first bytes, refusing what Inlet
// does not read (PDF, legacy .xls, binaries) at once.
func (b *Background) Format(path, fileName string) (inlet.Format, error) {
	return SniffFormat(path, fileName)
}

// Forget drops what is kept of an upload: it was ingested, cancelled or
// has expired, and its raw sample must not outlive it.
func (b *Background) Forget(upload string) {
	b.init()
	b.mu.Lock()
	defer b.mu.Unlock()
	for k := range b.tasks {
		if strings.HasPrefix(k, upload+"\x00") {
			delete(b.tasks, k)
		}
	}
}

// expire drops finished results unused for Keep. Under b.mu.
func (b *Background) expire() {
	for k, t := range b.tasks {
		select {
		case <-t.done:
			if time.Since(t.used) > b.Keep {
				delete(b.tasks, k)
			}
		default:
		}
	}
}

func optionsKey(o inlet.InspectOptions) string {
	o.Progress = nil
	b, _ := json.Marshal(o)
	if o.Rules != nil {
		// Rules are not part of the JSON; a new version inspects afresh.
		b = fmt.Appendf(b, " rules v%d", o.Rules.Version)
	}
	return string(b)
}
