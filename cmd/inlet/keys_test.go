package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
