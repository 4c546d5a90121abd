package main

import (
	"net/http"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

// A choice parameter whose choices come from a query takes only the values
// that query lists, as the form offers them: a run or an export with
// another value is refused on the parameter's field, not run.
func TestChoicesQueryIsEnforced(t *testing.T) {
	data := t.TempDir()
	srv, setupToken := startServer(t, data)
	admin := setUp(t, srv+"/api/v1", setupToken)
	csv := "id,region,amount\n1,EU,10\n2,US,20\n3,EU,30\n"
	ingestCSV(t, admin, "orders.csv", []byte(csv), "s", "orders")
	params := []inlet.TemplateParam{{Name: "region", Type: inlet.ParamChoice, Required: true, ChoicesSQL: "SELECT DISTINCT region FROM s.orders"},
		{Name: "regions", Type: inlet.ParamMulti, ChoicesSQL: "SELECT DISTINCT region FROM s.orders WHERE amount > 100"}}
	var tpl inlet.Template
	if code, b := admin.do(http.MethodPost, "/templates", map[string]any{"name": "by region",
		"sql": "SELECT id, amount FROM s.orders WHERE region = {{region}} [[AND region IN ({{regions}})]] ORDER BY id", "params": params}, &tpl); code != 201 {
		t.Fatalf("template: %d %s", code, b)
	}
	run := func(values map[string][]string) (int, []byte) {
		return admin.do(http.MethodPost, "/templates/"+tpl.ID+"/run", map[string]any{"values": values}, nil)
	}
	if code, b := run(map[string][]string{"region": {"EU"}}); code != 200 {
		t.Errorf("a listed value: %d %s", code, b)
	}
	for _, bad := range []struct {
		values map[string][]string
		field  string
	}{
		{map[string][]string{"region": {"MARS"}}, "region"},
		{map[string][]string{"region": {"eu"}}, "region"},
		// The multi-choice's query lists nothing: no value is one of them.
		{map[string][]string{"region": {"EU"}, "regions": {"EU"}}, "regions"},
	} {
		if code, b := run(bad.values); code != 400 || errorField(b, bad.field) == "" {
			t.Errorf("run with %v: %d %s, want 400 on %s", bad.values, code, b, bad.field)
		}
		code, b := admin.do(http.MethodPost, "/exports", map[string]any{"source": map[string]any{"template_id": tpl.ID, "values": bad.values}, "format": "csv"}, nil)
		if code != 400 || errorField(b, bad.field) == "" {
			t.Errorf("export with %v: %d %s, want 400 on %s", bad.values, code, b, bad.field)
		}
	}
	if code, b := admin.do(http.MethodPost, "/exports", map[string]any{"source": map[string]any{"template_id": tpl.ID, "values": map[string][]string{"region": {"US"}}}, "format": "csv"}, nil); code != 201 {
		t.Errorf("export with a listed value: %d %s", code, b)
	}
}
