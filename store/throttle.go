package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Failures returns how many failures a key has had since window before now,
// and when the last was; older failures are forgotten.
func (s *DB) Failures(ctx context.Context, key string, window time.Duration) (int, time.Time, error) {
	var n int
	var last string
	err := s.db.QueryRowContext(ctx, `SELECT failures, last_at FROM throttle WHERE key = ?`, key).Scan(&n, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	} else if err != nil {
		return 0, time.Time{}, err
	}
	t := parseTime(last)
	if s.Now().Sub(t) > window {
		return 0, time.Time{}, nil
	}
	return n, t, nil
}

// Fail counts one more failure for a key (starting again after window).
func (s *DB) Fail(ctx context.Context, key string, window time.Duration) error {
	now := s.Now()
	_, err := s.db.ExecContext(ctx, `INSERT INTO throttle (key, failures, last_at) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN throttle.last_at < ? THEN 1 ELSE throttle.failures + 1 END, last_at = excluded.last_at`,
		key, formatTime(now), formatTime(now.Add(-window)))
	return err
}

// ForgetFailures clears a key's failures.
func (s *DB) ForgetFailures(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM throttle WHERE key = ?`, key)
	return err
}

// DeleteStaleFailures removes counters idle for longer than window.
func (s *DB) DeleteStaleFailures(ctx context.Context, window time.Duration) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM throttle WHERE last_at < ?`, formatTime(s.Now().Add(-window)))
	return err
}
