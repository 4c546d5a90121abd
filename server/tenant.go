package server

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
)

// TenantStore is what the server needs to administer tenants.
type TenantStore interface {
	CreateTenant(ctx context.Context, t *inlet.Tenant) error
	Tenants(ctx context.Context) ([]inlet.Tenant, error)
}

func (s *Server) registerTenantRoutes(r *gin.RouterGroup) {
	r.GET("/tenants", s.handle(s.listTenants))
	r.POST("/tenants", s.handle(s.createTenant))
	r.GET("/tenants/:tenant/members", s.handle(s.listMembers))
	r.PATCH("/tenants/:tenant/members/:user", s.handle(s.setMemberRole))
	r.DELETE("/tenants/:tenant/members/:user", s.handle(s.removeMember))
	r.GET("/tenants/:tenant/invites", s.handle(s.listInvites))
	r.POST("/tenants/:tenant/invites", s.handle(s.createInvite))
	r.DELETE("/tenants/:tenant/invites/:id", s.handle(s.revokeInvite))
}

// listTenants lists the tenants the caller belongs to, with the role there;
// a site admin sees every tenant.
func (s *Server) listTenants(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := signedIn(c)
	if err != nil {
		return err
	}
	ms := []inlet.Membership{}
	for tenant, role := range id.roles {
		ms = append(ms, inlet.Membership{UserID: id.User, Tenant: tenant, Role: role})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Tenant < ms[j].Tenant })
	if id.SiteAdmin {
		all, err := s.Tenants.Tenants(ctx)
		if err != nil {
			return err
		}
		mine := map[string]bool{}
		for _, m := range ms {
			mine[m.Tenant] = true
		}
		for _, t := range all {
			if !mine[t.ID] {
				ms = append(ms, inlet.Membership{Tenant: t.ID})
			}
		}
	}
	c.JSON(http.StatusOK, gin.H{"tenants": ms})
	return nil
}

// createTenant makes a tenant (site admins only); its creator is its admin.
func (s *Server) createTenant(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := signedIn(c)
	if err != nil {
		return err
	}
	if !id.SiteAdmin {
		return inlet.Errorf(inlet.EFORBIDDEN, "only site admins create tenants, signed in (not with an API token)")
	}
	var t inlet.Tenant
	if err := decodeJSON(c, &t); err != nil {
		return err
	}
	if strings.TrimSpace(t.Name) == "" {
		t.Name = t.ID
	}
	if err := s.Tenants.CreateTenant(ctx, &t); err != nil {
		return err
	}
	if err := s.Accounts.SetMembership(ctx, inlet.Membership{UserID: id.User, Tenant: t.ID, Role: inlet.RoleAdmin}); err != nil {
		return err
	}
	if err := s.recordAudit(c, &inlet.AuditEvent{Tenant: t.ID, Actor: id.User, Action: "tenant.create", Object: "tenant:" + t.ID, Outcome: "ok",
		Detail: map[string]any{"admin": id.User}}); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, t)
	return nil
}

// tenantAdmin checks that the caller administers the tenant in the path:
// its admin, or a site admin (signed in: tokens never carry that).
func (s *Server) tenantAdmin(c *gin.Context) (Identity, string, error) {
	id, err := signedIn(c)
	if err != nil {
		return id, "", err
	}
	tenant := c.Param("tenant")
	if role := id.RoleIn(tenant); role == inlet.RoleAdmin {
		return id, tenant, nil
	} else if !id.SiteAdmin {
		return id, "", inlet.Errorf(inlet.EFORBIDDEN, "this needs the admin role in tenant %q; you are %s", tenant, roleName(role))
	}
	all, err := s.Tenants.Tenants(c.Request.Context())
	if err != nil {
		return id, "", err
	}
	for _, t := range all {
		if t.ID == tenant {
			return id, tenant, nil
		}
	}
	return id, "", inlet.Errorf(inlet.ENOTFOUND, "tenant %q does not exist", tenant)
}

// auditTeam records a change to a tenant's members or invites in that
// tenant's log (which need not be the caller's current tenant).
func (s *Server) auditTeam(c *gin.Context, tenant, action, object, outcome string, detail map[string]any) error {
	return s.recordAudit(c, &inlet.AuditEvent{Tenant: tenant, Actor: identity(c).User, Action: action, Object: object, Outcome: outcome, Detail: detail})
}

func (s *Server) listMembers(c *gin.Context) error {
	_, tenant, err := s.tenantAdmin(c)
	if err != nil {
		return err
	}
	ms, err := s.Accounts.Members(c.Request.Context(), tenant)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"members": ms})
	return nil
}

// createInvite makes a one-time link that lets its holder join the tenant
// with a role. The link is shown once; only its hash is stored.
func (s *Server) createInvite(c *gin.Context) error {
	id, tenant, err := s.tenantAdmin(c)
	if err != nil {
		return err
	}
	var req struct {
		Email string     `json:"email"`
		Role  inlet.Role `json:"role"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if _, err := inlet.ParseRole(string(req.Role)); err != nil {
		return err
	}
	if !strings.Contains(req.Email, "@") {
		return &inlet.Error{Code: inlet.EINVALID, Message: "enter the invitee's email address", Fields: map[string]string{"email": "enter an email address"}}
	}
	token := newToken()
	inv := &inlet.Invite{ID: uuid.NewString(), Tenant: tenant, Email: strings.TrimSpace(req.Email), Role: req.Role, CreatedBy: id.User,
		ExpiresAt: s.now().Add(7 * 24 * time.Hour)}
	if err := s.Accounts.CreateInvite(c.Request.Context(), token, inv); err != nil {
		return err
	}
	// The invitee's email stays in the invite: the log names the invite.
	if err := s.auditTeam(c, tenant, "invite.create", "invite:"+inv.ID, "ok", map[string]any{"role": inv.Role}); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, gin.H{"invite": inv, "token": token, "path": "/invite#" + token})
	return nil
}

// setMemberRole changes a member's role. The tenant keeps at least one
// admin; the member's sessions and tokens get the new role at their next
// request (roles are read anew on each one).
func (s *Server) setMemberRole(c *gin.Context) error {
	_, tenant, err := s.tenantAdmin(c)
	if err != nil {
		return err
	}
	var req struct {
		Role inlet.Role `json:"role"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if _, err := inlet.ParseRole(string(req.Role)); err != nil {
		return &inlet.Error{Code: inlet.EINVALID, Message: inlet.ErrorMessage(err), Fields: map[string]string{"role": "choose admin, analyst or viewer"}}
	}
	user := c.Param("user")
	object := "member:" + user
	old, err := s.Accounts.SetMemberRole(c.Request.Context(), tenant, user, req.Role)
	if inlet.ErrorCode(err) == inlet.EINVALID { // the last admin
		if aerr := s.auditTeam(c, tenant, "member.role", object, "denied", map[string]any{"from": old, "to": req.Role}); aerr != nil {
			return aerr
		}
		return err
	} else if err != nil {
		return err
	}
	if err := s.auditTeam(c, tenant, "member.role", object, "ok", map[string]any{"from": old, "to": req.Role}); err != nil {
		return err
	}
	s.Logger.Info("member role changed", "tenant", tenant, "user", user, "from", old, "to", req.Role)
	return s.writeMember(c, tenant, user)
}

// writeMember answers with a member as the members list shows them.
func (s *Server) writeMember(c *gin.Context, tenant, user string) error {
	ms, err := s.Accounts.Members(c.Request.Context(), tenant)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.UserID == user {
			c.JSON(http.StatusOK, m)
			return nil
		}
	}
	return inlet.Errorf(inlet.ENOTFOUND, "user %s is not a member of tenant %s", user, tenant)
}

// removeMember ends a membership at once: the member's sessions keep no
// role in the tenant (roles are read on each request), and their API
// tokens for it are revoked, so they stay dead if the person is invited
// back. The tenant keeps at least one admin.
func (s *Server) removeMember(c *gin.Context) error {
	_, tenant, err := s.tenantAdmin(c)
	if err != nil {
		return err
	}
	user := c.Param("user")
	object := "member:" + user
	old, tokens, err := s.Accounts.RemoveMember(c.Request.Context(), tenant, user)
	if inlet.ErrorCode(err) == inlet.EINVALID {
		if aerr := s.auditTeam(c, tenant, "member.remove", object, "denied", map[string]any{"role": old}); aerr != nil {
			return aerr
		}
		return err
	} else if err != nil {
		return err
	}
	if err := s.auditTeam(c, tenant, "member.remove", object, "ok", map[string]any{"role": old, "tokens_revoked": tokens}); err != nil {
		return err
	}
	s.Logger.Info("member removed", "tenant", tenant, "user", user, "tokens_revoked", tokens)
	c.Status(http.StatusNoContent)
	return nil
}

// listInvites lists the tenant's pending invites; their links were shown
// once and are not stored, so an invite is revoked and made anew, not
// copied again.
func (s *Server) listInvites(c *gin.Context) error {
	_, tenant, err := s.tenantAdmin(c)
	if err != nil {
		return err
	}
	invs, err := s.Accounts.Invites(c.Request.Context(), tenant)
	if err != nil {
		return err
	}
	if invs == nil {
		invs = []inlet.Invite{}
	}
	c.JSON(http.StatusOK, gin.H{"invites": invs})
	return nil
}

// revokeInvite makes a pending invite's link fail, saying it was revoked.
func (s *Server) revokeInvite(c *gin.Context) error {
	_, tenant, err := s.tenantAdmin(c)
	if err != nil {
		return err
	}
	id := c.Param("id")
	if err := s.Accounts.RevokeInvite(c.Request.Context(), tenant, id); err != nil {
		return err
	}
	if err := s.auditTeam(c, tenant, "invite.revoke", "invite:"+id, "ok", nil); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
