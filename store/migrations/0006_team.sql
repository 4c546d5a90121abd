-- Team management: an invite gets an id, so admins list and revoke it
-- without its secret, and a revocation time; a user remembers the tenant
-- they used last, to sign in to it again.
ALTER TABLE invites ADD COLUMN id TEXT;
ALTER TABLE invites ADD COLUMN revoked_at TEXT;
-- Invites made before this migration: their hash's start is id enough (the
-- hash of a random 256-bit token reveals nothing of it).
UPDATE invites SET id = substr(token_hash, 1, 32) WHERE id IS NULL;
CREATE UNIQUE INDEX invites_id ON invites (id);
CREATE INDEX invites_tenant ON invites (tenant);

ALTER TABLE users ADD COLUMN last_tenant TEXT NOT NULL DEFAULT '';
