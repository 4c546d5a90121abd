package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
)

const (
	sessionCookie = "inlet_session"
	csrfHeader    = "X-CSRF-Token"
	// setupSecret names the one-time token that creates the first admin.
	setupSecret = "setup"
	minPassword = 10
)

// NewToken returns 32 random bytes, URL-safe: session, invite and setup tokens.
func NewToken() string { return newToken() }

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// identify puts the caller on the request context: the session from the
// cookie, if any. State-changing requests from a browser session must carry
// the session's CSRF token in a header, which other sites cannot read.
func (s *Server) identify(c *gin.Context) {
	if !strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.Next() // the UI's files are the same for everyone: no session lookup
		return
	}
	if id, used, err := s.bearer(c); used {
		if err != nil {
			s.writeError(c, err)
			return
		}
		id.ip = c.ClientIP()
		c.Request = c.Request.WithContext(WithIdentity(c.Request.Context(), id))
		c.Next()
		return
	}
	token, err := c.Cookie(sessionCookie)
	if err == nil && token != "" {
		sess, err := s.Accounts.Session(c.Request.Context(), token)
		if err == nil {
			if !safeMethod(c.Request.Method) &&
				subtle.ConstantTimeCompare([]byte(c.GetHeader(csrfHeader)), []byte(sess.CSRF)) != 1 {
				s.writeError(c, inlet.Errorf(inlet.EFORBIDDEN, "missing or wrong %s header: reload the page", csrfHeader))
				return
			}
			// Roles come from the memberships as they are now, not as they
			// were at sign-in: a member removed or demoted loses the rights
			// at their next request.
			ms, err := s.Accounts.Memberships(c.Request.Context(), sess.User.ID)
			if err != nil {
				s.writeError(c, err)
				return
			}
			roles := map[string]inlet.Role{}
			for _, m := range ms {
				roles[m.Tenant] = m.Role
			}
			sess.Role = roles[sess.Tenant]
			id := Identity{User: sess.User.ID, Email: sess.User.Email, Tenant: sess.Tenant, Role: sess.Role,
				SiteAdmin: sess.User.SiteAdmin, roles: roles, token: token, session: sess, ip: c.ClientIP()}
			c.Request = c.Request.WithContext(WithIdentity(c.Request.Context(), id))
		}
	}
	c.Next()
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// signedIn returns the caller, or EUNAUTHORIZED when nobody is signed in.
func signedIn(c *gin.Context) (Identity, error) {
	id, ok := IdentityFrom(c.Request.Context())
	if !ok {
		return id, inlet.Errorf(inlet.EUNAUTHORIZED, "sign in first")
	}
	return id, nil
}

// need wraps a handler that requires a signed-in caller with at least role
// in the current tenant.
func (s *Server) need(role inlet.Role, h func(*gin.Context) error) gin.HandlerFunc {
	return s.handle(func(c *gin.Context) error {
		id, err := signedIn(c)
		if err != nil {
			return err
		}
		if !id.Role.Allows(role) {
			return inlet.Errorf(inlet.EFORBIDDEN, "this needs the %s role in tenant %s; you are %s", role, id.Tenant, roleName(id.Role))
		}
		return h(c)
	})
}

func roleName(r inlet.Role) string {
	if r == "" {
		return "not a member"
	}
	return "a " + string(r)
}

func (s *Server) registerSessionRoutes(r *gin.RouterGroup) {
	r.GET("/setup", s.handle(s.getSetup))
	r.POST("/setup", s.handle(s.postSetup))
	r.POST("/session", s.handle(s.login))
	r.GET("/session", s.handle(s.getSession))
	r.PUT("/session", s.handle(s.switchTenant))
	r.DELETE("/session", s.handle(s.logout))
	r.POST("/invites/lookup", s.handle(s.lookupInvite))
	r.POST("/invites/accept", s.handle(s.acceptInvite))
	s.registerOIDCRoutes(r)
}

// decodeJSON reads a small JSON body strictly.
func decodeJSON(c *gin.Context, v any) error {
	dec := json.NewDecoder(io.LimitReader(c.Request.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return inlet.Errorf(inlet.EINVALID, "invalid JSON body: %v", err)
	}
	return nil
}

func (s *Server) getSetup(c *gin.Context) error {
	n, err := s.Accounts.CountUsers(c.Request.Context())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"needed": n == 0})
	return nil
}

type newAccount struct {
	Token    string `json:"token"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

func (a *newAccount) validate(needEmail bool) error {
	fields := map[string]string{}
	if needEmail && (!strings.Contains(a.Email, "@") || len(a.Email) > 254) {
		fields["email"] = "enter an email address"
	}
	if strings.TrimSpace(a.Name) == "" {
		fields["name"] = "enter your name"
	}
	if len(a.Password) < minPassword {
		fields["password"] = "use at least 10 characters"
	}
	if len(fields) > 0 {
		return &inlet.Error{Code: inlet.EINVALID, Message: "please fix the highlighted fields", Fields: fields}
	}
	return nil
}

// postSetup creates the first admin with the one-time link printed at start.
func (s *Server) postSetup(c *gin.Context) error {
	ctx := c.Request.Context()
	if err := s.passwordOff(); err != nil {
		return err
	}
	var req newAccount
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if n, err := s.Accounts.CountUsers(ctx); err != nil {
		return err
	} else if n > 0 {
		return inlet.Errorf(inlet.ECONFLICT, "Inlet is set up already: sign in instead")
	}
	if err := req.validate(true); err != nil {
		return err
	}
	if err := s.Accounts.UseSecret(ctx, setupSecret, req.Token); err != nil {
		return inlet.Errorf(inlet.EUNAUTHORIZED, "this setup link is not valid: use the link printed when Inlet started (it works once)")
	}
	u := &inlet.User{ID: uuid.NewString(), Email: req.Email, Name: strings.TrimSpace(req.Name), SiteAdmin: true, CreatedAt: s.now()}
	if err := s.Accounts.CreateUser(ctx, u, hashPassword(req.Password)); err != nil {
		return err
	}
	if err := s.Accounts.SetMembership(ctx, inlet.Membership{UserID: u.ID, Tenant: inlet.DefaultTenant, Role: inlet.RoleAdmin}); err != nil {
		return err
	}
	s.Logger.Info("first admin created", "user", u.ID)
	return s.startSession(c, u, inlet.DefaultTenant, inlet.RoleAdmin)
}

// startSession signs a user in: a new session cookie and its CSRF token.
func (s *Server) startSession(c *gin.Context, u *inlet.User, tenant string, role inlet.Role) error {
	sess, err := s.newSession(c, u, tenant, role)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, sess)
	return nil
}

// newSession creates a session and sets its cookie: every way of signing
// in (password, setup link, invite, OIDC) ends here.
func (s *Server) newSession(c *gin.Context, u *inlet.User, tenant string, role inlet.Role) (*inlet.Session, error) {
	token := newToken()
	sess := &inlet.Session{User: u, Tenant: tenant, Role: role, CSRF: newToken(), ExpiresAt: s.now().Add(s.sessionTTL())}
	if err := s.Accounts.CreateSession(c.Request.Context(), token, sess); err != nil {
		return nil, err
	}
	s.setCookie(c, token, int(s.sessionTTL().Seconds()))
	return sess, nil
}

// passwordOff refuses a password sign-in (or a new password account) when
// --password-login=false: people sign in through the OIDC provider.
func (s *Server) passwordOff() error {
	if !s.NoPasswordLogin {
		return nil
	}
	return inlet.Errorf(inlet.EFORBIDDEN, "password sign-in is off here: sign in with %s", s.providerName())
}

func (s *Server) providerName() string {
	if s.OIDC != nil && s.OIDC.Name != "" {
		return s.OIDC.Name
	}
	return "your organisation's provider"
}

func (s *Server) sessionTTL() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return 12 * time.Hour
}

func (s *Server) setCookie(c *gin.Context, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.https(c), SameSite: http.SameSiteLaxMode})
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) login(c *gin.Context) error {
	ctx := c.Request.Context()
	if err := s.passwordOff(); err != nil {
		return err
	}
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	who := strings.ToLower(strings.TrimSpace(req.Email))
	try := signInAttempt(c.ClientIP(), who)
	if err := s.throttled(ctx, try); err != nil {
		return err
	}
	u, hash, err := s.Accounts.UserByEmail(ctx, req.Email)
	if inlet.ErrorCode(err) == inlet.ENOTFOUND {
		checkPassword(req.Password, dummyHash()) // same time either way
		s.failed(ctx, try)
		return s.failedSignIn(c, nil, who, "unknown_email")
	} else if err != nil {
		return err
	}
	if !checkPassword(req.Password, hash) {
		s.failed(ctx, try)
		return s.failedSignIn(c, u, who, "wrong_password")
	}
	for key, b := range try {
		if b == perPair && s.Throttle != nil {
			s.Throttle.ForgetFailures(ctx, key)
		}
	}
	tenant, role, err := s.signInTenant(ctx, u)
	if err != nil {
		return err
	}
	if err := s.recordAudit(c, &inlet.AuditEvent{Tenant: tenant, Actor: u.ID, Action: "session.sign_in", Object: "user:" + u.ID, Outcome: "ok"}); err != nil {
		return err
	}
	return s.startSession(c, u, tenant, role)
}

// signInTenant is where a sign-in lands: the tenant used last, if the user
// is still a member there, else their first.
func (s *Server) signInTenant(ctx context.Context, u *inlet.User) (string, inlet.Role, error) {
	ms, err := s.Accounts.Memberships(ctx, u.ID)
	if err != nil {
		return "", "", err
	}
	last, err := s.Accounts.LastTenant(ctx, u.ID)
	if err != nil {
		return "", "", err
	}
	tenant, role := inlet.DefaultTenant, inlet.Role("")
	for i, m := range ms {
		if i == 0 || m.Tenant == last {
			tenant, role = m.Tenant, m.Role
		}
	}
	return tenant, role, nil
}

// failedSignIn records a failed sign-in and refuses it. Whoever tried is
// unknown, so the event has no actor; the email they gave is recorded
// only as the SHA-256 of its lower-cased form, which finds the attempts
// on one address without keeping it. A known account's failures go to the
// tenant it would have signed in to, an unknown email's to the default
// tenant's log.
func (s *Server) failedSignIn(c *gin.Context, u *inlet.User, email, reason string) error {
	e := &inlet.AuditEvent{Tenant: inlet.DefaultTenant, Action: "session.sign_in", Object: "user:unknown", Outcome: "failed",
		Detail: map[string]any{"email_sha256": sha256Hex(email), "reason": reason}}
	if u != nil {
		e.Object = "user:" + u.ID
		if tenant, _, err := s.signInTenant(c.Request.Context(), u); err == nil {
			e.Tenant = tenant
		}
	}
	if err := s.recordAudit(c, e); err != nil {
		return err
	}
	return inlet.Errorf(inlet.EUNAUTHORIZED, "wrong email or password")
}

// tokenSession is what GET /session tells a caller with an API token: the
// token's scope, in the shape of a session.
type tokenSession struct {
	User   *inlet.User `json:"user"`
	Tenant string      `json:"tenant"`
	Role   inlet.Role  `json:"role"`
	Token  string      `json:"token_id"`
}

func (s *Server) getSession(c *gin.Context) error {
	id, err := signedIn(c)
	if err != nil {
		return err
	}
	if id.viaToken() {
		c.JSON(http.StatusOK, tokenSession{User: &inlet.User{ID: id.User, Email: id.Email}, Tenant: id.Tenant, Role: id.Role, Token: id.tokenID})
		return nil
	}
	c.JSON(http.StatusOK, id.session)
	return nil
}

// switchTenant moves the session to another tenant the user belongs to.
func (s *Server) switchTenant(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := signedIn(c)
	if err != nil {
		return err
	}
	if id.viaToken() {
		return inlet.Errorf(inlet.EFORBIDDEN, "an API token acts in its one tenant (%s): make a token in the other tenant", id.Tenant)
	}
	var req struct {
		Tenant string `json:"tenant"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	role := id.RoleIn(req.Tenant)
	if role == "" {
		return inlet.Errorf(inlet.EFORBIDDEN, "you are not a member of tenant %q", req.Tenant)
	}
	if err := s.Accounts.SetSessionTenant(ctx, id.token, req.Tenant); err != nil {
		return err
	}
	sess := *id.session
	sess.Tenant, sess.Role = req.Tenant, role
	c.JSON(http.StatusOK, sess)
	return nil
}

func (s *Server) logout(c *gin.Context) error {
	if id, ok := IdentityFrom(c.Request.Context()); ok && id.viaToken() {
		return inlet.Errorf(inlet.EFORBIDDEN, "an API token does not sign out: revoke it on the Tokens page")
	} else if ok {
		if err := s.Accounts.DeleteSession(c.Request.Context(), id.token); err != nil {
			return err
		}
		if err := s.audit(c, "session.sign_out", "user:"+id.User, "ok", nil); err != nil {
			return err
		}
	}
	s.setCookie(c, "", -1)
	c.Status(http.StatusNoContent)
	return nil
}

// inviteLookup is what an invite link's holder sees before joining: who
// joins, where, with which role. The token travels in the body, not the
// path, to stay out of access logs.
type inviteLookup struct {
	Invite     *inlet.Invite `json:"invite"`
	TenantName string        `json:"tenant_name"`
	HasAccount bool          `json:"has_account"` // sign in to join, rather than choose a password
}

// lookupInvite shows an invite without using it; a dead link says why.
// Wrong tokens count as failures, as at accept.
func (s *Server) lookupInvite(c *gin.Context) error {
	ctx := c.Request.Context()
	var req struct {
		Token string `json:"token"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	try := inviteAttempt(c.ClientIP())
	if err := s.throttled(ctx, try); err != nil {
		return err
	}
	inv, err := s.Accounts.Invite(ctx, req.Token)
	if err != nil {
		if inlet.ErrorCode(err) != inlet.EINTERNAL {
			s.failed(ctx, try)
		}
		return err
	}
	out := inviteLookup{Invite: inv, TenantName: inv.Tenant}
	all, err := s.Tenants.Tenants(ctx)
	if err != nil {
		return err
	}
	for _, t := range all {
		if t.ID == inv.Tenant && t.Name != "" {
			out.TenantName = t.Name
		}
	}
	if _, _, err := s.Accounts.UserByEmail(ctx, inv.Email); err == nil {
		out.HasAccount = true
	} else if inlet.ErrorCode(err) != inlet.ENOTFOUND {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// acceptInvite joins the invite's tenant: a new account, or, for an email
// that has one, that account, signed in. An invite never checks a
// password: it would let whoever can invite guess an account's password.
func (s *Server) acceptInvite(c *gin.Context) error {
	ctx := c.Request.Context()
	// Without passwords, tenants and roles come from the provider's claims
	// alone: an invite would make an account no one can sign in to.
	if err := s.passwordOff(); err != nil {
		return err
	}
	var req newAccount
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	try := inviteAttempt(c.ClientIP())
	if err := s.throttled(ctx, try); err != nil {
		return err
	}
	// Everything is checked before the invite is used up: a typo must not
	// cost the invitee their link.
	inv, err := s.Accounts.Invite(ctx, req.Token)
	if err != nil {
		if inlet.ErrorCode(err) != inlet.EINTERNAL {
			s.failed(ctx, try) // a wrong, used or expired link
		}
		return err
	}
	u, _, err := s.Accounts.UserByEmail(ctx, inv.Email)
	exists := err == nil
	caller, signedIn := IdentityFrom(ctx)
	switch {
	case !exists && inlet.ErrorCode(err) != inlet.ENOTFOUND:
		return err
	case !exists:
		if err := req.validate(false); err != nil {
			return err
		}
	case !signedIn || caller.viaToken() || caller.User != u.ID:
		return &inlet.Error{Code: inlet.EUNAUTHORIZED, Message: fmt.Sprintf("%s has an account: sign in as %s, then open this invite link again", inv.Email, inv.Email),
			Fields: map[string]string{"sign_in": inv.Email}}
	}
	if inv, err = s.Accounts.UseInvite(ctx, req.Token); err != nil {
		return err
	}
	if !exists {
		u = &inlet.User{ID: uuid.NewString(), Email: inv.Email, Name: strings.TrimSpace(req.Name), CreatedAt: s.now()}
		if err := s.Accounts.CreateUser(ctx, u, hashPassword(req.Password)); err != nil {
			return err
		}
	}
	if err := s.Accounts.SetMembership(ctx, inlet.Membership{UserID: u.ID, Tenant: inv.Tenant, Role: inv.Role}); err != nil {
		return err
	}
	if err := s.recordAudit(c, &inlet.AuditEvent{Tenant: inv.Tenant, Actor: u.ID, Action: "invite.accept", Object: "member:" + u.ID, Outcome: "ok",
		Detail: map[string]any{"invite": inv.ID, "role": inv.Role, "new_account": !exists}}); err != nil {
		return err
	}
	s.Logger.Info("invite accepted", "user", u.ID, "tenant", inv.Tenant, "role", inv.Role)
	return s.startSession(c, u, inv.Tenant, inv.Role)
}
