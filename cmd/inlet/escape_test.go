package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query/querytest"
	"github.com/inlet-data/inlet/store"
)

// Every escape attempt of the contract is refused, with its reason, through
// each way SQL enters Inlet: the SQL API, `inlet query`, a template's SQL
// and a template's choices query (refused when saved, and refused when run
// if one was stored anyway, say before the guard knew the attempt).
func TestEscapesRefusedAtEveryEntryPoint(t *testing.T) {
	data, _, _ := ingestCustomers(t, 20)
	url, setupToken, logs := startServerLogs(t, data)
	base := url + "/api/v1"
	admin := setUp(t, base, setupToken)
	var me inlet.Session
	admin.do(http.MethodGet, "/session", nil, &me)

	db, err := store.OpenSQLite(context.Background(), filepath.Join(data, "inlet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	refused := func(t *testing.T, where string, code int, body []byte, want string) {
		t.Helper()
		if code < 400 || code >= 500 || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d %s, want a refusal saying %q", where, code, body, want)
		}
	}
	for i, esc := range querytest.Escapes {
		t.Run(esc.Class+"/"+esc.SQL, func(t *testing.T) {
			code, body := admin.do(http.MethodPost, "/query", map[string]any{"sql": esc.SQL}, nil)
			refused(t, "SQL API", code, body, esc.Want)

			_, stderr, exit := cli(t, data, "query", esc.SQL)
			if exit != exitFailed || !strings.Contains(stderr, esc.Want) {
				t.Errorf("inlet query: exit %d %q, want exit %d saying %q", exit, stderr, exitFailed, esc.Want)
			}

			code, body = admin.do(http.MethodPost, "/templates", map[string]any{"name": fmt.Sprint("escape ", i), "sql": esc.SQL}, nil)
			refused(t, "saving a template", code, body, esc.Want)
			choices := []inlet.TemplateParam{{Name: "p", Type: inlet.ParamChoice, ChoicesSQL: esc.SQL}}
			code, body = admin.do(http.MethodPost, "/templates", map[string]any{"name": fmt.Sprint("choices ", i),
				"sql": "SELECT count(*) FROM crm.customers WHERE segment = {{p}}", "params": choices}, nil)
			refused(t, "saving a choices query", code, body, esc.Want)

			// Stored past the checks, both are refused when they run.
			tpl := &inlet.Template{ID: uuid.NewString(), Tenant: inlet.DefaultTenant, Name: fmt.Sprint("stored ", i),
				Owner: me.User.ID, SQL: esc.SQL, Params: []inlet.TemplateParam{}}
			if err := db.CreateTemplate(context.Background(), tpl); err != nil {
				t.Fatal(err)
			}
			code, body = admin.do(http.MethodPost, "/templates/"+tpl.ID+"/run", map[string]any{}, nil)
			refused(t, "running a template", code, body, esc.Want)
			tpl2 := &inlet.Template{ID: uuid.NewString(), Tenant: inlet.DefaultTenant, Name: fmt.Sprint("stored choices ", i),
				Owner: me.User.ID, SQL: "SELECT 1 WHERE {{p}} IS NOT NULL", Params: choices}
			if err := db.CreateTemplate(context.Background(), tpl2); err != nil {
				t.Fatal(err)
			}
			code, body = admin.do(http.MethodGet, "/templates/"+tpl2.ID+"/choices/p", nil, nil)
			refused(t, "a template's choices", code, body, esc.Want)
		})
	}
	// The tables are intact, and nothing was written outside them.
	if _, _, code := cli(t, data, "query", "SELECT count(*) FROM crm.customers"); code != 0 {
		t.Fatal("the table does not read after the attempts")
	}
	// Failed statements leave no SQL literal in the logs: a literal may be
	// personal data.
	admin.do(http.MethodPost, "/query", map[string]any{"sql": "SELECT * FROM crm.customers WHERE email = 'alice.smith@example.com' AND nope = 1"}, nil)
	admin.do(http.MethodPost, "/query", map[string]any{"sql": "SELECT CAST('4111 1111 1111 1111' AS INTEGER)"}, nil)
	for _, literal := range []string{"alice.smith@example.com", "4111 1111 1111 1111", "/etc/passwd", "inlet-escape"} {
		if strings.Contains(logs.String(), literal) {
			t.Errorf("the server logged the literal %q", literal)
		}
	}
}
