package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
)

// inlet ingest on an s3:// lake: data files, profiles and the Iceberg
// metadata all land in the bucket (metadata locations are s3://), a second
// ingest appends, and no raw PII reaches the bucket.
func TestS3Lake(t *testing.T) {
	srv := testkit.S3(t)
	srv.Env(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	lake := "s3://" + srv.Bucket + "/lake"
	flags := []string{"--lake", lake, "--s3-endpoint", srv.Endpoint, "--s3-path-style"}
	csv := writeFile(t, filepath.Join(dir, "people.csv"), "id,email,amount\n1,john.smith@example.com,10.5\n2,mary.jones@example.org,3\n")

	res, stderr := ingestJSON(t, data, append([]string{csv, "--table", "crm.people"}, flags...)...)
	if res == nil {
		t.Fatalf("ingest: %s", stderr)
	}
	if res, stderr = ingestJSON(t, data, append([]string{csv, "--table", "crm.people", "--mode", "append"}, flags...)...); res == nil {
		t.Fatalf("append: %s", stderr)
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
	if len(tbl.DataFiles) != 2 || tbl.Rows != 4 {
		t.Errorf("data files %v, rows %d: want 2 files and 4 rows", tbl.DataFiles, tbl.Rows)
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
		for _, raw := range []string{"john.smith@example.com", "mary.jones", "example.org"} {
			if strings.Contains(string(b), raw) {
				t.Errorf("raw PII %q in bucket object %s", raw, rel)
			}
		}
		return nil
	})
	if parquet != 2 || metadata < 2 {
		t.Errorf("bucket holds %d data files and %d metadata files, want 2 and at least 2", parquet, metadata)
	}
	// Nothing of the lake on local disk.
	if _, err := os.Stat(filepath.Join(data, "lake")); !os.IsNotExist(err) {
		t.Errorf("a local lake directory exists: %v", err)
	}
	// Querying needs an engine that reads S3: refused, clearly.
	_, stderr, code = cli(t, data, append([]string{"query", "SELECT 1"}, flags...)...)
	if code == 0 || !strings.Contains(stderr, "reads a local lake only") {
		t.Errorf("query on an s3 lake: exit %d: %s", code, stderr)
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
