package store

import (
	"context"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// TryLock takes the lock name for holder until lease from now, if nobody
// holds it or its holder's lease has run out; it says whether it did. The
// holder renews it the same way, and gives it up with Unlock.
func (s *DB) TryLock(ctx context.Context, name, holder string, lease time.Duration) (bool, error) {
	if name == "" || holder == "" {
		return false, inlet.Errorf(inlet.EINVALID, "a lock needs a name and a holder")
	}
	now := s.Now()
	res, err := s.db.ExecContext(ctx, `INSERT INTO locks (name, holder, lease_until) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
		WHERE locks.holder = excluded.holder OR locks.lease_until < ?`,
		name, holder, formatTime(now.Add(lease)), formatTime(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Unlock gives up holder's lock name; a lock another holder has since
// taken stays theirs.
func (s *DB) Unlock(ctx context.Context, name, holder string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM locks WHERE name = ? AND holder = ?`, name, holder)
	return err
}

// DeleteStaleLocks removes locks whose lease ran out more than age ago: a
// replica that died holding them left them behind.
func (s *DB) DeleteStaleLocks(ctx context.Context, age time.Duration) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM locks WHERE lease_until < ?`, formatTime(s.Now().Add(-age)))
	return err
}
