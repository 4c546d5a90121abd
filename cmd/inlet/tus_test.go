package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

// tusRequest is one request of the tus protocol.
func tusRequest(t *testing.T, c *client, method, url string, headers map[string]string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	req.Header.Set("Tus-Resumable", "1.0.0")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if c.csrf != "" && method != http.MethodHead {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp, b.Bytes()
}

// A resumable upload survives a dropped connection: the client asks for the
// offset and sends the rest; the complete file becomes a staged upload.
func TestResumableUpload(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	url, token := startServer(t, data)
	c := setUp(t, url+"/api/v1", token)
	src := filepath.Join(dir, "customers.csv")
	writeCustomersCSV(t, src, people(2000))
	file, _ := os.ReadFile(src)

	meta := "filename " + base64.StdEncoding.EncodeToString([]byte("customers.csv"))
	resp, b := tusRequest(t, c, http.MethodPost, url+"/api/v1/tus/", map[string]string{
		"Upload-Length": strconv.Itoa(len(file)), "Upload-Metadata": meta}, nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "http") {
		loc = url + loc
	}
	// The first third arrives, then the connection drops.
	third := len(file) / 3
	resp, b = tusRequest(t, c, http.MethodPatch, loc, map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}, file[:third])
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("first part: %d %s", resp.StatusCode, b)
	}
	// Someone else cannot see or continue it.
	other := newClient(t, url+"/api/v1")
	var inv struct{ Token string }
	c.do(http.MethodPost, "/tenants/default/invites", map[string]any{"email": "ann@example.com", "role": "analyst"}, &inv)
	other.signIn("/invites/accept", map[string]string{"token": inv.Token, "name": "Ann", "password": "ann's long password"})
	if resp, _ := tusRequest(t, other, http.MethodHead, loc, nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another user's HEAD: %d, want 404", resp.StatusCode)
	}
	// The uploader resumes from the offset the server reports.
	resp, _ = tusRequest(t, c, http.MethodHead, loc, nil, nil)
	offset, _ := strconv.Atoi(resp.Header.Get("Upload-Offset"))
	if offset != third {
		t.Fatalf("offset after the drop: %d, want %d", offset, third)
	}
	resp, b = tusRequest(t, c, http.MethodPatch, loc, map[string]string{"Upload-Offset": fmt.Sprint(offset), "Content-Type": "application/offset+octet-stream"}, file[offset:])
	if resp.StatusCode >= 300 {
		t.Fatalf("rest: %d %s", resp.StatusCode, b)
	}
	id := resp.Header.Get("Inlet-Upload-Id")
	var up inlet.Upload
	if code, _ := c.do(http.MethodGet, "/uploads/"+id, nil, &up); code != 200 || up.Size != int64(len(file)) || up.State != inlet.UploadStaged || up.Format != inlet.FormatCSV {
		t.Fatalf("upload after resume: %d %+v", code, up)
	}
	var staged bytes.Buffer
	f, _ := os.Open(filepath.Join(data, "staging", "default", id))
	staged.ReadFrom(f)
	f.Close()
	if !bytes.Equal(staged.Bytes(), file) {
		t.Fatal("the staged file differs from the one sent")
	}
	if left, _ := os.ReadDir(filepath.Join(data, "staging", ".tus")); len(left) != 0 {
		t.Errorf("tus leftovers: %v", left)
	}

	// A bad file sent resumably is refused at its last byte, with the reason.
	bad := []byte("a,b\n1,2\n3\n")
	resp, _ = tusRequest(t, c, http.MethodPost, url+"/api/v1/tus/", map[string]string{
		"Upload-Length": strconv.Itoa(len(bad)), "Upload-Metadata": "filename " + base64.StdEncoding.EncodeToString([]byte("bad.csv"))}, nil)
	loc = resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "http") {
		loc = url + loc
	}
	resp, b = tusRequest(t, c, http.MethodPatch, loc, map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}, bad)
	var e apiError
	json.Unmarshal(b, &e)
	if resp.StatusCode != 400 || !strings.Contains(e.Error.Message, "bad.csv: line 3, column 2") {
		t.Errorf("bad file: %d %s", resp.StatusCode, b)
	}
	if left, _ := filepath.Glob(filepath.Join(data, "staging", "default", "*")); len(left) != 1 {
		t.Errorf("staging after a refused file: %v", left)
	}
}
