package storetest

import (
	"time"

	"github.com/google/go-cmp/cmp"
	inlet "github.com/inlet-data/inlet"
)

var oidcCases = []testCase{
	{"OIDC identities and memberships from claims", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		const iss = "https://idp.example.com"
		u := &inlet.User{ID: "u1", Email: "Ada@Example.com", Name: "Ada", CreatedAt: e.now()}
		if err := db.CreateIdentityUser(ctx, iss, "sub-1", u); err != nil {
			t.Fatal(err)
		}
		if got, err := db.UserByIdentity(ctx, iss, "sub-1"); err != nil || got.ID != "u1" || got.Email != "ada@example.com" {
			t.Fatalf("by identity: got %+v, %v, want u1 with its email lower-cased", got, err)
		}
		// The subject, not the email, finds the user: another issuer's same subject is no one.
		if _, err := db.UserByIdentity(ctx, "https://other.example.com", "sub-1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("other issuer: got %v, want ENOTFOUND", err)
		}
		// No password signs the linked user in.
		if _, hash, err := db.UserByEmail(ctx, "ada@example.com"); err != nil || hash != "" {
			t.Errorf("password hash: got %q, %v, want none", hash, err)
		}
		// An email another account has is a conflict, not a link.
		if err := db.CreateIdentityUser(ctx, iss, "sub-2", &inlet.User{ID: "u2", Email: "ada@example.com", Name: "Eve", CreatedAt: e.now()}); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("taken email: got %v, want ECONFLICT", err)
		}

		removed, err := db.SyncMemberships(ctx, "u1", []inlet.Membership{{Tenant: "acme", Role: inlet.RoleAdmin}, {Tenant: "default", Role: inlet.RoleViewer}})
		if err != nil || len(removed) != 0 {
			t.Fatalf("first sync: got %v, %v", removed, err)
		}
		exp := e.now().Add(time.Hour)
		if err := db.CreateAPIToken(ctx, "secret-acme", &inlet.APIToken{ID: "t1", Tenant: "acme", UserID: "u1", Name: "nb", Role: inlet.RoleAdmin, ExpiresAt: &exp}); err != nil {
			t.Fatal(err)
		}
		// The claim now grants default as analyst only: acme goes, with its token.
		removed, err = db.SyncMemberships(ctx, "u1", []inlet.Membership{{Tenant: "default", Role: inlet.RoleAnalyst}})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]inlet.Membership{{UserID: "u1", Tenant: "acme", Role: inlet.RoleAdmin}}, removed); diff != "" {
			t.Errorf("removed (-want +got):\n%s", diff)
		}
		ms, _ := db.Memberships(ctx, "u1")
		if len(ms) != 1 || ms[0].Tenant != "default" || ms[0].Role != inlet.RoleAnalyst {
			t.Errorf("memberships: got %+v, want default as analyst", ms)
		}
		if _, err := db.APIToken(ctx, "secret-acme"); inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
			t.Errorf("token of the removed tenant: got %v, want EUNAUTHORIZED", err)
		}
		if removed, err := db.SyncMemberships(ctx, "u1", nil); err != nil || len(removed) != 1 {
			t.Errorf("sync to none: got %v, %v, want default removed", removed, err)
		}
	}},
	{"OIDC sign-in under way is used once", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		now := e.now()
		l := &inlet.OIDCLogin{Browser: "b", Nonce: "n", Verifier: "v", Next: "/tables", ExpiresAt: now.Add(10 * time.Minute)}
		if err := db.CreateOIDCLogin(ctx, "state-1", l); err != nil {
			t.Fatal(err)
		}
		got, err := db.TakeOIDCLogin(ctx, "state-1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(l, got); diff != "" {
			t.Errorf("taken (-want +got):\n%s", diff)
		}
		if _, err := db.TakeOIDCLogin(ctx, "state-1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("second take: got %v, want ENOTFOUND", err)
		}
		db.CreateOIDCLogin(ctx, "state-2", l)
		e.clk.Add(11 * time.Minute)
		if _, err := db.TakeOIDCLogin(ctx, "state-2"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("expired: got %v, want ENOTFOUND", err)
		}
	}},
}
