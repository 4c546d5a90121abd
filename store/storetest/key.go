package storetest

import (
	"bytes"
	"fmt"

	inlet "github.com/inlet-data/inlet"
)

var keyCases = []testCase{
	{"wrapped tenant keys: versions, conflicts, tenants apart", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		if got, err := db.WrappedKeys(ctx, "default"); err != nil || len(got) != 0 {
			t.Fatalf("before any: got %v, %v, want none", got, err)
		}
		blob := func(v int) []byte { return append([]byte{0, 1, 0xff}, []byte(fmt.Sprintf("wrapped-%d", v))...) } // binary, not text
		for _, v := range []int{2, 1} {                                                                           // stored out of order, read in order
			k := &inlet.WrappedKey{Tenant: "default", Version: v, ID: fmt.Sprintf("kms-%d", v), KEK: "alias/inlet", Ciphertext: blob(v)}
			if err := db.CreateWrappedKey(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.WrappedKeys(ctx, "default")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("got %d versions, want 2", len(got))
		}
		for i, k := range got {
			v := i + 1
			if k.Tenant != "default" || k.Version != v || k.ID != fmt.Sprintf("kms-%d", v) || k.KEK != "alias/inlet" ||
				!bytes.Equal(k.Ciphertext, blob(v)) || !k.CreatedAt.Equal(e.now()) {
				t.Errorf("version %d: got %+v", v, k)
			}
		}
		// Another replica creating the same version first: a conflict, not a second key.
		if err := db.CreateWrappedKey(ctx, &inlet.WrappedKey{Tenant: "default", Version: 2, ID: "kms-other", KEK: "alias/inlet", Ciphertext: blob(9)}); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("same version twice: got %v, want ECONFLICT", err)
		}
		if err := db.CreateWrappedKey(ctx, &inlet.WrappedKey{Tenant: "default", Version: 3, ID: "kms-1", KEK: "alias/inlet", Ciphertext: blob(9)}); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("same key ID twice: got %v, want ECONFLICT", err)
		}
		if err := db.CreateWrappedKey(ctx, &inlet.WrappedKey{Tenant: "default", Version: 3, ID: "kms-3", KEK: "alias/inlet"}); inlet.ErrorCode(err) != inlet.EINVALID {
			t.Errorf("no ciphertext: got %v, want EINVALID", err)
		}
		// Another tenant's versions are its own.
		if got, err := db.WrappedKeys(ctx, "acme"); err != nil || len(got) != 0 {
			t.Errorf("acme: got %d keys, %v, want none", len(got), err)
		}
		if err := db.CreateWrappedKey(ctx, &inlet.WrappedKey{Tenant: "acme", Version: 1, ID: "kms-1", KEK: "alias/inlet", Ciphertext: blob(1)}); err != nil {
			t.Errorf("acme's version 1 beside default's: %v", err)
		}
	}},
}
