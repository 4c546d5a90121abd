package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// MaxAttempts is how often a job is tried before it is failed for good.
const MaxAttempts = 3

func (s *DB) CreateJob(ctx context.Context, j *inlet.Job) error {
	progress, _ := json.Marshal(j.Progress)
	var started, lease sql.NullString
	if j.StartedAt != nil {
		started = sql.NullString{String: formatTime(*j.StartedAt), Valid: true}
	}
	if j.LeaseUntil != nil {
		lease = sql.NullString{String: formatTime(*j.LeaseUntil), Valid: true}
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO jobs (id, tenant, kind, state, spec, progress, attempts, created_by, created_at, started_at, lease_until)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		j.ID, j.Tenant, j.Kind, j.State, string(j.Spec), string(progress), j.Attempts, j.CreatedBy, formatTime(j.CreatedAt), started, lease)
	return translate(err, "job "+j.ID)
}

const jobColumns = `id, tenant, kind, state, spec, progress, result, error, attempts, created_by, created_at, started_at, finished_at, lease_until`

func scanJob(r scanner) (*inlet.Job, error) {
	var j inlet.Job
	var spec, progress, created string
	var result, jobErr, started, finished, lease sql.NullString
	if err := r.Scan(&j.ID, &j.Tenant, &j.Kind, &j.State, &spec, &progress, &result, &jobErr, &j.Attempts, &j.CreatedBy,
		&created, &started, &finished, &lease); err != nil {
		return nil, err
	}
	j.Spec = json.RawMessage(spec)
	_ = json.Unmarshal([]byte(progress), &j.Progress)
	if result.Valid {
		j.Result = json.RawMessage(result.String)
	}
	if jobErr.Valid {
		j.Error = &inlet.Error{}
		_ = json.Unmarshal([]byte(jobErr.String), j.Error)
	}
	j.CreatedAt = parseTime(created)
	j.StartedAt, j.FinishedAt, j.LeaseUntil = parseTimePtr(started), parseTimePtr(finished), parseTimePtr(lease)
	return &j, nil
}

func (s *DB) Job(ctx context.Context, tenant, id string) (*inlet.Job, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE tenant = ? AND id = ?`, tenant, id))
	return j, translate(err, "job "+id)
}

func (s *DB) Jobs(ctx context.Context, tenant string, limit int) ([]*inlet.Job, error) {
	return queryAll(ctx, s, scanJob, `SELECT `+jobColumns+` FROM jobs WHERE tenant = ? ORDER BY created_at DESC LIMIT ?`, tenant, limit)
}

// ClaimJob takes the oldest runnable job under a lease. A running job whose
// lease expired belonged to a worker that died; it is taken over, or failed
// for good once it has had MaxAttempts.
func (s *DB) ClaimJob(ctx context.Context, lease time.Duration) (*inlet.Job, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := formatTime(s.Now())
	for {
		// Fair across tenants: the oldest job of a tenant with the fewest
		// jobs running goes first, so one tenant's burst (a hundred
		// exports, a batch of ingests) does not make every other tenant
		// wait behind it.
		j, err := scanJob(tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs
			WHERE state = ? OR (state = ? AND lease_until < ?)
			ORDER BY (SELECT count(*) FROM jobs r WHERE r.tenant = jobs.tenant AND r.state = ? AND r.lease_until >= ?), created_at
			LIMIT 1`+tx.d.skipLocked(), inlet.JobQueued, inlet.JobRunning, now, inlet.JobRunning, now))
		if err == sql.ErrNoRows {
			return nil, tx.Commit()
		} else if err != nil {
			return nil, err
		}
		if j.Attempts >= MaxAttempts {
			e, _ := json.Marshal(inlet.Errorf(inlet.EINTERNAL, "the job was interrupted %d times and was given up", j.Attempts))
			if _, err := tx.ExecContext(ctx, `UPDATE jobs SET state = ?, error = ?, finished_at = ?, lease_until = NULL WHERE id = ?`,
				inlet.JobFailed, string(e), now, j.ID); err != nil {
				return nil, err
			}
			continue
		}
		until := s.Now().Add(lease)
		if _, err := tx.ExecContext(ctx, `UPDATE jobs SET state = ?, attempts = attempts + 1, lease_until = ?, started_at = COALESCE(started_at, ?) WHERE id = ?`,
			inlet.JobRunning, formatTime(until), now, j.ID); err != nil {
			return nil, err
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
		j.State = inlet.JobRunning
		j.Attempts++
		j.LeaseUntil = &until
		if j.StartedAt == nil {
			started := parseTime(now)
			j.StartedAt = &started
		}
		return j, nil
	}
}

// UpdateJobProgress is fenced by the attempt: a worker whose job was taken
// over gets ErrLeaseLost instead of extending the new owner's lease.
func (s *DB) UpdateJobProgress(ctx context.Context, id string, attempt int, p inlet.JobProgress, lease time.Duration) error {
	b, _ := json.Marshal(p)
	res, err := s.db.ExecContext(ctx, `UPDATE jobs SET progress = ?, lease_until = ? WHERE id = ? AND state = ? AND attempts = ?`,
		string(b), formatTime(s.Now().Add(lease)), id, inlet.JobRunning, attempt)
	return fenced(res, err)
}

// fenced turns an update of no row into ErrLeaseLost.
func fenced(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return inlet.ErrLeaseLost
	}
	return nil
}

func (s *DB) FinishJob(ctx context.Context, id string, attempt int, result json.RawMessage, jobErr *inlet.Error) error {
	state := inlet.JobSucceeded
	var res, e sql.NullString
	if result != nil {
		res = sql.NullString{String: string(result), Valid: true}
	}
	if jobErr != nil {
		state = inlet.JobFailed
		b, _ := json.Marshal(jobErr)
		e = sql.NullString{String: string(b), Valid: true}
	}
	r, err := s.db.ExecContext(ctx, `UPDATE jobs SET state = ?, result = ?, error = ?, finished_at = ?, lease_until = NULL WHERE id = ? AND state = ? AND attempts = ?`,
		state, res, e, formatTime(s.Now()), id, inlet.JobRunning, attempt)
	return fenced(r, err)
}

// ReleaseJob puts a running job back in the queue: a worker that shuts down
// hands it to the next claimant now rather than after its lease. The
// attempt it used is given back, so rolling restarts never give a job up.
func (s *DB) ReleaseJob(ctx context.Context, id string, attempt int) error {
	res, err := s.db.ExecContext(ctx, `UPDATE jobs SET state = ?, lease_until = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
		WHERE id = ? AND state = ? AND attempts = ?`, inlet.JobQueued, id, inlet.JobRunning, attempt)
	return fenced(res, err)
}
