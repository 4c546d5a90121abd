package pii

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	inlet "github.com/inlet-data/inlet"
)

// LocalKeyring keeps a tenant's 256-bit keys in a directory, each in a
// file readable by the owner only: version 1 in TENANT.key (the format
// from before rotation existed), version n in TENANT.n.key. It is the
// embedded default; production wraps data keys with KMS instead.
type LocalKeyring struct {
	Dir string

	mu    sync.Mutex
	cache map[string][]inlet.Key // a tenant's versions read so far, oldest first
}

var _ inlet.Keyring = (*LocalKeyring)(nil)

// NewLocalKeyring returns a keyring over dir, creating it (0700) if needed.
func NewLocalKeyring(dir string) (*LocalKeyring, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create key directory: %w", err)
	}
	return &LocalKeyring{Dir: dir, cache: map[string][]inlet.Key{}}, nil
}

// TenantKey returns the tenant's newest key, generating version 1 on first
// use. Creation links a complete file into place, so two processes racing
// on a new tenant agree on one key.
func (k *LocalKeyring) TenantKey(ctx context.Context, tenant string) (inlet.Key, error) {
	if err := inlet.ValidateTenant(tenant); err != nil {
		return inlet.Key{}, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	keys, err := k.load(tenant)
	if err != nil {
		return inlet.Key{}, err
	}
	if len(keys) == 0 {
		return k.create(tenant, 1)
	}
	return keys[len(keys)-1], nil
}

// KeyByID returns the tenant's key version named id.
func (k *LocalKeyring) KeyByID(ctx context.Context, tenant, id string) (inlet.Key, error) {
	if err := inlet.ValidateTenant(tenant); err != nil {
		return inlet.Key{}, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	keys, err := k.load(tenant)
	if err != nil {
		return inlet.Key{}, err
	}
	for _, key := range keys {
		if key.ID == id {
			return key, nil
		}
	}
	return inlet.Key{}, inlet.Errorf(inlet.ENOTFOUND, "tenant %s has no key %q", tenant, id)
}

// RotateKey writes the tenant's next key version. Two processes rotating
// at once may both get the one version the first of them wrote.
func (k *LocalKeyring) RotateKey(ctx context.Context, tenant string) (inlet.Key, error) {
	if err := inlet.ValidateTenant(tenant); err != nil {
		return inlet.Key{}, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	keys, err := k.load(tenant)
	if err != nil {
		return inlet.Key{}, err
	}
	return k.create(tenant, len(keys)+1)
}

func (k *LocalKeyring) path(tenant string, version int) string {
	if version == 1 {
		return filepath.Join(k.Dir, tenant+".key")
	}
	return filepath.Join(k.Dir, fmt.Sprintf("%s.%d.key", tenant, version))
}

// load reads the versions of tenant not read yet (another process may
// have rotated since) and returns them all.
func (k *LocalKeyring) load(tenant string) ([]inlet.Key, error) {
	keys := k.cache[tenant]
	for v := len(keys) + 1; ; v++ {
		path := k.path(tenant, v)
		secret, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("tenant key: %w", err)
		}
		if len(secret) != 32 {
			return nil, fmt.Errorf("tenant key %s: want 32 bytes, found %d", path, len(secret))
		}
		keys = append(keys, inlet.Key{ID: KeyID("local", secret), Version: v, Secret: secret})
	}
	k.cache[tenant] = keys
	return keys, nil
}

// create writes version v of tenant's key, or finds the one another
// process wrote first, and returns it.
func (k *LocalKeyring) create(tenant string, v int) (inlet.Key, error) {
	if _, err := createKeyFile(k.path(tenant, v)); err != nil {
		return inlet.Key{}, fmt.Errorf("tenant key: %w", err)
	}
	keys, err := k.load(tenant)
	if err != nil {
		return inlet.Key{}, err
	}
	if len(keys) < v {
		return inlet.Key{}, fmt.Errorf("tenant key %s: version %d vanished after it was written", tenant, v)
	}
	return keys[v-1], nil
}

func createKeyFile(path string) ([]byte, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".key-*") // created 0600
	if err != nil {
		return nil, err
	}
	tmp := f.Name()
	if _, err := f.Write(secret); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	f.Close()
	// Link, not rename: if another process created the key meanwhile, keep theirs.
	if err := os.Link(tmp, path); err != nil {
		os.Remove(tmp)
		if errors.Is(err, fs.ErrExist) {
			return os.ReadFile(path)
		}
		return nil, err
	}
	os.Remove(tmp)
	return secret, nil
}

// KeyID derives a public identifier for a key: it names the key without
// revealing anything that helps recover it.
func KeyID(kind string, secret []byte) string {
	sum := sha256.Sum256(append([]byte("inlet key id\x00"), secret...))
	return kind + "-" + hex.EncodeToString(sum[:6])
}
