package testkit

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// LocalKMSVersion is the local-kms the tests run: a pinned pseudo-version
// of github.com/nsmithuk/local-kms that scripts/test builds (in a
// throwaway module) into LocalKMSBinaryPath.
const LocalKMSVersion = "v0.0.0-20231025161602-e4d9425700fe"

// LocalKMSBinaryPath is where the local-kms binary is: INLET_LOCAL_KMS_BIN,
// else the cache scripts/test fills (~/.cache/inlet-testkit/bin/local-kms-VERSION).
func LocalKMSBinaryPath() string {
	return toolPath("INLET_LOCAL_KMS_BIN", "local-kms", LocalKMSVersion)
}

// privateNetworkEnv marks the copy of a test binary that
// RunInPrivateNetwork started in a new network namespace.
const privateNetworkEnv = "INLET_TESTKIT_PRIVATE_NETWORK"

// privateNetwork says whether this process runs in a private network
// namespace with its loopback up; privateNetworkErr says why not.
var (
	privateNetwork    bool
	privateNetworkErr = errors.New("TestMain did not call testkit.RunInPrivateNetwork")
)

// RunInPrivateNetwork runs a test binary's tests in a network namespace
// of their own, where the only interface is loopback: for servers that
// listen on every interface with no option to bind one (local-kms), so
// nothing of theirs is reachable from outside the tests. Call it from
// TestMain: os.Exit(testkit.RunInPrivateNetwork(m)). It starts the test
// binary again, with the same arguments, in a new namespace (as unshare -n
// does; as root, or through a user namespace otherwise), brings lo up
// there, runs the tests and returns their exit code. Where no namespace
// can be made, the tests run here and the components that need one skip
// (fail under CI=true).
func RunInPrivateNetwork(m *testing.M) int {
	if os.Getenv(privateNetworkEnv) == "1" {
		if err := loopbackUp(); err != nil {
			privateNetworkErr = fmt.Errorf("bring up lo in the private network namespace: %w", err)
		} else {
			privateNetwork, privateNetworkErr = true, nil
		}
		return m.Run()
	}
	if _, err := os.Stat(LocalKMSBinaryPath()); err != nil {
		return m.Run() // nothing to isolate: LocalKMS reports the missing binary
	}
	cmd, err := privateNetworkCommand(os.Args[1:])
	if err != nil {
		privateNetworkErr = err
		return m.Run()
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		privateNetworkErr = fmt.Errorf("start the tests in a new network namespace: %w", err)
		return m.Run()
	}
	if err := cmd.Wait(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() >= 0 {
			return ee.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "tests in the private network namespace: %v\n", err)
		return 1
	}
	return 0
}

// InPrivateNetwork is RunInPrivateNetwork for one test of a binary whose
// other tests need the host's network: the test calls it first and goes on
// only if it returns true. Outside the namespace it runs the test binary
// again with -test.run naming just this test, in a new network namespace,
// reports that run's output and result, and returns false; inside, it
// brings lo up and returns true. Without the local-kms binary, or where no
// namespace can be made, it returns true: StartLocalKMS then skips (fails
// under CI=true).
func InPrivateNetwork(t *testing.T) bool {
	t.Helper()
	if os.Getenv(privateNetworkEnv) == "1" {
		loopbackOnce.Do(func() {
			if err := loopbackUp(); err != nil {
				privateNetworkErr = fmt.Errorf("bring up lo in the private network namespace: %w", err)
			} else {
				privateNetwork, privateNetworkErr = true, nil
			}
		})
		return true
	}
	if _, err := os.Stat(LocalKMSBinaryPath()); err != nil {
		return true
	}
	var run []string
	for _, part := range strings.Split(t.Name(), "/") {
		run = append(run, "^"+regexp.QuoteMeta(part)+"$")
	}
	cmd, err := privateNetworkCommand([]string{"-test.run=" + strings.Join(run, "/"), "-test.count=1", "-test.v"})
	if err != nil {
		privateNetworkErr = err
		return true
	}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		t.Logf("in a private network namespace:\n%s", out)
		if bytes.Contains(out, []byte("--- SKIP: "+t.Name()+" ")) {
			t.Skip("skipped in the private network namespace")
		}
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		t.Fatalf("in a private network namespace (exit %d):\n%s", ee.ExitCode(), out)
	default:
		privateNetworkErr = fmt.Errorf("start the test in a new network namespace: %w", err)
		return true
	}
	return false
}

var loopbackOnce sync.Once

// privateNetworkCommand is this test binary started again with args, in a
// new network namespace (and a user namespace when not root).
func privateNetworkCommand(args []string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), privateNetworkEnv+"=1")
	attr := &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET, Pdeathsig: syscall.SIGKILL}
	if os.Getuid() != 0 {
		// Unprivileged: a user namespace where we are root gives the
		// rights to make the network namespace and bring lo up in it.
		attr.Cloneflags |= syscall.CLONE_NEWUSER
		attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}}
		attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}}
		attr.GidMappingsEnableSetgroups = false
	}
	cmd.SysProcAttr = attr
	return cmd, nil
}

// loopbackUp sets the IFF_UP flag of lo (ip link set lo up).
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}

// onlyLoopback checks that this process sees no interface but loopback.
func onlyLoopback() error {
	ifs, err := net.Interfaces()
	if err != nil {
		return err
	}
	for _, i := range ifs {
		if i.Flags&net.FlagLoopback == 0 {
			return fmt.Errorf("interface %s is not loopback", i.Name)
		}
	}
	return nil
}

// LocalKMS is a local-kms server, reachable at Endpoint only from inside
// the test binary's private network namespace.
type LocalKMS struct {
	Endpoint  string // http://127.0.0.1:PORT
	Region    string
	AccountID string
}

// StartLocalKMS starts local-kms with its data in a temp directory; it
// stops with the test. Without the binary, or outside a private network
// namespace (see RunInPrivateNetwork), the test skips, or fails under
// CI=true.
func StartLocalKMS(t testing.TB) *LocalKMS {
	t.Helper()
	missing := func(msg string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	bin := LocalKMSBinaryPath()
	if _, err := os.Stat(bin); err != nil {
		missing(fmt.Sprintf("local-kms %s is not at %s (run ./scripts/test, which builds it, or set INLET_LOCAL_KMS_BIN)", LocalKMSVersion, bin))
	}
	if !privateNetwork {
		missing(fmt.Sprintf("local-kms listens on every interface, so it runs only in a private network namespace, and there is none: %v", privateNetworkErr))
	}
	// local-kms binds 0.0.0.0: make sure that means loopback only.
	if err := onlyLoopback(); err != nil {
		t.Fatalf("not starting local-kms: %v", err)
	}
	k := &LocalKMS{Region: "eu-west-1", AccountID: "111122223333"}
	port := FreePort(t)
	k.Endpoint = "http://127.0.0.1:" + strconv.Itoa(port)
	dir := t.TempDir()
	logPath := filepath.Join(dir, "local-kms.log")
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "KMS_REGION="+k.Region, "KMS_ACCOUNT_ID="+k.AccountID,
		"KMS_DATA_PATH="+filepath.Join(dir, "data"), "KMS_SEED_PATH="+filepath.Join(dir, "no-seed.yaml"))
	startTool(t, "local-kms", cmd, logPath, 20*time.Second, 50*time.Millisecond, func() bool {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
		if err != nil {
			return false
		}
		c.Close()
		return true
	})
	return k
}
