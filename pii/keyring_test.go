package pii_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/pii"
	"github.com/inlet-data/inlet/pii/keyringtest"
)

func TestLocalKeyringContract(t *testing.T) {
	keyringtest.Run(t, func(t *testing.T) keyringtest.Backend {
		dir := t.TempDir()
		return keyringtest.Backend{New: func() inlet.Keyring {
			kr, err := pii.NewLocalKeyring(dir)
			if err != nil {
				t.Fatal(err)
			}
			return kr
		}}
	})
}

// A data directory from before rotation existed holds TENANT.key alone:
// it is version 1, under the ID tables already record, and rotating
// keeps it.
func TestLocalKeyringReadsTheFormatBeforeRotation(t *testing.T) {
	dir := t.TempDir()
	secret := bytes.Repeat([]byte{7}, 32)
	if err := os.WriteFile(filepath.Join(dir, "acme.key"), secret, 0o600); err != nil {
		t.Fatal(err)
	}
	kr, err := pii.NewLocalKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	k, err := kr.TenantKey(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if want := pii.KeyID("local", secret); k.ID != want || k.Version != 1 || !bytes.Equal(k.Secret, secret) {
		t.Fatalf("got %s version %d, want %s version 1 with the file's secret", k.ID, k.Version, want)
	}
	k2, err := kr.RotateKey(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "acme.2.key"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("rotated key file mode: got %o, want 600", perm)
	}
	if old, err := kr.KeyByID(ctx, "acme", k.ID); err != nil || !bytes.Equal(old.Secret, secret) {
		t.Errorf("version 1 after rotation: got %v, want the file's secret", err)
	}
	if k2.Version != 2 {
		t.Errorf("rotated: got version %d, want 2", k2.Version)
	}
}
