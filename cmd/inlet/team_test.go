package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/store"
)

// A tenant admin manages the team: roles change, the last admin stays, a
// removed member loses the tenant at once (session and token), invites are
// listed and revoked, and every change is in the tenant's audit log.
func TestTeamManagement(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	url, setupToken := startServer(t, data)
	base := url + "/api/v1"
	admin := setUp(t, base, setupToken)
	var me inlet.Session
	admin.do(http.MethodGet, "/session", nil, &me)
	if code, b := admin.do(http.MethodPost, "/tenants", map[string]string{"id": "acme", "name": "Acme Corp"}, nil); code != 201 {
		t.Fatalf("create tenant: %d %s", code, b)
	}
	invite := func(email string, role inlet.Role) (string, inlet.Invite) {
		t.Helper()
		var inv struct {
			Token  string
			Invite inlet.Invite
		}
		if code, b := admin.do(http.MethodPost, "/tenants/acme/invites", map[string]any{"email": email, "role": role}, &inv); code != 201 {
			t.Fatalf("invite: %d %s", code, b)
		}
		return inv.Token, inv.Invite
	}
	errMessage := func(b []byte) string {
		var e apiError
		json.Unmarshal(b, &e)
		return e.Error.Message
	}

	// The join page's look-up: who joins, where, as what.
	annToken, _ := invite("ann@example.com", inlet.RoleAnalyst)
	var look struct {
		Invite     inlet.Invite
		TenantName string `json:"tenant_name"`
		HasAccount bool   `json:"has_account"`
	}
	if code, b := newClient(t, base).do(http.MethodPost, "/invites/lookup", map[string]string{"token": annToken}, &look); code != 200 ||
		look.Invite.Email != "ann@example.com" || look.Invite.Tenant != "acme" || look.TenantName != "Acme Corp" || look.Invite.Role != inlet.RoleAnalyst || look.HasAccount {
		t.Errorf("look-up: %d %s", code, b)
	}
	ann := newClient(t, base)
	annSess := ann.signIn("/invites/accept", map[string]string{"token": annToken, "name": "Ann", "password": "ann's long password"})
	annID := annSess.User.ID
	var tok struct{ Secret string }
	if code, b := ann.do(http.MethodPost, "/tokens", map[string]any{"name": "notebook", "role": "analyst"}, &tok); code != 201 {
		t.Fatalf("ann's token: %d %s", code, b)
	}

	// Only admins manage the team.
	if code, b := ann.do(http.MethodPatch, "/tenants/acme/members/"+annID, map[string]string{"role": "admin"}, nil); code != 403 {
		t.Errorf("analyst promotes herself: %d %s, want 403", code, b)
	}
	if code, _, b := bearer(t, http.MethodDelete, base+"/tenants/acme/members/"+me.User.ID, tok.Secret, nil, ""); code != 403 {
		t.Errorf("analyst's token removes the admin: %d %s, want 403", code, b)
	}

	// Roles change; the last admin is neither demoted nor removed.
	var m inlet.Membership
	if code, b := admin.do(http.MethodPatch, "/tenants/acme/members/"+annID, map[string]string{"role": "viewer"}, &m); code != 200 || m.Role != inlet.RoleViewer || m.Email != "ann@example.com" {
		t.Errorf("demote ann: %d %s", code, b)
	}
	if code, b := ann.do(http.MethodPost, "/uploads", nil, nil); code != 403 {
		t.Errorf("ann uploads as a viewer, in the session she had: %d %s, want 403", code, b)
	}
	if code, b := admin.do(http.MethodPatch, "/tenants/acme/members/"+annID, map[string]string{"role": "owner"}, nil); code != 400 || !strings.Contains(string(b), `"role"`) {
		t.Errorf("unknown role: %d %s, want 400 on the role field", code, b)
	}
	if code, b := admin.do(http.MethodPatch, "/tenants/acme/members/"+me.User.ID, map[string]string{"role": "analyst"}, nil); code != 400 || !strings.Contains(errMessage(b), "last admin of tenant acme") {
		t.Errorf("demote the last admin: %d %s, want 400 naming the last admin", code, b)
	}
	if code, b := admin.do(http.MethodDelete, "/tenants/acme/members/"+me.User.ID, nil, nil); code != 400 || !strings.Contains(errMessage(b), "last admin") {
		t.Errorf("remove the last admin: %d %s, want 400", code, b)
	}
	if code, _ := admin.do(http.MethodPatch, "/tenants/acme/members/nobody", map[string]string{"role": "viewer"}, nil); code != 404 {
		t.Errorf("a non-member: %d, want 404", code)
	}

	// Removal ends ann's access at once: her session keeps no role and her token is dead.
	if code, b := admin.do(http.MethodDelete, "/tenants/acme/members/"+annID, nil, nil); code != 204 {
		t.Fatalf("remove ann: %d %s", code, b)
	}
	if code, b := ann.do(http.MethodGet, "/tables", nil, nil); code != 403 {
		t.Errorf("ann's session after removal: %d %s, want 403", code, b)
	}
	var after inlet.Session
	if ann.do(http.MethodGet, "/session", nil, &after); after.Role != "" {
		t.Errorf("ann's session role after removal: %q, want none", after.Role)
	}
	if code, _, b := bearer(t, http.MethodGet, base+"/tables", tok.Secret, nil, ""); code != 401 {
		t.Errorf("ann's token after removal: %d %s, want 401", code, b)
	}
	var members struct{ Members []inlet.Membership }
	if admin.do(http.MethodGet, "/tenants/acme/members", nil, &members); len(members.Members) != 1 {
		t.Errorf("members after removal: %+v, want the admin only", members.Members)
	}

	// Pending invites are listed and revoked; a revoked link says so.
	bobToken, bobInv := invite("bob@example.com", inlet.RoleViewer)
	var list struct{ Invites []inlet.Invite }
	if admin.do(http.MethodGet, "/tenants/acme/invites", nil, &list); len(list.Invites) != 1 || list.Invites[0].ID != bobInv.ID || list.Invites[0].Email != "bob@example.com" {
		t.Errorf("pending invites: %+v, want bob's only (ann's was used)", list.Invites)
	}
	if code, b := admin.do(http.MethodDelete, "/tenants/acme/invites/"+bobInv.ID, nil, nil); code != 204 {
		t.Fatalf("revoke: %d %s", code, b)
	}
	if admin.do(http.MethodGet, "/tenants/acme/invites", nil, &list); len(list.Invites) != 0 {
		t.Errorf("pending invites after revoking: %+v", list.Invites)
	}
	bob := newClient(t, base)
	if code, b := bob.do(http.MethodPost, "/invites/lookup", map[string]string{"token": bobToken}, nil); code != 400 || !strings.Contains(errMessage(b), "revoked") {
		t.Errorf("look up a revoked invite: %d %s, want 400 saying revoked", code, b)
	}
	if code, b := bob.do(http.MethodPost, "/invites/accept", map[string]string{"token": bobToken, "name": "Bob", "password": "bob's long password"}, nil); code != 400 || !strings.Contains(errMessage(b), "revoked") {
		t.Errorf("accept a revoked invite: %d %s, want 400 saying revoked", code, b)
	}

	// A site admin manages a tenant they are not a member of.
	carlToken, _ := invite("carl@example.com", inlet.RoleAdmin)
	carl := newClient(t, base)
	carl.signIn("/invites/accept", map[string]string{"token": carlToken, "name": "Carl", "password": "carl's long password"})
	if code, b := carl.do(http.MethodDelete, "/tenants/acme/members/"+me.User.ID, nil, nil); code != 204 {
		t.Fatalf("carl removes the site admin from acme: %d %s", code, b)
	}
	if code, b := admin.do(http.MethodGet, "/tenants/acme/members", nil, &members); code != 200 || len(members.Members) != 1 {
		t.Errorf("site admin lists acme's members: %d %s", code, b)
	}

	// Every change is in acme's audit log, with ids, never an email.
	db, err := store.OpenSQLite(context.Background(), filepath.Join(data, "inlet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	events, err := db.AuditEvents(context.Background(), "acme", inlet.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		got = append(got, e.Action+" "+e.Outcome)
		if b, _ := json.Marshal(e.Detail); strings.Contains(string(b), "@") || strings.Contains(e.Object, "@") {
			t.Errorf("audit event carries an email: %+v", e)
		}
	}
	want := "tenant.create ok, invite.create ok, invite.accept ok, token.create ok, member.role ok, member.role denied, member.remove denied, member.remove ok, " +
		"invite.create ok, invite.revoke ok, invite.create ok, invite.accept ok, member.remove ok"
	if strings.Join(got, ", ") != want {
		t.Errorf("acme's audit log:\ngot  %s\nwant %s", strings.Join(got, ", "), want)
	}
	removal, _ := db.AuditEvents(context.Background(), "acme", inlet.AuditFilter{Action: "member.remove", Object: "member:" + annID})
	if len(removal) != 1 || removal[0].Actor != me.User.ID || removal[0].Detail["tokens_revoked"] != 1.0 || removal[0].Detail["role"] != "viewer" {
		t.Errorf("ann's removal in the log: %+v", removal)
	}
}

// Signing in again lands in the tenant used last, while still a member there.
func TestSignInLandsInLastTenant(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	url, setupToken := startServer(t, data)
	base := url + "/api/v1"
	admin := setUp(t, base, setupToken)
	for _, id := range []string{"acme", "zeta"} {
		if code, b := admin.do(http.MethodPost, "/tenants", map[string]string{"id": id}, nil); code != 201 {
			t.Fatalf("create %s: %d %s", id, code, b)
		}
	}
	signIn := func() string {
		c := newClient(t, base)
		return c.signIn("/session", map[string]string{"email": "admin@example.com", "password": adminPassword}).Tenant
	}
	if got := signIn(); got != "default" {
		t.Errorf("first sign-in: tenant %s, want default (where the setup session was)", got)
	}
	for _, tenant := range []string{"zeta", "acme"} {
		if code, b := admin.do(http.MethodPut, "/session", map[string]string{"tenant": tenant}, nil); code != 200 {
			t.Fatalf("switch to %s: %d %s", tenant, code, b)
		}
		if got := signIn(); got != tenant {
			t.Errorf("sign in after switching to %s: tenant %s", tenant, got)
		}
	}
	// Left the last tenant: the first of the others.
	if code, b := admin.do(http.MethodPut, "/session", map[string]string{"tenant": "zeta"}, nil); code != 200 {
		t.Fatalf("switch to zeta: %d %s", code, b)
	}
	inv := struct{ Token string }{}
	admin.do(http.MethodPost, "/tenants/zeta/invites", map[string]any{"email": "zed@example.com", "role": "admin"}, &inv)
	zed := newClient(t, base)
	zed.signIn("/invites/accept", map[string]string{"token": inv.Token, "name": "Zed", "password": "zed's long password"})
	var me inlet.Session
	admin.do(http.MethodGet, "/session", nil, &me)
	if code, b := zed.do(http.MethodDelete, "/tenants/zeta/members/"+me.User.ID, nil, nil); code != 204 {
		t.Fatalf("remove the admin from zeta: %d %s", code, b)
	}
	if got := signIn(); got != "acme" {
		t.Errorf("sign in after leaving zeta: tenant %s, want acme (the first left)", got)
	}
}
