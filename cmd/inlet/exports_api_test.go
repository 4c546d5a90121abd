package main

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/export"
	"github.com/xuri/excelize/v2"
)

// waitExport polls an export until it leaves queued and running.
func waitExport(t *testing.T, c *client, id string) inlet.Export {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var e inlet.Export
		if code, b := c.do(http.MethodGet, "/exports/"+id, nil, &e); code != 200 {
			t.Fatalf("export %s: %d %s", id, code, b)
		}
		if e.State != inlet.ExportQueued && e.State != inlet.ExportRunning {
			return e
		}
		if time.Now().After(deadline) {
			t.Fatalf("export %s still %s", id, e.State)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// get fetches a URL with no credentials, as a customer's browser or curl would.
func get(t *testing.T, u string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, resp.Header, b.String()
}

// An analyst exports a filtered table and shares it with one customer: the
// job writes a formula-safe file, the customer sees only that export and
// downloads it through a signed link (ranges work); a tampered, expired or
// revoked link is refused with a page that says so; the customer reaches
// no table, no SQL, no other customer's export; every step is audited.
func TestExportsForCustomers(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	srv, setupToken := startServer(t, data)
	base := srv + "/api/v1"
	admin := setUp(t, base, setupToken)
	csv := "id,region,note,amount\n1,EU,=HYPERLINK(\"http://x\"),-12.50\n2,US,plain,3.00\n3,EU,@SUM(A1),7.25\n4,APAC,-5 apples,1.00\n"
	ingestCSV(t, admin, "orders.csv", []byte(csv), "s", "orders")

	// Two customers.
	customer := func(email string) (*client, string) {
		var inv struct{ Token string }
		if code, b := admin.do(http.MethodPost, "/tenants/default/invites", map[string]any{"email": email, "role": "customer"}, &inv); code != 201 {
			t.Fatalf("invite: %d %s", code, b)
		}
		c := newClient(t, base)
		s := c.signIn("/invites/accept", map[string]string{"token": inv.Token, "name": email, "password": "a long customer password"})
		if s.Role != inlet.RoleCustomer {
			t.Fatalf("%s signed in as %q", email, s.Role)
		}
		return c, s.User.ID
	}
	acme, acmeID := customer("buyer@acme.example")
	_, globexID := customer("buyer@globex.example")

	// Problems are refused on their fields before anything is queued.
	for _, bad := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"source": map[string]any{"table": map[string]string{"database": "s", "name": "orders"}}, "format": "xls"}, "format"},
		{map[string]any{"source": map[string]any{"table": map[string]string{"database": "s", "name": "orders"}, "columns": []string{"nope"}}, "format": "csv"}, "columns"},
		{map[string]any{"source": map[string]any{"table": map[string]string{"database": "s", "name": "orders"}}, "format": "csv", "expires_in_hours": 500}, "expires_in_hours"},
		{map[string]any{"source": map[string]any{"table": map[string]string{"database": "s", "name": "orders"}}, "format": "csv", "share_with": []string{"someone"}}, "share_with"},
		{map[string]any{"source": map[string]any{"table": map[string]string{"database": "s", "name": "orders"}, "where": "region = {{r}}"}, "format": "csv"}, "r"},
	} {
		code, b := admin.do(http.MethodPost, "/exports", bad.body, nil)
		if code != 400 || errorField(b, bad.field) == "" {
			t.Errorf("bad export %v: %d %s, want 400 on %s", bad.body, code, b, bad.field)
		}
	}

	// A schedule cannot make the server call its own machine: refused on
	// the field unless the server allows it (--webhook-allow-loopback).
	for _, hook := range []string{"http://127.0.0.1:5432/", "https://localhost:8443/hook", "http://[::1]:9/", "https://LOCALHOST.:8443/", "https://api.localhost/", "https://0.0.0.0:8443/"} {
		code, b := admin.do(http.MethodPost, "/schedules", map[string]any{"name": "weekly", "cadence": "daily", "at": "07:00", "zone": "Europe/Berlin", "keep": 3,
			"export":      map[string]any{"source": map[string]any{"table": map[string]string{"database": "s", "name": "orders"}}, "format": "csv"},
			"webhook_url": hook}, nil)
		if code != 400 || errorField(b, "webhook_url") == "" || !strings.Contains(string(b), "--webhook-allow-loopback") {
			t.Errorf("a schedule with webhook %s: %d %s, want 400 on webhook_url", hook, code, b)
		}
	}

	var e inlet.Export
	if code, b := admin.do(http.MethodPost, "/exports", map[string]any{
		"source": map[string]any{"table": map[string]string{"database": "s", "name": "orders"}, "columns": []string{"id", "note", "amount"},
			"where": "region = {{r}}", "values": map[string][]string{"r": {"EU"}}},
		"format": "csv", "options": map[string]any{"bom": true}, "share_with": []string{acmeID}}, &e); code != 201 {
		t.Fatalf("create export: %d %s", code, b)
	}
	if e.Source.SnapshotID == 0 {
		t.Errorf("the export did not pin the table's snapshot: %+v", e.Source)
	}
	e = waitExport(t, admin, e.ID)
	if e.State != inlet.ExportSucceeded || len(e.Files) != 1 || e.Files[0].Rows != 2 {
		t.Fatalf("export ended %s %+v %v", e.State, e.Files, e.Error)
	}
	other, _ := admin.do(http.MethodPost, "/exports", map[string]any{"source": map[string]any{"table": map[string]string{"database": "s", "name": "orders"}},
		"format": "jsonl", "share_with": []string{globexID}}, nil)
	if other != 201 {
		t.Fatalf("second export: %d", other)
	}

	// The customer sees their export only, and nothing of the staff's.
	var mine struct{ Exports []map[string]any }
	acme.do(http.MethodGet, "/my/exports", nil, &mine)
	if len(mine.Exports) != 1 || mine.Exports[0]["id"] != e.ID || mine.Exports[0]["source"] != nil {
		t.Errorf("customer's exports: %+v", mine.Exports)
	}
	for _, path := range []string{"/tables", "/tables/s/orders", "/exports", "/exports/" + e.ID, "/templates", "/jobs", "/config", "/customers", "/tenants/default/members"} {
		if code, b := acme.do(http.MethodGet, path, nil, nil); code != http.StatusForbidden {
			t.Errorf("customer GET %s: %d %s, want 403", path, code, b)
		}
	}
	if code, _ := acme.do(http.MethodPost, "/query", map[string]string{"sql": "SELECT * FROM s.orders"}, nil); code != http.StatusForbidden {
		t.Errorf("customer runs SQL: %d", code)
	}
	var list struct{ Exports []inlet.Export }
	admin.do(http.MethodGet, "/exports", nil, &list)
	var globexExport string
	for _, x := range list.Exports {
		if x.ID != e.ID {
			globexExport = x.ID
		}
	}
	if code, _ := acme.do(http.MethodPost, "/my/exports/"+globexExport+"/link", map[string]string{}, nil); code != http.StatusNotFound {
		t.Errorf("customer links another customer's export: %d, want 404", code)
	}

	// The download: formula-safe, negative numbers intact, a clean name, ranges.
	var link struct {
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	if code, b := acme.do(http.MethodPost, "/my/exports/"+e.ID+"/link", map[string]string{}, &link); code != 200 {
		t.Fatalf("customer link: %d %s", code, b)
	}
	if time.Until(link.ExpiresAt) > time.Hour+time.Minute {
		t.Errorf("a customer's link lasts until %s: want about an hour", link.ExpiresAt)
	}
	code, h, body := get(t, link.URL, nil)
	if code != 200 || !strings.HasPrefix(body, "\ufeffid,note,amount\r\n") || !strings.Contains(body, `"'=HYPERLINK(""http://x"")",-12.50`) || !strings.Contains(body, "'@SUM(A1)") {
		t.Errorf("download: %d %q", code, body)
	}
	if cd := h.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, e.Files[0].Name) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if code, h, part := get(t, link.URL, map[string]string{"Range": "bytes=3-10"}); code != http.StatusPartialContent || part != body[3:11] || h.Get("Content-Range") == "" {
		t.Errorf("range: %d %q %v", code, part, h)
	}
	// Tampered: another export's id, or a changed expiry.
	u, _ := url.Parse(link.URL)
	q := u.Query()
	q.Set("exp", "9999999999")
	if code, _, page := get(t, srv+u.Path+"?"+q.Encode(), nil); code != http.StatusForbidden || !strings.Contains(page, "not valid") {
		t.Errorf("tampered link: %d %s", code, page)
	}
	if code, _, page := get(t, srv+strings.Replace(u.Path, e.ID, globexExport, 1)+"?"+u.RawQuery, nil); code != http.StatusForbidden || !strings.Contains(page, "not valid") {
		t.Errorf("link moved to another export: %d %s", code, page)
	}
	// Expired: a link signed with the server's own key, an hour ago.
	keys, err := export.OpenLinkKeys(filepath.Join(data, "keys", "links.json"))
	if err != nil {
		t.Fatal(err)
	}
	old, _ := keys.Link(&e, e.Files[0].Name, time.Now().Add(-2*time.Hour), time.Now().Add(-time.Hour))
	if code, _, page := get(t, srv+old, nil); code != http.StatusGone || !strings.Contains(page, "expired") {
		t.Errorf("expired link: %d %s", code, page)
	}
	// Rotating the key keeps links it signed working.
	if _, err := keys.Rotate(time.Now()); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := get(t, link.URL, nil); code != 200 {
		t.Errorf("a link signed before a key rotation: %d", code)
	}
	// Revoked: every link so far stops working.
	if code, b := admin.do(http.MethodPost, "/exports/"+e.ID+"/revoke", nil, nil); code != 200 {
		t.Fatalf("revoke: %d %s", code, b)
	}
	if code, _, page := get(t, link.URL, nil); code != http.StatusForbidden || !strings.Contains(page, "revoked") {
		t.Errorf("revoked link: %d %s", code, page)
	}

	// Without a BOM the engine writes the CSV in place: the same
	// neutralisation, the chosen delimiter, NULL apart from "".
	var semi inlet.Export
	if code, b := admin.do(http.MethodPost, "/exports", map[string]any{"source": map[string]any{"table": map[string]string{"database": "s", "name": "orders"}},
		"format": "csv", "options": map[string]any{"delimiter": ";"}}, &semi); code != 201 {
		t.Fatalf("create export: %d %s", code, b)
	}
	semi = waitExport(t, admin, semi.ID)
	var semiLink struct{ URL string }
	if code, b := admin.do(http.MethodPost, "/exports/"+semi.ID+"/link", map[string]string{}, &semiLink); code != 200 {
		t.Fatalf("link: %d %s", code, b)
	}
	want := "id;region;note;amount\r\n1;EU;\"'=HYPERLINK(\"\"http://x\"\")\";-12.50\r\n2;US;plain;3.00\r\n3;EU;'@SUM(A1);7.25\r\n4;APAC;'-5 apples;1.00\r\n"
	if code, _, body := get(t, semiLink.URL, nil); code != 200 || body != want {
		t.Errorf("CSV without a BOM: %d\n%q\nwant\n%q", code, body, want)
	}

	// Every step is in the audit log.
	var audit struct{ Events []inlet.AuditEvent }
	admin.do(http.MethodGet, "/audit?action=export.", nil, &audit)
	seen := map[string]bool{}
	for _, ev := range audit.Events {
		seen[ev.Action] = true
		if ev.Action == "export.download" && ev.Detail["bytes"] == nil {
			t.Errorf("download event without bytes: %+v", ev)
		}
	}
	for _, a := range []string{"export.create", "export.link", "export.download", "export.link.revoke"} {
		if !seen[a] {
			t.Errorf("audit log lacks %s: %v", a, seen)
		}
	}
}

// An export whose server is killed mid-write (SIGKILL: no cleanup runs) is
// taken over by the next start and finished from nothing: the file holds
// every row once, and the export area holds only the finished files.
func TestKilledExportRestartsOnNextStart(t *testing.T) {
	if testing.Short() {
		t.Skip("exports 300,000 rows")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := filepath.Join(dir, "big.csv")
	writeCustomersCSV(t, src, people(300000))
	if _, stderr, code := cli(t, data, "ingest", src, "--table", "s.big"); code != 0 {
		t.Fatal(stderr)
	}
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--data-dir", data)
	cmd.Env = append(os.Environ(), "INLET_TEST_MAIN=1", "INLET_JOB_LEASE=1s")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	addr := regexp.MustCompile(`running at (http://[0-9.:]+)`)
	setupRE := regexp.MustCompile(`/setup#([A-Za-z0-9_-]+)`)
	var srv, token string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && token == ""; time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(stdout.String()); m != nil {
			srv = m[1]
			if s := setupRE.FindStringSubmatch(stdout.String()); s != nil {
				token = s[1]
			}
		}
	}
	admin := setUp(t, srv+"/api/v1", token)
	var e inlet.Export
	if code, b := admin.do(http.MethodPost, "/exports", map[string]any{"source": map[string]any{"table": map[string]string{"database": "s", "name": "big"}},
		"format": "csv"}, &e); code != 201 {
		t.Fatalf("create export: %d %s", code, b)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var now inlet.Export
		admin.do(http.MethodGet, "/exports/"+e.ID, nil, &now)
		if now.State == inlet.ExportRunning && now.Progress.Rows > 0 {
			break
		}
		if now.State == inlet.ExportSucceeded {
			t.Skip("the export finished before it could be killed")
		}
		if time.Now().After(deadline) {
			t.Fatalf("export never ran: %+v %s", now, stderr.String())
		}
	}
	cmd.Process.Kill()
	cmd.Wait()

	url, _ := startServer(t, data)
	again := newClient(t, url+"/api/v1")
	again.signIn("/session", map[string]string{"email": "admin@example.com", "password": adminPassword})
	done := waitExport(t, again, e.ID)
	if done.State != inlet.ExportSucceeded || len(done.Files) != 1 || done.Files[0].Rows != 300000 {
		t.Fatalf("after the restart: %s %+v %v", done.State, done.Files, done.Error)
	}
	var area []string
	filepath.Walk(filepath.Join(data, "lake", "_exports"), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			area = append(area, filepath.Base(p))
		}
		return nil
	})
	if len(area) != 1 || area[0] != done.Files[0].Name {
		t.Errorf("export area after the restart: %v, want only %s", area, done.Files[0].Name)
	}
	b, err := os.ReadFile(filepath.Join(data, "lake", "_exports", "default", e.ID, done.Files[0].Name))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(b), "\r\n"); lines != 300001 {
		t.Errorf("the finished file has %d lines, want 300,001 with the header", lines)
	}
}

// inlet export --template writes a saved template's result with its
// values bound, through the same writers and formula neutralisation.
func TestExportTemplateCLI(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := writeFile(t, filepath.Join(dir, "o.csv"), "id,region,note\n1,EU,=cmd\n2,US,x\n3,EU,y\n4,EU,-cmd\n5,EU,@SUM(A1)\n")
	if _, stderr, code := cli(t, data, "ingest", src, "--table", "s.o"); code != 0 {
		t.Fatal(stderr)
	}
	url, token := startServer(t, data)
	admin := setUp(t, url+"/api/v1", token)
	if code, b := admin.do(http.MethodPost, "/templates", map[string]any{"name": "by region", "sql": "SELECT id, note FROM s.o WHERE region = {{r}} ORDER BY id",
		"params": []map[string]any{{"name": "r", "type": "text", "required": true}}}, nil); code != 201 {
		t.Fatalf("template: %d %s", code, b)
	}
	out := filepath.Join(dir, "eu.csv")
	if _, stderr, code := cli(t, data, "export", "--template", "by region", "--param", "r=EU", "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	const want = "id,note\r\n1,'=cmd\r\n3,y\r\n4,'-cmd\r\n5,'@SUM(A1)\r\n"
	if b, _ := os.ReadFile(out); string(b) != want {
		t.Errorf("template export: %q, want %q", b, want)
	}
	// A collation (th ignores - and @ when comparing) changes nothing.
	if code, b := admin.do(http.MethodPost, "/templates", map[string]any{"name": "collated", "sql": "SELECT id, note COLLATE th AS note FROM s.o WHERE region = {{r}} ORDER BY id",
		"params": []map[string]any{{"name": "r", "type": "text", "required": true}}}, nil); code != 201 {
		t.Fatalf("template: %d %s", code, b)
	}
	if _, stderr, code := cli(t, data, "export", "--template", "collated", "--param", "r=EU", "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != want {
		t.Errorf("collated template export: %q, want %q", b, want)
	}
	if _, stderr, code := cli(t, data, "export", "--template", "nope", "--out", out); code == 0 || !strings.Contains(stderr, `no template "nope"`) {
		t.Errorf("missing template: %d %s", code, stderr)
	}
	if _, stderr, code := cli(t, data, "export", "--template", "by region", "--out", out); code == 0 || !strings.Contains(stderr, "required") {
		t.Errorf("template without its value: %d %s", code, stderr)
	}
}

// inlet export --link makes the export in a server's data directory and
// prints signed links that server serves: a pipeline shares a file with a
// customer without the web UI, and the audit log has it.
func TestExportLinkCLI(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(src, []byte("id,region,note\n1,EU,=HYPERLINK(\"x\")\n2,US,plain\n3,EU,fine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := cli(t, data, "ingest", src, "--table", "s.orders"); code != 0 {
		t.Fatal(stderr)
	}
	srv, token := startServer(t, data)
	admin := setUp(t, srv+"/api/v1", token)
	out, stderr, code := cli(t, data, "export", "s.orders", "--format", "csv", "--where", "region = {{r}}", "--param", "r=EU", "--link", "--public-url", srv)
	if code != 0 {
		t.Fatalf("export --link: %s", stderr)
	}
	link, _, _ := strings.Cut(strings.TrimSpace(out), "\t")
	if !strings.HasPrefix(link, srv+"/d/default/exp-") {
		t.Fatalf("printed %q, want a link to this server", out)
	}
	code, _, body := get(t, link, nil)
	if want := "id,region,note\r\n1,EU,\"'=HYPERLINK(\"\"x\"\")\"\r\n3,EU,fine\r\n"; code != 200 || body != want {
		t.Errorf("download: %d %q, want %q", code, body, want)
	}
	var audit struct{ Events []inlet.AuditEvent }
	admin.do(http.MethodGet, "/audit?action=export.", nil, &audit)
	seen := map[string]bool{}
	for _, ev := range audit.Events {
		seen[ev.Action] = true
	}
	for _, a := range []string{"export.create", "export.link", "export.download"} {
		if !seen[a] {
			t.Errorf("audit log lacks %s: %v", a, seen)
		}
	}
	for _, args := range [][]string{
		{"--link", "--out", filepath.Join(dir, "x.csv")},
		{"--link"},
		{"--link", "--format", "csv", "--expires", "200h"},
		{"--link", "--format", "csv", "--expires", "30m"}, // not rounded up to an hour
		{"--link", "--format", "csv", "--expires", "90m"},
		{"--link", "--format", "csv", "--public-url", "data.example.com"},
	} {
		if _, stderr, code := cli(t, data, append([]string{"export", "s.orders"}, args...)...); code == 0 || strings.Contains(stderr, "internal error") {
			t.Errorf("%q: exit %d %s, want a usage error", args, code, stderr)
		}
	}
}

// TestExportNeutralisesEveryType: formula neutralisation is default deny.
// A template's column of any type that prints as text (a blob, a union, a
// variant, JSON, an interval) is neutralised in CSV and XLSX like text, and
// reaches JSON Lines as its text, not as bytes; numbers stay numbers.
func TestExportNeutralisesEveryType(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := writeFile(t, filepath.Join(dir, "o.csv"), "id,note\n1,=cmd\n")
	if _, stderr, code := cli(t, data, "ingest", src, "--table", "s.o"); code != 0 {
		t.Fatal(stderr)
	}
	url, token := startServer(t, data)
	admin := setUp(t, url+"/api/v1", token)
	sql := "SELECT note::BLOB AS b, union_value(k := note) AS u, note::VARIANT AS v, '\t1'::JSON AS j, INTERVAL '-1 day' AS i, ['=cmd'] AS l, -42 AS n FROM s.o"
	if code, b := admin.do(http.MethodPost, "/templates", map[string]any{"name": "types", "sql": sql}, nil); code != 201 {
		t.Fatalf("template: %d %s", code, b)
	}
	export := func(ext string) string {
		out := filepath.Join(dir, "types."+ext)
		if _, stderr, code := cli(t, data, "export", "--template", "types", "--out", out); code != 0 {
			t.Fatalf("%s: %s", ext, stderr)
		}
		return out
	}
	if b, _ := os.ReadFile(export("csv")); string(b) != "b,u,v,j,i,l,n\r\n'=cmd,'=cmd,'=cmd,'\t1,'-1 day,['=cmd'],-42\r\n" {
		t.Errorf("csv: %q", b)
	}
	if b, _ := os.ReadFile(export("jsonl")); string(b) != `{"b":"=cmd","u":"=cmd","v":"=cmd","j":"\t1","i":"-1 day","l":"['=cmd']","n":-42}`+"\n" {
		t.Errorf("jsonl: %q", b)
	}
	f, err := excelize.OpenFile(export("xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) != 2 {
		t.Fatalf("xlsx rows: %v %v", rows, err)
	}
	if diff := cmp.Diff([]string{"'=cmd", "'=cmd", "'=cmd", "'\t1", "'-1 day", "['=cmd']", "-42"}, rows[1]); diff != "" {
		t.Errorf("xlsx cells (-want +got):\n%s", diff)
	}
	if typ, _ := f.GetCellType(f.GetSheetName(0), "G2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("n is a %v cell, want a number", typ)
	}
	// What a reader drops before a formula: a NUL (in a value, as an
	// uploaded XLSX's _x0000_ gives one) and a byte order mark (at the
	// start of the file: the first header name).
	if code, b := admin.do(http.MethodPost, "/templates", map[string]any{"name": "edges", "sql": "SELECT chr(0) || note AS \"\ufeff=h\" FROM s.o"}, nil); code != 201 {
		t.Fatalf("template: %d %s", code, b)
	}
	for _, parts := range []string{"0", "1"} { // the engine's CSV, and the one written here from a split
		out := filepath.Join(dir, "edges.csv")
		if _, stderr, code := cli(t, data, "export", "--template", "edges", "--part-rows", parts, "--out", out); code != 0 {
			t.Fatal(stderr)
		}
		if parts == "1" {
			out = filepath.Join(dir, "edges-part-0001.csv")
		}
		if b, _ := os.ReadFile(out); string(b) != "'\ufeff=h\r\n'\x00=cmd\r\n" {
			t.Errorf("csv with --part-rows %s: %q", parts, b)
		}
	}
}
