package storetest

import (
	"strings"
	"time"

	inlet "github.com/inlet-data/inlet"
)

var accountCases = []testCase{
	{"accounts/users", func(e *env) {
		t, ctx, s := e.t, e.ctx, e.s
		if n, err := s.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("count before: got %d, %v, want 0", n, err)
		}
		u := &inlet.User{ID: "u1", Email: " Ana@Example.COM ", Name: "Ana", SiteAdmin: true, CreatedAt: e.now()}
		if err := s.CreateUser(ctx, u, "argon-hash"); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUser(ctx, &inlet.User{ID: "u2", Email: "ana@example.com", CreatedAt: e.now()}, "x"); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("same email twice: got %v, want ECONFLICT", err)
		}
		s.CreateUser(ctx, &inlet.User{ID: "u3", Email: "bo@example.com", CreatedAt: e.now()}, "y")
		got, hash, err := s.UserByEmail(ctx, "ANA@example.com")
		if err != nil || got.ID != "u1" || got.Email != "ana@example.com" || !got.SiteAdmin || hash != "argon-hash" || !got.CreatedAt.Equal(Start) {
			t.Errorf("by email: got %+v, %q, %v", got, hash, err)
		}
		if got, _, _ := s.UserByEmail(ctx, "bo@example.com"); got == nil || got.SiteAdmin {
			t.Errorf("a user who is no site admin: got %+v", got)
		}
		if _, _, err := s.UserByEmail(ctx, "nobody@example.com"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("unknown email: got %v, want ENOTFOUND", err)
		}
		if n, _ := s.CountUsers(ctx); n != 2 {
			t.Errorf("count: got %d, want 2", n)
		}
		s.EnsureTenant(ctx, "acme", "Acme")
		s.SetMembership(ctx, inlet.Membership{UserID: "u1", Tenant: "default", Role: inlet.RoleAdmin})
		s.SetMembership(ctx, inlet.Membership{UserID: "u1", Tenant: "acme", Role: inlet.RoleViewer})
		s.SetMembership(ctx, inlet.Membership{UserID: "u1", Tenant: "acme", Role: inlet.RoleCustomer}) // sets the role
		// The database itself refuses a role Inlet does not know.
		if err := s.SetMembership(ctx, inlet.Membership{UserID: "u3", Tenant: "acme", Role: "owner"}); err == nil {
			t.Error("a membership with role owner was stored, want it refused")
		}
		ms, err := s.Memberships(ctx, "u1")
		if err != nil || len(ms) != 2 || ms[0].Tenant != "acme" || ms[0].Role != inlet.RoleCustomer || ms[1].Role != inlet.RoleAdmin || ms[0].Email != "ana@example.com" {
			t.Errorf("memberships: got %+v, %v", ms, err)
		}
	}},
	{"accounts/member role and last admin", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		e.addMember("ada", inlet.RoleAdmin)
		e.addMember("bo", inlet.RoleAnalyst)

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
	}},
	{"accounts/two admins demoting each other at once", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		for round := 0; round < 5; round++ {
			for _, id := range []string{"ada", "bo"} {
				if round == 0 {
					e.addMember(id, inlet.RoleAdmin)
				} else if _, err := db.SetMemberRole(ctx, "default", id, inlet.RoleAdmin); err != nil {
					t.Fatal(err)
				}
			}
			ids := []string{"ada", "bo"}
			errs := make([]error, 2)
			parallel(2, func(i int) {
				if i == 0 {
					_, errs[i] = db.SetMemberRole(ctx, "default", ids[i], inlet.RoleViewer)
				} else {
					_, _, errs[i] = db.RemoveMember(ctx, "default", ids[i])
				}
			})
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
				} else if inlet.ErrorCode(err) != inlet.EINVALID {
					t.Fatalf("round %d: got %v, want nil or EINVALID", round, err)
				}
			}
			if ok != 1 {
				t.Fatalf("round %d: %d of two stepped down, want exactly 1 (errors %v)", round, ok, errs)
			}
			if errs[1] == nil { // bo was removed: add him back
				db.SetMembership(ctx, inlet.Membership{UserID: "bo", Tenant: "default", Role: inlet.RoleAdmin})
			}
		}
	}},
	{"accounts/removing a member ends their access", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		if err := db.EnsureTenant(ctx, "acme", "Acme"); err != nil {
			t.Fatal(err)
		}
		e.addMember("ada", inlet.RoleAdmin)
		bo := e.addMember("bo", inlet.RoleAnalyst)
		db.SetMembership(ctx, inlet.Membership{UserID: "bo", Tenant: "acme", Role: inlet.RoleViewer})
		for _, tok := range []inlet.APIToken{{ID: "t1", Tenant: "default"}, {ID: "t2", Tenant: "default"}, {ID: "t3", Tenant: "acme"}} {
			tok.UserID, tok.Name, tok.Role = "bo", tok.ID, inlet.RoleViewer
			if err := db.CreateAPIToken(ctx, "secret-"+tok.ID, &tok); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.CreateSession(ctx, "bo-session", &inlet.Session{User: bo, Tenant: "default", CSRF: "c", ExpiresAt: e.now().Add(time.Hour)}); err != nil {
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
	}},
	{"accounts/sessions", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		u := e.addMember("ada", inlet.RoleAnalyst)
		u.SiteAdmin = false
		exp := e.now().Add(time.Hour)
		if err := db.CreateSession(ctx, "tok-1", &inlet.Session{User: u, Tenant: "default", CSRF: "csrf-1", ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSession(ctx, "tok-2", &inlet.Session{User: u, Tenant: "default", CSRF: "csrf-2", ExpiresAt: e.now().Add(2 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		ss, err := db.Session(ctx, "tok-1")
		if err != nil || ss.User.ID != "ada" || ss.User.Email != "ada@example.com" || ss.Tenant != "default" || ss.Role != inlet.RoleAnalyst || ss.CSRF != "csrf-1" || !ss.ExpiresAt.Equal(exp) {
			t.Fatalf("session: got %+v, %v", ss, err)
		}
		if _, err := db.Session(ctx, "tok-unknown"); inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
			t.Errorf("unknown token: got %v, want EUNAUTHORIZED", err)
		}
		if err := db.DeleteSession(ctx, "tok-2"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Session(ctx, "tok-2"); inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
			t.Errorf("signed out: got %v, want EUNAUTHORIZED", err)
		}
		e.clk.Add(time.Hour + time.Second)
		if _, err := db.Session(ctx, "tok-1"); inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
			t.Errorf("expired: got %v, want EUNAUTHORIZED", err)
		}
		if err := db.DeleteExpiredSessions(ctx); err != nil {
			t.Fatal(err)
		}
	}},
	{"accounts/invites list and revoke", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		e.addMember("ada", inlet.RoleAdmin)
		mk := func(id, email string, ttl time.Duration) {
			t.Helper()
			inv := &inlet.Invite{ID: id, Tenant: "default", Email: email, Role: inlet.RoleViewer, CreatedBy: "ada", ExpiresAt: e.now().Add(ttl)}
			if err := db.CreateInvite(ctx, "token-"+id, inv); err != nil {
				t.Fatal(err)
			}
		}
		mk("i1", "One@Example.com", time.Hour)
		e.clk.Add(time.Second)
		mk("i2", "two@example.com", time.Hour)
		mk("i3", "three@example.com", time.Minute)
		mk("i4", "four@example.com", time.Hour)
		if inv, err := db.UseInvite(ctx, "token-i4"); err != nil || inv.Email != "four@example.com" || inv.Role != inlet.RoleViewer {
			t.Fatalf("use: got %+v, %v", inv, err)
		}
		e.clk.Add(2 * time.Minute) // i3 expires

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
	}},
	{"accounts/an invite used at once by many works once", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		e.addMember("ada", inlet.RoleAdmin)
		if err := db.CreateInvite(ctx, "tok", &inlet.Invite{ID: "i1", Tenant: "default", Email: "x@example.com", Role: inlet.RoleViewer, CreatedBy: "ada", ExpiresAt: e.now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		const n = 8
		errs := make([]error, n)
		parallel(n, func(i int) { _, errs[i] = db.UseInvite(ctx, "tok") })
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if inlet.ErrorCode(err) != inlet.EINVALID {
				t.Errorf("a losing use: got %v, want EINVALID", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d uses succeeded, want 1", ok)
		}
	}},
	{"accounts/one-time secrets", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		if err := db.UseSecret(ctx, "setup", "s3cret"); inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
			t.Errorf("no secret yet: got %v, want EUNAUTHORIZED", err)
		}
		db.SetSecret(ctx, "setup", "old")
		if err := db.SetSecret(ctx, "setup", "s3cret"); err != nil { // replaces
			t.Fatal(err)
		}
		if err := db.UseSecret(ctx, "setup", "old"); inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
			t.Errorf("the replaced value: got %v, want EUNAUTHORIZED", err)
		}
		const n = 8
		errs := make([]error, n)
		parallel(n, func(i int) { errs[i] = db.UseSecret(ctx, "setup", "s3cret") })
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if inlet.ErrorCode(err) != inlet.EUNAUTHORIZED {
				t.Errorf("a losing use: got %v, want EUNAUTHORIZED", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d concurrent uses succeeded, want 1", ok)
		}
	}},
	{"accounts/last tenant", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		db.EnsureTenant(ctx, "acme", "Acme")
		u := e.addMember("ada", inlet.RoleAdmin)
		if last, err := db.LastTenant(ctx, "ada"); err != nil || last != "" {
			t.Errorf("before any session: got %q, %v, want none", last, err)
		}
		db.CreateSession(ctx, "s1", &inlet.Session{User: u, Tenant: "default", CSRF: "c", ExpiresAt: e.now().Add(time.Hour)})
		if last, _ := db.LastTenant(ctx, "ada"); last != "default" {
			t.Errorf("after sign-in: got %q, want default", last)
		}
		if err := db.SetSessionTenant(ctx, "s1", "acme"); err != nil {
			t.Fatal(err)
		}
		if last, _ := db.LastTenant(ctx, "ada"); last != "acme" {
			t.Errorf("after switching: got %q, want acme", last)
		}
		if ss, err := db.Session(ctx, "s1"); err != nil || ss.Tenant != "acme" || ss.Role != "" {
			t.Errorf("the moved session: got %+v, %v, want tenant acme and no role there", ss, err)
		}
		if _, err := db.LastTenant(ctx, "nobody"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("unknown user: got %v, want ENOTFOUND", err)
		}
	}},
}
