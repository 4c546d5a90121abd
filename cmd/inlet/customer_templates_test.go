package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// An analyst shares a template with two customers, each pinned to their own
// shop: a customer sees the template without its SQL or pinned parameter,
// runs it with their own date, and gets an export of their rows only,
// whatever they send for the pinned parameter; a template not shared with
// them is not found; every run is audited with parameter names, no values.
func TestCustomerTemplates(t *testing.T) {
	data := t.TempDir()
	srv, setupToken := startServer(t, data)
	base := srv + "/api/v1"
	admin := setUp(t, base, setupToken)
	csv := "id,shop,day,amount\n1,42,2026-01-01,10.5\n2,42,2026-01-05,20\n3,43,2026-01-05,30\n4,42,2026-01-09,40\n5,43,2026-01-09,50\n"
	ingestCSV(t, admin, "orders.csv", []byte(csv), "s", "orders")

	customer := func(email string) (*client, string) {
		var inv struct{ Token string }
		if code, b := admin.do(http.MethodPost, "/tenants/default/invites", map[string]any{"email": email, "role": "customer"}, &inv); code != 201 {
			t.Fatalf("invite: %d %s", code, b)
		}
		c := newClient(t, base)
		s := c.signIn("/invites/accept", map[string]string{"token": inv.Token, "name": email, "password": "a long customer password"})
		return c, s.User.ID
	}
	var me inlet.Session
	admin.do(http.MethodGet, "/session", nil, &me)
	a, aID := customer("buyer@shop42.example")
	b, bID := customer("buyer@shop43.example")

	params := []inlet.TemplateParam{{Name: "customer_id", Type: inlet.ParamNumber, Required: true}, {Name: "since", Type: inlet.ParamDate, Required: true}}
	var tpl, other inlet.Template
	if code, body := admin.do(http.MethodPost, "/templates", map[string]any{"name": "orders by shop", "sql": "SELECT id, shop, day, amount FROM s.orders WHERE shop = {{customer_id}} AND day >= {{since}} ORDER BY id", "params": params}, &tpl); code != 201 {
		t.Fatalf("template: %d %s", code, body)
	}
	admin.do(http.MethodPost, "/templates", map[string]any{"name": "all orders", "sql": "SELECT * FROM s.orders"}, &other)

	// Bad shares are refused on their field.
	for _, bad := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"customer": "", "formats": []string{"csv"}}, "customer"},
		{map[string]any{"customer": "nobody", "formats": []string{"csv"}}, "customer"},
		{map[string]any{"customer": me.User.ID, "formats": []string{"csv"}}, "customer"},
		{map[string]any{"customer": aID, "formats": []string{}}, "formats"},
		{map[string]any{"customer": aID, "formats": []string{"xls"}}, "formats"},
		{map[string]any{"customer": aID, "formats": []string{"csv"}, "pinned": map[string][]string{"nope": {"1"}}}, "pinned.nope"},
		{map[string]any{"customer": aID, "formats": []string{"csv"}, "pinned": map[string][]string{"customer_id": {"forty-two"}}}, "pinned.customer_id"},
		{map[string]any{"customer": aID, "formats": []string{"csv"}, "pinned": map[string][]string{"customer_id": {""}}}, "pinned.customer_id"},
	} {
		if code, body := admin.do(http.MethodPost, "/templates/"+tpl.ID+"/shares", bad.body, nil); code != 400 || errorField(body, bad.field) == "" {
			t.Errorf("bad share %v: %d %s, want 400 on %s", bad.body, code, body, bad.field)
		}
	}
	var shareA inlet.TemplateShare
	if code, body := admin.do(http.MethodPost, "/templates/"+tpl.ID+"/shares", map[string]any{"customer": aID, "pinned": map[string][]string{"customer_id": {"42"}}, "formats": []string{"csv", "jsonl"}}, &shareA); code != 201 || shareA.CustomerEmail != "buyer@shop42.example" {
		t.Fatalf("share with A: %d %s", code, body)
	}
	if code, body := admin.do(http.MethodPost, "/templates/"+tpl.ID+"/shares", map[string]any{"customer": aID, "pinned": map[string][]string{"customer_id": {"43"}}, "formats": []string{"csv"}}, nil); code != http.StatusConflict {
		t.Errorf("sharing twice: %d %s", code, body)
	}
	admin.do(http.MethodPost, "/templates/"+tpl.ID+"/shares", map[string]any{"customer": bID, "pinned": map[string][]string{"customer_id": {"43"}}, "formats": []string{"csv"}}, nil)
	var shares struct{ Shares []inlet.TemplateShare }
	if admin.do(http.MethodGet, "/templates/"+tpl.ID+"/shares", nil, &shares); len(shares.Shares) != 2 {
		t.Errorf("shares: %+v", shares.Shares)
	}

	// What A sees: the template, the parameter left to them, no SQL, no pin.
	code, raw := a.do(http.MethodGet, "/my/templates", nil, nil)
	var mine struct {
		Templates []struct {
			ID      string
			Name    string
			Params  []inlet.TemplateParam
			Formats []string
		}
	}
	json.Unmarshal(raw, &mine)
	if code != 200 || len(mine.Templates) != 1 || mine.Templates[0].ID != tpl.ID || len(mine.Templates[0].Params) != 1 || mine.Templates[0].Params[0].Name != "since" ||
		!slices.Equal(mine.Templates[0].Formats, []string{"csv", "jsonl"}) {
		t.Fatalf("A's templates: %d %s", code, raw)
	}
	for _, leak := range []string{"SELECT", "s.orders", "customer_id", "\"42\"", "sql"} {
		if strings.Contains(string(raw), leak) {
			t.Errorf("A's templates show %q: %s", leak, raw)
		}
	}
	if code, raw := admin.do(http.MethodGet, "/my/templates", nil, nil); code != 200 || !strings.Contains(string(raw), `"templates":[]`) {
		t.Errorf("staff's shared templates: %d %s", code, raw)
	}

	// Not shared with A: not found, as if it did not exist.
	for _, id := range []string{other.ID, "no-such-template"} {
		if code, body := a.do(http.MethodPost, "/my/templates/"+id+"/exports", map[string]any{"format": "csv"}, nil); code != 404 {
			t.Errorf("A runs %s: %d %s, want 404", id, code, body)
		}
	}
	// Staff run templates on the templates page, not through a share.
	if code, _ := admin.do(http.MethodPost, "/my/templates/"+tpl.ID+"/exports", map[string]any{"format": "csv", "values": map[string][]string{"since": {"2026-01-01"}}}, nil); code != 404 {
		t.Errorf("staff run a customer's share: %d", code)
	}
	// Refused on their field: a format not allowed, an unknown parameter,
	// a missing or bad value.
	for _, bad := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"format": "xlsx", "values": map[string][]string{"since": {"2026-01-02"}}}, "format"},
		{map[string]any{"format": "nope", "values": map[string][]string{"since": {"2026-01-02"}}}, "format"},
		{map[string]any{"format": "csv", "values": map[string][]string{"since": {"2026-01-02"}, "shop": {"43"}}}, "shop"},
		{map[string]any{"format": "csv"}, "since"},
		{map[string]any{"format": "csv", "values": map[string][]string{"since": {"last tuesday"}}}, "since"},
	} {
		if code, body := a.do(http.MethodPost, "/my/templates/"+tpl.ID+"/exports", bad.body, nil); code != 400 || errorField(body, bad.field) == "" {
			t.Errorf("bad run %v: %d %s, want 400 on %s", bad.body, code, body, bad.field)
		}
	}

	// A runs it, trying to ask for shop 43 (the pin wins) and for a file
	// per row (parts are the staff's to choose: one file).
	var made struct {
		ID    string
		State string
	}
	if code, body := a.do(http.MethodPost, "/my/templates/"+tpl.ID+"/exports", map[string]any{"format": "csv", "values": map[string][]string{"since": {"2026-01-02"}, "customer_id": {"43"}},
		"options": map[string]any{"part_rows": 1, "zip": true}}, &made); code != 201 || made.State != inlet.ExportQueued {
		t.Fatalf("A's run: %d %s", code, body)
	}
	var e struct {
		ID    string
		State string
		Files []inlet.ExportFile
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		var list struct {
			Exports []struct {
				ID    string
				State string
				Files []inlet.ExportFile
			}
		}
		a.do(http.MethodGet, "/my/exports", nil, &list)
		if len(list.Exports) != 1 || list.Exports[0].ID != made.ID {
			t.Fatalf("A's exports while it runs: %+v", list.Exports)
		}
		if e = list.Exports[0]; e.State != inlet.ExportQueued && e.State != inlet.ExportRunning {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("A's export still %s", e.State)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if e.State != inlet.ExportSucceeded || len(e.Files) != 1 || e.Files[0].Rows != 2 {
		t.Fatalf("A's export ended %+v", e)
	}
	var link struct{ URL string }
	if code, body := a.do(http.MethodPost, "/my/exports/"+e.ID+"/link", map[string]string{}, &link); code != 200 {
		t.Fatalf("A's link: %d %s", code, body)
	}
	code, _, body := get(t, link.URL, nil)
	lines := strings.Split(strings.TrimSpace(body), "\r\n")
	if code != 200 || len(lines) != 3 || !strings.HasPrefix(lines[1], "2,42,2026-01-05") || !strings.HasPrefix(lines[2], "4,42,2026-01-09") {
		t.Errorf("A's file: %d %q", code, body)
	}
	// The staff see it as an export made by A, shared with A.
	var staffView inlet.Export
	admin.do(http.MethodGet, "/exports/"+e.ID, nil, &staffView)
	if staffView.CreatedBy != aID || !slices.Equal(staffView.SharedWith, []string{aID}) || staffView.Source.Values["customer_id"][0] != "42" {
		t.Errorf("staff's view of A's export: %+v", staffView)
	}
	// B sees nothing of A's export.
	var bList struct{ Exports []map[string]any }
	b.do(http.MethodGet, "/my/exports", nil, &bList)
	if len(bList.Exports) != 0 {
		t.Errorf("B sees %+v", bList.Exports)
	}
	if code, _ := b.do(http.MethodPost, "/my/exports/"+e.ID+"/link", map[string]string{}, nil); code != 404 {
		t.Errorf("B links A's export: %d", code)
	}

	// Audited: the run by A, with the names of the values A set, no values.
	var events struct{ Events []inlet.AuditEvent }
	admin.do(http.MethodGet, "/audit?action=template.run&limit=100", nil, &events)
	var ok, failed int
	for _, ev := range events.Events {
		d, _ := json.Marshal(ev.Detail)
		if strings.Contains(string(d), "2026-01-02") || strings.Contains(string(d), `"43"`) || strings.Contains(string(d), "last tuesday") {
			t.Errorf("a value in the audit: %s", d)
		}
		if ev.Actor != aID || ev.Object != "template:"+tpl.ID {
			t.Errorf("template.run event %+v", ev)
		}
		switch ev.Outcome {
		case "ok":
			ok++
			if string(d) == "" || !strings.Contains(string(d), `"params":["since"]`) || !strings.Contains(string(d), e.ID) {
				t.Errorf("run detail %s", d)
			}
		case "failed":
			failed++
		}
	}
	if ok != 1 || failed == 0 {
		t.Errorf("template.run events: %d ok, %d failed: %+v", ok, failed, events.Events)
	}
	var shareEvents struct{ Events []inlet.AuditEvent }
	if admin.do(http.MethodGet, "/audit?action=template.share", nil, &shareEvents); len(shareEvents.Events) != 2 {
		t.Errorf("template.share events: %+v", shareEvents.Events)
	}

	// Unshared: gone from A's page, and A's run is not found.
	if code, body := admin.do(http.MethodDelete, "/templates/"+tpl.ID+"/shares/"+shareA.ID, nil, nil); code != 204 {
		t.Fatalf("delete share: %d %s", code, body)
	}
	if code, _ := admin.do(http.MethodDelete, "/templates/"+other.ID+"/shares/"+shareA.ID, nil, nil); code != 404 {
		t.Errorf("deleting a share through another template: %d", code)
	}
	if _, raw := a.do(http.MethodGet, "/my/templates", nil, nil); !strings.Contains(string(raw), `"templates":[]`) {
		t.Errorf("A's templates after unsharing: %s", raw)
	}
	if code, _ := a.do(http.MethodPost, "/my/templates/"+tpl.ID+"/exports", map[string]any{"format": "csv", "values": map[string][]string{"since": {"2026-01-02"}}}, nil); code != 404 {
		t.Errorf("A runs an unshared template: %d", code)
	}

	// The template changes under B's share: the pinned parameter renamed.
	// B's pin no longer holds, so nothing runs (rather than leave the new
	// parameter to B).
	renamed := []inlet.TemplateParam{{Name: "shop_id", Type: inlet.ParamNumber}, {Name: "since", Type: inlet.ParamDate, Required: true}}
	if code, body := admin.do(http.MethodPut, "/templates/"+tpl.ID, map[string]any{"name": tpl.Name, "version": tpl.Version, "note": "renamed",
		"sql": "SELECT id, shop, day, amount FROM s.orders WHERE ({{shop_id}} IS NULL OR shop = {{shop_id}}) AND day >= {{since}} ORDER BY id", "params": renamed}, nil); code != 200 {
		t.Fatalf("edit: %d %s", code, body)
	}
	if code, body := b.do(http.MethodPost, "/my/templates/"+tpl.ID+"/exports", map[string]any{"format": "csv", "values": map[string][]string{"since": {"2026-01-01"}}}, nil); code != http.StatusConflict {
		t.Errorf("B runs a template whose pinned parameter is gone: %d %s, want 409", code, body)
	}
}
