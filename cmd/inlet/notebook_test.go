package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/iceberg-go/catalog/rest"
	"github.com/apache/iceberg-go/table"
	inlet "github.com/inlet-data/inlet"
)

// bearer sends one request with an API token, as a notebook would.
func bearer(t *testing.T, method, url, token string, body any, accept string) (int, http.Header, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// A notebook user with an API token queries a table over the SQL API (JSON,
// CSV and Arrow), runs a saved template, and attaches iceberg-go's own REST
// catalog client to Inlet's Iceberg REST endpoint to load and scan it.
func TestNotebookAccess(t *testing.T) {
	data, _, ps := ingestCustomers(t, 250)
	url, setupToken := startServer(t, data)
	base := url + "/api/v1"
	admin := setUp(t, base, setupToken)

	// Tokens are made in a session; the secret comes back once.
	var created struct {
		Token  inlet.APIToken `json:"token"`
		Secret string         `json:"secret"`
	}
	if code, b := admin.do(http.MethodPost, "/tokens", map[string]any{"name": "churn notebook", "role": "viewer", "expires_in_days": 30}, &created); code != http.StatusCreated {
		t.Fatalf("create token: %d %s", code, b)
	}
	tok := created.Secret
	if !strings.HasPrefix(tok, "inlet_") || created.Token.Role != inlet.RoleViewer || created.Token.ExpiresAt == nil {
		t.Fatalf("token %+v", created)
	}
	var list struct{ Tokens []map[string]any }
	admin.do(http.MethodGet, "/tokens", nil, &list)
	if len(list.Tokens) != 1 || strings.Contains(string(must(json.Marshal(list))), tok) {
		t.Fatalf("token list %v must show the token without its secret", list)
	}

	// A token cannot mint more tokens.
	if code, _, b := bearer(t, http.MethodPost, base+"/tokens", tok, map[string]any{"name": "more"}, ""); code != http.StatusForbidden {
		t.Fatalf("a token made a token: %d %s", code, b)
	}

	// SQL API, JSON: a point lookup on the hashed email with a bound parameter.
	hash := string(tenantHasher(t, data).Hash(inlet.EntityEmail, []byte(ps[7].email)))
	code, _, b := bearer(t, http.MethodPost, base+"/query", tok, map[string]any{
		"sql": "SELECT customer_id, amount FROM crm.customers WHERE email = ?", "params": []any{hash}}, "")
	if code != http.StatusOK {
		t.Fatalf("query: %d %s", code, b)
	}
	var res struct {
		Rows     [][]any `json:"rows"`
		RowCount int     `json:"row_count"`
	}
	json.Unmarshal(b, &res)
	if res.RowCount != 1 || res.Rows[0][0] != float64(ps[7].id) || res.Rows[0][1] != ps[7].amount {
		t.Fatalf("lookup: %s", b)
	}

	// CSV by Accept header.
	code, hdr, b := bearer(t, http.MethodPost, base+"/query", tok, map[string]any{"sql": "SELECT count(*) AS n FROM crm.customers"}, "text/csv")
	if code != http.StatusOK || string(b) != "n\n250\n" || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %q %s", code, b, hdr)
	}

	// Arrow IPC stream, read back with Arrow's own reader.
	code, hdr, b = bearer(t, http.MethodPost, base+"/query", tok, map[string]any{"sql": "SELECT customer_id, signup_date, amount FROM crm.customers ORDER BY 1"}, "application/vnd.apache.arrow.stream")
	if code != http.StatusOK || hdr.Get("Content-Type") != "application/vnd.apache.arrow.stream" {
		t.Fatalf("arrow: %d %s", code, b)
	}
	rdr, err := ipc.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for rdr.Next() {
		rec := rdr.RecordBatch()
		if rows == 0 && rec.Column(0).(*array.Int64).Value(0) != int64(ps[0].id) {
			t.Fatalf("first arrow id %v", rec.Column(0))
		}
		rows += int(rec.NumRows())
	}
	rdr.Release()
	if rows != 250 {
		t.Fatalf("arrow rows %d, want 250", rows)
	}

	// The sandbox holds over HTTP too.
	code, _, b = bearer(t, http.MethodPost, base+"/query", tok, map[string]any{"sql": "SELECT * FROM read_csv('/etc/passwd')"}, "")
	if code != http.StatusForbidden || !strings.Contains(string(b), "read_csv") {
		t.Fatalf("escape: %d %s", code, b)
	}

	// A viewer token cannot save templates; the analyst (admin) can, and the
	// token runs it.
	code, _, _ = bearer(t, http.MethodPost, base+"/templates", tok, map[string]any{"name": "x", "sql": "SELECT 1"}, "")
	if code != http.StatusForbidden {
		t.Fatalf("viewer token saved a template: %d", code)
	}
	var tpl inlet.Template
	if code, b := admin.do(http.MethodPost, "/templates", map[string]any{
		"name": "Active customers by signup", "description": "for the churn review",
		"sql":    "SELECT count(*) AS n FROM crm.customers WHERE active = {{active}} [[AND signup_date BETWEEN {{signup.start}} AND {{signup.end}}]]",
		"params": []map[string]any{{"name": "active", "type": "boolean", "default": true}, {"name": "signup", "type": "date_range"}},
	}, &tpl); code != http.StatusCreated {
		t.Fatalf("save template: %d %s", code, b)
	}
	wantActive := 0
	for _, p := range ps {
		if p.active == "true" {
			wantActive++
		}
	}
	code, _, b = bearer(t, http.MethodPost, base+"/templates/"+tpl.ID+"/run", tok, map[string]any{"format": "csv"}, "")
	if code != http.StatusOK || string(b) != "n\n"+itoa(wantActive)+"\n" {
		t.Fatalf("run template: %d %q, want %d", code, b, wantActive)
	}
	code, _, b = bearer(t, http.MethodPost, base+"/templates/"+tpl.ID+"/run", tok, map[string]any{"values": map[string][]string{"active": {"1 OR 1=1"}}}, "")
	if code != http.StatusBadRequest {
		t.Fatalf("injection through a boolean: %d %s", code, b)
	}

	// SQL written as a template runs before it is saved (the workspace's
	// preview), its typed values bound.
	code, _, b = bearer(t, http.MethodPost, base+"/query", tok, map[string]any{
		"sql":             "SELECT count(*) AS n FROM crm.customers WHERE active = {{active}} AND customer_id >= {{from}} [[AND signup_date >= {{since}}]]",
		"template_params": []map[string]any{{"name": "active", "type": "boolean"}, {"name": "from", "type": "number"}, {"name": "since", "type": "date"}},
		"values":          map[string][]string{"active": {"true"}, "from": {"0"}, "since": {"1900-01-01"}},
		"format":          "csv"}, "")
	if code != http.StatusOK || string(b) != "n\n"+itoa(wantActive)+"\n" {
		t.Fatalf("unsaved template: %d %q, want %d", code, b, wantActive)
	}

	// Iceberg REST: iceberg-go's client loads and scans the table.
	ctx := context.Background()
	cat, err := rest.NewCatalog(ctx, "inlet", base+"/iceberg", rest.WithOAuthToken(tok))
	if err != nil {
		t.Fatalf("attach the REST catalog: %v", err)
	}
	var names []string
	for id, err := range cat.ListTables(ctx, table.Identifier{"crm"}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, strings.Join(id, "."))
	}
	if len(names) != 1 || names[0] != "crm.customers" {
		t.Fatalf("tables through REST: %v", names)
	}
	tbl, err := cat.LoadTable(ctx, table.Identifier{"crm", "customers"})
	if err != nil {
		t.Fatalf("load table: %v", err)
	}
	arrowTbl, err := tbl.Scan(table.WithSelectedFields("customer_id", "email")).ToArrowTable(ctx)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	defer arrowTbl.Release()
	if arrowTbl.NumRows() != 250 {
		t.Fatalf("scanned %d rows, want 250", arrowTbl.NumRows())
	}
	emails := arrowTbl.Column(1).Data().Chunk(0).(*array.String)
	if emails.Value(0) != string(tenantHasher(t, data).Hash(inlet.EntityEmail, []byte(ps[0].email))) {
		t.Fatalf("first email through REST is %q, want its hash", emails.Value(0))
	}
	if _, err := cat.LoadTable(ctx, table.Identifier{"crm", "nope"}); err == nil {
		t.Fatal("loaded a table that does not exist")
	}

	// A token of another tenant sees none of it, through either endpoint.
	if code, b := admin.do(http.MethodPost, "/tenants", map[string]string{"id": "globex", "name": "Globex"}, nil); code != http.StatusCreated {
		t.Fatalf("create tenant: %d %s", code, b)
	}
	if code, b := admin.do(http.MethodPut, "/session", map[string]string{"tenant": "globex"}, nil); code != http.StatusOK {
		t.Fatalf("switch tenant: %d %s", code, b)
	}
	var other struct{ Secret string }
	admin.do(http.MethodPost, "/tokens", map[string]any{"name": "globex notebook"}, &other)
	code, _, b = bearer(t, http.MethodPost, base+"/query", other.Secret, map[string]any{"sql": "SELECT count(*) FROM crm.customers"}, "")
	if code != http.StatusNotFound {
		t.Fatalf("another tenant's token queried crm.customers: %d %s", code, b)
	}
	otherCat, err := rest.NewCatalog(ctx, "inlet", base+"/iceberg", rest.WithOAuthToken(other.Secret))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := otherCat.LoadTable(ctx, table.Identifier{"crm", "customers"}); err == nil {
		t.Fatal("another tenant's token loaded crm.customers through Iceberg REST")
	}
	if nss, err := otherCat.ListNamespaces(ctx, nil); err != nil || len(nss) != 0 {
		t.Fatalf("another tenant's namespaces: %v, %v", nss, err)
	}

	// Revoked, the token opens nothing (revoked from its own tenant: from
	// globex it is not even visible).
	if code, _ := admin.do(http.MethodDelete, "/tokens/"+created.Token.ID, nil, nil); code != http.StatusNotFound {
		t.Fatalf("revoke from another tenant: %d, want 404", code)
	}
	admin.do(http.MethodPut, "/session", map[string]string{"tenant": "default"}, nil)
	if code, b := admin.do(http.MethodDelete, "/tokens/"+created.Token.ID, nil, nil); code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", code, b)
	}
	code, _, _ = bearer(t, http.MethodPost, base+"/query", tok, map[string]any{"sql": "SELECT 1 AS x FROM crm.customers"}, "")
	if code != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", code)
	}
	if _, err := rest.NewCatalog(ctx, "inlet", base+"/iceberg", rest.WithOAuthToken(tok)); err == nil {
		t.Fatal("the REST catalog accepted a revoked token")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func itoa(n int) string { return strings.TrimSpace(string(must(json.Marshal(n)))) }

// A client that goes away stops its statement: the server counts it as
// cancelled within moments, not when the statement would have ended.
func TestQueryCancelledWhenClientLeaves(t *testing.T) {
	data, _, _ := ingestCustomers(t, 20)
	url, setupToken := startServer(t, data, "--metrics-token", "scrape-me")
	admin := setUp(t, url+"/api/v1", setupToken)
	var created struct{ Secret string }
	admin.do(http.MethodPost, "/tokens", map[string]any{"name": "n"}, &created)

	ctx, cancel := context.WithCancel(context.Background())
	body, _ := json.Marshal(map[string]any{"sql": `WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 2000000000)
		SELECT count(*) FROM r, crm.customers`})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/v1/query", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+created.Secret)
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	cancel()
	<-done
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, b := scrape(t, url, "scrape-me"); strings.Contains(b, `inlet_queries_total{outcome="cancelled"} 1`) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the statement was not cancelled when its client went away")
}
