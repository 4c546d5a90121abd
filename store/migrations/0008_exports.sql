-- Data exports: one row per export, its source, options, progress and
-- files as JSON (read and written whole by the export's one job), and who
-- it is shared with.
CREATE TABLE exports (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  format TEXT NOT NULL,
  options TEXT NOT NULL,
  state TEXT NOT NULL,
  progress TEXT NOT NULL,
  files TEXT NOT NULL,
  error TEXT,
  job_id TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  links_not_before TEXT,
  finished_at TEXT,
  schedule TEXT NOT NULL DEFAULT ''
);
CREATE INDEX exports_tenant ON exports (tenant, created_at);
CREATE INDEX exports_expiry ON exports (expires_at);
CREATE TABLE export_shares (
  tenant TEXT NOT NULL,
  export_id TEXT NOT NULL REFERENCES exports (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  PRIMARY KEY (export_id, user_id)
);
CREATE INDEX export_shares_user ON export_shares (tenant, user_id);
