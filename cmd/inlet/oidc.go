package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/inlet-data/inlet/server"
)

// oidcSettings are serve's settings for sign-in through an OpenID Connect
// provider, and whether local passwords still sign in.
type oidcSettings struct {
	issuer, clientID, clientSecret, redirectURL, name, scopes, groupsClaim, roleMap string
	passwordLogin, unverifiedEmail                                                  bool
}

func oidcFlags(fs *flagSet) *oidcSettings {
	o := &oidcSettings{}
	fs.str(&o.issuer, "oidc-issuer", "OIDC_ISSUER", "", "sign in through this OpenID Connect provider, e.g. https://login.example.com/realms/acme (its issuer URL)")
	fs.str(&o.clientID, "oidc-client-id", "OIDC_CLIENT_ID", "", "Inlet's client id at the provider")
	fs.str(&o.clientSecret, "oidc-client-secret", "OIDC_CLIENT_SECRET", "", "Inlet's client secret at the provider (INLET_OIDC_CLIENT_SECRET_FILE reads it from a file); empty for a public client")
	fs.str(&o.redirectURL, "oidc-redirect-url", "OIDC_REDIRECT_URL", "", "the callback URL registered at the provider, https://HOST/api/v1/auth/oidc/callback (default: from the request's host)")
	fs.str(&o.name, "oidc-name", "OIDC_NAME", "single sign-on", `the provider's name on the sign-in button ("Sign in with NAME")`)
	fs.str(&o.scopes, "oidc-scopes", "OIDC_SCOPES", "openid,email,profile,groups", "scopes asked of the provider, comma-separated")
	fs.str(&o.groupsClaim, "oidc-groups-claim", "OIDC_GROUPS_CLAIM", "groups", "the ID token claim listing the user's groups")
	fs.str(&o.roleMap, "oidc-role-map", "OIDC_ROLE_MAP", "",
		"which groups get which role in which tenant: GROUP=TENANT:ROLE,... e.g. inlet-acme-admins=acme:admin,inlet-acme=acme:analyst "+
			"(roles: admin, analyst, viewer, customer; the most rights win; set at every sign-in, and a group no longer in the claim takes its role away; "+
			"a group not listed grants nothing)")
	fs.setting((*boolValue)(&o.unverifiedEmail), "oidc-email-unverified-ok", "OIDC_EMAIL_UNVERIFIED_OK",
		"take an email claim without email_verified as verified, for providers that never send email_verified (Microsoft Entra ID); off, a new user needs email_verified: true")
	o.passwordLogin = true
	fs.setting((*boolValue)(&o.passwordLogin), "password-login", "PASSWORD_LOGIN", "local accounts sign in with a password, and the first admin through the setup link; --password-login=false leaves only the OIDC provider")
	return o
}

// server returns the OIDC configuration of the server, nil if none; a
// setting that cannot work is an error naming it.
func (o *oidcSettings) server() (*server.OIDC, error) {
	if o.issuer == "" {
		if !o.passwordLogin {
			return nil, &usageError{"--password-login=false needs --oidc-issuer: nobody could sign in"}
		}
		for name, v := range map[string]string{"--oidc-client-id": o.clientID, "--oidc-role-map": o.roleMap, "--oidc-redirect-url": o.redirectURL} {
			if v != "" {
				return nil, &usageError{name + " needs --oidc-issuer"}
			}
		}
		return nil, nil
	}
	if err := checkProviderURL("--oidc-issuer", o.issuer); err != nil {
		return nil, err
	}
	if o.redirectURL != "" {
		if err := checkProviderURL("--oidc-redirect-url", o.redirectURL); err != nil {
			return nil, err
		}
	}
	if o.clientID == "" {
		return nil, &usageError{"--oidc-issuer needs --oidc-client-id (INLET_OIDC_CLIENT_ID)"}
	}
	if strings.TrimSpace(o.groupsClaim) == "" {
		return nil, &usageError{"--oidc-groups-claim is empty: name the claim that lists the user's groups"}
	}
	grants, err := server.ParseRoleMap(o.roleMap)
	if err != nil {
		return nil, &usageError{"--oidc-role-map: " + err.Error()}
	}
	if len(grants) == 0 {
		return nil, &usageError{"--oidc-issuer needs --oidc-role-map (INLET_OIDC_ROLE_MAP): without it no one gets a role, e.g. --oidc-role-map inlet-admins=default:admin"}
	}
	return &server.OIDC{Issuer: o.issuer, ClientID: o.clientID, ClientSecret: o.clientSecret, RedirectURL: o.redirectURL,
		Name: strings.TrimSpace(o.name), Scopes: splitList(strings.ReplaceAll(o.scopes, " ", ",")), GroupsClaim: strings.TrimSpace(o.groupsClaim), RoleMap: grants,
		UnverifiedEmail: o.unverifiedEmail}, nil
}

// checkProviderURL accepts https URLs, and http only to this machine (a
// provider in a test, or behind a sidecar).
func checkProviderURL(flag, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return &usageError{fmt.Sprintf("%s %q: not an http(s) URL", flag, raw)}
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return &usageError{fmt.Sprintf("%s %q: use https (plain http is only for 127.0.0.1 or localhost)", flag, raw)}
	}
	return nil
}
