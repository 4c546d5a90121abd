package ingest

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// memJobs is a job queue of one process, enough for a worker to claim from.
type memJobs struct {
	inlet.JobStore // the rest is not used
	mu             sync.Mutex
	queued         []*inlet.Job
	idle           chan struct{} // a send per claim that found nothing
}

func (m *memJobs) CreateJob(_ context.Context, j *inlet.Job) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.queued = append(m.queued, j)
	return nil
}

func (m *memJobs) ClaimJob(context.Context, time.Duration) (*inlet.Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.queued) == 0 {
		select {
		case m.idle <- struct{}{}:
		default:
		}
		return nil, nil
	}
	j := m.queued[0]
	m.queued = m.queued[1:]
	return j, nil
}

// TestJobBellWakesAnIdleWorker: a job queued through the bell runs at once,
// though the idle worker would next look for work in an hour.
func TestJobBellWakesAnIdleWorker(t *testing.T) {
	store := &memJobs{idle: make(chan struct{}, 1)}
	bell := NewJobBell(store)
	ran := make(chan string, 2)
	r := &Runner{Jobs: bell, Bell: bell, Poll: time.Hour, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Kinds: map[string]func(context.Context, *inlet.Job){"test": func(_ context.Context, j *inlet.Job) { ran <- j.ID }}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for _, id := range []string{"job-1", "job-2"} {
		<-store.idle // the worker found nothing and waits
		if err := bell.CreateJob(ctx, &inlet.Job{ID: id, Kind: "test"}); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-ran:
			if got != id {
				t.Fatalf("ran %s, want %s", got, id)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s did not start: the idle worker was not woken", id)
		}
	}
}
