package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

type apiError struct {
	Error struct {
		Code, Message string
		Fields        map[string]string
	} `json:"error"`
}

const adminPassword = "correct horse battery"

// setUp creates the first admin through the setup link and returns their client.
func setUp(t *testing.T, base, token string) *client {
	t.Helper()
	if token == "" {
		t.Fatal("serve printed no setup link")
	}
	admin := newClient(t, base)
	admin.signIn("/setup", map[string]string{"token": token, "email": "admin@example.com", "name": "Ada Admin", "password": adminPassword})
	return admin
}

// scrape reads /metrics as Prometheus would, with a bearer token.
func scrape(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitJob polls a job until it ends.
func waitJob(t *testing.T, c *client, id string) inlet.Job {
	t.Helper()
	var job inlet.Job
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		c.do(http.MethodGet, "/jobs/"+id, nil, &job)
		if job.State == inlet.JobSucceeded || job.State == inlet.JobFailed {
			return job
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("job %s did not end: %+v", id, job)
	return job
}

// ingestCSV uploads a file through c and ingests it into db.name with the
// review's defaults, failing the test unless the table lands; it returns
// the upload.
func ingestCSV(t *testing.T, c *client, file string, body []byte, db, name string) inlet.Upload {
	t.Helper()
	var up struct{ Upload inlet.Upload }
	if code, b := c.upload(file, body, &up); code != http.StatusCreated {
		t.Fatalf("upload %s: %d %s", file, code, b)
	}
	var job inlet.Job
	if code, b := c.do(http.MethodPost, "/uploads/"+up.Upload.ID+"/ingest", map[string]any{"table": map[string]string{"database": db, "name": name}}, &job); code != http.StatusAccepted {
		t.Fatalf("ingest %s: %d %s", file, code, b)
	}
	if job = waitJob(t, c, job.ID); job.State != inlet.JobSucceeded {
		t.Fatalf("ingest %s into %s.%s: %+v", file, db, name, job.Error)
	}
	return up.Upload
}

func TestAPI(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	url, token := startServer(t, data, "--metrics-token", "scrape-me")
	base := url + "/api/v1"
	src := filepath.Join(dir, "customers.csv")
	ps := people(200)
	writeCustomersCSV(t, src, ps)
	body, _ := os.ReadFile(src)

	// Before sign-in: 401 with the error shape.
	anon := newClient(t, base)
	var e apiError
	if code, b := anon.do(http.MethodGet, "/tables", nil, nil); code != 401 || json.Unmarshal(b, &e) != nil || e.Error.Code != "EUNAUTHORIZED" {
		t.Fatalf("anonymous: %d %s", code, b)
	}
	c := setUp(t, base, token)

	var up struct {
		Upload     inlet.Upload     `json:"upload"`
		Inspection inlet.Inspection `json:"inspection"`
	}
	if code, b := c.upload("customers.csv", body, &up); code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, b)
	}
	if up.Upload.Size != int64(len(body)) || up.Upload.UploadedBy == "" || up.Inspection.Format != inlet.FormatCSV || len(up.Inspection.Columns) != 10 {
		t.Fatalf("upload response: %+v", up.Upload)
	}
	staged := filepath.Join(data, "staging", "default", up.Upload.ID)
	if _, err := os.Stat(staged); err != nil {
		t.Fatalf("staged file: %v", err)
	}
	var ins inlet.Inspection
	if code, _ := c.do(http.MethodGet, "/uploads/"+up.Upload.ID+"/inspection?header=true", nil, &ins); code != 200 || len(ins.Columns) != 10 {
		t.Fatalf("inspection: %d", code)
	}

	spec := map[string]any{"table": map[string]string{"database": "api", "name": "customers"},
		"columns": []map[string]string{{"source": "Full Name", "action": "mask"}, {"source": "amount", "type": "double"}}}
	var job inlet.Job
	if code, b := c.do(http.MethodPost, "/uploads/"+up.Upload.ID+"/ingest", spec, &job); code != http.StatusAccepted || job.ID == "" {
		t.Fatalf("ingest: %d %s", code, b)
	}
	if job = waitJob(t, c, job.ID); job.State != inlet.JobSucceeded {
		t.Fatalf("job ended %s: %+v", job.State, job.Error)
	}
	var res inlet.IngestResult
	json.Unmarshal(job.Result, &res)
	if res.Rows != int64(len(ps)) || job.Progress.RowsDone != int64(len(ps)) {
		t.Errorf("result rows %d, progress %+v; want %d", res.Rows, job.Progress, len(ps))
	}
	if _, err := os.Stat(staged); !os.IsNotExist(err) {
		t.Errorf("staged raw file still there after ingest: %v", err)
	}
	var u inlet.Upload
	if c.do(http.MethodGet, "/uploads/"+up.Upload.ID, nil, &u); u.State != inlet.UploadIngested {
		t.Errorf("upload state %s, want ingested", u.State)
	}

	var tables struct{ Tables []inlet.TableSummary }
	if c.do(http.MethodGet, "/tables", nil, &tables); len(tables.Tables) != 1 || tables.Tables[0].Rows != int64(len(ps)) {
		t.Errorf("tables: %+v", tables)
	}
	var tbl inlet.Table
	c.do(http.MethodGet, "/tables/api/customers", nil, &tbl)
	for _, col := range tbl.Columns {
		if col.Name == "full_name" && (col.PII == nil || col.PII.Action != inlet.ActionMask) {
			t.Errorf("full_name: %+v, want masked", col.PII)
		}
		if col.Name == "amount" && col.Type != inlet.TypeDouble {
			t.Errorf("amount: %s, want double", col.Type)
		}
	}
	if l := tbl.Snapshots[0].Lineage; l == nil || l.Uploader == "" || l.SourceFile != "customers.csv" {
		t.Errorf("lineage: %+v", l)
	}
	var glue map[string]any
	if c.do(http.MethodGet, "/tables/api/customers/glue", nil, &glue); glue["Parameters"].(map[string]any)["table_type"] != "ICEBERG" {
		t.Errorf("glue: %v", glue)
	}

	// Errors share one shape, with codes.
	if code, b := c.do(http.MethodGet, "/tables/api/nope", nil, nil); code != 404 || !bytes.Contains(b, []byte(`"ENOTFOUND"`)) {
		t.Errorf("missing table: %d %s", code, b)
	}
	if code, _ := c.do(http.MethodPost, "/uploads/"+up.Upload.ID+"/ingest", spec, nil); code != http.StatusConflict {
		t.Errorf("ingest of an ingested upload: %d, want 409", code)
	}
	code, b := c.upload("ragged.csv", []byte("a,b\n1,2\n3\n"), nil)
	json.Unmarshal(b, &e)
	if code != 400 || e.Error.Code != "EINVALID" || !strings.Contains(e.Error.Message, "ragged.csv: line 3, column 2") {
		t.Errorf("bad upload: %d %s", code, b)
	}
	if left, _ := filepath.Glob(filepath.Join(data, "staging", "default", "*")); len(left) != 0 {
		t.Errorf("staging holds %v after a refused upload", left)
	}

	// Prometheus metrics are served to the scraper's token, and the OpenAPI
	// document to anyone.
	if code, _ := scrape(t, url, ""); code != http.StatusUnauthorized {
		t.Errorf("metrics without the token: %d, want 401", code)
	}
	if _, mb := scrape(t, url, "scrape-me"); !strings.Contains(mb, fmt.Sprintf("inlet_ingest_rows_total %d", len(ps))) {
		t.Errorf("metrics lack the ingest row count")
	}
	var doc map[string]any
	if anon.do(http.MethodGet, "/openapi.json", nil, &doc); doc["openapi"] != "3.1.0" {
		t.Errorf("openapi: %v", doc["openapi"])
	}
	if found := scanForRawPII(t, data, ps); len(found) > 0 {
		t.Errorf("raw PII in %v", found)
	}
}

func TestSignInAndTenants(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	url, token := startServer(t, data)
	base := url + "/api/v1"

	// The setup link works once, and only with its token.
	if code, _ := newClient(t, base).do(http.MethodPost, "/setup", map[string]string{"token": "guess", "email": "x@example.com", "name": "X", "password": adminPassword}, nil); code != 401 {
		t.Errorf("setup with a wrong token: %d, want 401", code)
	}
	admin := setUp(t, base, token)
	if code, _ := newClient(t, base).do(http.MethodPost, "/setup", map[string]string{"token": token, "email": "y@example.com", "name": "Y", "password": adminPassword}, nil); code != 409 {
		t.Errorf("second setup: %d, want 409", code)
	}
	var setup struct{ Needed bool }
	if admin.do(http.MethodGet, "/setup", nil, &setup); setup.Needed {
		t.Error("setup still needed after the first admin")
	}

	// CSRF: a state-changing request without the header is refused.
	saved := admin.csrf
	admin.csrf = ""
	if code, b := admin.do(http.MethodPost, "/tenants", map[string]string{"id": "acme"}, nil); code != 403 || !strings.Contains(string(b), "X-CSRF-Token") {
		t.Errorf("POST without CSRF: %d %s", code, b)
	}
	admin.csrf = saved

	// An admin creates a tenant and invites an analyst and a viewer.
	if code, b := admin.do(http.MethodPost, "/tenants", map[string]string{"id": "acme", "name": "Acme"}, nil); code != 201 {
		t.Fatalf("create tenant: %d %s", code, b)
	}
	invite := func(tenant, email string, role inlet.Role) string {
		var inv struct{ Token string }
		if code, b := admin.do(http.MethodPost, "/tenants/"+tenant+"/invites", map[string]any{"email": email, "role": role}, &inv); code != 201 {
			t.Fatalf("invite: %d %s", code, b)
		}
		return inv.Token
	}
	analystToken := invite("acme", "ann@example.com", inlet.RoleAnalyst)
	viewerToken := invite("default", "vic@example.com", inlet.RoleViewer)

	analyst := newClient(t, base)
	if code, b := analyst.do(http.MethodPost, "/invites/accept", map[string]string{"token": analystToken, "name": "Ann", "password": "short"}, nil); code != 400 || !strings.Contains(string(b), `"password"`) {
		t.Errorf("weak password: %d %s", code, b)
	}
	// The failed attempt did not use the invite up.
	sess := analyst.signIn("/invites/accept", map[string]string{"token": analystToken, "name": "Ann", "password": "ann's long password"})
	if sess.Tenant != "acme" || sess.Role != inlet.RoleAnalyst {
		t.Errorf("analyst session: %+v", sess)
	}
	if code, _ := newClient(t, base).do(http.MethodPost, "/invites/accept", map[string]string{"token": analystToken, "name": "Eve", "password": "eve's long password"}, nil); code != 400 {
		t.Errorf("reused invite: %d, want 400", code)
	}
	viewer := newClient(t, base)
	viewer.signIn("/invites/accept", map[string]string{"token": viewerToken, "name": "Vic", "password": "vic's long password"})

	// The admin ingests a table into the default tenant.
	src := filepath.Join(dir, "secret.csv")
	os.WriteFile(src, []byte("email,amount\na@example.com,1\nb@example.com,2\n"), 0o644)
	b, _ := os.ReadFile(src)
	up := ingestCSV(t, admin, "secret.csv", b, "fin", "secret")

	// Another tenant's user cannot see it, by listing or by name.
	var tables struct{ Tables []inlet.TableSummary }
	if analyst.do(http.MethodGet, "/tables", nil, &tables); len(tables.Tables) != 0 {
		t.Errorf("acme analyst sees default's tables: %+v", tables.Tables)
	}
	if code, _ := analyst.do(http.MethodGet, "/tables/fin/secret", nil, nil); code != 404 {
		t.Errorf("acme analyst reads default's table: %d, want 404", code)
	}
	if code, _ := analyst.do(http.MethodGet, "/uploads/"+up.ID, nil, nil); code != 404 {
		t.Errorf("acme analyst reads default's upload: %d, want 404", code)
	}
	if code, _ := analyst.do(http.MethodPut, "/session", map[string]string{"tenant": "default"}, nil); code != 403 {
		t.Errorf("switch to a tenant one is not in: %d, want 403", code)
	}
	// A viewer reads but cannot upload.
	if viewer.do(http.MethodGet, "/tables", nil, &tables); len(tables.Tables) != 1 {
		t.Errorf("viewer tables: %+v", tables.Tables)
	}
	if code, body := viewer.upload("x.csv", []byte("a\n1\n"), nil); code != 403 || !strings.Contains(string(body), "analyst") {
		t.Errorf("viewer upload: %d %s", code, body)
	}
	// Wrong passwords and signing out.
	if code, _ := newClient(t, base).do(http.MethodPost, "/session", map[string]string{"email": "admin@example.com", "password": "wrong password"}, nil); code != 401 {
		t.Errorf("wrong password: %d", code)
	}
	// Password guessing is slowed down: after 5 failures the email waits.
	guesser := newClient(t, base)
	for i := 0; i < 5; i++ {
		guesser.do(http.MethodPost, "/session", map[string]string{"email": "ann@example.com", "password": fmt.Sprintf("guess %d", i)}, nil)
	}
	if code, b := guesser.do(http.MethodPost, "/session", map[string]string{"email": "ann@example.com", "password": "ann's long password"}, nil); code != 429 {
		t.Errorf("sign-in after 5 failures: %d %s, want 429", code, b)
	}
	if code, _ := viewer.do(http.MethodDelete, "/session", nil, nil); code != 204 {
		t.Errorf("sign out: %d", code)
	}
	if code, _ := viewer.do(http.MethodGet, "/tables", nil, nil); code != 401 {
		t.Errorf("after sign-out: %d, want 401", code)
	}
	again := newClient(t, base)
	if s := again.signIn("/session", map[string]string{"email": "VIC@example.com", "password": "vic's long password"}); s.Role != inlet.RoleViewer {
		t.Errorf("sign in again: %+v", s)
	}
}

// The review never loses the uploader's work: every fixable choice is
// refused on its field before a job starts, a failed job leaves the upload
// staged, and the same upload ingests once the choice is fixed.
func TestIngestChecksKeepTheUpload(t *testing.T) {
	dir := t.TempDir()
	url, token := startServer(t, filepath.Join(dir, "data"))
	c := setUp(t, url+"/api/v1", token)
	src := filepath.Join(dir, "customers.csv")
	writeCustomersCSV(t, src, people(30))
	body, _ := os.ReadFile(src)
	upload := func() string {
		var up struct{ Upload inlet.Upload }
		if code, b := c.upload("customers.csv", body, &up); code != http.StatusCreated {
			t.Fatalf("upload: %d %s", code, b)
		}
		return up.Upload.ID
	}
	first := upload()
	ref := map[string]string{"database": "crm", "name": "customers"}
	var job inlet.Job
	if code, b := c.do(http.MethodPost, "/uploads/"+first+"/ingest", map[string]any{"table": ref}, &job); code != http.StatusAccepted {
		t.Fatalf("ingest: %d %s", code, b)
	}
	waitJob(t, c, job.ID)

	// The same file again, with four fixable choices at once.
	id := upload()
	bad := map[string]any{"table": ref, "mode": "create", "columns": []map[string]string{
		{"source": "E-mail", "action": "keep"},
		{"source": "Full Name", "name": "total"}, {"source": "Amount", "name": "total"},
		{"source": "Signup Date", "type": "intt"},
	}}
	var e apiError
	for _, path := range []string{"/check", "/ingest"} {
		code, b := c.do(http.MethodPost, "/uploads/"+id+path, bad, nil)
		if json.Unmarshal(b, &e); code != http.StatusBadRequest || e.Error.Code != "EINVALID" {
			t.Fatalf("%s: %d %s", path, code, b)
		}
		for _, f := range []string{"table", "columns.E-mail.reason", "columns.Amount.name", "columns.Signup Date.type"} {
			if e.Error.Fields[f] == "" {
				t.Errorf("%s: no problem on field %s: %v", path, f, e.Error.Fields)
			}
		}
		if !strings.Contains(e.Error.Fields["table"], "append to it, overwrite it, or choose another name") {
			t.Errorf("%s: table problem %q", path, e.Error.Fields["table"])
		}
	}
	var u inlet.Upload
	if c.do(http.MethodGet, "/uploads/"+id, nil, &u); u.State != inlet.UploadStaged {
		t.Fatalf("after refused settings the upload is %s, want staged", u.State)
	}
	// Settings that pass the check but fail in the job (a row that does
	// not fit, with on_error fail) leave the upload staged too.
	failing := map[string]any{"table": map[string]string{"database": "crm", "name": "strict"}, "on_error": "fail",
		"columns": []map[string]string{{"source": "Note", "type": "bigint"}}}
	if code, b := c.do(http.MethodPost, "/uploads/"+id+"/check", failing, nil); code != http.StatusOK {
		t.Fatalf("check: %d %s", code, b)
	}
	if code, b := c.do(http.MethodPost, "/uploads/"+id+"/ingest", failing, &job); code != http.StatusAccepted {
		t.Fatalf("ingest: %d %s", code, b)
	}
	if job = waitJob(t, c, job.ID); job.State != inlet.JobFailed {
		t.Fatalf("job %s, want failed", job.State)
	}
	if c.do(http.MethodGet, "/uploads/"+id, nil, &u); u.State != inlet.UploadStaged {
		t.Fatalf("after a failed job the upload is %s, want staged", u.State)
	}
	good := map[string]any{"table": ref, "mode": "append"}
	if code, b := c.do(http.MethodPost, "/uploads/"+id+"/ingest", good, &job); code != http.StatusAccepted {
		t.Fatalf("ingest again: %d %s", code, b)
	}
	if job = waitJob(t, c, job.ID); job.State != inlet.JobSucceeded {
		t.Fatalf("the fixed ingest %s: %+v", job.State, job.Error)
	}
}
