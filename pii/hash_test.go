package pii

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

func testKey() inlet.Key {
	return inlet.Key{ID: "test", Secret: []byte("0123456789abcdef0123456789abcdef")}
}

func TestHashIsHMACOfNormalisedValue(t *testing.T) {
	h := NewHasher(testKey(), "US")
	mac := hmac.New(sha256.New, testKey().Secret)
	mac.Write([]byte("john.smith@example.com"))
	want := hex.EncodeToString(mac.Sum(nil))
	if got := string(h.Hash(inlet.EntityEmail, []byte("  John.Smith@Example.COM "))); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestNormalise(t *testing.T) {
	h := NewHasher(testKey(), "US")
	tests := []struct {
		entity inlet.Entity
		in     []string
		want   string
	}{
		{inlet.EntityEmail, []string{"John@Example.com", " john@example.com\t"}, "john@example.com"},
		{inlet.EntityPhone, []string{"+1 415-555-0132", "(415) 555-0132", "415.555.0132", "+1 (415) 555 0132"}, "+14155550132"},
		{inlet.EntityPhone, []string{"+44 20 7946 0958", "+44 (0)20 7946 0958"}, "+442079460958"},
		{inlet.EntityPersonName, []string{"John  Smith", "JOHN SMITH", " john smith "}, "john smith"},
		{inlet.EntityPersonName, []string{"Jürgen   Straße", "JÜRGEN STRASSE"}, "jürgen strasse"},
		{inlet.EntityCreditCard, []string{"4111 1111 1111 1111", "4111-1111-1111-1111"}, "4111111111111111"},
		{inlet.EntityIBAN, []string{"de89 3704 0044 0532 0130 00", "DE89370400440532013000"}, "DE89370400440532013000"},
	}
	for _, tt := range tests {
		for _, in := range tt.in {
			if got := string(h.Normalise(nil, tt.entity, []byte(in))); got != tt.want {
				t.Errorf("Normalise(%s, %q): got %q, want %q", tt.entity, in, got, tt.want)
			}
		}
	}
}

func TestHashDiffersByKey(t *testing.T) {
	a := string(NewHasher(testKey(), "US").Hash(inlet.EntityEmail, []byte("a@b.com")))
	other := inlet.Key{Secret: []byte("another key, another tenant.....")}
	if b := string(NewHasher(other, "US").Hash(inlet.EntityEmail, []byte("a@b.com"))); a == b {
		t.Error("two keys gave the same hash")
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		entity   inlet.Entity
		in, want string
	}{
		{inlet.EntityEmail, "john@example.com", "j***@e***.com"},
		{inlet.EntityCreditCard, "4111 1111 1111 1234", "**** **** **** 1234"},
		{inlet.EntityPhone, "+1 415-555-0132", "+* ***-***-0132"},
		{inlet.EntityPersonName, "John Smith", "J*** S***"},
		{inlet.EntityIPAddress, "192.168.1.10", "192.***"},
		{inlet.EntityDateOfBirth, "1984-03-12", "****-**-**"},
	}
	for _, tt := range tests {
		if got := Mask(tt.entity, tt.in); got != tt.want {
			t.Errorf("Mask(%s, %q): got %q, want %q", tt.entity, tt.in, got, tt.want)
		}
	}
}

func TestLocalKeyring(t *testing.T) {
	dir := t.TempDir()
	kr, err := NewLocalKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	k1, err := kr.TenantKey(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "acme.key"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode: got %o, want 600", perm)
	}
	// A new keyring over the same directory (a restart) finds the same key.
	kr2, _ := NewLocalKeyring(dir)
	k2, err := kr2.TenantKey(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if string(k1.Secret) != string(k2.Secret) || k1.ID != k2.ID {
		t.Error("key changed across keyrings")
	}
	other, _ := kr.TenantKey(ctx, "globex")
	if string(other.Secret) == string(k1.Secret) {
		t.Error("two tenants share a key")
	}
	if _, err := kr.TenantKey(ctx, "../etc"); inlet.ErrorCode(err) != inlet.EINVALID {
		t.Errorf("got %v, want EINVALID for a bad tenant id", err)
	}
}
