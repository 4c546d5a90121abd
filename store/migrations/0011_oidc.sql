-- Sign-in through an OpenID Connect provider. A user signed up through a
-- provider is linked to it by the issuer and the subject (the provider's
-- stable id of the person), never by email alone; such a user has no
-- password (an empty hash matches none).
CREATE TABLE oidc_identities (
    issuer        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL,
    last_login_at TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities (user_id);

-- Sign-ins under way, found by the SHA-256 of their state and used once:
-- the browser that started one (the SHA-256 of its cookie), the nonce the
-- ID token must carry, and the PKCE verifier. Kept in the database, not in
-- a process, so the callback may reach another replica.
CREATE TABLE oidc_logins (
    state_hash   TEXT PRIMARY KEY,
    browser_hash TEXT NOT NULL,
    nonce        TEXT NOT NULL,
    verifier     TEXT NOT NULL,
    next_path    TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at);
