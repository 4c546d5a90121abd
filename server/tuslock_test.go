package server

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/inlet-data/inlet/store"
	tusd "github.com/tus/tusd/v2/pkg/handler"
)

// Two replicas' lockers on one metadata store keep an upload to one
// writing request: the second waits and gets 423 Locked while the first
// holds it, takes it once it is released, and takes it by the clock when
// the first replica died holding it.
func TestSharedLockerAcrossReplicas(t *testing.T) {
	db, err := store.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "inlet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, b := newSharedLocker(db), newSharedLocker(db)
	a.lease, b.lease = 600*time.Millisecond, 600*time.Millisecond
	lock := func(l *sharedLocker, wait time.Duration) (*sharedLock, error) {
		k, err := l.NewLock("u1")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		return k.(*sharedLock), k.Lock(ctx, func() {})
	}
	onA, err := lock(a, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// Held past its lease: A renews it while its request writes.
	if _, err := lock(b, 1500*time.Millisecond); !errors.Is(err, tusd.ErrFileLocked) {
		t.Fatalf("B while A writes: %v, want ErrFileLocked", err)
	}
	if err := onA.Unlock(); err != nil {
		t.Fatal(err)
	}
	onB, err := lock(b, time.Second)
	if err != nil {
		t.Fatalf("B after A released: %v", err)
	}
	// B's replica dies holding it: its renewals stop, nothing unlocks.
	close(onB.stop)
	onB.done.Wait()
	start := time.Now()
	again, err := lock(a, 3*time.Second)
	if err != nil {
		t.Fatalf("A after B died: %v", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Errorf("A took a dead replica's lock after %v, before its lease ran out", waited)
	}
	again.Unlock()
}
