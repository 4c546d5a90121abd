// Package kmskeyring is the production hashing keyring: envelope
// encryption with AWS KMS. Each version of a tenant's key is a 256-bit
// data key from KMS GenerateDataKey (AES_256) under one configured KMS key;
// only its wrapped form (the ciphertext blob) is stored, durably, in the
// metadata database through inlet.WrappedKeyStore, and the plaintext lives
// in this process's memory only: unwrapped with KMS Decrypt on first use,
// cached, never logged, never written. Every replica reads the same rows,
// so all agree on a tenant's keys. The ciphertext is bound to its tenant
// by the KMS encryption context, so a row copied to another tenant does
// not decrypt.
//
// It imports the root package, pii (for key IDs) and the AWS SDK's KMS
// client; never the store or another adapter.
package kmskeyring

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/pii"
)

// KMS is the part of the AWS KMS client the keyring uses; *kms.Client
// implements it.
type KMS interface {
	GenerateDataKey(ctx context.Context, in *kms.GenerateDataKeyInput, opts ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error)
	Decrypt(ctx context.Context, in *kms.DecryptInput, opts ...func(*kms.Options)) (*kms.DecryptOutput, error)
	DescribeKey(ctx context.Context, in *kms.DescribeKeyInput, opts ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
}

var _ KMS = (*kms.Client)(nil)

// Keyring hands out tenant keys wrapped by a KMS key.
type Keyring struct {
	KMS   KMS
	KEK   string // the KMS key new versions are wrapped under: key ID, ARN, alias name or alias ARN
	Store inlet.WrappedKeyStore

	createMu sync.Mutex // one GenerateDataKey at a time in this process
	mu       sync.Mutex
	plain    map[cacheKey]inlet.Key // unwrapped versions
}

type cacheKey struct{ tenant, id string }

var _ inlet.Keyring = (*Keyring)(nil)

// New returns a keyring wrapping new key versions under the KMS key kek.
func New(client KMS, kek string, store inlet.WrappedKeyStore) *Keyring {
	return &Keyring{KMS: client, KEK: kek, Store: store}
}

// Ping asks KMS about the key new versions are wrapped under: readiness
// means KMS answers and the key can be used. Keys already unwrapped stay
// in memory either way.
func (k *Keyring) Ping(ctx context.Context) error {
	out, err := k.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(k.KEK)})
	if err != nil {
		return err
	}
	if out.KeyMetadata == nil || !out.KeyMetadata.Enabled {
		return fmt.Errorf("KMS key %s is not enabled", k.KEK)
	}
	return nil
}

// TenantKey returns the tenant's newest key version, creating version 1
// on first use. It reads the stored versions each time (one small query),
// so a rotation on another replica takes effect here at once; only the
// unwrapping is cached.
func (k *Keyring) TenantKey(ctx context.Context, tenant string) (inlet.Key, error) {
	if err := inlet.ValidateTenant(tenant); err != nil {
		return inlet.Key{}, err
	}
	rows, err := k.Store.WrappedKeys(ctx, tenant)
	if err != nil {
		return inlet.Key{}, fmt.Errorf("tenant %s keys: %w", tenant, err)
	}
	if len(rows) == 0 {
		return k.create(ctx, tenant, 1)
	}
	return k.unwrap(ctx, rows[len(rows)-1])
}

// KeyByID returns the tenant's key version named id.
func (k *Keyring) KeyByID(ctx context.Context, tenant, id string) (inlet.Key, error) {
	if err := inlet.ValidateTenant(tenant); err != nil {
		return inlet.Key{}, err
	}
	if key, ok := k.cached(tenant, id); ok {
		return key, nil
	}
	rows, err := k.Store.WrappedKeys(ctx, tenant)
	if err != nil {
		return inlet.Key{}, fmt.Errorf("tenant %s keys: %w", tenant, err)
	}
	for _, row := range rows {
		if row.ID == id {
			return k.unwrap(ctx, row)
		}
	}
	return inlet.Key{}, inlet.Errorf(inlet.ENOTFOUND, "tenant %s has no key %q", tenant, id)
}

// RotateKey makes a new data key the tenant's current version. Two
// replicas rotating at once both get the one version the first stored.
func (k *Keyring) RotateKey(ctx context.Context, tenant string) (inlet.Key, error) {
	if err := inlet.ValidateTenant(tenant); err != nil {
		return inlet.Key{}, err
	}
	rows, err := k.Store.WrappedKeys(ctx, tenant)
	if err != nil {
		return inlet.Key{}, fmt.Errorf("tenant %s keys: %w", tenant, err)
	}
	next := 1
	if len(rows) > 0 {
		next = rows[len(rows)-1].Version + 1
	}
	return k.create(ctx, tenant, next)
}

// create generates and stores version v of the tenant's key; if another
// process stored v first, its key is the one returned.
func (k *Keyring) create(ctx context.Context, tenant string, v int) (inlet.Key, error) {
	k.createMu.Lock()
	defer k.createMu.Unlock()
	// Another goroutine of this process may have created it while we waited.
	if key, ok, err := k.version(ctx, tenant, v); err != nil || ok {
		return key, err
	}
	out, err := k.KMS.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{
		KeyId:             aws.String(k.KEK),
		KeySpec:           types.DataKeySpecAes256,
		EncryptionContext: encryptionContext(tenant),
	})
	if err != nil {
		return inlet.Key{}, fmt.Errorf("kms generate data key for tenant %s under %s: %w", tenant, k.KEK, err)
	}
	if len(out.Plaintext) != 32 || len(out.CiphertextBlob) == 0 {
		return inlet.Key{}, fmt.Errorf("kms generate data key for tenant %s: got %d key bytes, want 32", tenant, len(out.Plaintext))
	}
	key := inlet.Key{ID: pii.KeyID("kms", out.Plaintext), Version: v, Secret: out.Plaintext}
	kek := k.KEK
	if out.KeyId != nil {
		kek = *out.KeyId // the key's ARN, even when configured by alias
	}
	err = k.Store.CreateWrappedKey(ctx, &inlet.WrappedKey{Tenant: tenant, Version: v, ID: key.ID, KEK: kek, Ciphertext: out.CiphertextBlob})
	if inlet.ErrorCode(err) == inlet.ECONFLICT {
		clear(out.Plaintext) // ours lost: another replica stored version v first
		key, ok, err := k.version(ctx, tenant, v)
		if err == nil && !ok {
			err = fmt.Errorf("tenant %s key version %d: stored by another process, then not found", tenant, v)
		}
		return key, err
	}
	if err != nil {
		return inlet.Key{}, fmt.Errorf("store tenant %s key version %d: %w", tenant, v, err)
	}
	k.remember(tenant, key)
	return key, nil
}

// version returns the tenant's stored version v, if there is one.
func (k *Keyring) version(ctx context.Context, tenant string, v int) (inlet.Key, bool, error) {
	rows, err := k.Store.WrappedKeys(ctx, tenant)
	if err != nil {
		return inlet.Key{}, false, fmt.Errorf("tenant %s keys: %w", tenant, err)
	}
	for _, row := range rows {
		if row.Version == v {
			key, err := k.unwrap(ctx, row)
			return key, err == nil, err
		}
	}
	return inlet.Key{}, false, nil
}

// unwrap decrypts a stored version with KMS, once per process.
func (k *Keyring) unwrap(ctx context.Context, row inlet.WrappedKey) (inlet.Key, error) {
	if key, ok := k.cached(row.Tenant, row.ID); ok {
		return key, nil
	}
	out, err := k.KMS.Decrypt(ctx, &kms.DecryptInput{
		CiphertextBlob:    row.Ciphertext,
		KeyId:             aws.String(row.KEK),
		EncryptionContext: encryptionContext(row.Tenant),
	})
	if err != nil {
		return inlet.Key{}, fmt.Errorf("kms decrypt tenant %s key version %d: %w", row.Tenant, row.Version, err)
	}
	// The stored ID is derived from the plaintext: a row whose ciphertext
	// was swapped for another's is caught here, not used.
	if len(out.Plaintext) != 32 || pii.KeyID("kms", out.Plaintext) != row.ID {
		clear(out.Plaintext)
		return inlet.Key{}, fmt.Errorf("tenant %s key version %d: the unwrapped key does not match its ID %s", row.Tenant, row.Version, row.ID)
	}
	key := inlet.Key{ID: row.ID, Version: row.Version, Secret: out.Plaintext}
	k.remember(row.Tenant, key)
	return key, nil
}

func (k *Keyring) cached(tenant, id string) (inlet.Key, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	key, ok := k.plain[cacheKey{tenant, id}]
	return key, ok
}

func (k *Keyring) remember(tenant string, key inlet.Key) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.plain == nil {
		k.plain = map[cacheKey]inlet.Key{}
	}
	k.plain[cacheKey{tenant, key.ID}] = key
}

// encryptionContext binds a wrapped key to its tenant: KMS refuses to
// decrypt it under any other.
func encryptionContext(tenant string) map[string]string {
	return map[string]string{"inlet:purpose": "tenant hashing key", "inlet:tenant": tenant}
}
