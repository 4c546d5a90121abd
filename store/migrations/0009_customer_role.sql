-- The customer role: outside customers who see the exports shared with
-- them. SQLite cannot change a CHECK constraint, so the three tables that
-- name roles are rebuilt with the new list, rows and indexes kept.
CREATE TABLE memberships_new (
    user_id    TEXT NOT NULL REFERENCES users (id),
    tenant     TEXT NOT NULL REFERENCES tenants (id),
    role       TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer', 'customer')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, tenant)
);
INSERT INTO memberships_new (user_id, tenant, role, created_at) SELECT user_id, tenant, role, created_at FROM memberships;
DROP TABLE memberships;
ALTER TABLE memberships_new RENAME TO memberships;

CREATE TABLE invites_new (
    token_hash TEXT PRIMARY KEY,
    tenant     TEXT NOT NULL REFERENCES tenants (id),
    email      TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer', 'customer')),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    id         TEXT,
    revoked_at TEXT
);
INSERT INTO invites_new (token_hash, tenant, email, role, created_by, created_at, expires_at, used_at, id, revoked_at)
    SELECT token_hash, tenant, email, role, created_by, created_at, expires_at, used_at, id, revoked_at FROM invites;
DROP TABLE invites;
ALTER TABLE invites_new RENAME TO invites;
CREATE UNIQUE INDEX invites_id ON invites (id);
CREATE INDEX invites_tenant ON invites (tenant);

CREATE TABLE api_tokens_new (
    id           TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    tenant       TEXT NOT NULL REFERENCES tenants (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer', 'customer')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
);
INSERT INTO api_tokens_new SELECT id, token_hash, tenant, user_id, name, role, created_at, expires_at, last_used_at, revoked_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_tenant ON api_tokens (tenant);
