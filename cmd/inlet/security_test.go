package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/store"
)

// from sends a request as if from another address, through the trusted
// proxy the server was started with.
func (c *client) from(ip, method, path string, body any, out any) (int, []byte) {
	c.t.Helper()
	saved := c.http.Transport
	c.http.Transport = forwarded{ip}
	defer func() { c.http.Transport = saved }()
	return c.do(method, path, body, out)
}

type forwarded struct{ ip string }

func (f forwarded) RoundTrip(r *http.Request) (*http.Response, error) {
	r.Header.Set("X-Forwarded-For", f.ip)
	return http.DefaultTransport.RoundTrip(r)
}

// Wrong passwords slow the source that sends them, not the account's owner
// elsewhere, and every replica counts them alike.
func TestSignInBackoffSharedAndNoLockout(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	url, token := startServer(t, data, "--trusted-proxies", "127.0.0.1")
	base := url + "/api/v1"
	setUp(t, base, token)
	attacker := newClient(t, base)
	wrong := map[string]string{"email": "admin@example.com", "password": "not the password"}
	for i := 0; i < 8; i++ {
		attacker.from("203.0.113.9", http.MethodPost, "/session", wrong, nil)
	}
	if code, b := attacker.from("203.0.113.9", http.MethodPost, "/session", map[string]string{"email": "admin@example.com", "password": adminPassword}, nil); code != http.StatusTooManyRequests || !strings.Contains(string(b), "try again in") {
		t.Errorf("the guessing source, right password: %d %s, want 429 saying when to try again", code, b)
	}
	// The owner, from elsewhere, signs in at once.
	owner := newClient(t, base)
	if code, b := owner.from("198.51.100.7", http.MethodPost, "/session", map[string]string{"email": "admin@example.com", "password": adminPassword}, nil); code != http.StatusOK {
		t.Errorf("the owner from another address: %d %s, want 200 (no lock-out)", code, b)
	}
	// A second replica on the same metadata store sees the same counts.
	url2, _ := startServer(t, data, "--trusted-proxies", "127.0.0.1")
	if code, _ := newClient(t, url2+"/api/v1").from("203.0.113.9", http.MethodPost, "/session", wrong, nil); code != http.StatusTooManyRequests {
		t.Errorf("the guessing source on another replica: %d, want 429", code)
	}
	// Counters never hold an email: they are keyed by a hash.
	db, err := store.OpenSQLite(context.Background(), filepath.Join(data, "inlet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var keys string
	db.SQL().QueryRow(`SELECT group_concat(key, ' ') FROM throttle`).Scan(&keys)
	if keys == "" || strings.Contains(keys, "admin@example.com") {
		t.Errorf("throttle keys %q: want some, none holding the email", keys)
	}
}

// An invite to one tenant never checks the password of an account that
// exists: its owner signs in and opens the link.
func TestInviteIsNoPasswordOracle(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	url, token := startServer(t, data)
	base := url + "/api/v1"
	admin := setUp(t, base, token)
	admin.do(http.MethodPost, "/tenants", map[string]string{"id": "acme"}, nil)
	invite := func(tenant, email string) string {
		var inv struct{ Token string }
		if code, b := admin.do(http.MethodPost, "/tenants/"+tenant+"/invites", map[string]any{"email": email, "role": "viewer"}, &inv); code != 201 {
			t.Fatalf("invite: %d %s", code, b)
		}
		return inv.Token
	}
	ann := newClient(t, base)
	ann.signIn("/invites/accept", map[string]string{"token": invite("acme", "ann@example.com"), "name": "Ann", "password": "ann's long password"})

	// An admin of default invites ann's email and tries passwords with it.
	tok := invite("default", "ann@example.com")
	for _, pw := range []string{"ann's long password", "guess"} {
		code, b := newClient(t, base).do(http.MethodPost, "/invites/accept", map[string]string{"token": tok, "password": pw}, nil)
		if code != http.StatusUnauthorized || !strings.Contains(string(b), "sign in as ann@example.com") {
			t.Errorf("accepting for an existing account, signed out: %d %s, want 401 asking to sign in", code, b)
		}
	}
	// Signed in as someone else, no.
	if code, _ := admin.do(http.MethodPost, "/invites/accept", map[string]string{"token": tok}, nil); code != http.StatusUnauthorized {
		t.Errorf("accepting ann's invite as the admin: %d, want 401", code)
	}
	// Signed in as ann, yes: she joins default without a password.
	if s := ann.signIn("/invites/accept", map[string]string{"token": tok}); s.Tenant != "default" || s.Role != inlet.RoleViewer {
		t.Errorf("ann's session after joining: %+v", s)
	}
	// Guessing invite tokens is slowed down.
	guesser := newClient(t, base)
	var last int
	for i := 0; i < 6; i++ {
		last, _ = guesser.do(http.MethodPost, "/invites/accept", map[string]string{"token": fmt.Sprint("guess-", i), "name": "G", "password": "a long password"}, nil)
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("the 6th wrong invite token: %d, want 429", last)
	}
}

// Until it is ingested, an upload and its raw sample are its uploader's:
// another analyst sees only that it exists; an admin sees it, on record.
func TestStagedUploadsArePrivate(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	url, token := startServer(t, data)
	base := url + "/api/v1"
	admin := setUp(t, base, token)
	join := func(email string) *client {
		var inv struct{ Token string }
		admin.do(http.MethodPost, "/tenants/default/invites", map[string]any{"email": email, "role": "analyst"}, &inv)
		c := newClient(t, base)
		c.signIn("/invites/accept", map[string]string{"token": inv.Token, "name": email, "password": "a long password"})
		return c
	}
	ann, bob := join("ann@example.com"), join("bob@example.com")
	var up struct{ Upload inlet.Upload }
	if code, b := ann.upload("hr-salaries.csv", []byte("email,salary\nx@example.com,1\n"), &up); code != 201 {
		t.Fatalf("upload: %d %s", code, b)
	}
	id := up.Upload.ID
	var list struct{ Uploads []inlet.Upload }
	bob.do(http.MethodGet, "/uploads", nil, &list)
	if len(list.Uploads) != 1 || list.Uploads[0].ID != id || list.Uploads[0].FileName != "" {
		t.Errorf("bob's list: %+v, want ann's upload without its name", list.Uploads)
	}
	for _, p := range []string{"/uploads/" + id, "/uploads/" + id + "/inspection"} {
		if code, b := bob.do(http.MethodGet, p, nil, nil); code != http.StatusNotFound || strings.Contains(string(b), "x@example.com") {
			t.Errorf("bob GET %s: %d %s, want 404", p, code, b)
		}
	}
	if code, _ := bob.do(http.MethodPost, "/uploads/"+id+"/ingest", map[string]any{"table": map[string]string{"database": "hr", "name": "t"}}, nil); code != http.StatusNotFound {
		t.Errorf("bob ingests ann's upload: %d, want 404", code)
	}
	if code, _ := admin.do(http.MethodGet, "/uploads/"+id+"/inspection", nil, nil); code != http.StatusOK {
		t.Errorf("admin inspection: %d, want 200", code)
	}
	db, err := store.OpenSQLite(context.Background(), filepath.Join(data, "inlet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	events, err := db.AuditEvents(context.Background(), "default", inlet.AuditFilter{Object: "upload:" + id, Action: "upload.inspect"})
	if err != nil || len(events) != 1 || events[0].Action != "upload.inspect" || events[0].Outcome != "ok" {
		t.Errorf("audit of the admin's look: %+v %v", events, err)
	}
}

// The owner of a resumable upload is the server's to say: metadata the
// client sends for tenant, user or email is dropped, a refused creation
// creates nothing, and no other site may use the routes from a browser.
func TestTusOwnerIsTheServers(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	url, token := startServer(t, data)
	c := setUp(t, url+"/api/v1", token)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tusDir := filepath.Join(data, "staging", ".tus")

	// No file name: refused, and nothing is created, whatever the tenant says.
	resp, b := tusRequest(t, c, http.MethodPost, url+"/api/v1/tus/", map[string]string{"Upload-Length": "4",
		"Upload-Metadata": "tenant " + b64("../../../escape") + ",user " + b64("someone")}, nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "give the file a name") {
		t.Errorf("creation without a name: %d %s", resp.StatusCode, b)
	}
	if left, _ := os.ReadDir(tusDir); len(left) != 0 {
		t.Errorf("a refused creation left %v", left)
	}
	if _, err := os.Stat(filepath.Join(data, "..", "escape")); err == nil {
		t.Error("a client-sent tenant made a directory outside the data dir")
	}
	for _, name := range []string{".", "..", "/", "./.."} {
		resp, _ := tusRequest(t, c, http.MethodPost, url+"/api/v1/tus/", map[string]string{"Upload-Length": "4", "Upload-Metadata": "filename " + b64(name)}, nil)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("file name %q: %d, want 400", name, resp.StatusCode)
		}
	}

	// With a name: the client's tenant, user and email are ignored.
	file := []byte("a,b\n1,2\n")
	resp, b = tusRequest(t, c, http.MethodPost, url+"/api/v1/tus/", map[string]string{"Upload-Length": strconv.Itoa(len(file)),
		"Upload-Metadata": "filename " + b64("x.csv") + ",tenant " + b64("globex") + ",user " + b64("mallory") + ",email " + b64("m@evil.example")}, nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "http") {
		loc = url + loc
	}
	resp, b = tusRequest(t, c, http.MethodPatch, loc, map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}, file)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("send: %d %s", resp.StatusCode, b)
	}
	var up inlet.Upload
	c.do(http.MethodGet, "/uploads/"+resp.Header.Get("Inlet-Upload-Id"), nil, &up)
	var me inlet.Session
	c.do(http.MethodGet, "/session", nil, &me)
	if up.Tenant != "default" || up.Owner != me.User.ID || up.UploadedBy != "admin@example.com" {
		t.Errorf("upload %+v: want tenant default, owned by the caller", up)
	}

	// Cross-origin: no Access-Control-Allow-Origin for another site.
	req, _ := http.NewRequest(http.MethodOptions, url+"/api/v1/tus/", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("tus allows origin %q", got)
	}
}

func TestSecurityHeaders(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	url, _ := startServer(t, data, "--trusted-proxies", "127.0.0.1")
	get := func(path string, proto string) http.Header {
		req, _ := http.NewRequest(http.MethodGet, url+path, nil)
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header
	}
	for _, path := range []string{"/", "/tables", "/api/v1/health", "/api/v1/tables"} {
		h := get(path, "")
		csp := h.Get("Content-Security-Policy")
		script := ""
		for _, d := range strings.Split(csp, ";") {
			if d = strings.TrimSpace(d); strings.HasPrefix(d, "script-src ") {
				script = d
			}
		}
		if script != "script-src 'self'" || !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "object-src 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for k, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain http", path)
		}
	}
	if h := get("/", "https"); !strings.Contains(h.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("HSTS behind a trusted https proxy: %q", h.Get("Strict-Transport-Security"))
	}
	// Without a trusted proxy the header is a client's claim: no HSTS.
	url2, _ := startServer(t, filepath.Join(t.TempDir(), "data"))
	req, _ := http.NewRequest(http.MethodGet, url2+"/", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS from an untrusted X-Forwarded-Proto")
	}
}

// Files built to make the parser huge are refused early, with the reason.
func TestParserAmplificationRefused(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	// 100 000 columns in a 0.4 MB file.
	var wide bytes.Buffer
	for row := 0; row < 2; row++ {
		for i := 0; i < 100000; i++ {
			if i > 0 {
				wide.WriteByte(',')
			}
			wide.WriteString("1")
		}
		wide.WriteByte('\n')
	}
	path := writeFile(t, filepath.Join(dir, "wide.csv"), wide.String())
	_, stderr, code := cli(t, data, "inspect", path)
	if code != exitFailed || !strings.Contains(stderr, "wide.csv: line 1: the file has 100000 columns, more than the 4096 allowed") {
		t.Errorf("wide file: exit %d %s", code, stderr)
	}
	// A gzip file that expands far past its size.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("a,b\n"))
	chunk := bytes.Repeat([]byte("1,2\n"), 1<<16)
	for i := 0; i < 160; i++ { // 40 MiB of text
		zw.Write(chunk)
	}
	zw.Close()
	bomb := filepath.Join(dir, "bomb.csv.gz")
	os.WriteFile(bomb, gz.Bytes(), 0o644)
	_, stderr, code = cli(t, data, "ingest", bomb, "--table", "t.bomb")
	if code != exitFailed || !strings.Contains(stderr, "expands more than 200 times") {
		t.Errorf("gzip bomb: exit %d %s", code, stderr)
	}
	if files := lakeFiles(t, data); len(files) != 0 {
		t.Errorf("the refused ingest left %v", files)
	}
}
