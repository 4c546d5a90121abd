package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
)

// inlet ingest on an s3:// lake: data files, profiles and the Iceberg
// metadata all land in the bucket (metadata locations are s3://), a second
// ingest appends, and no raw PII reaches the bucket.
func TestS3Lake(t *testing.T) {
	srv := testkit.S3(t)
	srv.Env(t)
	// No region anywhere: an S3-compatible endpoint gets the default one,
	// for the lake and Iceberg's IO alike.
	t.Setenv("AWS_REGION", "")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	lake := "s3://" + srv.Bucket + "/lake"
	flags := []string{"--lake", lake, "--s3-endpoint", srv.Endpoint, "--s3-path-style"}
	csv := writeFile(t, filepath.Join(dir, "people.csv"), "id,email,amount\n1,john.smith@example.com,10.5\n2,mary.jones@example.org,3\n")

	// The local cache's bounds are checked before anything runs.
	for _, bad := range [][]string{{"--lake-cache-size", "10MB"}, {"--lake-cache-tenant-size", "16MB"}, {"--lake-cache-tenant-size", "30GB"}} {
		if _, stderr, code := cli(t, data, append(append([]string{"tables"}, flags...), bad...)...); code != exitUsage || !strings.Contains(stderr, bad[0]) {
			t.Errorf("%s %s: exit %d, %q; want a usage error naming the flag", bad[0], bad[1], code, stderr)
		}
	}
	res, stderr := ingestJSON(t, data, append([]string{csv, "--table", "crm.people"}, flags...)...)
	if res == nil {
		t.Fatalf("ingest: %s", stderr)
	}
	if res, stderr = ingestJSON(t, data, append([]string{csv, "--table", "crm.people", "--mode", "append"}, flags...)...); res == nil {
		t.Fatalf("append: %s", stderr)
	}
	// An upsert rewrites the files that hold changed keys: it reads them
	// back from the bucket (copy-on-write).
	upd := writeFile(t, filepath.Join(dir, "update.csv"), "id,email,amount\n2,mary.jones@example.org,99.50\n3,new.person@example.net,1.25\n")
	if out, stderr, code := cli(t, data, append([]string{"ingest", upd, "--table", "crm.people", "--mode", "upsert", "--key", "id"}, flags...)...); code != 0 {
		t.Fatalf("upsert: exit %d: %s %s", code, out, stderr)
	}
	out, stderr, code := cli(t, data, append([]string{"table", "crm.people", "--json"}, flags...)...)
	if code != 0 {
		t.Fatalf("inlet table: %s", stderr)
	}
	var tbl inlet.Table
	if err := json.Unmarshal([]byte(out), &tbl); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tbl.Location, lake+"/default/crm") || !strings.HasPrefix(tbl.MetadataLocation, tbl.Location+"/metadata/") {
		t.Fatalf("location %s, metadata location %s: want them under %s/default/", tbl.Location, tbl.MetadataLocation, lake)
	}
	key := strings.TrimPrefix(tbl.Location, "s3://"+srv.Bucket+"/")
	// 1, 1, 2, 2 appended; the upsert replaces both 2s with one and adds 3.
	if tbl.Rows != 4 {
		t.Errorf("rows %d, want 4", tbl.Rows)
	}
	for _, f := range tbl.DataFiles {
		if !strings.HasPrefix(f, tbl.Location+"/data/") {
			t.Errorf("data file %s is not in the bucket", f)
		}
	}
	// What is in the bucket, seen by the server's own files.
	var parquet, metadata int
	root := filepath.Join(srv.Dir, srv.Bucket)
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		switch {
		case strings.HasPrefix(rel, key+"/data/") && strings.HasSuffix(rel, ".parquet"):
			parquet++
		case strings.HasPrefix(rel, key+"/metadata/") && strings.HasSuffix(rel, ".metadata.json"):
			metadata++
		}
		b, _ := os.ReadFile(p)
		for _, raw := range []string{"john.smith@example.com", "mary.jones", "example.org", "new.person"} {
			if strings.Contains(string(b), raw) {
				t.Errorf("raw PII %q in bucket object %s", raw, rel)
			}
		}
		return nil
	})
	if parquet < len(tbl.DataFiles) || metadata < 3 {
		t.Errorf("bucket holds %d data files and %d metadata files, want at least %d and 3", parquet, metadata, len(tbl.DataFiles))
	}
	// Nothing of the lake on local disk.
	if _, err := os.Stat(filepath.Join(data, "lake")); !os.IsNotExist(err) {
		t.Errorf("a local lake directory exists: %v", err)
	}
	// The engine queries the bucket's tables through local copies of
	// their files.
	out, stderr, code = cli(t, data, append([]string{"query", "SELECT id, amount FROM crm.people ORDER BY id, amount", "--format", "csv"}, flags...)...)
	if want := "id,amount\n1,10.50\n1,10.50\n2,99.50\n3,1.25\n"; code != 0 || strings.ReplaceAll(out, "\r\n", "\n") != want {
		t.Errorf("query on an s3 lake: exit %d: %q %s; want %q", code, out, stderr, want)
	}
	mirrored := 0
	filepath.Walk(filepath.Join(data, "lake-mirror", "default"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".parquet") {
			mirrored++
		}
		return nil
	})
	if mirrored != len(tbl.DataFiles) {
		t.Errorf("%d files in the lake mirror, want the table's %d", mirrored, len(tbl.DataFiles))
	}
	// Exports too: the engine unloads into a local scratch file, copied
	// out (CSV), or read back (XLSX).
	for _, format := range []string{"csv", "xlsx"} {
		file := filepath.Join(dir, "people."+format)
		if _, stderr, code := cli(t, data, append([]string{"export", "crm.people", "--format", format, "--out", file, "--columns", "id,amount"}, flags...)...); code != 0 {
			t.Fatalf("export %s on an s3 lake: exit %d: %s", format, code, stderr)
		}
		if fi, err := os.Stat(file); err != nil || fi.Size() == 0 {
			t.Errorf("export %s: %v", format, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "people.csv")); err != nil || strings.Count(string(b), "\n") != 5 {
		t.Errorf("exported CSV: %v, %q: want a header and 4 rows", err, b)
	}
	if left, _ := filepath.Glob(filepath.Join(data, "export-scratch", "*", "*", "*")); len(left) > 0 {
		t.Errorf("scratch files left after the exports: %v", left)
	}
}

func TestLakeFlags(t *testing.T) {
	data := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--lake", "gs://b/p"}, "use file://PATH or s3://BUCKET/PREFIX"},
		{[]string{"--lake", "s3://"}, "not s3://bucket/prefix"},
		{[]string{"--lake", "file://host/x"}, "file:///ABSOLUTE/PATH"},
		{[]string{"--export-links", "presigned"}, "needs an s3:// lake"},
		{[]string{"--export-links", "maybe"}, "use inlet or presigned"},
		{[]string{"--lake", "s3://b/p", "--s3-endpoint", "127.0.0.1:9"}, "not an http(s) URL"},
	} {
		_, stderr, code := cli(t, data, append([]string{"tables"}, c.args...)...)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want an error with %q", c.args, code, stderr, c.want)
		}
	}
	t.Setenv("INLET_S3_PATH_STYLE", "sometimes")
	if _, stderr, code := cli(t, data, "tables"); code == 0 || !strings.Contains(stderr, "INLET_S3_PATH_STYLE") {
		t.Errorf("a bad INLET_S3_PATH_STYLE: exit %d, %q", code, stderr)
	}
}

// Two replicas on one metadata database and one S3 lake: a resumable
// upload started on one is finished on the other (tusd's pieces live in
// the bucket), the file is staged in the lake, and no piece is left.
func TestS3ResumeOnAnotherReplica(t *testing.T) {
	srv := testkit.S3(t)
	srv.Env(t)
	dir := t.TempDir()
	flags := []string{"--lake", "s3://" + srv.Bucket + "/lake", "--s3-endpoint", srv.Endpoint, "--s3-path-style"}
	dataA, dataB := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	urlA, token := startServer(t, dataA, flags...)
	c := setUp(t, urlA+"/api/v1", token)
	urlB, _ := startServer(t, dataB, append([]string{"--db", "sqlite://" + filepath.Join(dataA, "inlet.db")}, flags...)...)

	src := filepath.Join(dir, "customers.csv")
	writeCustomersCSV(t, src, people(2000))
	file, _ := os.ReadFile(src)
	meta := "filename " + base64.StdEncoding.EncodeToString([]byte("customers.csv"))
	resp, b := tusRequest(t, c, http.MethodPost, urlA+"/api/v1/tus/", map[string]string{
		"Upload-Length": strconv.Itoa(len(file)), "Upload-Metadata": meta}, nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create on A: %d %s", resp.StatusCode, b)
	}
	path := resp.Header.Get("Location")
	if strings.HasPrefix(path, "http") {
		path = path[strings.Index(path, "/api/"):]
	}
	third := len(file) / 3
	resp, b = tusRequest(t, c, http.MethodPatch, urlA+path, map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}, file[:third])
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("first part on A: %d %s", resp.StatusCode, b)
	}
	// Replica A goes quiet; the client carries on with B.
	resp, _ = tusRequest(t, c, http.MethodHead, urlB+path, nil, nil)
	offset, _ := strconv.Atoi(resp.Header.Get("Upload-Offset"))
	if resp.StatusCode != http.StatusOK || offset != third {
		t.Fatalf("HEAD on B: %d, offset %d, want %d", resp.StatusCode, offset, third)
	}
	resp, b = tusRequest(t, c, http.MethodPatch, urlB+path, map[string]string{"Upload-Offset": strconv.Itoa(offset), "Content-Type": "application/offset+octet-stream"}, file[offset:])
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("rest on B: %d %s", resp.StatusCode, b)
	}
	id := resp.Header.Get("Inlet-Upload-Id")
	var up inlet.Upload
	if code, _ := c.do(http.MethodGet, "/uploads/"+id, nil, &up); code != 200 || up.Size != int64(len(file)) || up.State != inlet.UploadStaged || up.Format != inlet.FormatCSV {
		t.Fatalf("upload on A after finishing on B: %d %+v", code, up)
	}
	// Staged in the lake, whole; nothing of tus left in the bucket.
	cli := srv.Client()
	obj, err := cli.GetObject(context.Background(), &awss3.GetObjectInput{Bucket: &srv.Bucket, Key: aws.String("lake/_staging/default/" + id)})
	if err != nil {
		t.Fatal(err)
	}
	staged, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if !bytes.Equal(staged, file) {
		t.Fatalf("staged object: %d bytes, want the %d sent", len(staged), len(file))
	}
	list, err := cli.ListObjectsV2(context.Background(), &awss3.ListObjectsV2Input{Bucket: &srv.Bucket, Prefix: aws.String("lake/_tus/")})
	if err != nil || len(list.Contents) != 0 {
		t.Errorf("tus objects left: %v, %v", list.Contents, err)
	}
	mp, err := cli.ListMultipartUploads(context.Background(), &awss3.ListMultipartUploadsInput{Bucket: &srv.Bucket})
	if err != nil || len(mp.Uploads) != 0 {
		t.Errorf("multipart uploads left: %v, %v", mp.Uploads, err)
	}
	// The server's engine answers on an S3 lake too.
	if code, body := c.do(http.MethodPost, "/query", map[string]any{"sql": "SELECT 1"}, nil); code != 200 || !strings.Contains(string(body), `"rows":[[1]]`) {
		t.Errorf("query on an S3 lake: %d %s", code, body)
	}
}

// inlet serve on an S3 lake: an upload is staged in the bucket, its ingest
// reads it (through a spooled copy) into a table in the bucket, and then
// neither the staged object nor the copy is left; no raw PII stays in the
// bucket.
func TestS3ServeIngest(t *testing.T) {
	srv := testkit.S3(t)
	srv.Env(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	url, token := startServer(t, data, "--lake", "s3://"+srv.Bucket+"/lake", "--s3-endpoint", srv.Endpoint, "--s3-path-style")
	c := setUp(t, url+"/api/v1", token)
	src := filepath.Join(dir, "customers.csv")
	ppl := people(300)
	writeCustomersCSV(t, src, ppl)
	body, _ := os.ReadFile(src)
	var up struct{ Upload inlet.Upload }
	if code, b := c.upload("customers.csv", body, &up); code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, b)
	}
	staged := filepath.Join(srv.Dir, srv.Bucket, "lake", "_staging", "default", up.Upload.ID)
	if b, err := os.ReadFile(staged); err != nil || !bytes.Equal(b, body) {
		t.Fatalf("staged object: %d bytes, %v", len(b), err)
	}
	var job inlet.Job
	if code, b := c.do(http.MethodPost, "/uploads/"+up.Upload.ID+"/ingest", map[string]any{"table": map[string]string{"database": "crm", "name": "customers"}}, &job); code != http.StatusAccepted {
		t.Fatalf("ingest: %d %s", code, b)
	}
	if job = waitJob(t, c, job.ID); job.State != inlet.JobSucceeded {
		t.Fatalf("job: %+v", job)
	}
	var tbl inlet.Table
	if code, b := c.do(http.MethodGet, "/tables/crm/customers", nil, &tbl); code != 200 || tbl.Rows != int64(len(ppl)) || !strings.HasPrefix(tbl.MetadataLocation, "s3://"+srv.Bucket+"/lake/default/") {
		t.Fatalf("table: %d %s", code, b)
	}
	if _, err := os.Stat(staged); !os.IsNotExist(err) {
		t.Errorf("staged object after the ingest: %v", err)
	}
	filepath.Walk(filepath.Join(data, "staging"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			t.Errorf("left on local disk: %s", p)
		}
		return nil
	})
	filepath.Walk(filepath.Join(srv.Dir, srv.Bucket), func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, who := range ppl[:20] {
			if bytes.Contains(b, []byte(who.email)) {
				t.Errorf("raw email in bucket object %s", p)
				return nil
			}
		}
		return nil
	})
}

// The janitor removes resumable uploads abandoned in the bucket once their
// .info is older than the upload TTL, parts and all, and keeps newer ones.
func TestS3SweepTus(t *testing.T) {
	srv := testkit.S3(t)
	srv.Env(t)
	var cfg config
	fs := newFlags("serve", &cfg, io.Discard)
	if _, err := parse(fs, []string{"--data-dir", t.TempDir(), "--lake", "s3://" + srv.Bucket + "/lake", "--s3-endpoint", srv.Endpoint, "--s3-path-style"}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := openApp(ctx, &cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	cli := srv.Client()
	for _, k := range []string{"lake/_tus/old", "lake/_tus/new"} {
		cli.PutObject(ctx, &awss3.PutObjectInput{Bucket: &srv.Bucket, Key: aws.String(k + ".info"), Body: strings.NewReader("{}")})
		cli.PutObject(ctx, &awss3.PutObjectInput{Bucket: &srv.Bucket, Key: aws.String(k + ".part"), Body: strings.NewReader("raw")})
		if _, err := cli.CreateMultipartUpload(ctx, &awss3.CreateMultipartUploadInput{Bucket: &srv.Bucket, Key: aws.String(k)}); err != nil {
			t.Fatal(err)
		}
		if k == "lake/_tus/old" {
			time.Sleep(2100 * time.Millisecond)
		}
	}
	// "old" is past a 2 s TTL, "new" (just written; S3 times are in
	// whole seconds) is not.
	cfg.UploadTTL = 2 * time.Second
	a.sweepTusS3(ctx)
	list, _ := cli.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: &srv.Bucket, Prefix: aws.String("lake/_tus/")})
	var keys []string
	for _, o := range list.Contents {
		keys = append(keys, *o.Key)
	}
	if strings.Join(keys, ",") != "lake/_tus/new.info,lake/_tus/new.part" {
		t.Errorf("objects after the sweep: %v", keys)
	}
	mp, _ := cli.ListMultipartUploads(ctx, &awss3.ListMultipartUploadsInput{Bucket: &srv.Bucket})
	if len(mp.Uploads) != 1 || *mp.Uploads[0].Key != "lake/_tus/new" {
		t.Errorf("multipart uploads after the sweep: %d", len(mp.Uploads))
	}
}
