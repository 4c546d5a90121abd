package server

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
	tusd "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
)

// Locks are named locks every replica shares (store.DB's lock table).
type Locks interface {
	// TryLock takes or renews name for holder until lease from now, and
	// says whether it did.
	TryLock(ctx context.Context, name, holder string, lease time.Duration) (bool, error)
	Unlock(ctx context.Context, name, holder string) error
}

// sharedLocker keeps a resumable upload to one writing request across
// replicas. A client whose request broke retries, perhaps through another
// replica, while the first may still be writing: the two would write the
// same parts. Within a replica, tusd's memory locker asks an older request
// to stop; across replicas the second waits for the first's lock (or its
// lease, if that replica died) and gets 423 Locked if it does not come.
type sharedLocker struct {
	locks Locks
	local *memorylocker.MemoryLocker
	lease time.Duration
}

// tusLockLease is how long a replica holds an upload's lock without
// renewing it: a replica that dies frees it after this.
const tusLockLease = 30 * time.Second

func newSharedLocker(locks Locks) *sharedLocker {
	return &sharedLocker{locks: locks, local: memorylocker.New(), lease: tusLockLease}
}

func (l *sharedLocker) UseIn(c *tusd.StoreComposer) { c.UseLocker(l) }

func (l *sharedLocker) NewLock(id string) (tusd.Lock, error) {
	local, err := l.local.NewLock(id)
	if err != nil {
		return nil, err
	}
	return &sharedLock{l: l, local: local, name: "tus:" + id}, nil
}

type sharedLock struct {
	l      *sharedLocker
	local  tusd.Lock
	name   string
	holder string
	stop   chan struct{}
	done   sync.WaitGroup
}

// lockPoll is how often a request waiting for another replica's lock
// tries again.
const lockPoll = 200 * time.Millisecond

func (k *sharedLock) Lock(ctx context.Context, requestUnlock func()) error {
	if err := k.local.Lock(ctx, requestUnlock); err != nil {
		return err
	}
	k.holder = uuid.NewString()
	for {
		ok, err := k.l.locks.TryLock(ctx, k.name, k.holder, k.l.lease)
		if err == nil && ok {
			break
		}
		select {
		case <-ctx.Done():
			k.local.Unlock()
			if err != nil {
				return err
			}
			return tusd.ErrFileLocked
		case <-time.After(lockPoll):
		}
	}
	k.stop = make(chan struct{})
	k.done.Add(1)
	go k.renew()
	return nil
}

// renew keeps the lock while the request writes.
func (k *sharedLock) renew() {
	defer k.done.Done()
	t := time.NewTicker(k.l.lease / 3)
	defer t.Stop()
	for {
		select {
		case <-k.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), k.l.lease/3)
			k.l.locks.TryLock(ctx, k.name, k.holder, k.l.lease)
			cancel()
		}
	}
}

func (k *sharedLock) Unlock() error {
	if k.stop == nil { // never locked
		return nil
	}
	close(k.stop)
	k.done.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := k.l.locks.Unlock(ctx, k.name, k.holder)
	if lerr := k.local.Unlock(); err == nil {
		err = lerr
	}
	return err
}
