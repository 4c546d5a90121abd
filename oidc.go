package inlet

import (
	"context"
	"time"
)

// OIDCLogin is a sign-in through an OpenID Connect provider that is under
// way: what the callback checks the provider's answer against. It is kept
// by the server (not in the browser), found by the state it sent, used once.
type OIDCLogin struct {
	// Browser is the SHA-256 (hex) of a secret cookie of the browser that
	// started the sign-in: the callback must come from that browser.
	Browser string
	// Nonce is sent to the provider and must come back in the ID token.
	Nonce string
	// Verifier is the PKCE code verifier (its S256 challenge was sent).
	Verifier string
	// Next is the path to land on after signing in.
	Next      string
	ExpiresAt time.Time
}

// IdentityStore keeps the links between users and their accounts at OIDC
// providers, and the sign-ins under way. A user signed up through a
// provider is found by issuer and subject, never by email alone.
type IdentityStore interface {
	// UserByIdentity returns the user linked to an issuer's subject;
	// ENOTFOUND if none.
	UserByIdentity(ctx context.Context, issuer, subject string) (*User, error)
	// CreateIdentityUser creates a user without a password, linked to the
	// issuer's subject. An email another user has is ECONFLICT.
	CreateIdentityUser(ctx context.Context, issuer, subject string, u *User) error
	// UpdateIdentityUser records a sign-in of a linked user, with the email
	// and name the provider sends now.
	UpdateIdentityUser(ctx context.Context, issuer, subject string, u *User) error
	// SyncMemberships makes ms the user's memberships, exactly: missing
	// tenants are created, roles set, and every other membership removed
	// (with the user's API tokens there revoked). It returns the removed
	// memberships.
	SyncMemberships(ctx context.Context, userID string, ms []Membership) ([]Membership, error)
	// CreateOIDCLogin keeps a sign-in under way by its state (stored hashed).
	CreateOIDCLogin(ctx context.Context, state string, l *OIDCLogin) error
	// TakeOIDCLogin returns and deletes a sign-in under way: a second take
	// of one state, or a take after it expired, is ENOTFOUND.
	TakeOIDCLogin(ctx context.Context, state string) (*OIDCLogin, error)
}
