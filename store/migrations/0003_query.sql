-- API tokens for notebooks and scripts, and saved query templates with
-- their version history. Tokens are stored as SHA-256 hashes.
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    tenant       TEXT NOT NULL REFERENCES tenants (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_tenant ON api_tokens (tenant);

CREATE TABLE templates (
    id          TEXT PRIMARY KEY,
    tenant      TEXT NOT NULL REFERENCES tenants (id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner       TEXT NOT NULL REFERENCES users (id),
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    UNIQUE (tenant, name)
);

CREATE TABLE template_versions (
    template_id TEXT NOT NULL REFERENCES templates (id),
    version     INTEGER NOT NULL,
    sql         TEXT NOT NULL,
    params      TEXT NOT NULL, -- JSON: the typed parameters
    author      TEXT NOT NULL REFERENCES users (id),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    PRIMARY KEY (template_id, version)
);
