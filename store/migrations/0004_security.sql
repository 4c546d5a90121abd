-- Who owns a staged upload (its raw sample is theirs alone), the audit log
-- (append-only: who did what to which object, from where, with what
-- outcome; never raw values), and the failed sign-in counters every
-- replica shares.
ALTER TABLE uploads ADD COLUMN owner TEXT NOT NULL DEFAULT '';

CREATE TABLE audit (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    tenant  TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    object  TEXT NOT NULL,
    ip      TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_tenant_at ON audit (tenant, at);

CREATE TABLE throttle (
    key      TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at  TEXT NOT NULL
);
