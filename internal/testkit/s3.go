package testkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
)

// VersityGWVersion is the S3 server the tests run against (real SigV4,
// multipart, presigned URLs), built by scripts/test.
const VersityGWVersion = "v1.8.0"

// S3Server is a running S3 server and a bucket of the test's own.
type S3Server struct {
	Endpoint  string // http://127.0.0.1:PORT
	Region    string
	AccessKey string
	SecretKey string
	Bucket    string // fresh, empty, for this test
	Dir       string // the posix directory objects live in (bucket/key as files)
}

// Env sets the standard AWS variables for the server's credentials for the
// rest of the test.
func (s *S3Server) Env(t testing.TB) {
	t.Setenv("AWS_ACCESS_KEY_ID", s.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", s.SecretKey)
	t.Setenv("AWS_REGION", s.Region)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// Client is an S3 client for the server, independent of the code under
// test.
func (s *S3Server) Client() *awss3.Client {
	return awss3.New(awss3.Options{
		Region:       s.Region,
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),
	})
}

var s3Shared struct {
	once sync.Once
	srv  *S3Server
	err  error
}

// S3 returns the test binary's S3 server (started on first use, stopped
// when the binary exits) with a new bucket for t.
func S3(t testing.TB) *S3Server {
	t.Helper()
	s3Shared.once.Do(func() { s3Shared.srv, s3Shared.err = s3Start() })
	if s3Shared.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("S3 server: %v", s3Shared.err)
		}
		t.Skipf("S3 server: %v (scripts/test builds it)", s3Shared.err)
	}
	s := *s3Shared.srv
	b := make([]byte, 6)
	rand.Read(b)
	s.Bucket = "t-" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.Client().CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: &s.Bucket}); err != nil {
		t.Fatalf("create bucket %s: %v", s.Bucket, err)
	}
	return &s
}

// VersityGWPath is where the built server is cached.
func VersityGWPath() string {
	return toolPath("INLET_TESTKIT_VERSITYGW", "versitygw", VersityGWVersion)
}

func s3Start() (*S3Server, error) {
	bin := VersityGWPath()
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("versitygw %s not found at %s", VersityGWVersion, bin)
	}
	dir, err := os.MkdirTemp("", "inlet-testkit-s3-")
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	rand.Read(key)
	srv := &S3Server{Region: "us-east-1", AccessKey: "inlettest", SecretKey: hex.EncodeToString(key), Dir: dir}
	var lastErr error
	for range 3 {
		port, err := s3FreePort()
		if err != nil {
			return nil, err
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		// The shell stops the server and removes its directory when the
		// test binary goes away (its stdin, our pipe, closes), however
		// the binary ends.
		cmd := exec.Command("/bin/sh", "-c", `"$0" --port "$1" posix "$2" & pid=$!; read _; kill $pid; wait $pid; rm -rf "$2"`, bin, addr, dir)
		cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+srv.AccessKey, "ROOT_SECRET_KEY="+srv.SecretKey)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		stdin, err := cmd.StdinPipe()
		if err != nil {
			return nil, err
		}
		var out strings.Builder
		lw := &s3Log{b: &out}
		cmd.Stdout, cmd.Stderr = lw, lw
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		srv.Endpoint = "http://" + addr
		if lastErr = s3Ready(srv.Endpoint, 20*time.Second); lastErr == nil {
			s3Stdin = stdin // open until the binary exits
			return srv, nil
		}
		stdin.Close()
		cmd.Wait()
		lastErr = fmt.Errorf("versitygw on %s: %w: %s", addr, lastErr, s3Tail(out.String()))
	}
	return nil, lastErr
}

// s3Stdin is the running server's stdin: closing it (the binary exiting)
// stops the server.
var s3Stdin io.Closer

// s3Log keeps the first 64 KiB the server prints, for a failed start.
type s3Log struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (l *s3Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() < 64<<10 {
		l.b.Write(p)
	}
	return len(p), nil
}

func s3Tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 2000 {
		s = s[len(s)-2000:]
	}
	return s
}

func s3FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// s3Ready waits for the server to answer HTTP (any status: an anonymous
// request is refused, which is an answer).
func s3Ready(endpoint string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(endpoint + "/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not answering: %w", err)
		}
		if strings.Contains(err.Error(), "refused") {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		time.Sleep(200 * time.Millisecond)
	}
}
