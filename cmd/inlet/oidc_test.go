package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
	"github.com/inlet-data/inlet/store"
)

const callbackPath = "/api/v1/auth/oidc/callback"

// oidcBrowser is a client that follows redirects, to Dex and back, except
// the one to Inlet's callback: the test decides what reaches it.
func oidcBrowser(t *testing.T, base string) *client {
	c := newClient(t, base+"/api/v1")
	c.http.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == callbackPath {
			return http.ErrUseLastResponse
		}
		return nil
	}
	return c
}

// startAtInlet asks Inlet to start a sign-in and returns where it sends
// the browser (Dex's authorization endpoint), without following.
func startAtInlet(t *testing.T, c *client, base string) *url.URL {
	t.Helper()
	stop := *c.http
	stop.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := stop.Get(base + "/api/v1/auth/oidc/login?next=/tables")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if resp.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("GET /auth/oidc/login: %d %v, want a redirect to the provider", resp.StatusCode, err)
	}
	return loc
}

var formAction = regexp.MustCompile(`<form method="post" action="([^"]+)"`)

// signInAtDex walks the login as a browser would: Inlet's login, Dex's
// login page, its password form posted; it returns the callback URL Dex
// sends the browser to, not yet visited.
func signInAtDex(t *testing.T, c *client, base, email, password string) *url.URL {
	t.Helper()
	auth := startAtInlet(t, c, base)
	q := auth.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
		t.Fatalf("the authorization request lacks PKCE S256, nonce or state: %s", auth)
	}
	resp, err := c.http.Get(auth.String())
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, resp)
	m := formAction.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("Dex's login page: %d %s", resp.StatusCode, page)
	}
	action, _ := resp.Request.URL.Parse(html.UnescapeString(m[1]))
	resp, err = c.http.PostForm(action.String(), url.Values{"login": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	cb, err := resp.Location()
	if err != nil || cb.Path != callbackPath {
		t.Fatalf("after Dex's login: %d %s, want a redirect to Inlet's callback", resp.StatusCode, body)
	}
	return cb
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// callback visits the callback URL and returns where Inlet sends the
// browser next.
func callback(t *testing.T, c *client, cb *url.URL) string {
	t.Helper()
	stop := *c.http
	stop.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := stop.Get(cb.String())
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback: %d %s, want 303", resp.StatusCode, body)
	}
	return resp.Header.Get("Location")
}

func wantRefused(t *testing.T, where, got, reason string) {
	t.Helper()
	if want := "/login?sign_in_error=" + reason; got != want {
		t.Errorf("%s: sent to %q, want %q", where, got, want)
	}
}

// The whole OIDC sign-in against a real provider (Dex), without a browser:
// the authorization code flow with PKCE, state and nonce; the user created
// at first sign-in and given the tenant and role of their groups claim; the
// session works like a password one. A tampered state, a state from another
// browser, a replayed code and a wrong nonce are refused; a role the claim
// no longer grants is taken away (with the tokens made under it), and with
// --password-login=false only the provider signs in.
func TestOIDCSignInThroughDex(t *testing.T) {
	port1, port2 := testkit.FreePort(t), testkit.FreePort(t)
	base1, base2 := fmt.Sprintf("http://127.0.0.1:%d", port1), fmt.Sprintf("http://127.0.0.1:%d", port2)
	dex := testkit.StartDex(t, testkit.DexClient{ID: "inlet", Secret: "dex-client-secret", RedirectURIs: []string{base1 + callbackPath, base2 + callbackPath}},
		testkit.DexUser{Email: "ana@example.com", Password: "ana's dex password", Name: "Ana Analyst", Groups: []string{"staff", "inlet-acme"}},
		testkit.DexUser{Email: "nobody@example.com", Password: "nobody's password", Name: "No Body", Groups: []string{"staff"}})
	secret := filepath.Join(t.TempDir(), "client-secret")
	os.WriteFile(secret, []byte("dex-client-secret\n"), 0o600)
	t.Setenv("INLET_OIDC_CLIENT_SECRET_FILE", secret)
	data := t.TempDir()
	oidcArgs := []string{"--oidc-issuer", dex.Issuer, "--oidc-client-id", "inlet", "--oidc-name", "Dex"}
	_, setupToken, logs := startServerLogs(t, data, append([]string{"--addr", fmt.Sprintf("127.0.0.1:%d", port1),
		"--oidc-role-map", "inlet-acme=acme:analyst,inlet-acme-admins=acme:admin"}, oidcArgs...)...)
	if setupToken == "" {
		t.Error("with password sign-in on, the setup link is printed as before")
	}

	// The sign-in page learns the methods.
	var methods struct {
		Password bool   `json:"password"`
		OIDC     bool   `json:"oidc"`
		Name     string `json:"oidc_name"`
	}
	anon := newClient(t, base1+"/api/v1")
	if code, b := anon.do(http.MethodGet, "/auth/methods", nil, &methods); code != 200 || !methods.Password || !methods.OIDC || methods.Name != "Dex" {
		t.Fatalf("methods: %d %s", code, b)
	}

	// sql runs a statement on the server's metadata database, as an
	// attacker who could change a sign-in under way would.
	sql := func(query string, args ...any) string {
		t.Helper()
		db, err := store.OpenSQLite(context.Background(), filepath.Join(data, "inlet.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if strings.HasPrefix(query, "SELECT") {
			var v string
			if err := db.SQL().QueryRow(query, args...).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		if _, err := db.SQL().Exec(query, args...); err != nil {
			t.Fatal(err)
		}
		return ""
	}

	ana := oidcBrowser(t, base1)
	cb := signInAtDex(t, ana, base1, "ana@example.com", "ana's dex password")
	verifier := sql(`SELECT verifier FROM oidc_logins`)
	if got := callback(t, ana, cb); got != "/tables" {
		t.Fatalf("after the callback: sent to %q, want /tables", got)
	}
	var sess inlet.Session
	if code, b := ana.do(http.MethodGet, "/session", nil, &sess); code != 200 {
		t.Fatalf("session after OIDC sign-in: %d %s", code, b)
	}
	if sess.Tenant != "acme" || sess.Role != inlet.RoleAnalyst || sess.User.Email != "ana@example.com" || sess.User.Name != "Ana Analyst" {
		t.Errorf("session: got %s as %s in %s, want ana@example.com as analyst in acme", sess.User.Email, sess.Role, sess.Tenant)
	}
	ana.csrf = sess.CSRF
	if code, b := ana.do(http.MethodGet, "/tables", nil, nil); code != 200 {
		t.Errorf("tables with the OIDC session: %d %s", code, b)
	}
	// An analyst's right: a token; an admin's: not granted by this claim.
	var tok struct{ Secret string }
	if code, b := ana.do(http.MethodPost, "/tokens", map[string]any{"name": "notebook", "role": "analyst"}, &tok); code != 201 && code != 200 {
		t.Fatalf("token: %d %s", code, b)
	}
	if code, _ := ana.do(http.MethodGet, "/audit", nil, nil); code != http.StatusForbidden {
		t.Errorf("audit as an analyst from the claim: %d, want 403", code)
	}

	// A replayed callback: the state was used.
	wantRefused(t, "replayed callback", callback(t, ana, cb), "expired")
	// A replayed code under a fresh state of the same browser, even with
	// the first sign-in's PKCE verifier: the provider refuses a used code.
	fresh := startAtInlet(t, ana, base1)
	sql(`UPDATE oidc_logins SET verifier = ?`, verifier)
	replay := *cb
	q := replay.Query()
	q.Set("state", fresh.Query().Get("state"))
	replay.RawQuery = q.Encode()
	wantRefused(t, "replayed code", callback(t, ana, &replay), "failed")
	if !strings.Contains(logs.String(), "invalid_grant") {
		t.Errorf("the log does not say the provider refused the code: %s", logs.String())
	}

	// A tampered state is no sign-in under way.
	cb = signInAtDex(t, ana, base1, "ana@example.com", "ana's dex password")
	tampered := *cb
	q = tampered.Query()
	q.Set("state", q.Get("state")+"x")
	tampered.RawQuery = q.Encode()
	wantRefused(t, "tampered state", callback(t, ana, &tampered), "expired")
	// Another browser's callback (a link an attacker sends) is refused.
	eve := oidcBrowser(t, base1)
	wantRefused(t, "another browser", callback(t, eve, cb), "failed")

	// A wrong nonce: the sign-in under way is changed to expect another
	// nonce than the one Dex put in the ID token.
	cb = signInAtDex(t, ana, base1, "ana@example.com", "ana's dex password")
	sql(`UPDATE oidc_logins SET nonce = 'not-the-nonce-sent'`)
	wantRefused(t, "wrong nonce", callback(t, ana, cb), "failed")
	if !strings.Contains(logs.String(), "nonce is not this sign-in") {
		t.Errorf("the log does not say the nonce was wrong: %s", logs.String())
	}

	// A user whose groups map to nothing gets no account.
	nobody := oidcBrowser(t, base1)
	wantRefused(t, "no mapped group", callback(t, nobody, signInAtDex(t, nobody, base1, "nobody@example.com", "nobody's password")), "no_role")

	// The role map changes (as a group would leave the claim): ana's acme
	// role goes, with her token there; default-deny leaves only what the
	// claim grants now. Password sign-in is off on this server.
	startServerLogs(t, data, append([]string{"--addr", fmt.Sprintf("127.0.0.1:%d", port2), "--password-login=false",
		"--oidc-role-map", "inlet-acme=default:viewer"}, oidcArgs...)...)
	ana2 := oidcBrowser(t, base2)
	if got := callback(t, ana2, signInAtDex(t, ana2, base2, "ana@example.com", "ana's dex password")); got != "/tables" {
		t.Fatalf("second sign-in: sent to %q", got)
	}
	var list struct{ Tenants []inlet.Membership }
	ana2.do(http.MethodGet, "/tenants", nil, &list)
	if len(list.Tenants) != 1 || list.Tenants[0].Tenant != "default" || list.Tenants[0].Role != inlet.RoleViewer {
		t.Errorf("tenants after the claim changed: got %+v, want only default as viewer", list.Tenants)
	}
	if code, _, b := bearer(t, http.MethodGet, base2+"/api/v1/tables", tok.Secret, nil, ""); code != http.StatusUnauthorized {
		t.Errorf("the acme token after the acme role went: %d %s, want 401", code, b)
	}
	// The first session was in acme: it has no role there any more.
	if code, _ := ana.do(http.MethodGet, "/tables", nil, nil); code != http.StatusForbidden {
		t.Errorf("the old acme session: %d, want 403", code)
	}
	anon2 := newClient(t, base2+"/api/v1")
	anon2.do(http.MethodGet, "/auth/methods", nil, &methods)
	if methods.Password || !methods.OIDC {
		t.Errorf("methods with password sign-in off: %+v", methods)
	}
	if code, b := anon2.do(http.MethodPost, "/session", map[string]string{"email": "ana@example.com", "password": "ana's dex password"}, nil); code != http.StatusForbidden {
		t.Errorf("password sign-in when off: %d %s, want 403", code, b)
	}
	// Signing out ends the OIDC session like any other.
	ana2.do(http.MethodGet, "/session", nil, &sess)
	ana2.csrf = sess.CSRF
	if code, b := ana2.do(http.MethodDelete, "/session", nil, nil); code != http.StatusNoContent {
		t.Errorf("sign out: %d %s", code, b)
	}
	if code, _ := ana2.do(http.MethodGet, "/session", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("session after sign-out: %d, want 401", code)
	}
}

// Settings that cannot work are refused at start, naming the flag.
func TestOIDCSettingsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--password-login=false"}, "needs --oidc-issuer"},
		{[]string{"--oidc-issuer", "http://idp.example.com", "--oidc-client-id", "x", "--oidc-role-map", "g=default:admin"}, "use https"},
		{[]string{"--oidc-issuer", "https://idp.example.com", "--oidc-role-map", "g=default:admin"}, "needs --oidc-client-id"},
		{[]string{"--oidc-issuer", "https://idp.example.com", "--oidc-client-id", "x"}, "needs --oidc-role-map"},
		{[]string{"--oidc-issuer", "https://idp.example.com", "--oidc-client-id", "x", "--oidc-role-map", "g=default:owner"}, "unknown role"},
		{[]string{"--oidc-issuer", "https://idp.example.com", "--oidc-client-id", "x", "--oidc-role-map", "g:admin"}, "GROUP=TENANT:ROLE"},
		{[]string{"--oidc-role-map", "g=default:admin"}, "needs --oidc-issuer"},
		{[]string{"--password-login=maybe"}, "password-login"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb strings.Builder
			code := run(context.Background(), append([]string{"serve", "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0"}, tc.args...), &out, &errb)
			if code == 0 || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("exit %d, stderr %q, want an error with %q", code, errb.String(), tc.want)
			}
		})
	}
}
