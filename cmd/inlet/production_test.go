package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
)

// replica is an inlet serve process of the production test.
type replica struct {
	cmd            *exec.Cmd
	url, setup     string
	stdout, stderr syncBuffer
}

// runs says whether a replica's log shows it running a job.
func runs(r *replica, jobID string) bool {
	for _, line := range strings.Split(r.stderr.String(), "\n") {
		if strings.Contains(line, "ingest started") && strings.Contains(line, jobID) {
			return true
		}
	}
	return false
}

func startReplica(t *testing.T, data string, flags ...string) *replica {
	t.Helper()
	r := &replica{}
	r.cmd = exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", data}, flags...)...)
	r.cmd.Env = append(os.Environ(), "INLET_TEST_MAIN=1", "INLET_JOB_LEASE=2s")
	r.cmd.Stdout, r.cmd.Stderr = &r.stdout, &r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.cmd.Process.Kill(); r.cmd.Wait() })
	addr := regexp.MustCompile(`running at (http://[0-9.:]+)`)
	setup := regexp.MustCompile(`/setup#([A-Za-z0-9_-]+)`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(r.stdout.String()); m != nil {
			time.Sleep(100 * time.Millisecond) // the setup line follows
			r.url = m[1]
			if s := setup.FindStringSubmatch(r.stdout.String()); s != nil {
				r.setup = s[1]
			}
			return r
		}
	}
	t.Fatalf("replica did not start: %s", r.stderr.String())
	return nil
}

// Production mode end to end: two replicas of inlet serve on one Postgres,
// one S3 bucket and KMS-wrapped hashing keys, behind nothing but two ports.
// A session made on one works on the other; a resumable upload started on
// one is finished on the other; an ingest whose replica is killed with
// SIGKILL is taken over by the other and committed exactly once; and no
// raw personal data is in the bucket, the database dump or either
// replica's logs.
func TestProductionReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two replicas on Postgres, S3 and KMS")
	}
	if !testkit.InPrivateNetwork(t) {
		return
	}
	pg := testkit.Postgres(t)
	s3 := testkit.S3(t)
	lk := testkit.StartLocalKMS(t)
	ctx := context.Background()
	s3.Env(t) // the credentials local-kms accepts too
	t.Setenv("AWS_REGION", lk.Region)
	kc := kms.New(kms.Options{Region: lk.Region, BaseEndpoint: aws.String(lk.Endpoint),
		Credentials: credentials.NewStaticCredentialsProvider(s3.AccessKey, s3.SecretKey, "")})
	key, err := kc.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kc.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/inlet"), TargetKeyId: key.KeyMetadata.KeyId}); err != nil {
		t.Fatal(err)
	}
	flags := []string{"--db", pg, "--lake", "s3://" + s3.Bucket + "/lake", "--s3-endpoint", s3.Endpoint, "--s3-path-style", "--s3-region", s3.Region,
		"--keys", "kms://alias/inlet", "--kms-endpoint", lk.Endpoint}
	dir := t.TempDir()
	a := startReplica(t, filepath.Join(dir, "a"), flags...)
	if a.setup == "" {
		t.Fatalf("replica A printed no setup link: %s", a.stdout.String())
	}
	onA := setUp(t, a.url+"/api/v1", a.setup)
	b := startReplica(t, filepath.Join(dir, "b"), flags...)
	onB := &client{t: t, base: b.url + "/api/v1", http: onA.http, csrf: onA.csrf}
	if code, body := onB.do(http.MethodGet, "/session", nil, nil); code != http.StatusOK {
		t.Fatalf("A's session on B: %d %s", code, body)
	}

	// A resumable upload: begun on A, finished on B, ingested by either.
	ppl := people(2000)
	src := filepath.Join(dir, "customers.csv")
	writeCustomersCSV(t, src, ppl)
	file, _ := os.ReadFile(src)
	resp, body := tusRequest(t, onA, http.MethodPost, a.url+"/api/v1/tus/", map[string]string{
		"Upload-Length": strconv.Itoa(len(file)), "Upload-Metadata": "filename " + base64.StdEncoding.EncodeToString([]byte("customers.csv"))}, nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("tus create on A: %d %s", resp.StatusCode, body)
	}
	path := resp.Header.Get("Location")
	if i := strings.Index(path, "/api/"); i > 0 {
		path = path[i:]
	}
	half := len(file) / 2
	if resp, body = tusRequest(t, onA, http.MethodPatch, a.url+path, map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}, file[:half]); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("first half on A: %d %s", resp.StatusCode, body)
	}
	if resp, body = tusRequest(t, onB, http.MethodPatch, b.url+path, map[string]string{"Upload-Offset": strconv.Itoa(half), "Content-Type": "application/offset+octet-stream"}, file[half:]); resp.StatusCode != http.StatusOK {
		t.Fatalf("second half on B: %d %s", resp.StatusCode, body)
	}
	uploadID := resp.Header.Get("Inlet-Upload-Id")
	var job inlet.Job
	if code, body := onB.do(http.MethodPost, "/uploads/"+uploadID+"/ingest", map[string]any{"table": map[string]string{"database": "crm", "name": "customers"}}, &job); code != http.StatusAccepted {
		t.Fatalf("ingest on B: %d %s", code, body)
	}
	if job = waitJob(t, onA, job.ID); job.State != inlet.JobSucceeded {
		t.Fatalf("ingest of the resumed upload: %+v", job)
	}

	// A big ingest, its replica killed mid-write: the other takes it over,
	// once. Either replica's workers may claim it; the one that did dies.
	big := people(200000)
	bigSrc := filepath.Join(dir, "big.csv")
	writeCustomersCSV(t, bigSrc, big)
	bigFile, _ := os.ReadFile(bigSrc)
	var up struct{ Upload inlet.Upload }
	if code, body := onA.upload("big.csv", bigFile, &up); code != http.StatusCreated {
		t.Fatalf("upload on A: %d %s", code, body)
	}
	if code, body := onA.do(http.MethodPost, "/uploads/"+up.Upload.ID+"/ingest", map[string]any{"table": map[string]string{"database": "crm", "name": "big"}}, &job); code != http.StatusAccepted {
		t.Fatalf("big ingest on A: %d %s", code, body)
	}
	var victim, survivor *replica
	var onSurvivor *client
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline) && victim == nil; time.Sleep(5 * time.Millisecond) {
		var now inlet.Job
		onA.do(http.MethodGet, "/jobs/"+job.ID, nil, &now)
		if now.State == inlet.JobSucceeded {
			break
		}
		if now.State != inlet.JobRunning || now.Progress.RowsDone == 0 {
			continue
		}
		switch {
		case runs(a, job.ID):
			victim, survivor, onSurvivor = a, b, onB
		case runs(b, job.ID):
			victim, survivor, onSurvivor = b, a, onA
		}
	}
	if victim == nil {
		t.Skip("the big ingest finished before its replica could be killed")
	}
	victim.cmd.Process.Kill()
	victim.cmd.Wait()
	deadline := time.Now().Add(90 * time.Second)
	for job.State != inlet.JobSucceeded && job.State != inlet.JobFailed && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		onSurvivor.do(http.MethodGet, "/jobs/"+job.ID, nil, &job)
	}
	if job.State != inlet.JobSucceeded || job.Attempts != 2 {
		t.Fatalf("after the replica running it was killed: %s after %d attempts (%v); the survivor's log:\n%s", job.State, job.Attempts, job.Error, survivor.stderr.String())
	}
	var tbl inlet.Table
	if code, body := onSurvivor.do(http.MethodGet, "/tables/crm/big", nil, &tbl); code != 200 || tbl.Rows != int64(len(big)) || len(tbl.Snapshots) != 1 {
		t.Fatalf("crm.big: %d rows in %d snapshots (%d %s), want %d in one", tbl.Rows, len(tbl.Snapshots), code, body, len(big))
	}

	// Queries and exports read the bucket's tables on either replica,
	// through local copies of their files.
	code, body := onSurvivor.do(http.MethodPost, "/query", map[string]any{"sql": "SELECT count(*) AS n, count(DISTINCT email) AS emails FROM crm.big", "format": "csv"}, nil)
	if want := fmt.Sprintf("n,emails\n%d,%d\n", len(big), len(big)); code != 200 || string(body) != want {
		t.Errorf("count of crm.big on the survivor: %d %q, want %q", code, body, want)
	}
	var exp inlet.Export
	if code, body := onSurvivor.do(http.MethodPost, "/exports", map[string]any{"source": map[string]any{"table": map[string]string{"database": "crm", "name": "big"}},
		"format": "csv"}, &exp); code != 201 {
		t.Fatalf("create export on the survivor: %d %s", code, body)
	}
	if exp = waitExport(t, onSurvivor, exp.ID); exp.State != inlet.ExportSucceeded || exp.Progress.Rows != int64(len(big)) {
		t.Fatalf("export of crm.big: %s, %d rows (%v)", exp.State, exp.Progress.Rows, exp.Error)
	}
	var link struct{ URL string }
	if code, body := onSurvivor.do(http.MethodPost, "/exports/"+exp.ID+"/link", map[string]string{}, &link); code != 200 {
		t.Fatalf("link: %d %s", code, body)
	}
	// The link works on another replica: replicas on one Postgres derive
	// link keys from the shared keyring. (The victim is gone; a third
	// replica starts for this.)
	c := startReplica(t, filepath.Join(dir, "c"), flags...)
	u, err := url.Parse(link.URL)
	if err != nil {
		t.Fatal(err)
	}
	code, _, downloaded := get(t, c.url+u.RequestURI(), nil)
	records, err := csv.NewReader(strings.NewReader(downloaded)).ReadAll()
	if code != 200 || err != nil || len(records) != len(big)+1 {
		t.Errorf("download of the export: %d, %d records (%v), want a header and %d rows", code, len(records), err, len(big))
	}

	// No raw personal data anywhere: the bucket, a dump of the database,
	// both replicas' logs.
	var raw [][]byte
	for _, p := range append(ppl[:50], big[:50]...) {
		raw = append(raw, []byte(p.email), []byte(p.phone), []byte(p.card))
	}
	scan := func(where string, b []byte) {
		for _, r := range raw {
			if bytes.Contains(b, r) {
				t.Errorf("raw value %q in %s", r, where)
				return
			}
		}
	}
	filepath.Walk(filepath.Join(s3.Dir, s3.Bucket), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			b, _ := os.ReadFile(p)
			scan("bucket object "+p, b)
		}
		return nil
	})
	dump, err := exec.Command(testkit.PostgresBin("pg_dump"), "--dbname", pg).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v %s", err, dump)
	}
	if !bytes.Contains(dump, []byte("oidc_identities")) && !bytes.Contains(dump, []byte("CREATE TABLE public.jobs")) {
		t.Fatalf("the dump holds no Inlet table: %.300s", dump)
	}
	scan("the database dump", dump)
	for name, r := range map[string]*replica{"A": a, "B": b, "C": c} {
		scan("replica "+name+"'s log", []byte(r.stdout.String()+r.stderr.String()))
	}
}
