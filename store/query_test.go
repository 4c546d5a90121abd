package store

import (
	"context"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

func TestAPITokens(t *testing.T) {
	db, now := openTest(t)
	ctx := context.Background()
	u := &inlet.User{ID: "u1", Email: "ana@example.com", Name: "Ana", CreatedAt: *now}
	if err := db.CreateUser(ctx, u, "x"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetMembership(ctx, inlet.Membership{UserID: "u1", Tenant: "default", Role: inlet.RoleAnalyst}); err != nil {
		t.Fatal(err)
	}
	exp := now.Add(time.Hour)
	if err := db.CreateAPIToken(ctx, "secret-1", &inlet.APIToken{ID: "t1", Tenant: "default", UserID: "u1", Name: "notebook", Role: inlet.RoleAnalyst, ExpiresAt: &exp}); err != nil {
		t.Fatal(err)
	}
	tok, err := db.APIToken(ctx, "secret-1")
	if err != nil || tok.Role != inlet.RoleAnalyst || tok.UserEmail != "ana@example.com" {
		t.Fatalf("got %+v, %v", tok, err)
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
	*now = now.Add(2 * time.Hour)
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
}

func TestTemplateVersions(t *testing.T) {
	db, now := openTest(t)
	ctx := context.Background()
	db.CreateUser(ctx, &inlet.User{ID: "u1", Email: "ana@example.com", CreatedAt: *now}, "x")
	db.CreateUser(ctx, &inlet.User{ID: "u2", Email: "bo@example.com", CreatedAt: *now}, "x")
	tpl := &inlet.Template{ID: "tp1", Tenant: "default", Name: "Revenue by region", Owner: "u1", SQL: "SELECT 1",
		Params: []inlet.TemplateParam{{Name: "region", Type: inlet.ParamMulti, Choices: []string{"eu", "us"}}}}
	if err := db.CreateTemplate(ctx, tpl); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateTemplate(ctx, &inlet.Template{ID: "tp2", Tenant: "default", Name: "Revenue by region", Owner: "u1", SQL: "SELECT 2"}); inlet.ErrorCode(err) != inlet.ECONFLICT {
		t.Fatalf("duplicate name: %v", err)
	}
	edit := *tpl
	edit.SQL = "SELECT 2"
	if err := db.UpdateTemplate(ctx, &edit, "u2", "faster"); err != nil || edit.Version != 2 {
		t.Fatalf("update: %v, version %d", err, edit.Version)
	}
	stale := *tpl // still at version 1
	stale.SQL = "SELECT 3"
	if err := db.UpdateTemplate(ctx, &stale, "u1", ""); inlet.ErrorCode(err) != inlet.ECONFLICT {
		t.Fatalf("stale update: %v, want ECONFLICT", err)
	}
	got, err := db.Template(ctx, "default", "tp1")
	if err != nil || got.SQL != "SELECT 2" || got.Version != 2 || got.Params[0].Choices[1] != "us" || got.OwnerEmail != "ana@example.com" {
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
}
