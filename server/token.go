package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
)

// tokenPrefix starts every API token, so that secret scanners and people
// recognise one.
const tokenPrefix = "inlet_"

// Tokens are managed from a signed-in session only: a token neither makes,
// lists nor revokes tokens, whatever its role.
func (s *Server) registerTokenRoutes(r *gin.RouterGroup) {
	r.GET("/tokens", s.need(inlet.RoleViewer, s.sessionOnly(s.listTokens)))
	r.POST("/tokens", s.need(inlet.RoleViewer, s.sessionOnly(s.createToken)))
	r.DELETE("/tokens/:id", s.need(inlet.RoleViewer, s.sessionOnly(s.revokeToken)))
}

// sessionOnly refuses callers with an API token.
func (s *Server) sessionOnly(h func(*gin.Context) error) func(*gin.Context) error {
	return func(c *gin.Context) error {
		if identity(c).viaToken() {
			return inlet.Errorf(inlet.EFORBIDDEN, "API tokens cannot manage tokens: sign in to the web UI")
		}
		return h(c)
	}
}

// bearer resolves an Authorization: Bearer token to an identity. Tokens
// carry no cookie, so they need no CSRF header.
func (s *Server) bearer(c *gin.Context) (Identity, bool, error) {
	h := c.GetHeader("Authorization")
	secret, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || s.Tokens == nil {
		return Identity{}, false, nil
	}
	if !strings.HasPrefix(secret, tokenPrefix) {
		return Identity{}, true, inlet.Errorf(inlet.EUNAUTHORIZED, "not an Inlet API token: create one on the Tokens page")
	}
	t, err := s.Tokens.APIToken(c.Request.Context(), secret)
	if err != nil {
		return Identity{}, true, err
	}
	return Identity{User: t.UserID, Email: t.UserEmail, Tenant: t.Tenant, Role: t.Role, tokenID: t.ID,
		roles: map[string]inlet.Role{t.Tenant: t.Role}}, true, nil
}

func (s *Server) listTokens(c *gin.Context) error {
	id := identity(c)
	all, err := s.Tokens.APITokens(c.Request.Context(), id.Tenant)
	if err != nil {
		return err
	}
	// Admins see every token of the tenant (to revoke a leaked one); others their own.
	out := []inlet.APIToken{}
	for _, t := range all {
		if id.Role.Allows(inlet.RoleAdmin) || t.UserID == id.User {
			out = append(out, t)
		}
	}
	c.JSON(http.StatusOK, gin.H{"tokens": out})
	return nil
}

type tokenRequest struct {
	Name          string     `json:"name"`
	Role          inlet.Role `json:"role"`
	ExpiresInDays int        `json:"expires_in_days"` // 0: never
}

func (s *Server) createToken(c *gin.Context) error {
	id := identity(c)
	var req tokenRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" || len(req.Name) > 100 {
		return &inlet.Error{Code: inlet.EINVALID, Message: "name the token (1-100 characters), e.g. after the notebook that uses it", Fields: map[string]string{"name": "required"}}
	}
	if req.Role == "" {
		req.Role = inlet.RoleViewer
	}
	if _, err := inlet.ParseRole(string(req.Role)); err != nil {
		return err
	}
	if !id.Role.Allows(req.Role) {
		return inlet.Errorf(inlet.EFORBIDDEN, "a token cannot have more rights than you: you are %s in %s", roleName(id.Role), id.Tenant)
	}
	if req.ExpiresInDays < 0 || req.ExpiresInDays > 3650 {
		return inlet.Errorf(inlet.EINVALID, "expires_in_days must be 0 (never) to 3650")
	}
	t := &inlet.APIToken{ID: uuid.NewString(), Tenant: id.Tenant, UserID: id.User, UserEmail: id.Email, Name: req.Name, Role: req.Role}
	if req.ExpiresInDays > 0 {
		exp := s.now().Add(time.Duration(req.ExpiresInDays) * 24 * time.Hour)
		t.ExpiresAt = &exp
	}
	secret := tokenPrefix + newToken()
	if err := s.Tokens.CreateAPIToken(c.Request.Context(), secret, t); err != nil {
		return err
	}
	// The token's name is the user's free text: the log keeps its id.
	if err := s.audit(c, "token.create", "token:"+t.ID, "ok", map[string]any{"role": t.Role, "expires_in_days": req.ExpiresInDays}); err != nil {
		s.Tokens.RevokeAPIToken(context.WithoutCancel(c.Request.Context()), t.Tenant, t.ID) // unrecorded, it must not work
		return err
	}
	s.Logger.Info("api token created", "tenant", t.Tenant, "token", t.ID, "role", t.Role, "user", id.User)
	c.JSON(http.StatusCreated, gin.H{"token": t, "secret": secret})
	return nil
}

func (s *Server) revokeToken(c *gin.Context) error {
	id := identity(c)
	tokenID := c.Param("id")
	all, err := s.Tokens.APITokens(c.Request.Context(), id.Tenant)
	if err != nil {
		return err
	}
	for _, t := range all {
		if t.ID != tokenID {
			continue
		}
		if t.UserID != id.User && !id.Role.Allows(inlet.RoleAdmin) {
			return inlet.Errorf(inlet.EFORBIDDEN, "only its owner or an admin can revoke this token")
		}
		if err := s.Tokens.RevokeAPIToken(c.Request.Context(), id.Tenant, tokenID); err != nil {
			return err
		}
		if err := s.audit(c, "token.revoke", "token:"+t.ID, "ok", map[string]any{"owner": t.UserID, "role": t.Role}); err != nil {
			return err
		}
		s.Logger.Info("api token revoked", "tenant", id.Tenant, "token", tokenID, "by", id.User)
		c.Status(http.StatusNoContent)
		return nil
	}
	return inlet.Errorf(inlet.ENOTFOUND, "token %s not found", tokenID)
}
