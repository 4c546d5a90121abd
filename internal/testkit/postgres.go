package testkit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// PostgresInstall is how to get the Postgres the tests start.
const PostgresInstall = "apt-get install -y postgresql"

// Postgres returns the URL of a new, empty database on a Postgres cluster
// that the test binary starts on first use (initdb into a temp directory,
// listening on 127.0.0.1 on a free port, its socket in that directory) and
// that StopPostgres removes. Each call gets its own database, dropped when
// the test ends.
func Postgres(t testing.TB) string {
	t.Helper()
	pgOnce.Do(func() { pgShared, pgErr = startPostgres() })
	if errors.Is(pgErr, errNoPostgres) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("postgres is not installed (CI=true needs it): %s", PostgresInstall)
		}
		t.Skipf("postgres is not installed, skipping (%s)", PostgresInstall)
	}
	if pgErr != nil {
		t.Fatalf("start postgres: %v", pgErr)
	}
	name := fmt.Sprintf("inlet_test_%d_%d", os.Getpid(), pgShared.seq.Add(1))
	ctx := context.Background()
	// A natural-language collation, as production databases have (en_US),
	// not C: text that sorts as bytes only by luck shows here.
	// (A server built without ICU gets the cluster's default.)
	if _, err := pgShared.admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`); err != nil {
		if _, err := pgShared.admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
			t.Fatalf("create database %s: %v", name, err)
		}
	}
	t.Cleanup(func() {
		if _, err := pgShared.admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	return pgShared.url(name)
}

// StopPostgres stops the cluster Postgres started, if any, and deletes its
// files. Call it from TestMain after m.Run.
func StopPostgres() {
	if pgShared == nil {
		return
	}
	pgShared.stop()
	pgShared = nil
}

var (
	pgOnce   sync.Once
	pgShared *pgCluster
	pgErr    error

	errNoPostgres = errors.New("postgres is not installed")
)

type pgCluster struct {
	dir   string // owned by the postgres user: data/, the socket, the log
	bin   string // the server's bin directory
	port  int
	cmd   *exec.Cmd
	admin *sql.DB
	seq   atomic.Int64
}

func (c *pgCluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// pgBin finds the newest installed server, e.g. /usr/lib/postgresql/15/bin.
func pgBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errNoPostgres
}

// pgCommand runs a Postgres program as the postgres user when we are root:
// the server refuses to run as root.
func pgCommand(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func startPostgres() (*pgCluster, error) {
	bin, err := pgBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "inlet-pg-")
	if err != nil {
		return nil, err
	}
	c := &pgCluster{dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("no postgres user to run the server as (%s creates it): %w", PostgresInstall, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := pgCommand(filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	// A free port can be taken between asking and binding: try a few.
	for try := 0; ; try++ {
		err = c.start()
		if err == nil {
			return c, nil
		}
		if try == 3 || !strings.Contains(err.Error(), "could not") {
			c.stop()
			return nil, err
		}
	}
}

func (c *pgCluster) start() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	logPath := filepath.Join(c.dir, "postgres.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	// Durability is not what these tests test: no fsync makes them fast.
	cmd := pgCommand(filepath.Join(c.bin, "postgres"), "-D", filepath.Join(c.dir, "data"),
		"-c", "listen_addresses=127.0.0.1", "-p", strconv.Itoa(c.port), "-k", c.dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// The server goes when the test binary dies without StopPostgres. The
	// signal follows the thread that started the child, so that thread is
	// kept (locked, waiting) for as long as the server runs.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	started := make(chan error, 1)
	exited := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		exited <- cmd.Wait()
	}()
	if err := <-started; err != nil {
		return err
	}
	c.cmd = cmd
	admin, err := sql.Open("pgx", c.url("postgres"))
	if err != nil {
		return err
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = admin.PingContext(ctx)
		cancel()
		if err == nil {
			c.admin = admin
			return nil
		}
		select {
		case <-exited:
			admin.Close()
			c.cmd = nil
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("postgres exited: %s", tail(string(log), 2000))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			admin.Close()
			return fmt.Errorf("postgres did not accept connections on 127.0.0.1:%d within a minute: %v", c.port, err)
		}
	}
}

func (c *pgCluster) stop() {
	if c.admin != nil {
		c.admin.Close()
	}
	if c.cmd != nil {
		pgCommand(filepath.Join(c.bin, "pg_ctl"), "-D", filepath.Join(c.dir, "data"), "stop", "-m", "fast", "-w").Run()
		c.cmd.Process.Kill() // runuser, if it outlived the server
	}
	os.RemoveAll(c.dir)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// PostgresBin is the path of one of the installed server's programs (e.g.
// pg_dump), or just its name if no server is installed.
func PostgresBin(name string) string {
	bin, err := pgBin()
	if err != nil {
		return name
	}
	return filepath.Join(bin, name)
}
