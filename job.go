package inlet

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Job states.
const (
	JobQueued    = "queued"
	JobRunning   = "running"
	JobSucceeded = "succeeded"
	JobFailed    = "failed"
)

// JobIngest is the kind of job that turns an upload into a table snapshot.
const JobIngest = "ingest"

// Job is a unit of durable background work. It survives restarts: a running
// job whose lease expired is picked up again by the next worker.
type Job struct {
	ID         string          `json:"id"`
	Tenant     string          `json:"tenant"`
	Kind       string          `json:"kind"`
	State      string          `json:"state"`
	Spec       json.RawMessage `json:"spec"`
	Progress   JobProgress     `json:"progress"`
	Result     json.RawMessage `json:"result,omitempty"`
	Error      *Error          `json:"error,omitempty"`
	Attempts   int             `json:"attempts"`
	CreatedBy  string          `json:"created_by"`
	CreatedAt  time.Time       `json:"created_at"`
	StartedAt  *time.Time      `json:"started_at,omitempty"`
	FinishedAt *time.Time      `json:"finished_at,omitempty"`
	LeaseUntil *time.Time      `json:"-"`
}

// JobProgress is what a running job reports.
type JobProgress struct {
	Phase      string `json:"phase"`
	RowsDone   int64  `json:"rows_done"`
	BytesDone  int64  `json:"bytes_done"`
	BytesTotal int64  `json:"bytes_total"`
}

// JobStore is the durable job queue.
type JobStore interface {
	CreateJob(ctx context.Context, j *Job) error
	Job(ctx context.Context, tenant, id string) (*Job, error)
	Jobs(ctx context.Context, tenant string, limit int) ([]*Job, error)
	// ClaimJob takes the oldest queued job, or a running one whose lease ran
	// out, marks it running under a lease and returns it; nil when none.
	ClaimJob(ctx context.Context, lease time.Duration) (*Job, error)
	// UpdateJobProgress records progress and extends the lease of the
	// job's attempt (Job.Attempts when it was claimed); ErrLeaseLost if
	// another worker has taken the job over since.
	UpdateJobProgress(ctx context.Context, id string, attempt int, p JobProgress, lease time.Duration) error
	// FinishJob ends a job's attempt: result on success, err on failure;
	// ErrLeaseLost if another worker has taken the job over since.
	FinishJob(ctx context.Context, id string, attempt int, result json.RawMessage, jobErr *Error) error
	// ReleaseJob hands a running job's attempt back to the queue at once (a
	// worker shutting down): the next claim takes it without waiting for
	// its lease, and the interrupted try does not count as an attempt;
	// ErrLeaseLost if another worker has taken the job over since.
	ReleaseJob(ctx context.Context, id string, attempt int) error
}

// ErrLeaseLost tells a worker that its lease ran out and another worker
// took its job over (the first was stalled, not dead): it must stop,
// publish nothing and leave the job and its files to the new owner.
var ErrLeaseLost = errors.New("the job's lease ran out and another worker took it over")
