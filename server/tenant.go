package server

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
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
	r.POST("/tenants/:tenant/invites", s.handle(s.createInvite))
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
	c.JSON(http.StatusCreated, t)
	return nil
}

// tenantAdmin checks that the caller's credential administers the tenant
// in the path.
func (s *Server) tenantAdmin(c *gin.Context) (Identity, string, error) {
	id, err := signedIn(c)
	if err != nil {
		return id, "", err
	}
	tenant := c.Param("tenant")
	if id.RoleIn(tenant) != inlet.RoleAdmin {
		return id, "", inlet.Errorf(inlet.EFORBIDDEN, "this needs the admin role in tenant %q; you are %s", tenant, roleName(id.RoleIn(tenant)))
	}
	return id, tenant, nil
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
	inv := &inlet.Invite{Tenant: tenant, Email: req.Email, Role: req.Role, CreatedBy: id.User, ExpiresAt: s.now().Add(7 * 24 * time.Hour)}
	if err := s.Accounts.CreateInvite(c.Request.Context(), token, inv); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, gin.H{"invite": inv, "token": token, "path": "/invite#" + token})
	return nil
}
