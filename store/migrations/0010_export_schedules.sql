-- Scheduled exports: the export request a schedule repeats (JSON), when it
-- runs (a wall-clock time in a time zone; next_run_at is that moment in UTC,
-- which replicas claim by a compare-and-set update), how many of its
-- exports it keeps, and its webhook. The webhook's secret is derived from
-- webhook_salt and a key outside the database, never stored.
CREATE TABLE export_schedules (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  request TEXT NOT NULL,
  cadence TEXT NOT NULL CHECK (cadence IN ('daily', 'weekly')),
  weekday TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL,
  zone TEXT NOT NULL,
  keep INTEGER NOT NULL,
  webhook_url TEXT NOT NULL DEFAULT '',
  webhook_salt TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  next_run_at TEXT NOT NULL,
  last_run_at TEXT,
  last_export TEXT NOT NULL DEFAULT '',
  paused INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX export_schedules_tenant ON export_schedules (tenant, created_at);
CREATE INDEX export_schedules_due ON export_schedules (paused, next_run_at);
CREATE INDEX exports_schedule ON exports (tenant, schedule, created_at);
