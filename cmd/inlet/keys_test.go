package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
	"github.com/inlet-data/inlet/pii"
	"github.com/inlet-data/inlet/pii/kmskeyring"
	"github.com/inlet-data/inlet/store"
)

// A --keys (or INLET_KEYS) value Inlet cannot use stops it, naming the flag.
func TestBadKeys(t *testing.T) {
	data := t.TempDir()
	for _, v := range []string{"s3://bucket/keys", "file://", "kms://", "kms://not a key", "kms://arn:aws:s3:::bucket", "keys"} {
		if _, stderr, code := cli(t, data, "tables", "--keys", v); code == 0 || !strings.Contains(stderr, "--keys") {
			t.Errorf("--keys %s: exit %d, %q; want a failure naming --keys", v, code, stderr)
		}
	}
	t.Run("environment", func(t *testing.T) {
		t.Setenv("INLET_KEYS", "vault://x")
		if _, stderr, code := cli(t, data, "tables"); code == 0 || !strings.Contains(stderr, "--keys") {
			t.Errorf("INLET_KEYS=vault://x: exit %d, %q; want a failure naming --keys", code, stderr)
		}
	})
	if _, stderr, code := cli(t, data, "tables", "--kms-endpoint", "http://127.0.0.1:4599"); code == 0 || !strings.Contains(stderr, "--kms-endpoint") {
		t.Errorf("--kms-endpoint without kms:// keys: exit %d, %q; want a failure naming --kms-endpoint", code, stderr)
	}
	if _, stderr, code := cli(t, data, "tables", "--keys", "kms://alias/inlet", "--kms-endpoint", "127.0.0.1:4599"); code == 0 || !strings.Contains(stderr, "--kms-endpoint") {
		t.Errorf("--kms-endpoint without a scheme: exit %d, %q; want a failure naming --kms-endpoint", code, stderr)
	}
}

// --keys file://DIR keeps the tenant keys there, from the first start.
func TestKeysDirectory(t *testing.T) {
	data, keys := t.TempDir(), t.TempDir()
	if _, stderr, code := cli(t, data, "tables", "--keys", "file://"+keys); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(keys, "default.key")); err != nil {
		t.Errorf("key in --keys directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "keys", "default.key")); err == nil {
		t.Error("a key in DATA_DIR/keys too, want it in the --keys directory only")
	}
}

// --keys kms://... asks KMS for the tenant's key at start: with KMS out of
// reach Inlet does not start, and says it was KMS.
func TestKeysKMSUnreachable(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	data := t.TempDir()
	_, stderr, code := cli(t, data, "tables", "--keys", "kms://alias/inlet", "--kms-endpoint", "http://127.0.0.1:1")
	if code == 0 || !strings.Contains(stderr, "kms") {
		t.Errorf("exit %d, %q; want a failure naming KMS", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "keys", "default.key")); err == nil {
		t.Error("a local key was made, want none with kms:// keys")
	}
}

// After a key rotation, rows appended to a table hashed before it are
// hashed with the key the table names (the same person hashes the same in
// both batches); a new table takes the new key.
func TestRotationKeepsATablesHashes(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	a := writeFile(t, filepath.Join(dir, "a.csv"), "id,email\n1,ada@example.com\n2,bob@example.com\n")
	b := writeFile(t, filepath.Join(dir, "b.csv"), "id,email\n3,ADA@example.com \n")
	first, stderr := ingestJSON(t, data, a, "--table", "s.people")
	if first == nil {
		t.Fatalf("create: %s", stderr)
	}
	kr, err := pii.NewLocalKeyring(filepath.Join(data, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	old, err := kr.TenantKey(context.Background(), inlet.DefaultTenant)
	if err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := cli(t, data, "keys"); code != 0 || out != "tenant default: hashing key "+old.ID+", version 1\n" {
		t.Fatalf("keys: exit %d, %q %s", code, out, stderr)
	}
	out, stderr, code := cli(t, data, "keys", "rotate")
	if code != 0 {
		t.Fatalf("keys rotate: exit %d: %s", code, stderr)
	}
	rotated, err := kr.TenantKey(context.Background(), inlet.DefaultTenant)
	if err != nil {
		t.Fatal(err)
	}
	if rotated.Version != 2 || out != "tenant default: hashing key "+rotated.ID+", version 2\n" {
		t.Fatalf("keys rotate: got %q, want version 2 (%s)", out, rotated.ID)
	}
	if res, stderr := ingestJSON(t, data, b, "--table", "s.people", "--mode", "append"); res == nil {
		t.Fatalf("append after rotation: %s", stderr)
	} else if id := emailKey(res); id != old.ID {
		t.Errorf("append after rotation hashed with %s, want the table's key %s", id, old.ID)
	}
	tbl := describeTable(t, data, "s.people")
	db := openDuckDB(t)
	var distinct int
	if err := db.QueryRow("SELECT count(DISTINCT email) FROM read_parquet(" + parquetList(tbl.DataFiles) + ") WHERE id IN (1, 3)").Scan(&distinct); err != nil {
		t.Fatal(err)
	}
	if distinct != 1 {
		t.Errorf("ada before and after the rotation: %d distinct hashes, want 1", distinct)
	}
	if res, stderr := ingestJSON(t, data, a, "--table", "s.fresh"); res == nil {
		t.Fatalf("create after rotation: %s", stderr)
	} else if id := emailKey(res); id != rotated.ID {
		t.Errorf("new table hashed with %s, want the current key %s", id, rotated.ID)
	}
}

func emailKey(res *inlet.IngestResult) string {
	for _, d := range res.PII {
		if d.Column == "email" {
			return d.KeyID
		}
	}
	return ""
}

// The real command with --keys kms://... against local-kms: the tenant's
// key is a KMS data key whose wrapped form is in the metadata database and
// nowhere on disk in plaintext; a second process (a replica) unwraps the
// same key, hashed columns name it, and a rotation keeps the old table's
// hashes. The test runs in a private network namespace of its own.
func TestKeysKMS(t *testing.T) {
	if !testkit.InPrivateNetwork(t) {
		return
	}
	lk := testkit.StartLocalKMS(t)
	ctx := context.Background()
	client := kms.New(kms.Options{Region: lk.Region, BaseEndpoint: aws.String(lk.Endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	out, err := client.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/inlet"), TargetKeyId: out.KeyMetadata.KeyId}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_REGION", lk.Region)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("INLET_KEYS", "kms://alias/inlet")
	t.Setenv("INLET_KMS_ENDPOINT", lk.Endpoint)

	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	a := writeFile(t, filepath.Join(dir, "a.csv"), "id,email\n1,ada@example.com\n2,bob@example.com\n")
	res, stderr := ingestJSON(t, data, a, "--table", "s.people")
	if res == nil {
		t.Fatalf("ingest: %s", stderr)
	}
	keyID := emailKey(res)
	if !strings.HasPrefix(keyID, "kms-") {
		t.Fatalf("email hashed with key %q, want a kms- key", keyID)
	}
	if _, err := os.Stat(filepath.Join(data, "keys", "default.key")); err == nil {
		t.Error("a local key file exists, want none with kms:// keys")
	}
	db, err := store.Open(ctx, "sqlite://"+filepath.Join(data, "inlet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.WrappedKeys(ctx, inlet.DefaultTenant)
	if err != nil || len(rows) != 1 || rows[0].ID != keyID || rows[0].KEK != *out.KeyMetadata.Arn {
		t.Fatalf("stored keys: got %+v, %v, want version 1 %s wrapped under %s", rows, err, keyID, *out.KeyMetadata.Arn)
	}
	// The hashes are HMACs under the data key KMS unwraps for a new process.
	key, err := kmskeyring.New(client, "alias/inlet", db).KeyByID(ctx, inlet.DefaultTenant, keyID)
	if err != nil {
		t.Fatal(err)
	}
	tbl := describeTable(t, data, "s.people")
	duck := openDuckDB(t)
	var got string
	if err := duck.QueryRow("SELECT email FROM read_parquet(" + parquetList(tbl.DataFiles) + ") WHERE id = 1").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := string(pii.NewHasher(key, "US").Hash(inlet.EntityEmail, []byte("ada@example.com"))); got != want {
		t.Errorf("ada's hash: got %s, want %s (HMAC under the KMS data key)", got, want)
	}
	// No plaintext key on disk: not in the database, not in the data directory.
	filepath.WalkDir(data, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(path); bytes.Contains(b, key.Secret) || bytes.Contains(b, []byte(hex.EncodeToString(key.Secret))) {
				t.Errorf("%s holds the plaintext key", path)
			}
		}
		return nil
	})
	// Another process (cli runs a new app each time) finds the same key.
	if out, stderr, code := cli(t, data, "keys"); code != 0 || !strings.Contains(out, keyID+", version 1") {
		t.Fatalf("keys from another process: exit %d %q %s", code, out, stderr)
	}
	if _, stderr, code := cli(t, data, "keys", "rotate"); code != 0 {
		t.Fatalf("rotate: %s", stderr)
	}
	b := writeFile(t, filepath.Join(dir, "b.csv"), "id,email\n3,Ada@Example.com\n")
	if res, stderr := ingestJSON(t, data, b, "--table", "s.people", "--mode", "append"); res == nil || emailKey(res) != keyID {
		t.Fatalf("append after rotation: %+v %s, want the table's key %s", res, stderr, keyID)
	}
	if res, stderr := ingestJSON(t, data, a, "--table", "s.fresh"); res == nil || emailKey(res) == keyID || !strings.HasPrefix(emailKey(res), "kms-") {
		t.Fatalf("new table after rotation: %+v %s, want a new kms- key", res, stderr)
	}
}
