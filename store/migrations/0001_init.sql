-- Tenants, uploads and the durable job queue. Times are UTC text in a fixed
-- width format so that they sort as strings on SQLite and Postgres alike.
CREATE TABLE tenants (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE uploads (
    id          TEXT PRIMARY KEY,
    tenant      TEXT NOT NULL REFERENCES tenants (id),
    file_name   TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    format      TEXT NOT NULL,
    state       TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX uploads_tenant_created ON uploads (tenant, created_at);
CREATE INDEX uploads_state_expires ON uploads (state, expires_at);

CREATE TABLE jobs (
    id          TEXT PRIMARY KEY,
    tenant      TEXT NOT NULL REFERENCES tenants (id),
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL,
    spec        TEXT NOT NULL,
    progress    TEXT NOT NULL DEFAULT '{}',
    result      TEXT,
    error       TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT,
    lease_until TEXT
);
CREATE INDEX jobs_state_created ON jobs (state, created_at);
CREATE INDEX jobs_tenant_created ON jobs (tenant, created_at);
