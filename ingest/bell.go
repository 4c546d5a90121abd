package ingest

import (
	"context"
	"sync"

	inlet "github.com/inlet-data/inlet"
)

// JobBell is a JobStore that wakes this process's idle workers when a job
// is queued through it, so that an upload's ingest or an export starts at
// once instead of at a worker's next poll (up to Runner.Poll later). Jobs
// queued by other replicas are still found by polling.
type JobBell struct {
	inlet.JobStore

	mu   sync.Mutex
	rung chan struct{} // closed, and replaced, at each ring
}

// NewJobBell wraps jobs.
func NewJobBell(jobs inlet.JobStore) *JobBell {
	return &JobBell{JobStore: jobs, rung: make(chan struct{})}
}

// CreateJob queues j and rings.
func (b *JobBell) CreateJob(ctx context.Context, j *inlet.Job) error {
	if err := b.JobStore.CreateJob(ctx, j); err != nil {
		return err
	}
	b.ring()
	return nil
}

// ring wakes every worker waiting on the channel Waiting returned.
func (b *JobBell) ring() {
	b.mu.Lock()
	close(b.rung)
	b.rung = make(chan struct{})
	b.mu.Unlock()
}

// Waiting returns a channel that closes at the next ring. A worker takes it
// before it looks for a job, so that a job queued after the look and before
// the wait still wakes it.
func (b *JobBell) Waiting() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rung
}
