package inlet

import (
	"context"
	"time"
)

// Role is what a user may do in a tenant.
type Role string

const (
	RoleViewer  Role = "viewer"  // read tables
	RoleAnalyst Role = "analyst" // and upload and ingest files
	RoleAdmin   Role = "admin"   // and manage the tenant's members
	// RoleCustomer is outside the ladder: an outside customer who sees the
	// exports shared with them and nothing else (no tables, no SQL).
	RoleCustomer Role = "customer"
)

// ParseRole parses admin, analyst, viewer or customer.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleViewer, RoleAnalyst, RoleAdmin, RoleCustomer:
		return r, nil
	}
	return "", Errorf(EINVALID, "unknown role %q: use admin, analyst, viewer or customer", s)
}

// Allows reports whether the role includes the rights of another. Staff
// roles (viewer < analyst < admin) include customers' rights too: what a
// customer may see, the tenant's own people may; a customer allows nothing
// but RoleCustomer.
func (r Role) Allows(need Role) bool {
	rank := map[Role]int{RoleViewer: 1, RoleAnalyst: 2, RoleAdmin: 3}
	if need == RoleCustomer {
		return r == RoleCustomer || rank[r] > 0
	}
	return rank[r] >= rank[need] && rank[need] > 0
}

// User is a person who signs in.
type User struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	SiteAdmin bool      `json:"site_admin"` // may create tenants
	CreatedAt time.Time `json:"created_at"`
}

// Membership is a user's role in a tenant.
type Membership struct {
	UserID string `json:"user_id"`
	Email  string `json:"email,omitempty"`
	Name   string `json:"name,omitempty"`
	Tenant string `json:"tenant"`
	Role   Role   `json:"role"`
}

// Session is a signed-in browser.
type Session struct {
	User      *User     `json:"user"`
	Tenant    string    `json:"tenant"`
	Role      Role      `json:"role"`
	CSRF      string    `json:"csrf_token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Invite lets someone join a tenant with a role, once, before it expires or
// an admin revokes it. ID names it without its secret.
type Invite struct {
	ID        string    `json:"id"`
	Tenant    string    `json:"tenant"`
	Email     string    `json:"email"`
	Role      Role      `json:"role"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// AccountStore keeps users, memberships, sessions and invites. Tokens are
// passed in clear and stored hashed.
type AccountStore interface {
	CountUsers(ctx context.Context) (int, error)
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	UserByEmail(ctx context.Context, email string) (*User, string, error) // with its password hash
	Memberships(ctx context.Context, userID string) ([]Membership, error)
	Members(ctx context.Context, tenant string) ([]Membership, error)
	// SetMembership adds a member or sets their role, unchecked (first
	// admin, tenant creator, accepted invite).
	SetMembership(ctx context.Context, m Membership) error
	// SetMemberRole changes an existing member's role and returns the old
	// one. Demoting the tenant's last admin is EINVALID; a non-member is
	// ENOTFOUND.
	SetMemberRole(ctx context.Context, tenant, userID string, role Role) (Role, error)
	// RemoveMember ends a membership and revokes the member's API tokens in
	// the tenant, returning the role they had and how many tokens were
	// revoked. Removing the tenant's last admin is EINVALID.
	RemoveMember(ctx context.Context, tenant, userID string) (Role, int, error)
	// CreateSession starts a session and remembers its tenant as the
	// user's last one.
	CreateSession(ctx context.Context, token string, s *Session) error
	Session(ctx context.Context, token string) (*Session, error)
	// SetSessionTenant moves a session and remembers the tenant as the
	// user's last one; the role there is read from the membership.
	SetSessionTenant(ctx context.Context, token, tenant string) error
	// LastTenant is the tenant the user last signed in to or switched to
	// ("" if none); they may have left it since.
	LastTenant(ctx context.Context, userID string) (string, error)
	DeleteSession(ctx context.Context, token string) error
	CreateInvite(ctx context.Context, token string, inv *Invite) error
	// Invite returns a usable invite without using it; a used, expired or
	// revoked one is EINVALID with a message that says which.
	Invite(ctx context.Context, token string) (*Invite, error)
	// UseInvite consumes an invite: a second use fails.
	UseInvite(ctx context.Context, token string) (*Invite, error)
	// Invites lists a tenant's pending invites (not used, revoked or expired).
	Invites(ctx context.Context, tenant string) ([]Invite, error)
	// RevokeInvite makes a pending invite's link fail; ENOTFOUND if there
	// is no pending invite of that id in the tenant.
	RevokeInvite(ctx context.Context, tenant, id string) error
	SetSecret(ctx context.Context, name, value string) error
	// UseSecret consumes a one-time secret if value matches.
	UseSecret(ctx context.Context, name, value string) error
}

// APIToken lets a notebook or script act in one tenant with a role, as the
// user who created it; the secret is shown once and stored hashed.
type APIToken struct {
	ID         string     `json:"id"`
	Tenant     string     `json:"tenant"`
	UserID     string     `json:"user_id"`
	UserEmail  string     `json:"user_email"`
	Name       string     `json:"name"`
	Role       Role       `json:"role"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// TokenStore keeps API tokens.
type TokenStore interface {
	CreateAPIToken(ctx context.Context, secret string, t *APIToken) error
	// APIToken resolves a secret to its token, with the role capped at the
	// creator's current role in the tenant; revoked, expired or orphaned
	// tokens are EUNAUTHORIZED. It records the use.
	APIToken(ctx context.Context, secret string) (*APIToken, error)
	APITokens(ctx context.Context, tenant string) ([]APIToken, error)
	RevokeAPIToken(ctx context.Context, tenant, id string) error
}
