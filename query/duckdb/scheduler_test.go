package duckdb

import (
	"context"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// A scheduler whose processes start at once and do nothing.
func testScheduler(lim Limits) *scheduler {
	if lim.QueueTimeout == 0 {
		lim.QueueTimeout = time.Minute
	}
	return newScheduler(lim, func(p *proc) { close(p.started) })
}

func mustAcquire(t *testing.T, s *scheduler, tenant, user string) *waiter {
	t.Helper()
	w, err := s.acquire(context.Background(), tenant, user, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// waitAsync starts an acquire that will wait, and reports when it is granted.
func waitAsync(s *scheduler, tenant, user string) (chan *waiter, chan int) {
	got, queued := make(chan *waiter, 1), make(chan int, 1)
	go func() {
		w, err := s.acquire(context.Background(), tenant, user, func(ahead int) { queued <- ahead })
		if err == nil {
			got <- w
		}
	}()
	return got, queued
}

func TestAnotherTenantDoesNotWaitBehindABurst(t *testing.T) {
	s := testScheduler(Limits{Running: 4, TenantRunning: 3, UserRunning: 3, TenantQueue: 32, Engines: 4})
	var held []*waiter
	for i := 0; i < 3; i++ {
		held = append(held, mustAcquire(t, s, "acme", "alice"))
	}
	// Acme's next nine wait: its tenant limit is reached.
	var acme []chan *waiter
	for i := 0; i < 9; i++ {
		got, queued := waitAsync(s, "acme", "alice")
		<-queued
		acme = append(acme, got)
	}
	// Globex runs at once: nothing of acme's queue is ahead of it.
	w, err := s.acquire(context.Background(), "globex", "bob", func(int) { t.Error("globex was queued behind acme") })
	if err != nil {
		t.Fatal(err)
	}
	s.release(w)
	// When acme's statements end, its queue moves in order.
	s.release(held[0])
	select {
	case <-acme[0]:
	case <-time.After(5 * time.Second):
		t.Fatal("acme's first waiting statement did not run when a slot freed")
	}
}

func TestFairOrderWhenTheServerIsFull(t *testing.T) {
	s := testScheduler(Limits{Running: 2, TenantRunning: 2, UserRunning: 2, TenantQueue: 32, Engines: 4})
	a1, a2 := mustAcquire(t, s, "acme", "alice"), mustAcquire(t, s, "acme", "alice")
	acmeNext, q1 := waitAsync(s, "acme", "alice")
	<-q1
	globexNext, q2 := waitAsync(s, "globex", "bob")
	if ahead := <-q2; ahead != 1 {
		t.Errorf("globex's statement has %d ahead, want 1 (acme's)", ahead)
	}
	// Acme runs two, globex none: the freed slot goes to globex, though
	// acme's statement waited longer.
	s.release(a1)
	select {
	case <-globexNext:
	case <-acmeNext:
		t.Fatal("acme's third statement ran before globex's first")
	case <-time.After(5 * time.Second):
		t.Fatal("nothing ran")
	}
	s.release(a2)
	select {
	case <-acmeNext:
	case <-time.After(5 * time.Second):
		t.Fatal("acme's waiting statement never ran")
	}
}

func TestOneUserCannotTakeTheTenant(t *testing.T) {
	s := testScheduler(Limits{Running: 8, TenantRunning: 4, UserRunning: 2, TenantQueue: 32, Engines: 4})
	mustAcquire(t, s, "acme", "alice")
	mustAcquire(t, s, "acme", "alice")
	_, queued := waitAsync(s, "acme", "alice")
	<-queued // alice's third waits
	w, err := s.acquire(context.Background(), "acme", "carol", func(int) { t.Error("carol waited behind alice") })
	if err != nil {
		t.Fatal(err)
	}
	s.release(w)
	list := s.statements("acme")
	var running, waiting int
	for _, st := range list {
		switch st.State {
		case "running":
			running++
		case "queued":
			waiting++
		}
	}
	if running != 2 || waiting != 1 {
		t.Fatalf("statements %+v, want 2 running and 1 queued", list)
	}
}

func TestQueueBounds(t *testing.T) {
	s := testScheduler(Limits{Running: 1, TenantRunning: 1, UserRunning: 1, TenantQueue: 2, Engines: 4, QueueTimeout: 200 * time.Millisecond})
	mustAcquire(t, s, "acme", "alice")
	_, q1 := waitAsync(s, "acme", "alice")
	_, q2 := waitAsync(s, "acme", "alice")
	<-q1
	<-q2
	if _, err := s.acquire(context.Background(), "acme", "alice", nil); inlet.ErrorCode(err) != inlet.ETOOMANY {
		t.Fatalf("a third waiting statement: %v, want ETOOMANY", err)
	}
	s2 := testScheduler(Limits{Running: 1, TenantRunning: 1, UserRunning: 1, TenantQueue: 2, Engines: 4, QueueTimeout: 100 * time.Millisecond})
	mustAcquire(t, s2, "acme", "alice")
	if _, err := s2.acquire(context.Background(), "acme", "alice", nil); inlet.ErrorCode(err) != inlet.ETOOMANY {
		t.Fatalf("a statement past the queue timeout: %v, want ETOOMANY", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s2.acquire(ctx, "acme", "alice", nil); err == nil {
		t.Fatal("a cancelled wait returned a turn")
	}
	if n := len(s2.queue); n != 0 {
		t.Fatalf("%d waiters left in the queue after they gave up", n)
	}
}

func TestEnginesAreBoundedAndIdleOnesMakeRoom(t *testing.T) {
	s := testScheduler(Limits{Running: 8, TenantRunning: 4, UserRunning: 4, TenantQueue: 32, Engines: 2})
	a := mustAcquire(t, s, "acme", "u")
	b := mustAcquire(t, s, "globex", "u")
	// Both engines are busy: a third tenant waits.
	got, queued := waitAsync(s, "initech", "u")
	<-queued
	s.release(a) // acme's engine is idle now: it makes room
	select {
	case w := <-got:
		if len(s.procs) != 2 {
			t.Fatalf("%d engine processes, want at most 2", len(s.procs))
		}
		if _, ok := s.procs["acme"]; ok {
			t.Fatal("acme's idle engine was not the one stopped")
		}
		s.release(w)
	case <-time.After(5 * time.Second):
		t.Fatal("initech never ran")
	}
	s.release(b)
}

// TestNothingIsGrantedAfterClose: a statement still waiting when the engine
// closes is refused, and a turn given back after Close grants nothing, so
// no statement starts a process that nobody would stop.
func TestNothingIsGrantedAfterClose(t *testing.T) {
	s := testScheduler(Limits{Running: 1, TenantRunning: 1, UserRunning: 1, TenantQueue: 8, Engines: 2})
	held := mustAcquire(t, s, "acme", "alice")
	refused := make(chan error, 1)
	queued := make(chan int, 1)
	go func() {
		w, err := s.acquire(context.Background(), "globex", "bob", func(ahead int) { queued <- ahead })
		if w != nil {
			t.Error("a waiting statement was granted a turn after Close")
		}
		refused <- err
	}()
	<-queued
	s.stopAll()
	select {
	case err := <-refused:
		if err != errClosed {
			t.Errorf("the waiting statement got %v, want %v", err, errClosed)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a statement waiting when the engine closed still waits")
	}
	s.release(held)
	if _, err := s.acquire(context.Background(), "acme", "alice", nil); err != errClosed {
		t.Errorf("acquire after Close: got %v, want %v", err, errClosed)
	}
	s.mu.Lock()
	procs, active, waiting := len(s.procs), len(s.active), len(s.queue)
	s.mu.Unlock()
	if procs != 0 || active != 0 || waiting != 0 {
		t.Errorf("after Close: %d processes, %d granted, %d queued; want none", procs, active, waiting)
	}
	s.stopAll() // a second Close does nothing
}

// TestATurnGrantedAsTheEngineClosesIsGivenBack: a statement granted its turn
// just before Close, that wakes after it, gets errClosed rather than a
// process that is stopping, and its turn is given back.
func TestATurnGrantedAsTheEngineClosesIsGivenBack(t *testing.T) {
	s := testScheduler(Limits{Running: 2, TenantRunning: 2, UserRunning: 2, TenantQueue: 8, Engines: 2})
	s.mu.Lock()
	w := &waiter{id: 1, tenant: "acme", user: "alice", ready: make(chan struct{})}
	s.queue = append(s.queue, w)
	s.load("acme").queued++
	s.dispatch() // granted: w.ready is closed, as acquire would find it
	s.mu.Unlock()
	s.stopAll()
	if got, err := s.granted(w); got != nil || err != errClosed {
		t.Errorf("granted after Close: got %v, %v; want nil, %v", got, err, errClosed)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running != 0 || len(s.active) != 0 {
		t.Errorf("the turn was not given back: %d running, %d granted", s.running, len(s.active))
	}
}
