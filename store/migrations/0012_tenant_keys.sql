-- Tenants' hashing keys for a keyring that wraps them (--keys kms://...):
-- one row per key version, the data key encrypted under a KMS key (the
-- plaintext never reaches the database), base64. The id is the key's
-- public name that hashed columns record, so an old table's key is found
-- by it after a rotation.
CREATE TABLE tenant_keys (
    tenant     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    key_id     TEXT NOT NULL,
    kek        TEXT NOT NULL,
    ciphertext TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant, version)
);
CREATE UNIQUE INDEX tenant_keys_id ON tenant_keys (tenant, key_id);
