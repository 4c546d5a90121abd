// Package keyringtest is the contract every hashing keyring obeys, as a
// test suite in the style of query/querytest and store/storetest: the
// local keyring (pii.LocalKeyring) and the KMS one (pii/kmskeyring) both
// run it. It covers what hashed data relies on: a key created on first
// use and the same ever after, from every instance over the same storage
// (a restart, a second replica); old versions resolvable by ID after a
// rotation; tenants isolated; concurrent first uses agreeing on one key;
// and, for a backend that wraps its keys, no secret in what it stores.
// It imports the root package only.
package keyringtest

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"sync"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

// Backend is one fresh, empty keyring storage.
type Backend struct {
	// New returns a new keyring instance over the storage, as a restart or
	// another replica would open it: nothing cached from other instances.
	New func() inlet.Keyring
	// Stored, for a backend that wraps its keys, returns everything it
	// keeps durably for tenant; nil for one that stores keys as they are.
	Stored func(tenant string) [][]byte
}

// Open returns a fresh Backend for one case, cleaned up with the test.
type Open func(t *testing.T) Backend

type env struct {
	t   *testing.T
	b   Backend
	ctx context.Context
}

var cases = []struct {
	name string
	run  func(e *env)
}{
	{"created on first use", func(e *env) {
		kr := e.b.New()
		k := e.get(kr, "acme")
		if len(k.Secret) != 32 {
			e.t.Errorf("secret: got %d bytes, want 32", len(k.Secret))
		}
		if k.Version != 1 {
			e.t.Errorf("version: got %d, want 1", k.Version)
		}
		if k.ID == "" || strings.Contains(k.ID, hex.EncodeToString(k.Secret)[:12]) {
			e.t.Errorf("ID %q: want a name that reveals nothing of the secret", k.ID)
		}
	}},
	{"the same key on every later get, from every instance", func(e *env) {
		kr := e.b.New()
		k := e.get(kr, "acme")
		same(e.t, "second get", e.get(kr, "acme"), k)
		same(e.t, "another instance", e.get(e.b.New(), "acme"), k)
	}},
	{"get by ID", func(e *env) {
		kr := e.b.New()
		k := e.get(kr, "acme")
		got, err := kr.KeyByID(e.ctx, "acme", k.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		same(e.t, "by ID", got, k)
		got, err = e.b.New().KeyByID(e.ctx, "acme", k.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		same(e.t, "by ID from another instance", got, k)
		if _, err := kr.KeyByID(e.ctx, "acme", "local-000000000000"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			e.t.Errorf("unknown ID: got %v, want ENOTFOUND", err)
		}
	}},
	{"rotate makes a new version current and keeps the old one", func(e *env) {
		kr, replica := e.b.New(), e.b.New()
		k1 := e.get(kr, "acme")
		same(e.t, "replica before rotation", e.get(replica, "acme"), k1)
		k2, err := kr.RotateKey(e.ctx, "acme")
		if err != nil {
			e.t.Fatal(err)
		}
		if k2.Version != k1.Version+1 || k2.ID == k1.ID || bytes.Equal(k2.Secret, k1.Secret) || len(k2.Secret) != 32 {
			e.t.Fatalf("rotated: got version %d ID %s, want version %d with a new ID and secret", k2.Version, k2.ID, k1.Version+1)
		}
		same(e.t, "current after rotation", e.get(kr, "acme"), k2)
		// A replica that read the old key before sees the rotation too.
		same(e.t, "replica after rotation", e.get(replica, "acme"), k2)
		same(e.t, "new instance after rotation", e.get(e.b.New(), "acme"), k2)
		// Tables hashed before name k1: it still resolves, everywhere.
		for name, r := range map[string]inlet.Keyring{"rotator": kr, "replica": replica, "new instance": e.b.New()} {
			got, err := r.KeyByID(e.ctx, "acme", k1.ID)
			if err != nil {
				e.t.Fatalf("%s: old key by ID: %v", name, err)
			}
			same(e.t, name+": old key by ID", got, k1)
		}
		k3, err := replica.RotateKey(e.ctx, "acme")
		if err != nil {
			e.t.Fatal(err)
		}
		if k3.Version != 3 {
			e.t.Errorf("second rotation from the replica: got version %d, want 3", k3.Version)
		}
		same(e.t, "rotator after the replica rotated", e.get(kr, "acme"), k3)
	}},
	{"tenants are isolated", func(e *env) {
		kr := e.b.New()
		a, b := e.get(kr, "acme"), e.get(kr, "globex")
		if bytes.Equal(a.Secret, b.Secret) || a.ID == b.ID {
			e.t.Fatal("two tenants share a key")
		}
		for _, r := range []inlet.Keyring{kr, e.b.New()} {
			if k, err := r.KeyByID(e.ctx, "globex", a.ID); inlet.ErrorCode(err) != inlet.ENOTFOUND {
				e.t.Errorf("acme's key asked for as globex's: got %s, %v, want ENOTFOUND", k.ID, err)
			}
		}
		if _, err := kr.RotateKey(e.ctx, "acme"); err != nil {
			e.t.Fatal(err)
		}
		same(e.t, "globex after acme rotated", e.get(e.b.New(), "globex"), b)
		for _, bad := range []string{"../etc", "", "Acme", "a/b"} {
			if _, err := kr.TenantKey(e.ctx, bad); inlet.ErrorCode(err) != inlet.EINVALID {
				e.t.Errorf("tenant %q: got %v, want EINVALID", bad, err)
			}
			if _, err := kr.RotateKey(e.ctx, bad); inlet.ErrorCode(err) != inlet.EINVALID {
				e.t.Errorf("rotate tenant %q: got %v, want EINVALID", bad, err)
			}
		}
	}},
	{"concurrent first use yields one key", func(e *env) {
		rings := []inlet.Keyring{e.b.New(), e.b.New(), e.b.New()}
		const n = 24
		ids := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				k, err := rings[i%len(rings)].TenantKey(e.ctx, "acme")
				ids[i], errs[i] = k.ID, err
			}()
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil {
				e.t.Fatalf("caller %d: %v", i, errs[i])
			}
			if ids[i] != ids[0] {
				e.t.Fatalf("caller %d got key %s, caller 0 got %s: want one key", i, ids[i], ids[0])
			}
		}
		if k := e.get(e.b.New(), "acme"); k.ID != ids[0] || k.Version != 1 {
			e.t.Errorf("after the race: got %s version %d, want %s version 1", k.ID, k.Version, ids[0])
		}
	}},
	{"wrapped keys hold no secret", func(e *env) {
		if e.b.Stored == nil {
			e.t.Skip("this backend stores keys unwrapped")
		}
		kr := e.b.New()
		k1 := e.get(kr, "acme")
		k2, err := kr.RotateKey(e.ctx, "acme")
		if err != nil {
			e.t.Fatal(err)
		}
		stored := e.b.Stored("acme")
		if len(stored) < 2 {
			e.t.Fatalf("stored: got %d blobs, want one per version (2)", len(stored))
		}
		for _, blob := range stored {
			for _, k := range []inlet.Key{k1, k2} {
				if bytes.Contains(blob, k.Secret) || bytes.Contains(blob, []byte(hex.EncodeToString(k.Secret))) {
					e.t.Errorf("a stored blob holds version %d's secret", k.Version)
				}
			}
		}
		// A new instance unwraps what is stored to the same secrets.
		got, err := e.b.New().KeyByID(e.ctx, "acme", k1.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		same(e.t, "unwrapped by a new instance", got, k1)
	}},
}

// Run runs the contract against keyrings of backends made by open.
func Run(t *testing.T, open Open) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(&env{t: t, b: open(t), ctx: context.Background()})
		})
	}
}

func (e *env) get(kr inlet.Keyring, tenant string) inlet.Key {
	e.t.Helper()
	k, err := kr.TenantKey(e.ctx, tenant)
	if err != nil {
		e.t.Fatalf("tenant key %s: %v", tenant, err)
	}
	return k
}

func same(t *testing.T, what string, got, want inlet.Key) {
	t.Helper()
	if got.ID != want.ID || got.Version != want.Version || !bytes.Equal(got.Secret, want.Secret) {
		t.Errorf("%s: got key %s version %d, want %s version %d (same secret)", what, got.ID, got.Version, want.ID, want.Version)
	}
}
