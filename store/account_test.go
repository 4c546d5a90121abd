package store

import (
	"context"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// addMember creates a user and makes them a member of the default tenant.
func addMember(t *testing.T, db *DB, id string, role inlet.Role) *inlet.User {
	t.Helper()
	u := &inlet.User{ID: id, Email: id + "@example.com", Name: id, CreatedAt: db.Now()}
	if err := db.CreateUser(context.Background(), u, "x"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetMembership(context.Background(), inlet.Membership{UserID: id, Tenant: "default", Role: role}); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestMemberRoleAndLastAdmin(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	addMember(t, db, "ada", inlet.RoleAdmin)
	addMember(t, db, "bo", inlet.RoleAnalyst)

	if _, err := db.SetMemberRole(ctx, "default", "ada", inlet.RoleViewer); inlet.ErrorCode(err) != inlet.EINVALID || !strings.Contains(inlet.ErrorMessage(err), "last admin") {
		t.Errorf("demote the last admin: got %v, want EINVALID about the last admin", err)
	}
	if _, _, err := db.RemoveMember(ctx, "default", "ada"); inlet.ErrorCode(err) != inlet.EINVALID {
		t.Errorf("remove the last admin: got %v, want EINVALID", err)
	}
	if old, err := db.SetMemberRole(ctx, "default", "bo", inlet.RoleAdmin); err != nil || old != inlet.RoleAnalyst {
		t.Fatalf("promote: got %q, %v, want analyst, nil", old, err)
	}
	// With two admins, either may step down, but not both.
	if _, err := db.SetMemberRole(ctx, "default", "ada", inlet.RoleViewer); err != nil {
		t.Fatalf("demote one of two admins: %v", err)
	}
	if _, err := db.SetMemberRole(ctx, "default", "bo", inlet.RoleAnalyst); inlet.ErrorCode(err) != inlet.EINVALID {
		t.Errorf("demote the other: got %v, want EINVALID", err)
	}
	if _, err := db.SetMemberRole(ctx, "default", "nobody", inlet.RoleViewer); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Errorf("a non-member: got %v, want ENOTFOUND", err)
	}
	ms, _ := db.Members(ctx, "default")
	roles := map[string]inlet.Role{}
	for _, m := range ms {
		roles[m.UserID] = m.Role
	}
	if roles["ada"] != inlet.RoleViewer || roles["bo"] != inlet.RoleAdmin {
		t.Errorf("got roles %v, want ada viewer and bo admin", roles)
	}
}

func TestRemoveMemberEndsAccess(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	if err := db.EnsureTenant(ctx, "acme", "Acme"); err != nil {
		t.Fatal(err)
	}
	addMember(t, db, "ada", inlet.RoleAdmin)
	bo := addMember(t, db, "bo", inlet.RoleAnalyst)
	db.SetMembership(ctx, inlet.Membership{UserID: "bo", Tenant: "acme", Role: inlet.RoleViewer})
	for _, tok := range []inlet.APIToken{{ID: "t1", Tenant: "default"}, {ID: "t2", Tenant: "default"}, {ID: "t3", Tenant: "acme"}} {
		tok.UserID, tok.Name, tok.Role = "bo", tok.ID, inlet.RoleViewer
		if err := db.CreateAPIToken(ctx, "secret-"+tok.ID, &tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.CreateSession(ctx, "bo-session", &inlet.Session{User: bo, Tenant: "default", CSRF: "c", ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}

	old, revoked, err := db.RemoveMember(ctx, "default", "bo")
	if err != nil || old != inlet.RoleAnalyst || revoked != 2 {
		t.Fatalf("remove: got %q, %d tokens, %v, want analyst, 2, nil", old, revoked, err)
	}
	// The session lives on, without a role in the tenant.
	if s, err := db.Session(ctx, "bo-session"); err != nil || s.Role != "" {
		t.Errorf("session after removal: got %+v, %v, want no role", s, err)
	}
	for _, secret := range []string{"secret-t1", "secret-t2"} {
		if _, err := db.APIToken(ctx, secret); inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
			t.Errorf("%s after removal: got %v, want EUNAUTHORIZED", secret, err)
		}
	}
	// Invited back, the old tokens stay revoked; the other tenant's token works.
	db.SetMembership(ctx, inlet.Membership{UserID: "bo", Tenant: "default", Role: inlet.RoleAnalyst})
	if _, err := db.APIToken(ctx, "secret-t1"); inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
		t.Errorf("token after rejoining: got %v, want EUNAUTHORIZED", err)
	}
	if tok, err := db.APIToken(ctx, "secret-t3"); err != nil || tok.Tenant != "acme" {
		t.Errorf("acme token: got %+v, %v", tok, err)
	}
	if _, _, err := db.RemoveMember(ctx, "default", "nobody"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Errorf("remove a non-member: got %v, want ENOTFOUND", err)
	}
}

func TestInvitesListAndRevoke(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	addMember(t, db, "ada", inlet.RoleAdmin)
	mk := func(id, email string, ttl time.Duration) {
		t.Helper()
		inv := &inlet.Invite{ID: id, Tenant: "default", Email: email, Role: inlet.RoleViewer, CreatedBy: "ada", ExpiresAt: now.Add(ttl)}
		if err := db.CreateInvite(ctx, "token-"+id, inv); err != nil {
			t.Fatal(err)
		}
	}
	mk("i1", "One@Example.com", time.Hour)
	*now = now.Add(time.Second)
	mk("i2", "two@example.com", time.Hour)
	mk("i3", "three@example.com", time.Minute)
	mk("i4", "four@example.com", time.Hour)
	if _, err := db.UseInvite(ctx, "token-i4"); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(2 * time.Minute) // i3 expires

	list, err := db.Invites(ctx, "default")
	if err != nil || len(list) != 2 || list[0].ID != "i2" || list[1].ID != "i1" || list[1].Email != "one@example.com" {
		t.Fatalf("pending invites: got %+v, %v, want i2 and i1", list, err)
	}
	if err := db.RevokeInvite(ctx, "default", "i1"); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeInvite(ctx, "default", "i1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Errorf("revoke twice: got %v, want ENOTFOUND", err)
	}
	if err := db.RevokeInvite(ctx, "other", "i2"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Errorf("revoke from another tenant: got %v, want ENOTFOUND", err)
	}
	if list, _ := db.Invites(ctx, "default"); len(list) != 1 || list[0].ID != "i2" {
		t.Errorf("after revoking: got %+v, want i2 only", list)
	}
	// Each dead link says why it does not work.
	for token, want := range map[string]string{"token-i1": "revoked", "token-i3": "expired", "token-i4": "used already", "token-none": "not valid"} {
		if _, err := db.Invite(ctx, token); inlet.ErrorCode(err) != inlet.EINVALID || !strings.Contains(inlet.ErrorMessage(err), want) {
			t.Errorf("%s: got %v, want EINVALID saying %q", token, err, want)
		}
	}
	if _, err := db.UseInvite(ctx, "token-i1"); inlet.ErrorCode(err) != inlet.EINVALID {
		t.Errorf("use a revoked invite: got %v, want EINVALID", err)
	}
}

func TestLastTenant(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	db.EnsureTenant(ctx, "acme", "Acme")
	u := addMember(t, db, "ada", inlet.RoleAdmin)
	if last, err := db.LastTenant(ctx, "ada"); err != nil || last != "" {
		t.Errorf("before any session: got %q, %v, want none", last, err)
	}
	db.CreateSession(ctx, "s1", &inlet.Session{User: u, Tenant: "default", CSRF: "c", ExpiresAt: now.Add(time.Hour)})
	if last, _ := db.LastTenant(ctx, "ada"); last != "default" {
		t.Errorf("after sign-in: got %q, want default", last)
	}
	if err := db.SetSessionTenant(ctx, "s1", "acme"); err != nil {
		t.Fatal(err)
	}
	if last, _ := db.LastTenant(ctx, "ada"); last != "acme" {
		t.Errorf("after switching: got %q, want acme", last)
	}
	if _, err := db.LastTenant(ctx, "nobody"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Errorf("unknown user: got %v, want ENOTFOUND", err)
	}
}
