package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
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

// Every call the web UI makes (frontend/src/api.ts) is in the OpenAPI
// document, and names the operation it is: call<"operationId"> types its
// body and answer from that operation (api.gen.ts).
func TestUIClientUsesDocumentedRoutes(t *testing.T) {
	src, err := os.ReadFile("../frontend/src/api.ts")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	// Paths with their parameters spelt alike: /tables/{}/{}
	norm := regexp.MustCompile(`\{[^}]*\}|\$\{[^}]*\}`)
	documented := map[string]string{} // METHOD path: operationId
	for p, ops := range doc.Paths {
		for m, op := range ops {
			documented[strings.ToUpper(m)+" "+norm.ReplaceAllString(p, "{}")] = op.OperationID
		}
	}
	calls := regexp.MustCompile("call<\"(\\w+)\"[^>]*>\\(\"([A-Z]+)\", [\"`]([^\"`]+)[\"`]").FindAllStringSubmatch(string(src), -1)
	if len(calls) < 10 {
		t.Fatalf("found only %d calls in api.ts: the pattern is stale", len(calls))
	}
	if n := strings.Count(string(src), "call<"); n != len(calls)+1 { // +1: call's own declaration
		t.Errorf("api.ts has %d call< but %d match call<\"operationId\">(\"METHOD\", path): write every call so", n-1, len(calls))
	}
	for _, c := range calls {
		path, _, _ := strings.Cut(c[3], "?") // query parameters are not part of the path
		key := c[2] + " " + norm.ReplaceAllString(path, "{}")
		op, ok := documented[key]
		if !ok {
			t.Errorf("the UI calls %s %s, which openapi.json does not document", c[2], c[3])
		} else if op != c[1] {
			t.Errorf("the UI calls %s %s as operation %s, but openapi.json names it %s", c[2], c[3], c[1], op)
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

// The document's schemas are the Go types the handlers encode: the same
// JSON fields, and "required" exactly the fields that are always written
// (those without omitempty), so that the types the web UI generates from
// the document (frontend/src/api.gen.ts) are the server's. A readOnly
// field (set by the server) need not be required, and request-only schemas
// are checked for their fields' names only: the server requires none of
// them to be present.
func TestOpenAPISchemasMatchGoTypes(t *testing.T) {
	type schema struct {
		Ref        string         `json:"$ref"`
		Properties map[string]any `json:"properties"`
		Required   []string       `json:"required"`
		AllOf      []schema       `json:"allOf"`
	}
	var doc struct {
		Components struct {
			Schemas map[string]schema `json:"schemas"`
		} `json:"components"`
	}
	var raw struct {
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(openAPIDocument, &raw)
	// A schema's properties and required fields, with those of allOf's parts.
	var flat func(s schema) schema
	flat = func(s schema) schema {
		if s.Ref != "" {
			return flat(doc.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")])
		}
		out := schema{Properties: map[string]any{}, Required: s.Required}
		for k, v := range s.Properties {
			out.Properties[k] = v
		}
		for _, part := range s.AllOf {
			p := flat(part)
			for k, v := range p.Properties {
				out.Properties[k] = v
			}
			out.Required = append(out.Required, p.Required...)
		}
		return out
	}
	types := map[string]any{
		"Upload": inlet.Upload{}, "UploadResponse": inlet.StagedUpload{}, "InspectProgress": inlet.InspectProgress{},
		"Finding": inlet.Finding{}, "Dialect": inlet.Dialect{}, "InspectOptions": inlet.InspectOptions{},
		"Inspection": inlet.Inspection{}, "InspectedColumn": inlet.InspectedColumn{}, "Suggestion": inlet.Suggestion{}, "ColumnSpec": inlet.ColumnSpec{},
		"IngestSpec": inlet.IngestSpec{}, "IngestJobSpec": inlet.IngestJobSpec{}, "TableRef": inlet.TableRef{}, "JobProgress": inlet.JobProgress{},
		"Job": inlet.Job{}, "RowError": inlet.RowError{}, "IngestResult": inlet.IngestResult{},
		"Column": inlet.Column{}, "ColumnPII": inlet.ColumnPII{}, "ColumnProfile": inlet.ColumnProfile{},
		"ValueCount": inlet.ValueCount{}, "Bin": inlet.Bin{},
		"PIIDecision": inlet.PIIDecision{}, "Lineage": inlet.Lineage{}, "Snapshot": inlet.Snapshot{},
		"TableSummary": inlet.TableSummary{}, "Table": inlet.Table{}, "Expectation": inlet.Expectation{},
		"SnapshotDiff": inlet.SnapshotDiff{}, "Rows": inlet.Rows{},
		"User": inlet.User{}, "Session": inlet.Session{}, "TokenSession": tokenSession{}, "Membership": inlet.Membership{},
		"Tenant": inlet.Tenant{}, "Invite": inlet.Invite{}, "APIToken": inlet.APIToken{},
		"ResultColumn": inlet.ResultColumn{}, "Statement": inlet.Statement{},
		"TemplateParam": inlet.TemplateParam{}, "Template": inlet.Template{}, "TemplateVersion": inlet.TemplateVersion{},
		"CustomEntity": inlet.CustomEntity{}, "PIIRules": inlet.PIIRules{},
		"ExportSource": inlet.ExportSource{}, "ExportOptions": inlet.ExportOptions{}, "ExportFile": inlet.ExportFile{},
		"Export": inlet.Export{}, "ExportProgress": inlet.ExportProgress{}, "CustomerExport": customerExport{},
		"Failure": inlet.Error{}, "ExportRequest": inlet.ExportRequest{}, "ExportSchedule": inlet.ExportSchedule{}, "AuditEvent": inlet.AuditEvent{},
		"Readiness": readiness{}, "ReadyCheck": readyCheck{},
		// Request bodies: names only.
		"QueryRequest": queryRequest{}, "TemplateRequest": templateRequest{},
	}
	requestOnly := map[string]bool{"QueryRequest": true, "TemplateRequest": true}
	// Pointers the handlers always set: a session has its user, an upload
	// response its upload.
	neverNil := map[string]bool{"Session.user": true, "TokenSession.user": true, "UploadResponse.upload": true}
	for name, v := range types {
		s, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("openapi.json has no schema %s", name)
			continue
		}
		s = flat(s)
		fields, always, nullable := jsonFields(reflect.TypeOf(v))
		for f := range fields {
			if _, ok := s.Properties[f]; !ok {
				t.Errorf("schema %s lacks property %q of %T", name, f, v)
			}
		}
		for p := range s.Properties {
			if !fields[p] {
				t.Errorf("schema %s has property %q, which %T does not have", name, p, v)
			}
		}
		if requestOnly[name] {
			continue
		}
		req := map[string]bool{}
		for _, r := range s.Required {
			req[r] = true
			if fields[r] && !always[r] {
				t.Errorf("schema %s requires %q, which %T omits when empty", name, r, v)
			}
		}
		for f := range nullable {
			if neverNil[name+"."+f] {
				continue
			}
			if !allowsNull(raw.Components.Schemas, s.Properties[f]) {
				t.Errorf("schema %s: property %q of %T is a pointer written even when nil: its schema must allow null", name, f, v)
			}
		}
		for f := range always {
			if prop, _ := s.Properties[f].(map[string]any); prop["readOnly"] == true {
				continue // the server sets it: a response has it, a request need not
			}
			if !req[f] {
				t.Errorf("schema %s does not require %q, which %T always writes", name, f, v)
			}
		}
	}
}

// jsonFields lists the JSON names encoding/json gives a struct's fields
// (embedded structs' fields as their own), those it always writes, and of
// those the pointers, which it writes as null when nil.
func jsonFields(t reflect.Type) (fields, always, nullable map[string]bool) {
	fields, always, nullable = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			fs, as, ns := jsonFields(f.Type)
			for k := range fs {
				fields[k] = true
			}
			for k := range as {
				always[k] = true
			}
			for k := range ns {
				nullable[k] = true
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = true
		if !slices.Contains(strings.Split(opts, ","), "omitempty") {
			always[name] = true
			if f.Type.Kind() == reflect.Pointer {
				nullable[name] = true
			}
		}
	}
	return fields, always, nullable
}

// allowsNull reports whether a property's schema admits null: a type list
// with "null", a oneOf or anyOf with a null branch, or a $ref to such.
func allowsNull(schemas map[string]any, prop any) bool {
	p, _ := prop.(map[string]any)
	if ref, ok := p["$ref"].(string); ok {
		return allowsNull(schemas, schemas[strings.TrimPrefix(ref, "#/components/schemas/")])
	}
	switch typ := p["type"].(type) {
	case string:
		return typ == "null"
	case []any:
		return slices.Contains(typ, any("null"))
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		branches, _ := p[k].([]any)
		for _, b := range branches {
			if allowsNull(schemas, b) {
				return true
			}
		}
	}
	return false
}
