-- A tenant's own PII detection rules (custom entities, allow and deny
-- lists, expected countries, default phone region), every save a version.
CREATE TABLE pii_rules (
    tenant     TEXT NOT NULL REFERENCES tenants (id),
    version    INTEGER NOT NULL,
    body       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant, version)
);
