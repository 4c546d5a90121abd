package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
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
			id := Identity{User: sess.User.ID, Email: sess.User.Email, Tenant: sess.Tenant, Role: sess.Role,
				SiteAdmin: sess.User.SiteAdmin, token: token, session: sess}
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
	r.POST("/invites/accept", s.handle(s.acceptInvite))
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
	token := newToken()
	sess := &inlet.Session{User: u, Tenant: tenant, Role: role, CSRF: newToken(), ExpiresAt: s.now().Add(s.sessionTTL())}
	if err := s.Accounts.CreateSession(c.Request.Context(), token, sess); err != nil {
		return err
	}
	s.setCookie(c, token, int(s.sessionTTL().Seconds()))
	c.JSON(http.StatusOK, sess)
	return nil
}

func (s *Server) sessionTTL() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return 12 * time.Hour
}

func (s *Server) setCookie(c *gin.Context, token string, maxAge int) {
	secure := c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https"
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// signInFailures slows down password guessing: after maxFailures failed
// sign-ins for one email within failureWindow, that email waits out the
// window. It is per process; behind several replicas each counts its own.
type signInFailures struct {
	mu   sync.Mutex
	seen map[string][]time.Time
}

const (
	maxFailures   = 5
	failureWindow = 15 * time.Minute
)

func (f *signInFailures) recent(email string, now time.Time) []time.Time {
	var kept []time.Time
	for _, t := range f.seen[email] {
		if now.Sub(t) < failureWindow {
			kept = append(kept, t)
		}
	}
	return kept
}

func (f *signInFailures) blocked(email string, now time.Time) (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.recent(email, now)
	if len(r) < maxFailures {
		return 0, false
	}
	return failureWindow - now.Sub(r[0]), true
}

func (f *signInFailures) add(email string, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen == nil {
		f.seen = map[string][]time.Time{}
	}
	f.seen[email] = append(f.recent(email, now), now)
}

func (s *Server) login(c *gin.Context) error {
	ctx := c.Request.Context()
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	who := strings.ToLower(strings.TrimSpace(req.Email))
	if wait, blocked := s.failures.blocked(who, s.now()); blocked {
		return inlet.Errorf(inlet.ETOOMANY, "too many failed sign-ins for this email: try again in %d minutes", int(wait.Minutes())+1)
	}
	u, hash, err := s.Accounts.UserByEmail(ctx, req.Email)
	if inlet.ErrorCode(err) == inlet.ENOTFOUND {
		checkPassword(req.Password, dummyHash) // same time either way
		s.failures.add(who, s.now())
		return inlet.Errorf(inlet.EUNAUTHORIZED, "wrong email or password")
	} else if err != nil {
		return err
	}
	if !checkPassword(req.Password, hash) {
		s.failures.add(who, s.now())
		return inlet.Errorf(inlet.EUNAUTHORIZED, "wrong email or password")
	}
	ms, err := s.Accounts.Memberships(ctx, u.ID)
	if err != nil {
		return err
	}
	tenant, role := inlet.DefaultTenant, inlet.Role("")
	if len(ms) > 0 {
		tenant, role = ms[0].Tenant, ms[0].Role
	}
	return s.startSession(c, u, tenant, role)
}

func (s *Server) getSession(c *gin.Context) error {
	id, err := signedIn(c)
	if err != nil {
		return err
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
	var req struct {
		Tenant string `json:"tenant"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ms, err := s.Accounts.Memberships(ctx, id.User)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Tenant == req.Tenant {
			if err := s.Accounts.SetSessionTenant(ctx, id.token, m.Tenant); err != nil {
				return err
			}
			sess := *id.session
			sess.Tenant, sess.Role = m.Tenant, m.Role
			c.JSON(http.StatusOK, sess)
			return nil
		}
	}
	return inlet.Errorf(inlet.EFORBIDDEN, "you are not a member of tenant %q", req.Tenant)
}

func (s *Server) logout(c *gin.Context) error {
	if id, ok := IdentityFrom(c.Request.Context()); ok {
		if err := s.Accounts.DeleteSession(c.Request.Context(), id.token); err != nil {
			return err
		}
	}
	s.setCookie(c, "", -1)
	c.Status(http.StatusNoContent)
	return nil
}

// acceptInvite joins the invite's tenant: a new account, or, for an email
// that has one, the existing account after its password is checked.
func (s *Server) acceptInvite(c *gin.Context) error {
	ctx := c.Request.Context()
	var req newAccount
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	// Everything is checked before the invite is used up: a typo must not
	// cost the invitee their link.
	inv, err := s.Accounts.Invite(ctx, req.Token)
	if err != nil {
		return err
	}
	u, hash, err := s.Accounts.UserByEmail(ctx, inv.Email)
	exists := err == nil
	switch {
	case !exists && inlet.ErrorCode(err) != inlet.ENOTFOUND:
		return err
	case !exists:
		if err := req.validate(false); err != nil {
			return err
		}
	case !checkPassword(req.Password, hash):
		return inlet.Errorf(inlet.EUNAUTHORIZED, "%s has an account: enter its password to join", inv.Email)
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
	s.Logger.Info("invite accepted", "user", u.ID, "tenant", inv.Tenant, "role", inv.Role)
	return s.startSession(c, u, inv.Tenant, inv.Role)
}
