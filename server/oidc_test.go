package server

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	inlet "github.com/inlet-data/inlet"
)

func TestRoleMap(t *testing.T) {
	grants, err := ParseRoleMap(" inlet-acme-admins=acme:admin, inlet-acme=acme:analyst,partners=acme:customer,inlet-globex=globex:viewer ")
	if err != nil {
		t.Fatal(err)
	}
	o := &OIDC{RoleMap: grants}
	for _, tc := range []struct {
		name   string
		groups []string
		want   []inlet.Membership
	}{
		{"the most rights win", []string{"inlet-acme", "inlet-acme-admins", "partners"}, []inlet.Membership{{Tenant: "acme", Role: inlet.RoleAdmin}}},
		{"one group per tenant", []string{"inlet-acme", "inlet-globex"}, []inlet.Membership{{Tenant: "acme", Role: inlet.RoleAnalyst}, {Tenant: "globex", Role: inlet.RoleViewer}}},
		{"a customer only", []string{"partners"}, []inlet.Membership{{Tenant: "acme", Role: inlet.RoleCustomer}}},
		{"unmapped groups grant nothing", []string{"everyone", "acme", "inlet-acme-admins "}, nil},
		{"no groups", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, o.memberships(tc.groups)); diff != "" {
				t.Errorf("memberships (-want +got):\n%s", diff)
			}
		})
	}
	// LDAP-style group names hold "=" and ",": one entry a line.
	grants, err = ParseRoleMap("cn=inlet-admins,ou=groups,dc=example,dc=com=acme:admin\ncn=staff,dc=example,dc=com=acme:viewer\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := []RoleGrant{{"cn=inlet-admins,ou=groups,dc=example,dc=com", "acme", inlet.RoleAdmin}, {"cn=staff,dc=example,dc=com", "acme", inlet.RoleViewer}}; !cmp.Equal(want, grants) {
		t.Errorf("LDAP names: got %+v, want %+v", grants, want)
	}
	for _, bad := range []string{"g", "g=acme", "=acme:admin", "g=acme:owner", "g=Not A Tenant!:admin"} {
		if _, err := ParseRoleMap(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{"/tables": "/tables", "/tables?x=1": "/tables?x=1", "": "/", "//evil.example/x": "/",
		"/\\evil.example": "/", "https://evil.example": "/", "/api/v1/session": "/",
		"/\t/evil.example/x": "/", "/\n/evil.example": "/", "/ok\\..\\x": "/", "/exports#a": "/exports#a"} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q): got %q, want %q", in, got, want)
		}
	}
}

// An email counts only when the provider vouches for it: email_verified
// true, or missing where the deployment says its provider never sends it.
func TestEmailVerified(t *testing.T) {
	yes, no := claimBool(true), claimBool(false)
	for _, c := range []struct {
		claims     oidcClaims
		unverified bool
		want       bool
	}{
		{oidcClaims{Email: "ana@example.com", EmailVerified: &yes}, false, true},
		{oidcClaims{Email: "ana@example.com", EmailVerified: &no}, false, false},
		{oidcClaims{Email: "ana@example.com"}, false, false}, // missing: not vouched for
		{oidcClaims{Email: "ana@example.com"}, true, true},
		{oidcClaims{Email: "ana@example.com", EmailVerified: &no}, true, false},
		{oidcClaims{EmailVerified: &yes}, true, false},
	} {
		o := &OIDC{UnverifiedEmail: c.unverified}
		if got := o.emailVerified(c.claims); got != c.want {
			t.Errorf("%+v (verified %v) with UnverifiedEmail %v: %v, want %v", c.claims.Email, c.claims.EmailVerified, c.unverified, got, c.want)
		}
	}
}

// email_verified comes as a JSON boolean or, from some providers, as a
// string; anything else is not a verification.
func TestEmailVerifiedClaim(t *testing.T) {
	o := &OIDC{}
	for raw, want := range map[string]bool{
		`{"email":"a@example.com","email_verified":true}`:    true,
		`{"email":"a@example.com","email_verified":"true"}`:  true,
		`{"email":"a@example.com","email_verified":false}`:   false,
		`{"email":"a@example.com","email_verified":"false"}`: false,
		`{"email":"a@example.com"}`:                          false,
	} {
		var c oidcClaims
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if got := o.emailVerified(c); got != want {
			t.Errorf("%s: verified %v, want %v", raw, got, want)
		}
	}
	var c oidcClaims
	if err := json.Unmarshal([]byte(`{"email":"a@example.com","email_verified":"yes"}`), &c); err == nil {
		t.Errorf(`email_verified "yes" decoded: %+v`, c)
	}
}
