package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

// routePolicy is who may call a route: the least role in the tenant
// (RoleCustomer: any member, customers too), and
// whether an API token may call it at all.
type routePolicy struct {
	role   inlet.Role // "" for routes open to anyone
	tokens bool
	path   string // the route with ids filled in ({tenant} is the default tenant)
	body   any
}

// Every route, by the policy it must enforce. A route the server adds
// without an entry here fails the test: its policy must be decided.
func routePolicies(ids map[string]string) map[string]routePolicy {
	up, job, tpl, tok, exp, sch := ids["upload"], ids["job"], ids["template"], ids["token"], ids["export"], ids["schedule"]
	return map[string]routePolicy{
		"GET /health":                                   {"", true, "/health", nil},
		"GET /healthz":                                  {"", true, "/healthz", nil},
		"GET /readyz":                                   {"", true, "/readyz", nil},
		"GET /openapi.json":                             {"", true, "/openapi.json", nil},
		"GET /setup":                                    {"", true, "/setup", nil},
		"POST /setup":                                   {"", true, "/setup", map[string]any{}},
		"POST /session":                                 {"", true, "/session", map[string]any{}},
		"POST /invites/accept":                          {"", true, "/invites/accept", map[string]any{"token": "nope"}},
		"GET /session":                                  {inlet.RoleCustomer, true, "/session", nil},
		"PUT /session":                                  {inlet.RoleViewer, false, "/session", map[string]any{"tenant": "default"}},
		"DELETE /session":                               {inlet.RoleViewer, false, "/session", nil},
		"GET /config":                                   {inlet.RoleViewer, true, "/config", nil},
		"GET /tenants":                                  {inlet.RoleCustomer, true, "/tenants", nil},
		"POST /tenants":                                 {inlet.RoleAdmin, false, "/tenants", map[string]any{"id": "made-by-token"}},
		"GET /tenants/{tenant}/members":                 {inlet.RoleAdmin, true, "/tenants/default/members", nil},
		"POST /tenants/{tenant}/invites":                {inlet.RoleAdmin, true, "/tenants/default/invites", map[string]any{"email": "x@example.com", "role": "viewer"}},
		"GET /tenants/{tenant}/invites":                 {inlet.RoleAdmin, true, "/tenants/default/invites", nil},
		"DELETE /tenants/{tenant}/invites/{id}":         {inlet.RoleAdmin, true, "/tenants/default/invites/no-such-invite", nil},
		"PATCH /tenants/{tenant}/members/{user}":        {inlet.RoleAdmin, true, "/tenants/default/members/no-such-user", map[string]any{"role": "viewer"}},
		"DELETE /tenants/{tenant}/members/{user}":       {inlet.RoleAdmin, true, "/tenants/default/members/no-such-user", nil},
		"POST /invites/lookup":                          {"", true, "/invites/lookup", map[string]any{"token": "nope"}},
		"GET /auth/methods":                             {"", true, "/auth/methods", nil},
		"GET /auth/oidc/login":                          {"", true, "/auth/oidc/login", nil},
		"GET /auth/oidc/callback":                       {"", true, "/auth/oidc/callback", nil},
		"GET /settings/pii":                             {inlet.RoleViewer, true, "/settings/pii", nil},
		"PUT /settings/pii":                             {inlet.RoleAdmin, true, "/settings/pii", map[string]any{"region": "XX"}},
		"GET /settings/pii/versions":                    {inlet.RoleViewer, true, "/settings/pii/versions", nil},
		"POST /uploads":                                 {inlet.RoleAnalyst, true, "/uploads", nil},
		"GET /uploads":                                  {inlet.RoleViewer, true, "/uploads", nil},
		"GET /uploads/{id}":                             {inlet.RoleViewer, true, "/uploads/" + up, nil},
		"GET /uploads/{id}/inspection":                  {inlet.RoleAnalyst, true, "/uploads/" + up + "/inspection", nil},
		"POST /uploads/{id}/ingest":                     {inlet.RoleAnalyst, true, "/uploads/" + up + "/ingest", map[string]any{"bogus": 1}},
		"POST /tus/{path}":                              {inlet.RoleAnalyst, true, "/tus/", nil},
		"HEAD /tus/{path}":                              {inlet.RoleAnalyst, true, "/tus/" + up, nil},
		"PATCH /tus/{path}":                             {inlet.RoleAnalyst, true, "/tus/" + up, nil},
		"DELETE /tus/{path}":                            {inlet.RoleAnalyst, true, "/tus/" + up, nil},
		"GET /jobs":                                     {inlet.RoleViewer, true, "/jobs", nil},
		"GET /jobs/{id}":                                {inlet.RoleViewer, true, "/jobs/" + job, nil},
		"GET /jobs/{id}/rejects":                        {inlet.RoleViewer, true, "/jobs/" + job + "/rejects", nil},
		"GET /tables":                                   {inlet.RoleViewer, true, "/tables", nil},
		"GET /tables/{database}/{table}":                {inlet.RoleViewer, true, "/tables/crm/customers", nil},
		"PATCH /tables/{database}/{table}":              {inlet.RoleAnalyst, true, "/tables/crm/customers", map[string]any{"description": "set by a token"}},
		"DELETE /tables/{database}/{table}":             {inlet.RoleAnalyst, true, "/tables/crm/customers", map[string]any{"confirm": "not.this"}},
		"POST /tables/{database}/{table}/rollback":      {inlet.RoleAnalyst, true, "/tables/crm/customers/rollback", map[string]any{"snapshot_id": "1"}},
		"POST /uploads/{id}/check":                      {inlet.RoleAnalyst, true, "/uploads/" + up + "/check", map[string]any{"bogus": 1}},
		"GET /tables/{database}/{table}/glue":           {inlet.RoleViewer, true, "/tables/crm/customers/glue", nil},
		"GET /tables/{database}/{table}/sample":         {inlet.RoleViewer, true, "/tables/crm/customers/sample", nil},
		"GET /tables/{database}/{table}/diff":           {inlet.RoleViewer, true, "/tables/crm/customers/diff?from=1", nil},
		"POST /exports":                                 {inlet.RoleAnalyst, true, "/exports", map[string]any{"source": map[string]any{"table": map[string]string{"database": "crm", "name": "customers"}}, "format": "nope"}},
		"GET /exports":                                  {inlet.RoleAnalyst, true, "/exports", nil},
		"GET /exports/{id}":                             {inlet.RoleAnalyst, true, "/exports/" + exp, nil},
		"DELETE /exports/{id}":                          {inlet.RoleAnalyst, true, "/exports/" + exp, nil},
		"POST /exports/{id}/cancel":                     {inlet.RoleAnalyst, true, "/exports/" + exp + "/cancel", nil},
		"POST /exports/{id}/revoke":                     {inlet.RoleAnalyst, true, "/exports/" + exp + "/revoke", nil},
		"PUT /exports/{id}/share":                       {inlet.RoleAnalyst, true, "/exports/" + exp + "/share", map[string]any{"user_ids": []string{}}},
		"POST /exports/{id}/link":                       {inlet.RoleAnalyst, true, "/exports/" + exp + "/link", map[string]any{"file": "x"}},
		"GET /customers":                                {inlet.RoleAnalyst, true, "/customers", nil},
		"POST /schedules":                               {inlet.RoleAnalyst, true, "/schedules", map[string]any{"name": "by token", "cadence": "daily", "at": "25:00", "zone": "UTC"}},
		"GET /schedules":                                {inlet.RoleAnalyst, true, "/schedules", nil},
		"GET /schedules/{id}":                           {inlet.RoleAnalyst, true, "/schedules/" + sch, nil},
		"PATCH /schedules/{id}":                         {inlet.RoleAnalyst, true, "/schedules/" + sch, map[string]any{"paused": true}},
		"DELETE /schedules/{id}":                        {inlet.RoleAnalyst, true, "/schedules/" + sch, nil},
		"POST /schedules/{id}/run":                      {inlet.RoleAnalyst, true, "/schedules/" + sch + "/run", nil},
		"GET /my/exports":                               {inlet.RoleCustomer, true, "/my/exports", nil},
		"POST /my/exports/{id}/link":                    {inlet.RoleCustomer, true, "/my/exports/" + exp + "/link", map[string]any{"file": "x"}},
		"POST /query":                                   {inlet.RoleViewer, true, "/query", map[string]any{"sql": "SELECT count(*) FROM crm.customers"}},
		"GET /queries":                                  {inlet.RoleViewer, true, "/queries", nil},
		"GET /templates":                                {inlet.RoleViewer, true, "/templates", nil},
		"POST /templates":                               {inlet.RoleAnalyst, true, "/templates", map[string]any{"name": "", "sql": ""}},
		"GET /templates/{id}":                           {inlet.RoleViewer, true, "/templates/" + tpl, nil},
		"PUT /templates/{id}":                           {inlet.RoleAnalyst, true, "/templates/" + tpl, map[string]any{"name": "", "sql": ""}},
		"DELETE /templates/{id}":                        {inlet.RoleAnalyst, true, "/templates/" + ids["template2"], nil},
		"GET /templates/{id}/versions":                  {inlet.RoleViewer, true, "/templates/" + tpl + "/versions", nil},
		"GET /templates/{id}/choices/{param}":           {inlet.RoleViewer, true, "/templates/" + tpl + "/choices/seg", nil},
		"GET /templates/{id}/shares":                    {inlet.RoleAnalyst, true, "/templates/" + tpl + "/shares", nil},
		"POST /templates/{id}/shares":                   {inlet.RoleAnalyst, true, "/templates/" + tpl + "/shares", map[string]any{"customer": "", "formats": []string{"csv"}}},
		"DELETE /templates/{id}/shares/{share}":         {inlet.RoleAnalyst, true, "/templates/" + tpl + "/shares/no-such-share", nil},
		"GET /my/templates":                             {inlet.RoleCustomer, true, "/my/templates", nil},
		"POST /my/templates/{id}/exports":               {inlet.RoleCustomer, true, "/my/templates/" + tpl + "/exports", map[string]any{"format": "csv"}},
		"POST /templates/{id}/run":                      {inlet.RoleViewer, true, "/templates/" + tpl + "/run", map[string]any{}},
		"GET /tokens":                                   {inlet.RoleViewer, false, "/tokens", nil},
		"POST /tokens":                                  {inlet.RoleViewer, false, "/tokens", map[string]any{"name": "minted"}},
		"DELETE /tokens/{id}":                           {inlet.RoleViewer, false, "/tokens/" + tok, nil},
		"GET /audit":                                    {inlet.RoleAdmin, true, "/audit", nil},
		"GET /iceberg/v1/config":                        {inlet.RoleViewer, true, "/iceberg/v1/config", nil},
		"GET /iceberg/v1/namespaces":                    {inlet.RoleViewer, true, "/iceberg/v1/namespaces", nil},
		"GET /iceberg/v1/namespaces/{namespace}":        {inlet.RoleViewer, true, "/iceberg/v1/namespaces/crm", nil},
		"HEAD /iceberg/v1/namespaces/{namespace}":       {inlet.RoleViewer, true, "/iceberg/v1/namespaces/crm", nil},
		"GET /iceberg/v1/namespaces/{namespace}/tables": {inlet.RoleViewer, true, "/iceberg/v1/namespaces/crm/tables", nil},
		"GET /iceberg/v1/namespaces/{namespace}/tables/{table}":  {inlet.RoleViewer, true, "/iceberg/v1/namespaces/crm/tables/customers", nil},
		"HEAD /iceberg/v1/namespaces/{namespace}/tables/{table}": {inlet.RoleViewer, true, "/iceberg/v1/namespaces/crm/tables/customers", nil},
	}
}

// Every route, called with a viewer token, an admin token and an admin
// token of another tenant, does what the token's scope allows and no more:
// the scope is the credential's, not its user's (all three tokens belong to
// one user, who is admin of both tenants).
func TestTokenScopeOnEveryRoute(t *testing.T) {
	data, src, _ := ingestCustomers(t, 30)
	url, setupToken := startServer(t, data)
	base := url + "/api/v1"
	admin := setUp(t, base, setupToken)
	mustDo := func(method, path string, body, out any) {
		t.Helper()
		if code, b := admin.do(method, path, body, out); code >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, code, b)
		}
	}
	token := func(role string) (string, string) {
		var created struct {
			Token  inlet.APIToken `json:"token"`
			Secret string         `json:"secret"`
		}
		mustDo(http.MethodPost, "/tokens", map[string]any{"name": role + " token", "role": role}, &created)
		return created.Secret, created.Token.ID
	}
	viewer, viewerID := token("viewer")
	adminTok, _ := token("admin")
	mustDo(http.MethodPost, "/tenants", map[string]any{"id": "globex"}, nil)
	mustDo(http.MethodPut, "/session", map[string]any{"tenant": "globex"}, nil)
	other, _ := token("admin")
	mustDo(http.MethodPut, "/session", map[string]any{"tenant": "default"}, nil)

	// The default tenant's objects: a staged upload, a job, templates.
	body := must(io.ReadAll(must(osOpen(src))))
	var up struct{ Upload inlet.Upload }
	if code, b := admin.upload("customers.csv", body, &up); code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, b)
	}
	var up2 struct{ Upload inlet.Upload }
	admin.upload("again.csv", body, &up2)
	var job inlet.Job
	mustDo(http.MethodPost, "/uploads/"+up2.Upload.ID+"/ingest", map[string]any{"table": map[string]string{"database": "crm", "name": "again"}}, &job)
	var tpl, tpl2 inlet.Template
	params := []inlet.TemplateParam{{Name: "seg", Type: inlet.ParamChoice, ChoicesSQL: "SELECT DISTINCT segment FROM crm.customers"}}
	mustDo(http.MethodPost, "/templates", map[string]any{"name": "by segment", "sql": "SELECT count(*) FROM crm.customers WHERE segment = {{seg}}", "params": params}, &tpl)
	mustDo(http.MethodPost, "/templates", map[string]any{"name": "to delete", "sql": "SELECT 1"}, &tpl2)
	var exp inlet.Export
	mustDo(http.MethodPost, "/exports", map[string]any{"source": map[string]any{"table": map[string]string{"database": "crm", "name": "customers"}}, "format": "csv"}, &exp)
	var sch struct{ Schedule inlet.ExportSchedule }
	mustDo(http.MethodPost, "/schedules", map[string]any{"name": "nightly", "cadence": "daily", "at": "02:00", "zone": "Europe/Berlin",
		"export": map[string]any{"source": map[string]any{"table": map[string]string{"database": "crm", "name": "customers"}}, "format": "csv"}}, &sch)
	customer, _ := token("customer")
	ids := map[string]string{"upload": up.Upload.ID, "job": job.ID, "template": tpl.ID, "template2": tpl2.ID, "token": viewerID, "export": exp.ID, "schedule": sch.Schedule.ID}
	policies := routePolicies(ids)

	// The routes are those of the API document (a server test keeps it
	// complete): each must have a policy here.
	var doc struct{ Paths map[string]map[string]any }
	admin.do(http.MethodGet, "/openapi.json", nil, &doc)
	var routes []string
	for p, ops := range doc.Paths {
		for m := range ops {
			if m := strings.ToUpper(m); m == "GET" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE" || m == "HEAD" {
				routes = append(routes, m+" "+p)
			}
		}
	}
	sort.Slice(routes, func(i, j int) bool {
		return strings.HasPrefix(routes[j], "DELETE") && !strings.HasPrefix(routes[i], "DELETE")
	})
	secrets := []string{up.Upload.ID, tpl.ID, "by segment", job.ID}
	for _, route := range routes {
		pol, ok := policies[route]
		if !ok {
			t.Errorf("%s has no policy in this test: decide who may call it", route)
			continue
		}
		method := strings.Fields(route)[0]
		call := func(secret string) (int, string) {
			var r io.Reader
			if pol.body != nil {
				r = bytes.NewReader(must(json.Marshal(pol.body)))
			}
			req, _ := http.NewRequest(method, base+pol.path, r)
			req.Header.Set("Authorization", "Bearer "+secret)
			if pol.body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			if strings.HasPrefix(route, "POST /tus") || strings.HasPrefix(route, "HEAD /tus") || strings.HasPrefix(route, "PATCH /tus") {
				req.Header.Set("Tus-Resumable", "1.0.0")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		denied := func(code int) bool { return code == http.StatusForbidden || code == http.StatusUnauthorized }
		t.Run(route, func(t *testing.T) {
			if pol.role == "" {
				return // open to anyone: nothing a token changes
			}
			// A viewer token: the routes that need more are refused.
			if code, b := call(viewer); (pol.role.Allows(inlet.RoleAnalyst) || !pol.tokens) != denied(code) {
				t.Errorf("viewer token: %d %s", code, b)
			}
			// A customer token: its own pages only, nothing of the staff's.
			if code, b := call(customer); (pol.role != inlet.RoleCustomer) != denied(code) {
				t.Errorf("customer token: %d %s", code, b)
			}
			// An admin token: everything tokens may do, nothing they may not.
			if code, b := call(adminTok); pol.tokens == denied(code) {
				t.Errorf("admin token: %d %s", code, b)
			}
			// Another tenant's admin token: refused, or sees only its own tenant.
			code, b := call(other)
			if !pol.tokens && !denied(code) {
				t.Errorf("other tenant's token: %d %s", code, b)
			}
			if code < 300 {
				for _, s := range secrets {
					if strings.Contains(b, s) {
						t.Errorf("other tenant's token saw %q: %s", s, b)
					}
				}
				if strings.Contains(route, "{tenant}") || strings.Contains(route, "{id}") || strings.Contains(route, "{database}") || strings.Contains(route, "{namespace}") {
					t.Errorf("other tenant's token reached a default-tenant object: %d %s", code, b)
				}
			}
		})
	}
	// The viewer token's grants were never widened by its user's role.
	var list struct{ Tenants []inlet.Membership }
	if code, _, b := bearer(t, http.MethodGet, base+"/tenants", viewer, nil, ""); code != 200 || json.Unmarshal(b, &list) != nil || len(list.Tenants) != 1 || list.Tenants[0].Role != inlet.RoleViewer {
		t.Errorf("a viewer token lists tenants %s, want only its own as viewer", b)
	}
}

func osOpen(path string) (io.Reader, error) { return os.Open(path) }
