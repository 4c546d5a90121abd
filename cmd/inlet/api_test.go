package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

func postFile(t *testing.T, url, name string, body []byte) (*http.Response, []byte) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, _ := mw.CreateFormFile("file", name)
		part.Write(body)
		mw.Close()
		pw.Close()
	}()
	resp, err := http.Post(url, mw.FormDataContentType(), pr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("GET %s: %v: %s", url, err, b)
		}
	}
	return resp.StatusCode
}

type apiError struct {
	Error struct {
		Code, Message string
	} `json:"error"`
}

func TestAPI(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	base := startServer(t, data) + "/api/v1"
	src := filepath.Join(dir, "customers.csv")
	ps := people(200)
	writeCustomersCSV(t, src, ps)
	body, _ := os.ReadFile(src)

	resp, b := postFile(t, base+"/uploads", "customers.csv", body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", resp.StatusCode, b)
	}
	var up struct {
		Upload     inlet.Upload     `json:"upload"`
		Inspection inlet.Inspection `json:"inspection"`
	}
	if err := json.Unmarshal(b, &up); err != nil {
		t.Fatal(err)
	}
	if up.Upload.Size != int64(len(body)) || up.Inspection.Format != inlet.FormatCSV || len(up.Inspection.Columns) != 10 {
		t.Fatalf("upload response: %+v", up.Upload)
	}
	staged := filepath.Join(data, "staging", "default", up.Upload.ID)
	if _, err := os.Stat(staged); err != nil {
		t.Fatalf("staged file: %v", err)
	}
	var ins inlet.Inspection
	if code := getJSON(t, base+"/uploads/"+up.Upload.ID+"/inspection?header=true", &ins); code != 200 || len(ins.Columns) != 10 {
		t.Fatalf("inspection: %d", code)
	}

	spec := `{"table":{"database":"api","name":"customers"},"columns":[{"source":"Full Name","action":"mask"},{"source":"amount","type":"double"}]}`
	resp, err := http.Post(base+"/uploads/"+up.Upload.ID+"/ingest", "application/json", strings.NewReader(spec))
	if err != nil {
		t.Fatal(err)
	}
	var job inlet.Job
	json.NewDecoder(resp.Body).Decode(&job)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || job.ID == "" {
		t.Fatalf("ingest: %d %+v", resp.StatusCode, job)
	}
	deadline := time.Now().Add(30 * time.Second)
	for job.State != inlet.JobSucceeded && job.State != inlet.JobFailed && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		getJSON(t, base+"/jobs/"+job.ID, &job)
	}
	if job.State != inlet.JobSucceeded {
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
	if getJSON(t, base+"/uploads/"+up.Upload.ID, &u); u.State != inlet.UploadIngested {
		t.Errorf("upload state %s, want ingested", u.State)
	}

	var tables struct{ Tables []inlet.TableSummary }
	if getJSON(t, base+"/tables", &tables); len(tables.Tables) != 1 || tables.Tables[0].Rows != int64(len(ps)) {
		t.Errorf("tables: %+v", tables)
	}
	var tbl inlet.Table
	getJSON(t, base+"/tables/api/customers", &tbl)
	for _, c := range tbl.Columns {
		if c.Name == "full_name" && (c.PII == nil || c.PII.Action != inlet.ActionMask) {
			t.Errorf("full_name: %+v, want masked", c.PII)
		}
		if c.Name == "amount" && c.Type != inlet.TypeDouble {
			t.Errorf("amount: %s, want double", c.Type)
		}
	}
	var glue map[string]any
	if getJSON(t, base+"/tables/api/customers/glue", &glue); glue["Parameters"].(map[string]any)["table_type"] != "ICEBERG" {
		t.Errorf("glue: %v", glue)
	}

	// Errors share one shape, with codes.
	var e apiError
	if code := getJSON(t, base+"/tables/api/nope", &e); code != 404 || e.Error.Code != "ENOTFOUND" {
		t.Errorf("missing table: %d %+v", code, e)
	}
	resp, _ = http.Post(base+"/uploads/"+up.Upload.ID+"/ingest", "application/json", strings.NewReader(spec))
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("ingest of an ingested upload: %d, want 409", resp.StatusCode)
	}
	resp.Body.Close()
	resp, b = postFile(t, base+"/uploads", "ragged.csv", []byte("a,b\n1,2\n3\n"))
	json.Unmarshal(b, &e)
	if resp.StatusCode != 400 || e.Error.Code != "EINVALID" || !strings.Contains(e.Error.Message, "ragged.csv: line 3, column 2") {
		t.Errorf("bad upload: %d %s", resp.StatusCode, b)
	}
	if left, _ := filepath.Glob(filepath.Join(data, "staging", "default", "*")); len(left) != 0 {
		t.Errorf("staging holds %v after a refused upload", left)
	}

	// Prometheus metrics and the OpenAPI document are served.
	mresp, err := http.Get(strings.TrimSuffix(base, "/api/v1") + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := io.ReadAll(mresp.Body)
	mresp.Body.Close()
	if !bytes.Contains(mb, []byte(fmt.Sprintf("inlet_ingest_rows_total %d", len(ps)))) {
		t.Errorf("metrics lack the ingest row count")
	}
	var doc map[string]any
	if getJSON(t, base+"/openapi.json", &doc); doc["openapi"] != "3.1.0" {
		t.Errorf("openapi: %v", doc["openapi"])
	}
	if found := scanForRawPII(t, data, ps); len(found) > 0 {
		t.Errorf("raw PII in %v", found)
	}
}
