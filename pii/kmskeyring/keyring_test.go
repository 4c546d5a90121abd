package kmskeyring_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
	"github.com/inlet-data/inlet/pii/keyringtest"
	"github.com/inlet-data/inlet/pii/kmskeyring"
	"github.com/inlet-data/inlet/store"
)

// local-kms listens on every interface: the whole test binary runs in a
// network namespace of its own (Postgres, when used, starts in it too).
func TestMain(m *testing.M) {
	code := testkit.RunInPrivateNetwork(m)
	testkit.StopPostgres()
	os.Exit(code)
}

// localKMS starts local-kms and returns a client of it and a new KMS key's
// ARN, with the alias alias/NAME naming it.
func localKMS(t *testing.T, alias string) (*kms.Client, string) {
	t.Helper()
	lk := testkit.StartLocalKMS(t)
	client := kms.New(kms.Options{
		Region:       lk.Region,
		BaseEndpoint: aws.String(lk.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	ctx := context.Background()
	out, err := client.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("inlet tests")})
	if err != nil {
		t.Fatalf("create kms key: %v", err)
	}
	if _, err := client.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/" + alias), TargetKeyId: out.KeyMetadata.KeyId}); err != nil {
		t.Fatalf("create kms alias: %v", err)
	}
	return client, *out.KeyMetadata.Arn
}

func openStore(t *testing.T, url string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func backend(t *testing.T, client kmskeyring.KMS, kek string, db *store.DB) keyringtest.Backend {
	return keyringtest.Backend{
		New: func() inlet.Keyring { return kmskeyring.New(client, kek, db) },
		Stored: func(tenant string) [][]byte {
			rows, err := db.WrappedKeys(context.Background(), tenant)
			if err != nil {
				t.Fatal(err)
			}
			var out [][]byte
			for _, r := range rows {
				out = append(out, r.Ciphertext, []byte(r.ID), []byte(r.KEK))
			}
			return out
		},
	}
}

// The contract on SQLite, the KMS key named by its alias.
func TestContractSQLite(t *testing.T) {
	client, _ := localKMS(t, "inlet-test")
	keyringtest.Run(t, func(t *testing.T) keyringtest.Backend {
		return backend(t, client, "alias/inlet-test", openStore(t, "sqlite://"+filepath.Join(t.TempDir(), "inlet.db")))
	})
}

// The contract on Postgres, the KMS key named by its ARN.
func TestContractPostgres(t *testing.T) {
	client, arn := localKMS(t, "inlet-test")
	testkit.Postgres(t)
	keyringtest.Run(t, func(t *testing.T) keyringtest.Backend {
		return backend(t, client, arn, openStore(t, testkit.Postgres(t)))
	})
}

// counting passes calls on to the real client, counting them.
type counting struct {
	kmskeyring.KMS
	generate, decrypt atomic.Int32
}

func (c *counting) GenerateDataKey(ctx context.Context, in *kms.GenerateDataKeyInput, opts ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error) {
	c.generate.Add(1)
	return c.KMS.GenerateDataKey(ctx, in, opts...)
}

func (c *counting) Decrypt(ctx context.Context, in *kms.DecryptInput, opts ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	c.decrypt.Add(1)
	return c.KMS.Decrypt(ctx, in, opts...)
}

func TestKMS(t *testing.T) {
	client, arn := localKMS(t, "inlet-test")
	ctx := context.Background()

	t.Run("one data key per first use, one decrypt per process", func(t *testing.T) {
		db := openStore(t, "sqlite://"+filepath.Join(t.TempDir(), "inlet.db"))
		c := &counting{KMS: client}
		kr := kmskeyring.New(c, "alias/inlet-test", db)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() { defer wg.Done(); kr.TenantKey(ctx, "acme") }()
		}
		wg.Wait()
		if n := c.generate.Load(); n != 1 {
			t.Errorf("GenerateDataKey calls: got %d, want 1", n)
		}
		c2 := &counting{KMS: client}
		replica := kmskeyring.New(c2, "alias/inlet-test", db)
		for range 5 {
			if _, err := replica.TenantKey(ctx, "acme"); err != nil {
				t.Fatal(err)
			}
		}
		if n := c2.decrypt.Load(); n != 1 {
			t.Errorf("Decrypt calls of a new process: got %d, want 1", n)
		}
		rows, _ := db.WrappedKeys(ctx, "acme")
		if len(rows) != 1 || rows[0].KEK != arn {
			t.Errorf("stored: got %+v, want one version wrapped under %s (the alias resolved)", rows, arn)
		}
	})

	t.Run("a wrapped key copied to another tenant does not unwrap", func(t *testing.T) {
		db := openStore(t, "sqlite://"+filepath.Join(t.TempDir(), "inlet.db"))
		kr := kmskeyring.New(client, arn, db)
		if _, err := kr.TenantKey(ctx, "acme"); err != nil {
			t.Fatal(err)
		}
		rows, _ := db.WrappedKeys(ctx, "acme")
		stolen := rows[0]
		stolen.Tenant = "globex"
		if err := db.CreateWrappedKey(ctx, &stolen); err != nil {
			t.Fatal(err)
		}
		if k, err := kmskeyring.New(client, arn, db).TenantKey(ctx, "globex"); err == nil {
			t.Fatalf("globex got key %s from acme's ciphertext: want an error", k.ID)
		}
	})

	t.Run("a ciphertext swapped for another version's is refused", func(t *testing.T) {
		db := openStore(t, "sqlite://"+filepath.Join(t.TempDir(), "inlet.db"))
		kr := kmskeyring.New(client, arn, db)
		k1, err := kr.TenantKey(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := db.WrappedKeys(ctx, "acme")
		forged := rows[0]
		forged.Version, forged.ID = 2, "kms-000000000000"
		if err := db.CreateWrappedKey(ctx, &forged); err != nil {
			t.Fatal(err)
		}
		if k, err := kmskeyring.New(client, arn, db).TenantKey(ctx, "acme"); err == nil {
			t.Fatalf("got key %s for a row whose ID does not match its ciphertext (version 1 is %s): want an error", k.ID, k1.ID)
		}
	})

	t.Run("an unknown KMS key is an error, and nothing is stored", func(t *testing.T) {
		db := openStore(t, "sqlite://"+filepath.Join(t.TempDir(), "inlet.db"))
		if _, err := kmskeyring.New(client, "alias/no-such-key", db).TenantKey(ctx, "acme"); err == nil {
			t.Fatal("got a key under a KMS key that does not exist")
		}
		if rows, _ := db.WrappedKeys(ctx, "acme"); len(rows) != 0 {
			t.Errorf("stored %d versions, want none", len(rows))
		}
	})
}
