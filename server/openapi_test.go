package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every registered route is documented, and every documented path is served.
func TestOpenAPICoversRoutes(t *testing.T) {
	s := &Server{Logger: slog.Default(), TusDir: t.TempDir()}
	if _, err := s.Handler(); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	param := regexp.MustCompile(`[:*](\w+)`)
	served := map[string]bool{}
	for _, r := range s.Routes() {
		method, path, _ := strings.Cut(r, " ")
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		path = param.ReplaceAllString(strings.TrimPrefix(path, "/api/v1"), "{$1}")
		served[strings.ToLower(method)+" "+path] = true
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("route %s %s is not in openapi.json", method, path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !served[method+" "+path] {
				t.Errorf("openapi.json documents %s %s, which is not served", method, path)
			}
		}
	}
}

// Every call the web UI makes (frontend/src/api.ts) is in the OpenAPI document.
func TestUIClientUsesDocumentedRoutes(t *testing.T) {
	src, err := os.ReadFile("../frontend/src/api.ts")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	json.Unmarshal(openAPIDocument, &doc)
	// Paths with their parameters spelt alike: /tables/{}/{}
	norm := regexp.MustCompile(`\{[^}]*\}|\$\{[^}]*\}`)
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+norm.ReplaceAllString(p, "{}")] = true
		}
	}
	calls := regexp.MustCompile("call<[^>]*>\\(\"([A-Z]+)\", [\"`]([^\"`]+)[\"`]").FindAllStringSubmatch(string(src), -1)
	if len(calls) < 10 {
		t.Fatalf("found only %d calls in api.ts: the pattern is stale", len(calls))
	}
	for _, c := range calls {
		path, _, _ := strings.Cut(c[2], "?") // query parameters are not part of the path
		key := c[1] + " " + norm.ReplaceAllString(path, "{}")
		if !documented[key] {
			t.Errorf("the UI calls %s %s, which openapi.json does not document", c[1], c[2])
		}
	}
}

// A binary built without the web UI still serves a page that says how to build it.
func TestNoUIPage(t *testing.T) {
	s := &Server{Logger: slog.Default()}
	h, err := s.Handler()
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/tables", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "built without its web UI") {
		t.Errorf("got %d %q", rec.Code, rec.Body.String())
	}
}
