package server

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
	"golang.org/x/oauth2"
)

const (
	// oidcCookie binds a sign-in under way to the browser that started it.
	oidcCookie   = "inlet_oidc"
	oidcLoginTTL = 10 * time.Minute
	callbackPath = "/api/v1/auth/oidc/callback"
)

// OIDC is sign-in through an OpenID Connect provider: the authorization
// code flow with PKCE (S256), state and nonce. Tenants and roles come
// from a claim of the ID token (a list of groups), through RoleMap, at
// every sign-in: a group the provider no longer sends takes its role away.
type OIDC struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is the callback the provider sends the browser back to;
	// "" derives it from the request (scheme and host).
	RedirectURL string
	// Name is the provider's name on the sign-in button.
	Name string
	// Scopes are asked for; openid is always among them.
	Scopes []string
	// GroupsClaim names the ID token claim that lists the user's groups.
	GroupsClaim string
	RoleMap     []RoleGrant
	// UnverifiedEmail takes an email claim that comes without
	// email_verified as verified, for providers that never send the claim
	// (Microsoft Entra ID); off, only email_verified: true is.
	UnverifiedEmail bool
	// Client makes the calls to the provider (default: a 15 s timeout).
	Client *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
}

// RoleGrant gives the members of a provider group a role in a tenant.
type RoleGrant struct {
	Group  string
	Tenant string
	Role   inlet.Role
}

// ParseRoleMap reads GROUP=TENANT:ROLE entries, separated by commas or new
// lines; the group is everything before the last "=", so LDAP-style names
// (cn=x) work when the entries are on lines of their own.
func ParseRoleMap(s string) ([]RoleGrant, error) {
	sep := ","
	if strings.Contains(s, "\n") {
		sep = "\n"
	}
	var out []RoleGrant
	for _, e := range strings.Split(s, sep) {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		i := strings.LastIndex(e, "=")
		tenant, role, ok := strings.Cut(e[i+1:], ":")
		if i <= 0 || !ok {
			return nil, fmt.Errorf("role map entry %q: write GROUP=TENANT:ROLE, e.g. inlet-acme-admins=acme:admin", e)
		}
		if err := inlet.ValidateTenant(tenant); err != nil {
			return nil, fmt.Errorf("role map entry %q: %s", e, inlet.ErrorMessage(err))
		}
		r, err := inlet.ParseRole(role)
		if err != nil {
			return nil, fmt.Errorf("role map entry %q: %s", e, inlet.ErrorMessage(err))
		}
		out = append(out, RoleGrant{Group: strings.TrimSpace(e[:i]), Tenant: tenant, Role: r})
	}
	return out, nil
}

// roleRank orders roles when several groups grant one tenant: the most
// rights win (a customer has the fewest).
var roleRank = map[inlet.Role]int{inlet.RoleCustomer: 1, inlet.RoleViewer: 2, inlet.RoleAnalyst: 3, inlet.RoleAdmin: 4}

// memberships maps the groups of a user to tenants and roles; groups the
// map does not name grant nothing.
func (o *OIDC) memberships(groups []string) []inlet.Membership {
	has := map[string]bool{}
	for _, g := range groups {
		has[g] = true
	}
	best := map[string]inlet.Role{}
	for _, g := range o.RoleMap {
		if has[g.Group] && roleRank[g.Role] > roleRank[best[g.Tenant]] {
			best[g.Tenant] = g.Role
		}
	}
	var out []inlet.Membership
	for t, r := range best {
		out = append(out, inlet.Membership{Tenant: t, Role: r})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Tenant < out[j].Tenant })
	return out
}

func (o *OIDC) client() *http.Client {
	if o.Client != nil {
		return o.Client
	}
	return &http.Client{Timeout: 15 * time.Second}
}

// discover reads the provider's configuration once it is reachable: a
// provider down when Inlet starts delays sign-ins, not the start.
func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, o.client()), o.Issuer)
	if err != nil {
		return nil, err
	}
	o.provider = p
	return p, nil
}

func (o *OIDC) config(p *oidc.Provider, redirect string) *oauth2.Config {
	scopes := []string{oidc.ScopeOpenID}
	for _, s := range o.Scopes {
		if s != oidc.ScopeOpenID {
			scopes = append(scopes, s)
		}
	}
	return &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, Endpoint: p.Endpoint(), RedirectURL: redirect, Scopes: scopes}
}

func (s *Server) registerOIDCRoutes(r *gin.RouterGroup) {
	r.GET("/auth/methods", s.handle(s.authMethods))
	r.GET("/auth/oidc/login", s.handle(s.oidcLogin))
	r.GET("/auth/oidc/callback", s.handle(s.oidcCallback))
}

// authMethods tells the sign-in page which ways to sign in are on.
func (s *Server) authMethods(c *gin.Context) error {
	out := gin.H{"password": !s.NoPasswordLogin, "oidc": s.OIDC != nil, "oidc_name": ""}
	if s.OIDC != nil {
		out["oidc_name"] = s.OIDC.Name
	}
	c.JSON(http.StatusOK, out)
	return nil
}

func (s *Server) redirectURL(c *gin.Context) string {
	if s.OIDC.RedirectURL != "" {
		return s.OIDC.RedirectURL
	}
	scheme := "http"
	if s.https(c) {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host + callbackPath
}

// localPath is where a sign-in may land: a path of this site, never
// another site ("//evil.example" is one, and so is "/\t/evil.example":
// browsers drop tabs and newlines from URLs). Anything but a plain path
// lands on the home page.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/api/") ||
		strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return p
}

// oidcLogin sends the browser to the provider. The state, the nonce and
// the PKCE verifier are kept in the database, with the hash of a cookie
// only this browser holds.
func (s *Server) oidcLogin(c *gin.Context) error {
	if s.OIDC == nil {
		return inlet.Errorf(inlet.ENOTFOUND, "sign-in through an OIDC provider is not configured (see inlet serve --oidc-issuer)")
	}
	ctx := c.Request.Context()
	p, err := s.OIDC.discover(ctx)
	if err != nil {
		s.Logger.Error("oidc discovery", "issuer", s.OIDC.Issuer, "err", err)
		s.signInRedirect(c, "provider")
		return nil
	}
	browser, err := c.Cookie(oidcCookie)
	if err != nil || len(browser) < 32 {
		browser = newToken()
	}
	state, nonce, verifier := newToken(), newToken(), oauth2.GenerateVerifier()
	l := &inlet.OIDCLogin{Browser: sha256Hex(browser), Nonce: nonce, Verifier: verifier, Next: localPath(c.Query("next")),
		ExpiresAt: s.now().Add(oidcLoginTTL)}
	if err := s.Identities.CreateOIDCLogin(ctx, state, l); err != nil {
		return err
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: oidcCookie, Value: browser, Path: "/api/v1/auth/oidc/", MaxAge: int(oidcLoginTTL.Seconds()),
		HttpOnly: true, Secure: s.https(c), SameSite: http.SameSiteLaxMode})
	c.Redirect(http.StatusFound, s.OIDC.config(p, s.redirectURL(c)).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)))
	return nil
}

// signInRedirect sends the browser back to the sign-in page with a reason
// the page words (the detail is in the log, never in the address).
func (s *Server) signInRedirect(c *gin.Context, reason string) {
	c.Redirect(http.StatusSeeOther, "/login?sign_in_error="+url.QueryEscape(reason))
}

// oidcClaims are the ID token claims Inlet reads.
type oidcClaims struct {
	Subject       string     `json:"sub"`
	Email         string     `json:"email"`
	EmailVerified *claimBool `json:"email_verified"`
	Name          string     `json:"name"`
	Nonce         string     `json:"nonce"`
}

// claimBool is a boolean claim, which some providers (Amazon Cognito)
// send as the string "true" or "false".
type claimBool bool

func (b *claimBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", `"true"`:
		*b = true
	case "false", `"false"`:
		*b = false
	default:
		return fmt.Errorf("a boolean claim %s is neither true nor false", data)
	}
	return nil
}

// oidcCallback finishes a sign-in: the state must be one this browser
// started and not used, the code is exchanged with the PKCE verifier, and
// the ID token must verify (signature, issuer, audience, expiry) and carry
// the nonce. Then the user is found by issuer and subject (or created), and
// their tenants and roles are set from the groups claim.
func (s *Server) oidcCallback(c *gin.Context) error {
	if s.OIDC == nil {
		return inlet.Errorf(inlet.ENOTFOUND, "sign-in through an OIDC provider is not configured (see inlet serve --oidc-issuer)")
	}
	ctx := c.Request.Context()
	fail := func(reason, detail string, err error) error {
		s.Logger.Warn("oidc sign-in refused", "reason", reason, "detail", detail, "err", err)
		if err := s.recordAudit(c, &inlet.AuditEvent{Tenant: inlet.DefaultTenant, Action: "session.sign_in", Object: "user:unknown", Outcome: "failed",
			Detail: map[string]any{"method": "oidc", "reason": reason}}); err != nil {
			return err
		}
		s.signInRedirect(c, reason)
		return nil
	}
	if e := c.Query("error"); e != "" {
		return fail("provider", "the provider answered "+e, nil)
	}
	state, code := c.Query("state"), c.Query("code")
	if state == "" || code == "" {
		return fail("failed", "no state or code", nil)
	}
	l, err := s.Identities.TakeOIDCLogin(ctx, state)
	if err != nil {
		if inlet.ErrorCode(err) == inlet.ENOTFOUND {
			return fail("expired", "unknown, used or expired state", nil)
		}
		return err
	}
	// The state must come back to the browser that started the sign-in:
	// otherwise a link could sign a victim in as the attacker.
	browser, _ := c.Cookie(oidcCookie)
	if browser == "" || subtle.ConstantTimeCompare([]byte(sha256Hex(browser)), []byte(l.Browser)) != 1 {
		return fail("failed", "the state belongs to another browser", nil)
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: oidcCookie, Value: "", Path: "/api/v1/auth/oidc/", MaxAge: -1, HttpOnly: true, Secure: s.https(c), SameSite: http.SameSiteLaxMode})
	p, err := s.OIDC.discover(ctx)
	if err != nil {
		return fail("provider", "discovery", err)
	}
	pctx := oidc.ClientContext(context.WithValue(ctx, oauth2.HTTPClient, s.OIDC.client()), s.OIDC.client())
	tok, err := s.OIDC.config(p, s.redirectURL(c)).Exchange(pctx, code, oauth2.VerifierOption(l.Verifier))
	if err != nil {
		return fail("failed", "code exchange", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return fail("failed", "no id_token in the token response", nil)
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: s.OIDC.ClientID, Now: s.now}).Verify(pctx, raw)
	if err != nil {
		return fail("failed", "id token", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(l.Nonce)) != 1 {
		return fail("failed", "the id token's nonce is not this sign-in's", nil)
	}
	var claims oidcClaims
	var all map[string]json.RawMessage
	if err := idt.Claims(&claims); err != nil {
		return fail("failed", "claims", err)
	}
	if err := idt.Claims(&all); err != nil {
		return fail("failed", "claims", err)
	}
	groups, err := stringsClaim(all[s.OIDC.GroupsClaim])
	if err != nil {
		return fail("failed", "claim "+s.OIDC.GroupsClaim, err)
	}
	return s.oidcSignIn(c, idt.Issuer, claims, groups, l.Next, fail)
}

// stringsClaim reads a claim that is a list of strings, or one string.
func stringsClaim(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		return list, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err != nil {
		return nil, fmt.Errorf("neither a string nor a list of strings")
	}
	return []string{one}, nil
}

// emailVerified says whether the claims carry an email the provider
// vouches for: email_verified true, or absent where UnverifiedEmail says
// the provider never sends it. Any other email could be anyone's.
func (o *OIDC) emailVerified(c oidcClaims) bool {
	if c.Email == "" {
		return false
	}
	if c.EmailVerified == nil {
		return o.UnverifiedEmail
	}
	return bool(*c.EmailVerified)
}

func (s *Server) oidcSignIn(c *gin.Context, issuer string, claims oidcClaims, groups []string, next string, fail func(string, string, error) error) error {
	ctx := c.Request.Context()
	if claims.Subject == "" {
		return fail("failed", "no subject", nil)
	}
	ms := s.OIDC.memberships(groups)
	u, err := s.Identities.UserByIdentity(ctx, issuer, claims.Subject)
	switch {
	case inlet.ErrorCode(err) == inlet.ENOTFOUND:
		if len(ms) == 0 {
			return fail("no_role", "no group of the user is in the role map", nil)
		}
		if !s.OIDC.emailVerified(claims) {
			return fail("no_email", "no verified email claim", nil)
		}
		name := strings.TrimSpace(claims.Name)
		if name == "" {
			name = claims.Email
		}
		u = &inlet.User{ID: uuid.NewString(), Email: claims.Email, Name: name, CreatedAt: s.now()}
		if err := s.Identities.CreateIdentityUser(ctx, issuer, claims.Subject, u); err != nil {
			if inlet.ErrorCode(err) == inlet.ECONFLICT {
				// Linking by email would let whoever the provider calls
				// that address take the account over.
				return fail("email_taken", "an account with the user's email exists and is not linked to this provider", nil)
			}
			return err
		}
		s.Logger.Info("user created at first oidc sign-in", "user", u.ID)
	case err != nil:
		return err
	default:
		if s.OIDC.emailVerified(claims) {
			u.Email = claims.Email
		}
		if n := strings.TrimSpace(claims.Name); n != "" {
			u.Name = n
		}
		if err := s.Identities.UpdateIdentityUser(ctx, issuer, claims.Subject, u); err != nil {
			if inlet.ErrorCode(err) == inlet.ECONFLICT {
				return fail("email_taken", "the user's new email belongs to another account", nil)
			}
			return err
		}
	}
	// The claim is the truth at every sign-in: a role it no longer grants
	// is gone, and a user it grants nothing signs in nowhere.
	removed, err := s.Identities.SyncMemberships(ctx, u.ID, ms)
	if err != nil {
		return err
	}
	for _, m := range removed {
		if err := s.recordAudit(c, &inlet.AuditEvent{Tenant: m.Tenant, Actor: u.ID, Action: "member.remove", Object: "member:" + u.ID, Outcome: "ok",
			Detail: map[string]any{"role": m.Role, "reason": "not in the provider's groups claim"}}); err != nil {
			return err
		}
	}
	if len(ms) == 0 {
		return fail("no_role", "no group of user "+u.ID+" is in the role map", nil)
	}
	tenant, role, err := s.signInTenant(ctx, u)
	if err != nil {
		return err
	}
	if err := s.recordAudit(c, &inlet.AuditEvent{Tenant: tenant, Actor: u.ID, Action: "session.sign_in", Object: "user:" + u.ID, Outcome: "ok",
		Detail: map[string]any{"method": "oidc"}}); err != nil {
		return err
	}
	if _, err := s.newSession(c, u, tenant, role); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}
