package duckdb

import (
	"context"
	"sort"
	"sync"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// The scheduler decides when a statement may run, and keeps the tenants'
// engine processes. Statements run at most Limits.Running at once in all,
// TenantRunning per tenant and UserRunning per user; the rest wait in one
// queue served fairly: the next to run is the waiting statement whose
// tenant runs the fewest, the earliest first among equals, so one tenant's
// burst never makes another tenant wait behind it. A tenant may also only
// run where an engine process is (or can be) its own: at most Engines
// processes live at once, and an idle one makes room for another tenant.

// Limits bound what statements may hold at once.
type Limits struct {
	Running       int           // statements at once, all tenants
	TenantRunning int           // statements at once per tenant
	UserRunning   int           // statements at once per user
	TenantQueue   int           // statements waiting per tenant; more are refused
	QueueTimeout  time.Duration // longest wait for a turn
	Engines       int           // tenant engine processes alive at once
}

type scheduler struct {
	lim   Limits
	start func(*proc) // starts a process (the engine's spawn)
	now   func() time.Time

	mu      sync.Mutex
	running int
	tenants map[string]*tenantLoad
	queue   []*waiter
	procs   map[string]*proc
	seq     uint64
	active  map[uint64]*waiter // granted, not yet released

	// stopping holds the processes taken out of procs and still stopping,
	// for stopAll to wait for: the engine's Close returns only once every
	// process it started has exited and been waited for.
	stopping map[*proc]bool

	// closing closes when the engine does: from then on nothing is
	// granted, so no statement starts a process that nobody would stop.
	closing chan struct{}
	closed  bool
}

type tenantLoad struct {
	running int
	queued  int
	users   map[string]int
}

// waiter is one statement, waiting for its turn or holding it.
type waiter struct {
	id      uint64
	tenant  string
	user    string
	since   time.Time
	started time.Time
	ready   chan struct{}
	proc    *proc // set when granted
}

func newScheduler(lim Limits, start func(*proc)) *scheduler {
	return &scheduler{lim: lim, start: start, now: time.Now, tenants: map[string]*tenantLoad{},
		procs: map[string]*proc{}, active: map[uint64]*waiter{}, stopping: map[*proc]bool{}, closing: make(chan struct{})}
}

// retire stops a process taken out of procs, in the background. s.mu is
// held.
func (s *scheduler) retire(p *proc) {
	s.stopping[p] = true
	go func() {
		p.stop()
		s.mu.Lock()
		delete(s.stopping, p)
		s.mu.Unlock()
	}()
}

// errClosed answers a statement that asks for a turn, or still waits for
// one, once the engine is closing.
var errClosed = inlet.Errorf(inlet.ETOOMANY, "the query engine is shutting down: try again in a moment")

func (s *scheduler) load(tenant string) *tenantLoad {
	t, ok := s.tenants[tenant]
	if !ok {
		t = &tenantLoad{users: map[string]int{}}
		s.tenants[tenant] = t
	}
	return t
}

// acquire waits for a statement's turn. onQueued, if set, hears how many
// statements are ahead when the statement has to wait.
func (s *scheduler) acquire(ctx context.Context, tenant, user string, onQueued func(ahead int)) (*waiter, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errClosed
	}
	t := s.load(tenant)
	if t.queued >= s.lim.TenantQueue {
		running := t.running
		s.mu.Unlock()
		return nil, inlet.Errorf(inlet.ETOOMANY, "tenant %s has %d queries running and %d waiting: try again when one finishes", tenant, running, s.lim.TenantQueue)
	}
	s.seq++
	w := &waiter{id: s.seq, tenant: tenant, user: user, since: s.now(), ready: make(chan struct{})}
	s.queue = append(s.queue, w)
	t.queued++
	s.dispatch()
	if w.proc != nil {
		s.mu.Unlock()
		return w, nil
	}
	ahead := s.position(w)
	s.mu.Unlock()
	if onQueued != nil {
		onQueued(ahead)
	}
	timer := time.NewTimer(s.lim.QueueTimeout)
	defer timer.Stop()
	select {
	case <-w.ready:
		return s.granted(w)
	case <-ctx.Done():
		s.abandon(w)
		return nil, ctx.Err()
	case <-s.closing:
		s.abandon(w)
		return nil, errClosed
	case <-timer.C:
		if !s.abandon(w) {
			return s.granted(w) // granted just now
		}
		return nil, inlet.Errorf(inlet.ETOOMANY, "the query waited %s for its turn behind other queries: try again in a moment", s.lim.QueueTimeout)
	}
}

// granted hands a waiter its turn, unless the engine closed since it was
// granted: its process is stopping, so the turn goes back and the
// statement hears why.
func (s *scheduler) granted(w *waiter) (*waiter, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		s.releaseLocked(w)
		return nil, errClosed
	}
	return w, nil
}

// abandon takes a waiter out of the queue; false if it was granted first,
// in which case the turn is given back.
func (s *scheduler) abandon(w *waiter) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, q := range s.queue {
		if q == w {
			s.queue = append(s.queue[:i], s.queue[i+1:]...)
			s.load(w.tenant).queued--
			return true
		}
	}
	s.releaseLocked(w)
	return false
}

// release gives a turn back.
func (s *scheduler) release(w *waiter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releaseLocked(w)
}

func (s *scheduler) releaseLocked(w *waiter) {
	if _, ok := s.active[w.id]; !ok {
		return
	}
	delete(s.active, w.id)
	t := s.load(w.tenant)
	s.running--
	t.running--
	if t.users[w.user]--; t.users[w.user] <= 0 {
		delete(t.users, w.user)
	}
	w.proc.refs--
	w.proc.lastUsed = s.now()
	s.dispatch()
}

// dispatch grants turns while a waiting statement can run, fairest first.
func (s *scheduler) dispatch() {
	for !s.closed {
		best := -1
		for i, w := range s.queue {
			if !s.canRun(w) {
				continue
			}
			if best < 0 || s.load(w.tenant).running < s.load(s.queue[best].tenant).running {
				best = i
			}
		}
		if best < 0 {
			return
		}
		w := s.queue[best]
		s.queue = append(s.queue[:best], s.queue[best+1:]...)
		t := s.load(w.tenant)
		t.queued--
		t.running++
		t.users[w.user]++
		s.running++
		w.proc = s.procFor(w.tenant)
		w.proc.refs++
		w.started = s.now()
		s.active[w.id] = w
		close(w.ready)
	}
}

func (s *scheduler) canRun(w *waiter) bool {
	t := s.load(w.tenant)
	if s.running >= s.lim.Running || t.running >= s.lim.TenantRunning || t.users[w.user] >= s.lim.UserRunning {
		return false
	}
	if p, ok := s.procs[w.tenant]; ok && !p.exited() {
		return true
	}
	return len(s.procs) < s.lim.Engines || s.idlest() != nil
}

// procFor returns the tenant's engine process, making room for a new one
// (the idlest process of another tenant stops) when none is running.
func (s *scheduler) procFor(tenant string) *proc {
	if p, ok := s.procs[tenant]; ok {
		if !p.exited() {
			return p
		}
		delete(s.procs, tenant)
	}
	if len(s.procs) >= s.lim.Engines {
		if idle := s.idlest(); idle != nil {
			delete(s.procs, idle.tenant)
			s.retire(idle)
		}
	}
	p := newProc(tenant, s.start)
	s.procs[tenant] = p
	return p
}

// idlest is the unused process that has been unused longest.
func (s *scheduler) idlest() *proc {
	var best *proc
	for _, p := range s.procs {
		if p.refs == 0 && (best == nil || p.lastUsed.Before(best.lastUsed)) {
			best = p
		}
	}
	return best
}

// position counts the statements queued before w.
func (s *scheduler) position(w *waiter) int {
	for i, q := range s.queue {
		if q == w {
			return i
		}
	}
	return 0
}

// reap stops processes unused for longer than idle, and forgets exited ones.
func (s *scheduler) reap(idle time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tenant, p := range s.procs {
		if p.refs == 0 && (p.exited() || s.now().Sub(p.lastUsed) > idle) {
			delete(s.procs, tenant)
			s.retire(p)
		}
	}
}

// stopAll stops every process (the engine is closing) and waits for
// them, and for those stopped before, to exit.
func (s *scheduler) stopAll() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.closing)
	}
	for tenant, p := range s.procs {
		delete(s.procs, tenant)
		s.retire(p)
	}
	var stopping []*proc
	for p := range s.stopping {
		stopping = append(stopping, p)
	}
	s.mu.Unlock()
	for _, p := range stopping {
		<-p.done
	}
}

// statements lists a tenant's statements, running and waiting.
func (s *scheduler) statements(tenant string) []inlet.Statement {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []inlet.Statement
	for _, w := range s.active {
		if w.tenant == tenant {
			out = append(out, inlet.Statement{ID: w.id, User: w.user, State: "running", Since: w.started})
		}
	}
	for i, w := range s.queue {
		if w.tenant == tenant {
			out = append(out, inlet.Statement{ID: w.id, User: w.user, State: "queued", Since: w.since, Ahead: i})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
