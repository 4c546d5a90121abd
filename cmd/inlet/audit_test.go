package main

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

type auditPage struct {
	Events     []inlet.AuditEvent `json:"events"`
	NextBefore int64              `json:"next_before"`
}

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Every audited action lands in the log with ids, counts and hashes: never
// a raw email, SQL text, parameter value or file name. The log is read by
// admins only, filtered, paged, and as CSV.
func TestAuditLog(t *testing.T) {
	data, src, ps := ingestCustomers(t, 20) // an ingest from the command line
	secretSQL := "SELECT count(*) AS n FROM crm.customers WHERE customer_id > 1000 AND 'needle@example.com' <> ''"
	if _, stderr, code := cli(t, data, "query", secretSQL); code != 0 {
		t.Fatalf("cli query: %s", stderr)
	}
	url, setupToken := startServer(t, data)
	base := url + "/api/v1"
	admin := setUp(t, base, setupToken)
	var me inlet.Session
	admin.do(http.MethodGet, "/session", nil, &me)
	adminID := me.User.ID

	// Sign-ins: an unknown email, a wrong password, then a right one; sign-out.
	anon := newClient(t, base)
	if code, _ := anon.do(http.MethodPost, "/session", map[string]string{"email": "ghost@example.com", "password": "whatever it is"}, nil); code != 401 {
		t.Fatalf("unknown email: %d, want 401", code)
	}
	if code, _ := anon.do(http.MethodPost, "/session", map[string]string{"email": "Admin@Example.com", "password": "not the password"}, nil); code != 401 {
		t.Fatalf("wrong password: %d, want 401", code)
	}
	again := newClient(t, base)
	again.signIn("/session", map[string]string{"email": "admin@example.com", "password": adminPassword})
	if code, b := again.do(http.MethodDelete, "/session", nil, nil); code != 204 {
		t.Fatalf("sign out: %d %s", code, b)
	}

	// An upload and its ingest, a query, a refused query, a template run.
	body, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var up struct{ Upload inlet.Upload }
	if code, b := admin.upload("jane-doe-salaries.csv", body, &up); code != 201 {
		t.Fatalf("upload: %d %s", code, b)
	}
	var job inlet.Job
	if code, b := admin.do(http.MethodPost, "/uploads/"+up.Upload.ID+"/ingest", map[string]any{"table": map[string]string{"database": "crm", "name": "again"}}, &job); code != 202 {
		t.Fatalf("ingest: %d %s", code, b)
	}
	if j := waitJob(t, admin, job.ID); j.State != inlet.JobSucceeded {
		t.Fatalf("job: %+v", j)
	}
	if code, b := admin.do(http.MethodPost, "/query", map[string]any{"sql": secretSQL}, nil); code != 200 {
		t.Fatalf("query: %d %s", code, b)
	}
	admin.do(http.MethodPost, "/query", map[string]any{"sql": "DROP TABLE crm.customers"}, nil)
	var tpl inlet.Template
	params := []inlet.TemplateParam{{Name: "who", Type: inlet.ParamText}}
	if code, b := admin.do(http.MethodPost, "/templates", map[string]any{"name": "one", "sql": "SELECT count(*) FROM crm.customers WHERE email = {{who}}", "params": params}, &tpl); code != 201 {
		t.Fatalf("template: %d %s", code, b)
	}
	if code, b := admin.do(http.MethodPost, "/templates/"+tpl.ID+"/run", map[string]any{"values": map[string][]string{"who": {ps[0].email}}}, nil); code != 200 {
		t.Fatalf("run template: %d %s", code, b)
	}
	// A token made and revoked.
	var tok struct{ Token inlet.APIToken }
	if code, b := admin.do(http.MethodPost, "/tokens", map[string]any{"name": "for jane.doe@example.com", "role": "viewer", "expires_in_days": 7}, &tok); code != 201 {
		t.Fatalf("token: %d %s", code, b)
	}
	if code, b := admin.do(http.MethodDelete, "/tokens/"+tok.Token.ID, nil, nil); code != 204 {
		t.Fatalf("revoke: %d %s", code, b)
	}

	var all auditPage
	code, raw := admin.do(http.MethodGet, "/audit?limit=1000", nil, &all)
	if code != 200 {
		t.Fatalf("GET /audit: %d %s", code, raw)
	}
	// Nothing raw: no person's email, no SQL, no parameter value, no file
	// or token name. The admin's own email is there only as actor_email.
	for _, e := range all.Events {
		b, _ := json.Marshal(e.Detail)
		for _, s := range []string{string(b), e.Object, e.Actor} {
			if strings.Contains(s, "@") || strings.Contains(strings.ToLower(s), "select") || strings.Contains(s, "jane") || strings.Contains(s, "customers.csv") {
				t.Errorf("%s event carries raw text: %s %s", e.Action, e.Object, b)
			}
		}
		if e.ActorEmail != "" && e.Actor != adminID {
			t.Errorf("%s: actor_email %q for actor %q", e.Action, e.ActorEmail, e.Actor)
		}
	}
	find := func(action, outcome string) []inlet.AuditEvent {
		var out []inlet.AuditEvent
		for _, e := range all.Events {
			if e.Action == action && e.Outcome == outcome {
				out = append(out, e)
			}
		}
		return out
	}
	one := func(action, outcome string) inlet.AuditEvent {
		t.Helper()
		evs := find(action, outcome)
		if len(evs) == 0 {
			t.Fatalf("no %s %s event in %s", action, outcome, raw)
		}
		return evs[0] // the newest
	}
	str := func(e inlet.AuditEvent, k string) string { s, _ := e.Detail[k].(string); return s }
	num := func(e inlet.AuditEvent, k string) float64 { n, _ := e.Detail[k].(float64); return n }

	// The command line's ingest and query.
	var cliIngest, cliQuery *inlet.AuditEvent
	for i, e := range all.Events {
		if e.Actor == cliActor() && e.Action == "ingest.finish" {
			cliIngest = &all.Events[i]
		}
		if e.Actor == cliActor() && e.Action == "query.run" {
			cliQuery = &all.Events[i]
		}
	}
	if cliIngest == nil || cliIngest.Object != "table:crm.customers" || cliIngest.Outcome != "ok" || num(*cliIngest, "rows") != 20 {
		t.Errorf("CLI ingest: %+v", cliIngest)
	}
	if cliQuery == nil || cliQuery.Object != "sql:"+hexSHA256(secretSQL) || str(*cliQuery, "sql_sha256") != hexSHA256(secretSQL) || num(*cliQuery, "rows") != 1 {
		t.Errorf("CLI query: %+v", cliQuery)
	}

	// Sign-ins: failures without an actor, the email only hashed.
	fails := find("session.sign_in", "failed")
	if len(fails) != 2 {
		t.Fatalf("failed sign-ins: %+v", fails)
	}
	wrong, ghost := fails[0], fails[1]
	if wrong.Actor != "" || wrong.Object != "user:"+adminID || str(wrong, "email_sha256") != hexSHA256("admin@example.com") || str(wrong, "reason") != "wrong_password" || wrong.IP == "" {
		t.Errorf("wrong password: %+v", wrong)
	}
	if ghost.Actor != "" || ghost.Object != "user:unknown" || str(ghost, "email_sha256") != hexSHA256("ghost@example.com") || str(ghost, "reason") != "unknown_email" {
		t.Errorf("unknown email: %+v", ghost)
	}
	if e := one("session.sign_in", "ok"); e.Actor != adminID || e.ActorEmail != "admin@example.com" || e.IP != "127.0.0.1" {
		t.Errorf("sign-in: %+v", e)
	}
	if e := one("session.sign_out", "ok"); e.Actor != adminID {
		t.Errorf("sign-out: %+v", e)
	}

	// The upload and its ingest: queued and finished, with PII decisions.
	if e := one("upload.create", "ok"); e.Object != "upload:"+up.Upload.ID || num(e, "size") != float64(len(body)) || str(e, "sha256") != up.Upload.SHA256 || str(e, "format") != "csv" {
		t.Errorf("upload: %+v", e)
	}
	if e := one("ingest.queue", "ok"); e.Object != "table:crm.again" || str(e, "job") != job.ID || str(e, "upload") != up.Upload.ID || str(e, "mode") != "create" {
		t.Errorf("ingest queued: %+v", e)
	}
	fin := one("ingest.finish", "ok")
	if fin.Object != "table:crm.again" || fin.Actor != adminID || str(fin, "job") != job.ID || num(fin, "rows") != 20 || num(fin, "skipped") != 0 {
		t.Errorf("ingest finished: %+v", fin)
	}
	decisions, _ := fin.Detail["pii"].([]any)
	var email map[string]any
	for _, d := range decisions {
		if m, _ := d.(map[string]any); m["entity"] == "email" {
			email = m
		}
	}
	if email == nil || email["column"] == "" || email["action"] == "" || email["action"] == "keep" && email["key_id"] != "" {
		t.Errorf("PII decisions: %v", decisions)
	}
	if email != nil && email["action"] == "hash" && email["key_id"] == "" {
		t.Errorf("a hashed column's decision names no key: %v", email)
	}

	// Queries: the text's hash, rows and time; a refusal as such.
	q := one("query.run", "ok")
	if q.Actor != adminID || q.Object != "sql:"+hexSHA256(secretSQL) || num(q, "rows") != 1 || q.Detail["ms"] == nil {
		t.Errorf("query: %+v", q)
	}
	if e := one("query.run", "refused"); str(e, "sql_sha256") != hexSHA256("DROP TABLE crm.customers") || str(e, "error") != inlet.EFORBIDDEN {
		t.Errorf("refused query: %+v", e)
	}
	if e := one("template.run", "ok"); e.Object != "template:"+tpl.ID || num(e, "version") != 1 || num(e, "rows") != 1 || !jsonEqual(e.Detail["params"], []any{"who"}) {
		t.Errorf("template run: %+v", e)
	}
	if e := one("token.create", "ok"); e.Object != "token:"+tok.Token.ID || str(e, "role") != "viewer" || num(e, "expires_in_days") != 7 {
		t.Errorf("token created: %+v", e)
	}
	if e := one("token.revoke", "ok"); e.Object != "token:"+tok.Token.ID || str(e, "owner") != adminID {
		t.Errorf("token revoked: %+v", e)
	}

	// Filters: an action prefix, an actor's email, an object; paging back.
	t.Run("filters", func(t *testing.T) {
		var p auditPage
		admin.do(http.MethodGet, "/audit?action=session.", nil, &p)
		if len(p.Events) != 4 {
			t.Errorf("action=session.: %d events, want 4", len(p.Events))
		}
		admin.do(http.MethodGet, "/audit?actor=ADMIN@example.com&action=query.run", nil, &p)
		if len(p.Events) != 2 {
			t.Errorf("the admin's queries: %d, want 2", len(p.Events))
		}
		admin.do(http.MethodGet, "/audit?object=table:crm.again", nil, &p)
		if len(p.Events) != 2 || p.Events[0].Action != "ingest.finish" || p.Events[1].Action != "ingest.queue" {
			t.Errorf("crm.again's events: %+v", p.Events)
		}
		var seen []int64
		before := ""
		for range 100 {
			var page auditPage
			if code, b := admin.do(http.MethodGet, "/audit?limit=3"+before, nil, &page); code != 200 {
				t.Fatalf("page: %d %s", code, b)
			}
			for _, e := range page.Events {
				seen = append(seen, e.Seq)
			}
			if page.NextBefore == 0 {
				break
			}
			before = "&before=" + jsonString(page.NextBefore)
		}
		if len(seen) != len(all.Events) || seen[0] != all.Events[0].Seq || seen[len(seen)-1] != all.Events[len(all.Events)-1].Seq {
			t.Errorf("paging by 3 saw %d events, want %d", len(seen), len(all.Events))
		}
	})

	t.Run("bad filters name their field", func(t *testing.T) {
		for q, field := range map[string]string{"since=yesterday": "since", "until=2026-13-01": "until", "limit=0": "limit", "limit=1001": "limit",
			"before=-1": "before", "format=xml": "format", "since=2026-02-01&until=2026-01-01": "until"} {
			code, b := admin.do(http.MethodGet, "/audit?"+q, nil, nil)
			var e apiError
			json.Unmarshal(b, &e)
			if code != 400 || e.Error.Code != inlet.EINVALID || e.Error.Fields[field] == "" {
				t.Errorf("%s: %d %s, want 400 EINVALID on %s", q, code, b, field)
			}
		}
	})

	t.Run("csv", func(t *testing.T) {
		for _, how := range []struct{ query, accept string }{{"?format=csv", ""}, {"", "text/csv"}} {
			code, hdr, b := bearerless(t, admin, "/audit"+how.query, how.accept)
			if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") || !strings.Contains(hdr.Get("Content-Disposition"), "attachment") {
				t.Fatalf("CSV %+v: %d %v", how, code, hdr)
			}
			recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(recs[0], ",") != "seq,at,actor,actor_email,action,object,ip,outcome,detail" {
				t.Errorf("CSV header: %v", recs[0])
			}
			if len(recs)-1 < len(all.Events) {
				t.Errorf("CSV rows: %d, want at least %d", len(recs)-1, len(all.Events))
			}
			var detail map[string]any
			if err := json.Unmarshal([]byte(recs[1][8]), &detail); err != nil {
				t.Errorf("detail is not JSON: %q", recs[1][8])
			}
		}
		code, _, b := bearerless(t, admin, "/audit?format=csv&limit=2&action=query.", "")
		if recs, _ := csv.NewReader(strings.NewReader(string(b))).ReadAll(); code != 200 || len(recs) != 3 || recs[1][4] != "query.run" {
			t.Errorf("CSV with limit and filter: %d %q", code, recs)
		}
	})

	t.Run("admins only", func(t *testing.T) {
		var inv struct{ Token string }
		admin.do(http.MethodPost, "/tenants/default/invites", map[string]any{"email": "ann@example.com", "role": "analyst"}, &inv)
		ann := newClient(t, base)
		ann.signIn("/invites/accept", map[string]string{"token": inv.Token, "name": "Ann", "password": "ann's long password"})
		if code, b := ann.do(http.MethodGet, "/audit", nil, nil); code != 403 {
			t.Errorf("analyst reads the log: %d %s, want 403", code, b)
		}
		if code, _ := newClient(t, base).do(http.MethodGet, "/audit", nil, nil); code != 401 {
			t.Errorf("anonymous reads the log: %d, want 401", code)
		}
	})
}

// bearerless GETs path with the client's session and an Accept header.
func bearerless(t *testing.T, c *client, path, accept string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
