package duckdb

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// proc is the engine's handle on one tenant's engine process. It starts
// on first use; refs and lastUsed belong to the scheduler (under its lock).
type proc struct {
	tenant   string
	refs     int
	lastUsed time.Time

	startOnce sync.Once
	start     func(*proc)
	started   chan struct{} // closed once the process is ready or failed
	startErr  error

	cmd    *exec.Cmd
	stdin  io.WriteCloser // closing it stops the process
	socket string
	dir    string
	done   chan struct{} // closed when the process has exited
	status error         // its exit status, once done
}

func newProc(tenant string, start func(*proc)) *proc {
	return &proc{tenant: tenant, start: start, started: make(chan struct{}), done: make(chan struct{}), lastUsed: time.Now()}
}

// ready starts the process if nobody has, and waits until it listens.
func (p *proc) ready(ctx context.Context) error {
	p.startOnce.Do(func() { go p.start(p) })
	select {
	case <-p.started:
		return p.startErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

// exited reports whether the process has exited (or never started).
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// dial opens a connection for one statement.
func (p *proc) dial(ctx context.Context) (net.Conn, error) {
	if err := p.ready(ctx); err != nil {
		return nil, err
	}
	var d net.Dialer
	return d.DialContext(ctx, "unix", p.socket)
}

// stop ends the process: its stdin closes (it exits at once), and after a
// grace period it is killed.
func (p *proc) stop() {
	p.startOnce.Do(func() { // never started: nothing to stop
		p.startErr = errors.New("stopped before it started")
		close(p.started)
		close(p.done)
	})
	<-p.started
	if p.stdin != nil {
		p.stdin.Close()
	}
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		if p.cmd != nil && p.cmd.Process != nil {
			p.cmd.Process.Kill()
		}
		<-p.done
	}
}

// exitReason says how the process ended, for errors and logs.
func (p *proc) exitReason() string {
	<-p.done
	var ee *exec.ExitError
	if errors.As(p.status, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return "killed by " + ws.Signal().String()
		}
		return fmt.Sprintf("exit status %d", ee.ExitCode())
	}
	if p.status != nil {
		return p.status.Error()
	}
	return "exited"
}

// crashed reports whether the process died of a fault (a bug), rather than
// of running out of memory or being stopped.
func (p *proc) crashed() bool {
	var ee *exec.ExitError
	if errors.As(p.status, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return ws.Signal() == syscall.SIGSEGV || ws.Signal() == syscall.SIGBUS || ws.Signal() == syscall.SIGILL
		}
	}
	return false
}

// launch starts the process with cmd and waits for its "ready"; done
// closes whatever happens.
func (p *proc) launch(cmd *exec.Cmd, dir string, log func(line string)) error {
	p.cmd, p.dir = cmd, dir
	notStarted := func(err error) error {
		p.status = err
		os.RemoveAll(dir)
		close(p.done)
		return err
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return notStarted(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return notStarted(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return notStarted(err)
	}
	p.stdin = stdin
	if err := cmd.Start(); err != nil {
		return notStarted(fmt.Errorf("start the query engine: %w", err))
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			log(sc.Text())
		}
	}()
	go func() {
		p.status = cmd.Wait()
		os.RemoveAll(dir)
		close(p.done)
	}()
	readyc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() && sc.Text() == "ready" {
			readyc <- nil
			io.Copy(io.Discard, stdout)
			return
		}
		readyc <- errors.New("the query engine did not start")
	}()
	select {
	case err := <-readyc:
		if err != nil {
			<-p.done
			return fmt.Errorf("%w (%s)", err, p.exitReason())
		}
		return nil
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		return errors.New("the query engine did not start within a minute")
	}
}
