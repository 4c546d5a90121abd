-- Local accounts, tenant memberships with roles, sessions and invites.
-- Secrets (session tokens, invite and setup tokens) are stored as SHA-256
-- hashes, passwords as argon2id hashes: a copy of this database signs no one in.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    site_admin    INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE memberships (
    user_id    TEXT NOT NULL REFERENCES users (id),
    tenant     TEXT NOT NULL REFERENCES tenants (id),
    role       TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, tenant)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    tenant     TEXT NOT NULL REFERENCES tenants (id),
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    tenant     TEXT NOT NULL REFERENCES tenants (id),
    email      TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

-- One-time secrets such as the first-admin setup token.
CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
