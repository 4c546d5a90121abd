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

// LocalKeyring keeps one 256-bit key per tenant in a directory, each in a
// file readable by the owner only. It is the embedded default; production
// wraps data keys with KMS instead.
type LocalKeyring struct {
	Dir string

	mu    sync.Mutex
	cache map[string]inlet.Key
}

var _ inlet.Keyring = (*LocalKeyring)(nil)

// NewLocalKeyring returns a keyring over dir, creating it (0700) if needed.
func NewLocalKeyring(dir string) (*LocalKeyring, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create key directory: %w", err)
	}
	return &LocalKeyring{Dir: dir, cache: map[string]inlet.Key{}}, nil
}

// TenantKey returns the tenant's key, generating it on first use. Creation
// uses O_EXCL, so two processes racing on a new tenant agree on one key.
func (k *LocalKeyring) TenantKey(ctx context.Context, tenant string) (inlet.Key, error) {
	if err := inlet.ValidateTenant(tenant); err != nil {
		return inlet.Key{}, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.cache[tenant]; ok {
		return key, nil
	}
	path := filepath.Join(k.Dir, tenant+".key")
	secret, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		secret, err = createKeyFile(path)
	}
	if err != nil {
		return inlet.Key{}, fmt.Errorf("tenant key: %w", err)
	}
	if len(secret) != 32 {
		return inlet.Key{}, fmt.Errorf("tenant key %s: want 32 bytes, found %d", path, len(secret))
	}
	key := inlet.Key{ID: KeyID("local", secret), Secret: secret}
	k.cache[tenant] = key
	return key, nil
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
