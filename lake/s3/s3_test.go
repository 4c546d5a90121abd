package s3_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
	"github.com/inlet-data/inlet/lake/s3"
)

// A large object goes up in parts (its ETag says so), and a cancelled or
// abandoned large create leaves no upload behind once its prefix is
// deleted.
func TestMultipart(t *testing.T) {
	srv := testkit.S3(t)
	l := open(t, srv, s3.Config{PartSize: s3.MinPartSize})
	ctx := context.Background()
	cli := srv.Client()
	big := bytes.Repeat([]byte("0123456789abcdef"), (2*s3.MinPartSize+1000)/16)

	w, err := l.Create(ctx, l.URL()+"/t/data/big")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(big)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	head, err := cli.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: &srv.Bucket, Key: aws.String("lake/t/data/big")})
	if err != nil {
		t.Fatal(err)
	}
	if etag := aws.ToString(head.ETag); !strings.HasSuffix(strings.Trim(etag, `"`), "-3") {
		t.Errorf("ETag %s: want a 3-part upload", etag)
	}
	if aws.ToInt64(head.ContentLength) != int64(len(big)) {
		t.Errorf("size %d, want %d", aws.ToInt64(head.ContentLength), len(big))
	}

	uploads := func() int {
		out, err := cli.ListMultipartUploads(ctx, &awss3.ListMultipartUploadsInput{Bucket: &srv.Bucket})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Uploads)
	}
	// Cancelled after two parts went up: aborted at Close.
	cctx, cancel := context.WithCancel(ctx)
	w, _ = l.Create(cctx, l.URL()+"/t/data/cancelled")
	w.Write(big)
	if uploads() != 1 {
		t.Fatalf("uploads under way: %d, want 1", uploads())
	}
	cancel()
	if err := w.Close(); err == nil {
		t.Error("Close after cancel succeeded")
	}
	if n := uploads(); n != 0 {
		t.Errorf("after a cancelled create: %d uploads left", n)
	}
	// Abandoned (never closed, the process died): DeletePrefix aborts it.
	w, _ = l.Create(ctx, l.URL()+"/t/data/job-9-0-00001.parquet")
	w.Write(big)
	if uploads() != 1 {
		t.Fatalf("uploads under way: %d, want 1", uploads())
	}
	if err := l.DeletePrefix(ctx, l.URL()+"/t/data/job-9-"); err != nil {
		t.Fatal(err)
	}
	if n := uploads(); n != 0 {
		t.Errorf("after DeletePrefix: %d uploads left", n)
	}
}

// Reads of an open object stay on the version opened: a replacement
// mid-read is an error, not a mix of two objects.
func TestReadPinned(t *testing.T) {
	srv := testkit.S3(t)
	l := open(t, srv, s3.Config{})
	ctx := context.Background()
	loc := l.URL() + "/exports/e/x.csv"
	put := func(s string) {
		w, _ := l.Create(ctx, loc)
		w.Write([]byte(s))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	put("version one")
	r, err := l.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	put("version two!")
	if _, err := r.ReadAt(make([]byte, 4), 0); err == nil {
		t.Error("ReadAt of a replaced object succeeded")
	}
	if _, err := io.ReadAll(r); err == nil {
		t.Error("Read of a replaced object succeeded")
	}
}

// Locations outside the lake's bucket and prefix are refused.
func TestOutside(t *testing.T) {
	srv := testkit.S3(t)
	l := open(t, srv, s3.Config{})
	ctx := context.Background()
	for _, loc := range []string{
		"s3://other-bucket/lake/t/x",
		"s3://" + srv.Bucket + "/elsewhere/x",
		"s3://" + srv.Bucket + "/lakeside/x",
		l.URL() + "/../elsewhere/x",
		"file:///etc/passwd",
		l.URL(),
		l.URL() + "/",
	} {
		if _, err := l.Create(ctx, loc); err == nil {
			t.Errorf("Create %s succeeded", loc)
		}
		if _, err := l.Open(ctx, loc); err == nil || inlet.ErrorCode(err) == inlet.ENOTFOUND {
			t.Errorf("Open %s: %v, want a refusal", loc, err)
		}
	}
	if err := l.DeletePrefix(ctx, l.URL()+"/"); err == nil {
		t.Error("deleted the whole lake")
	}
	if err := l.DeletePrefix(ctx, l.URL()); err == nil {
		t.Error("deleted the whole lake")
	}
	for _, bad := range []string{"s3:/bucket", "s3://", "http://bucket/x", "s3://b/p?x=1"} {
		if _, err := s3.Open(ctx, s3.Config{URL: bad, Endpoint: srv.Endpoint}); err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
	if _, err := s3.Open(ctx, s3.Config{URL: "s3://b", Endpoint: "127.0.0.1:1"}); err == nil {
		t.Error("an endpoint without a scheme was accepted")
	}
	if _, err := s3.Open(ctx, s3.Config{URL: "s3://b", Endpoint: srv.Endpoint, PartSize: 1 << 20}); err == nil {
		t.Error("a 1 MiB part size was accepted")
	}
}

// A presigned URL stops working when it expires; the server, not the
// client, says so.
func TestSignedExpires(t *testing.T) {
	srv := testkit.S3(t)
	l := open(t, srv, s3.Config{})
	ctx := context.Background()
	loc := l.URL() + "/exports/e/x.csv"
	w, _ := l.Create(ctx, loc)
	w.Write([]byte("a,b\n"))
	w.Close()
	u, err := l.SignGet(ctx, loc, "x.csv", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2100 * time.Millisecond)
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("expired URL: %d, want 403", resp.StatusCode)
	}
	// Unsigned: refused too.
	resp, err = http.Get(srv.Endpoint + "/" + srv.Bucket + "/lake/exports/e/x.csv")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned GET: %d, want 403", resp.StatusCode)
	}
	if _, err := l.SignGet(ctx, loc, "", 8*24*time.Hour); err == nil {
		t.Error("an 8-day URL was signed")
	}
}

// recorder passes requests to the real server and keeps their SSE headers.
type recorder struct {
	mu   sync.Mutex
	seen []string // "METHOD path?query sse key"
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	q := ""
	if req.URL.RawQuery != "" {
		q = "?" + strings.SplitN(req.URL.RawQuery, "=", 2)[0]
	}
	r.seen = append(r.seen, req.Method+" "+req.URL.Path+q+" "+req.Header.Get("X-Amz-Server-Side-Encryption")+" "+req.Header.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"))
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// With a KMS key configured every new object asks for SSE-KMS under it,
// one PutObject or CreateMultipartUpload at a time; KeyFor picks a key
// per tenant.
func TestSSEKMS(t *testing.T) {
	srv := testkit.S3(t)
	rec := &recorder{}
	l := open(t, srv, s3.Config{PartSize: s3.MinPartSize, KMSKey: "alias/inlet", HTTPClient: rec, KeyFor: func(loc string) string {
		if strings.Contains(loc, "/lake/globex/") {
			return "arn:aws:kms:us-east-1:111122223333:key/globex"
		}
		return ""
	}})
	ctx := context.Background()
	for _, c := range []struct {
		loc string
		n   int
	}{{"/acme/t/small", 10}, {"/acme/t/big", 2*s3.MinPartSize + 1}, {"/globex/t/small", 10}} {
		w, err := l.Create(ctx, l.URL()+c.loc)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(make([]byte, c.n))
		if err := w.Close(); err != nil {
			t.Fatalf("%s: %v", c.loc, err)
		}
	}
	want := map[string]bool{
		"PUT /" + srv.Bucket + "/lake/acme/t/small?x-id aws:kms alias/inlet":                                     true,
		"POST /" + srv.Bucket + "/lake/acme/t/big?uploads aws:kms alias/inlet":                                   true,
		"PUT /" + srv.Bucket + "/lake/globex/t/small?x-id aws:kms arn:aws:kms:us-east-1:111122223333:key/globex": true,
	}
	// The client for pieces that write S3 themselves (tus) does the same.
	sc := l.SSEClient(l.URL() + "/_tus/x")
	if _, err := sc.PutObject(ctx, &awss3.PutObjectInput{Bucket: &srv.Bucket, Key: aws.String("lake/_tus/x.info"), Body: strings.NewReader("{}")}); err != nil {
		t.Fatal(err)
	}
	mp, err := sc.CreateMultipartUpload(ctx, &awss3.CreateMultipartUploadInput{Bucket: &srv.Bucket, Key: aws.String("lake/_tus/x")})
	if err != nil {
		t.Fatal(err)
	}
	sc.AbortMultipartUpload(ctx, &awss3.AbortMultipartUploadInput{Bucket: &srv.Bucket, Key: aws.String("lake/_tus/x"), UploadId: mp.UploadId})
	want["PUT /"+srv.Bucket+"/lake/_tus/x.info?x-id aws:kms alias/inlet"] = true
	want["POST /"+srv.Bucket+"/lake/_tus/x?uploads aws:kms alias/inlet"] = true
	for _, s := range rec.seen {
		delete(want, s)
	}
	if len(want) > 0 {
		t.Errorf("requests without the expected SSE-KMS headers: %v\nseen: %v", want, rec.seen)
	}
}
