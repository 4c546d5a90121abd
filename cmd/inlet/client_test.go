package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

// client is a browser-like API client: a cookie jar for the session and the
// CSRF header on every state-changing request.
type client struct {
	t    *testing.T
	base string // .../api/v1
	http *http.Client
	csrf string
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar}}
}

// do sends a request and decodes a JSON reply into out (when not nil).
func (c *client) do(method, path string, body any, out any) (int, []byte) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.send(req, out)
}

func (c *client) send(req *http.Request, out any) (int, []byte) {
	c.t.Helper()
	if c.csrf != "" && req.Method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", req.Method, req.URL, err, b)
		}
	}
	return resp.StatusCode, b
}

// signIn posts credentials to path (setup, session or invites/accept) and
// keeps the session's CSRF token.
func (c *client) signIn(path string, body any) *inlet.Session {
	c.t.Helper()
	var s inlet.Session
	if code, b := c.do(http.MethodPost, path, body, &s); code != http.StatusOK {
		c.t.Fatalf("POST %s: %d %s", path, code, b)
	}
	c.csrf = s.CSRF
	return &s
}

// upload streams a file as multipart, as a browser form would.
func (c *client) upload(name string, data []byte, out any) (int, []byte) {
	c.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, _ := mw.CreateFormFile("file", name)
		part.Write(data)
		mw.Close()
		pw.Close()
	}()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/uploads", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req, out)
}
