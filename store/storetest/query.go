package storetest

import (
	"time"

	inlet "github.com/inlet-data/inlet"
)

var tokenCases = []testCase{
	{"tokens", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		u := &inlet.User{ID: "u1", Email: "ana@example.com", Name: "Ana", CreatedAt: e.now()}
		if err := db.CreateUser(ctx, u, "x"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetMembership(ctx, inlet.Membership{UserID: "u1", Tenant: "default", Role: inlet.RoleAnalyst}); err != nil {
			t.Fatal(err)
		}
		exp := e.now().Add(time.Hour)
		if err := db.CreateAPIToken(ctx, "secret-1", &inlet.APIToken{ID: "t1", Tenant: "default", UserID: "u1", Name: "notebook", Role: inlet.RoleAnalyst, ExpiresAt: &exp}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateAPIToken(ctx, "secret-x", &inlet.APIToken{ID: "t1", Tenant: "default", UserID: "u1", Name: "again", Role: inlet.RoleAnalyst}); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("same id twice: got %v, want ECONFLICT", err)
		}
		tok, err := db.APIToken(ctx, "secret-1")
		if err != nil || tok.Role != inlet.RoleAnalyst || tok.UserEmail != "ana@example.com" || !tok.ExpiresAt.Equal(exp) {
			t.Fatalf("got %+v, %v", tok, err)
		}
		if list, _ := db.APITokens(ctx, "default"); len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(e.now()) {
			t.Errorf("the use is recorded: got %+v", list)
		}
		if _, err := db.APIToken(ctx, "secret-2"); inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
			t.Fatalf("unknown secret: %v", err)
		}
		// Demoting the creator caps the token.
		db.SetMembership(ctx, inlet.Membership{UserID: "u1", Tenant: "default", Role: inlet.RoleViewer})
		if tok, _ := db.APIToken(ctx, "secret-1"); tok.Role != inlet.RoleViewer {
			t.Fatalf("after demotion the token has role %s, want viewer", tok.Role)
		}
		// Expiry and revocation end it.
		e.clk.Add(2 * time.Hour)
		if _, err := db.APIToken(ctx, "secret-1"); inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
			t.Fatalf("expired: %v", err)
		}
		db.CreateAPIToken(ctx, "secret-3", &inlet.APIToken{ID: "t3", Tenant: "default", UserID: "u1", Name: "ci", Role: inlet.RoleViewer})
		if list, _ := db.APITokens(ctx, "default"); len(list) != 2 {
			t.Fatalf("listed %d tokens, want 2", len(list))
		}
		if err := db.RevokeAPIToken(ctx, "default", "t3"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.APIToken(ctx, "secret-3"); inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
			t.Fatalf("revoked: %v", err)
		}
		if err := db.RevokeAPIToken(ctx, "other", "t1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Fatalf("revoking from another tenant: %v", err)
		}
	}},
}

var templateCases = []testCase{
	{"templates", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		db.CreateUser(ctx, &inlet.User{ID: "u1", Email: "ana@example.com", CreatedAt: e.now()}, "x")
		db.CreateUser(ctx, &inlet.User{ID: "u2", Email: "bo@example.com", CreatedAt: e.now()}, "x")
		tpl := &inlet.Template{ID: "tp1", Tenant: "default", Name: "Revenue by region", Owner: "u1", SQL: "SELECT 1",
			Params: []inlet.TemplateParam{{Name: "region", Type: inlet.ParamMulti, Choices: []string{"eu", "us"}}}}
		if err := db.CreateTemplate(ctx, tpl); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateTemplate(ctx, &inlet.Template{ID: "tp2", Tenant: "default", Name: "Revenue by region", Owner: "u1", SQL: "SELECT 2"}); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Fatalf("duplicate name: %v", err)
		}
		edit := *tpl
		edit.SQL = "SELECT 2 WHERE 'a' = ?"
		if err := db.UpdateTemplate(ctx, &edit, "u2", "faster"); err != nil || edit.Version != 2 {
			t.Fatalf("update: %v, version %d", err, edit.Version)
		}
		stale := *tpl // still at version 1
		stale.SQL = "SELECT 3"
		if err := db.UpdateTemplate(ctx, &stale, "u1", ""); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Fatalf("stale update: %v, want ECONFLICT", err)
		}
		got, err := db.Template(ctx, "default", "tp1")
		if err != nil || got.SQL != "SELECT 2 WHERE 'a' = ?" || got.Version != 2 || got.Params[0].Choices[1] != "us" || got.OwnerEmail != "ana@example.com" {
			t.Fatalf("got %+v, %v", got, err)
		}
		vs, err := db.TemplateVersions(ctx, "default", "tp1")
		if err != nil || len(vs) != 2 || vs[0].AuthorEmail != "bo@example.com" || vs[0].Note != "faster" || vs[1].SQL != "SELECT 1" {
			t.Fatalf("versions %+v, %v", vs, err)
		}
		if _, err := db.Template(ctx, "other", "tp1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Fatalf("another tenant reads it: %v", err)
		}
		if err := db.DeleteTemplate(ctx, "default", "tp1"); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.Templates(ctx, "default"); len(list) != 0 {
			t.Fatalf("deleted template still listed: %+v", list)
		}
		if err := db.CreateTemplate(ctx, &inlet.Template{ID: "tp3", Tenant: "default", Name: "Revenue by region", Owner: "u1", SQL: "SELECT 3"}); err != nil {
			t.Fatalf("the name of a deleted template is free again: %v", err)
		}
		if list, _ := db.Templates(ctx, "default"); len(list) != 1 || list[0].ID != "tp3" {
			t.Fatalf("templates: got %+v, want tp3", list)
		}
	}},
	{"templates/concurrent edits of one version", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		db.CreateUser(ctx, &inlet.User{ID: "u1", Email: "ana@example.com", CreatedAt: e.now()}, "x")
		tpl := &inlet.Template{ID: "tp1", Tenant: "default", Name: "t", Owner: "u1", SQL: "SELECT 1"}
		if err := db.CreateTemplate(ctx, tpl); err != nil {
			t.Fatal(err)
		}
		const n = 6
		errs := make([]error, n)
		parallel(n, func(i int) {
			edit := *tpl
			edit.SQL = "SELECT 2"
			errs[i] = db.UpdateTemplate(ctx, &edit, "u1", "")
		})
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if inlet.ErrorCode(err) != inlet.ECONFLICT {
				t.Errorf("a losing edit: got %v, want ECONFLICT", err)
			}
		}
		if vs, _ := db.TemplateVersions(ctx, "default", "tp1"); ok != 1 || len(vs) != 2 {
			t.Errorf("%d edits saved and %d versions, want 1 and 2", ok, len(vs))
		}
	}},
}
