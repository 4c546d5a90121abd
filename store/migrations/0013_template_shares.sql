-- Templates shared with customers: which customer, the parameter values
-- pinned for them (JSON object of name to values) and the formats allowed
-- (JSON array). One share per template and customer.
CREATE TABLE template_shares (
    id          TEXT PRIMARY KEY,
    tenant      TEXT NOT NULL REFERENCES tenants (id),
    template_id TEXT NOT NULL REFERENCES templates (id),
    customer    TEXT NOT NULL REFERENCES users (id),
    pinned      TEXT NOT NULL,
    formats     TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    UNIQUE (tenant, template_id, customer)
);
CREATE INDEX template_shares_customer ON template_shares (tenant, customer);
