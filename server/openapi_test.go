package server

import (
	"encoding/json"
	"log/slog"
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
