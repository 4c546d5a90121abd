package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

// Rolling back makes an earlier snapshot current (the rows read as they
// were, later snapshots stay in the history); dropping removes the table
// and every file it had.
func TestRollbackAndDrop(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	a := writeFile(t, filepath.Join(dir, "a.csv"), "id,amount\n1,10.5\n2,3\n")
	b := writeFile(t, filepath.Join(dir, "b.csv"), "id,amount\n3,1.25\n4,2\n5,9\n")
	first, stderr := ingestJSON(t, data, a, "--table", "s.t")
	if first == nil {
		t.Fatal(stderr)
	}
	second, stderr := ingestJSON(t, data, b, "--table", "s.t", "--mode", "append")
	if second == nil {
		t.Fatal(stderr)
	}
	if n, _ := countRows(t, data, "s.t"); n != 5 {
		t.Fatalf("%d rows after the append, want 5", n)
	}
	if _, stderr, code := cli(t, data, "rollback", "s.t", "12345"); code == 0 || !strings.Contains(stderr, "no snapshot 12345") {
		t.Errorf("rollback to a missing snapshot: %d %s", code, stderr)
	}
	if out, stderr, code := cli(t, data, "rollback", "s.t", strconv.FormatInt(first.SnapshotID, 10)); code != 0 || !strings.Contains(out, "again") {
		t.Fatalf("rollback: %d %s %s", code, out, stderr)
	}
	if n, _ := countRows(t, data, "s.t"); n != 2 {
		t.Errorf("%d rows after the rollback, want 2", n)
	}
	// The undone snapshot is out of the current history: Iceberg cannot
	// roll "forward" to it, and says so.
	if _, stderr, code := cli(t, data, "rollback", "s.t", strconv.FormatInt(second.SnapshotID, 10)); code == 0 || !strings.Contains(stderr, "not in its current history") {
		t.Errorf("rollback to the undone snapshot: got %d %q, want a refusal", code, stderr)
	}
	tbl := describeTable(t, data, "s.t")
	if len(tbl.Snapshots) != 2 || tbl.CurrentSnapshot == nil || *tbl.CurrentSnapshot != first.SnapshotID {
		t.Errorf("after the rollback: %d snapshots, current %v; want 2, %d", len(tbl.Snapshots), tbl.CurrentSnapshot, first.SnapshotID)
	}

	location := strings.TrimPrefix(tbl.Location, "file://")
	if _, stderr, code := cli(t, data, "drop", "s.t"); code == 0 || !strings.Contains(stderr, "--confirm s.t") {
		t.Errorf("drop without confirming: %d %s", code, stderr)
	}
	if out, stderr, code := cli(t, data, "drop", "s.t", "--confirm", "s.t"); code != 0 || !strings.Contains(out, "dropped s.t") {
		t.Fatalf("drop: %d %s %s", code, out, stderr)
	}
	if _, stderr, code := cli(t, data, "table", "s.t"); code == 0 || !strings.Contains(stderr, "not") {
		t.Errorf("the dropped table still answers: %s", stderr)
	}
	if _, err := os.Stat(location); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(location)
		t.Errorf("files left under %s: %v (%v)", location, entries, err)
	}
}

// Over HTTP, a drop is confirmed by name and allowed to admins and the
// table's owner only; both actions are in the audit log.
func TestDropOverAPI(t *testing.T) {
	dir := t.TempDir()
	url, token := startServer(t, filepath.Join(dir, "data"))
	c := setUp(t, url+"/api/v1", token)
	var up struct{ Upload inlet.Upload }
	if code, b := c.upload("t.csv", []byte("id,v\n1,2\n3,4\n"), &up); code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, b)
	}
	var job inlet.Job
	c.do(http.MethodPost, "/uploads/"+up.Upload.ID+"/ingest", map[string]any{"table": map[string]string{"database": "d", "name": "t"}}, &job)
	waitJob(t, c, job.ID)
	var e apiError
	code, b := c.do(http.MethodDelete, "/tables/d/t", map[string]string{"confirm": "d.other"}, nil)
	json.Unmarshal(b, &e)
	if code != http.StatusBadRequest || e.Error.Fields["confirm"] == "" {
		t.Errorf("drop with the wrong name: %d %s", code, b)
	}
	// Tokens act with their scope: a viewer token may not; an analyst token
	// of the creator may while no owner is set, and not once another
	// owner is; nor may it hand the table to itself.
	bearer := func(role string) func(method, path string, body any) int {
		var created struct{ Secret string }
		if code, b := c.do(http.MethodPost, "/tokens", map[string]any{"name": role, "role": role}, &created); code >= 300 {
			t.Fatalf("token: %d %s", code, b)
		}
		return func(method, path string, body any) int {
			js, _ := json.Marshal(body)
			req, _ := http.NewRequest(method, url+"/api/v1"+path, bytes.NewReader(js))
			req.Header.Set("Authorization", "Bearer "+created.Secret)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
	}
	viewer, analyst := bearer("viewer"), bearer("analyst")
	confirm := map[string]string{"confirm": "d.t"}
	if code := viewer(http.MethodDelete, "/tables/d/t", confirm); code != http.StatusForbidden {
		t.Errorf("a viewer token drops: got %d, want 403", code)
	}
	if code, b := c.do(http.MethodPatch, "/tables/d/t", map[string]any{"owner": "someone.else@example.com"}, nil); code != http.StatusOK {
		t.Fatalf("admin sets the owner: %d %s", code, b)
	}
	if code := analyst(http.MethodDelete, "/tables/d/t", confirm); code != http.StatusForbidden {
		t.Errorf("an analyst token of a non-owner drops: got %d, want 403", code)
	}
	if code := analyst(http.MethodPatch, "/tables/d/t", map[string]any{"owner": "me"}); code != http.StatusForbidden {
		t.Errorf("an analyst token takes the table over: got %d, want 403", code)
	}
	if code, b := c.do(http.MethodDelete, "/tables/d/t", map[string]string{"confirm": "d.t"}, nil); code != http.StatusNoContent {
		t.Fatalf("drop: %d %s", code, b)
	}
	if code, _ := c.do(http.MethodGet, "/tables/d/t", nil, nil); code != http.StatusNotFound {
		t.Errorf("dropped table: %d, want 404", code)
	}
}
