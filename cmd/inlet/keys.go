package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/pii"
	"github.com/inlet-data/inlet/pii/kmskeyring"
)

// kmsKeyRE is what KMS accepts as a key to wrap under: a key ID, a
// multi-Region key ID, an alias name, or the ARN of a key or an alias.
var kmsKeyRE = regexp.MustCompile(`^(` +
	`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}` +
	`|mrk-[0-9a-f]{32}` +
	`|alias/[A-Za-z0-9/_-]{1,250}` +
	`|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)` +
	`)$`)

// openKeyring opens the tenants' hashing keys --keys names:
// file://DIR (default DATA_DIR/keys) keeps them in a directory; kms://KEY
// keeps data keys wrapped by that KMS key in the metadata database, so
// every replica shares them.
func openKeyring(ctx context.Context, cfg *config, dataDir string, wrapped inlet.WrappedKeyStore) (inlet.Keyring, error) {
	keys := cfg.Keys
	if cfg.KMSEndpoint != "" {
		if !strings.HasPrefix(keys, "kms://") {
			return nil, inlet.Errorf(inlet.EINVALID, "--kms-endpoint is set, but --keys is not kms://KEY")
		}
		if u, err := url.Parse(cfg.KMSEndpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, inlet.Errorf(inlet.EINVALID, "--kms-endpoint %s: use http(s)://HOST[:PORT]", redact(cfg.KMSEndpoint))
		}
	}
	switch {
	case keys == "":
		return pii.NewLocalKeyring(filepath.Join(dataDir, "keys"))
	case strings.HasPrefix(keys, "file://") && len(keys) > len("file://"):
		return pii.NewLocalKeyring(strings.TrimPrefix(keys, "file://"))
	case strings.HasPrefix(keys, "kms://"):
		key := strings.TrimPrefix(keys, "kms://")
		if !kmsKeyRE.MatchString(key) {
			return nil, inlet.Errorf(inlet.EINVALID, "--keys %s: name the KMS key by its ID, ARN, alias/NAME or alias ARN", keys)
		}
		client, err := kmskeyring.NewClient(ctx, cfg.KMSEndpoint, "")
		if err != nil {
			return nil, inlet.Errorf(inlet.EINVALID, "--keys %s: %v", keys, err)
		}
		return kmskeyring.New(client, key, wrapped), nil
	}
	return nil, inlet.Errorf(inlet.EINVALID, "--keys %s: use file://DIR or kms://KEY_ARN_OR_ALIAS", redact(keys))
}

// cmdKeys shows the tenant's current hashing key, or with "rotate" makes a
// new version current. Tables hashed before keep naming (and, for rows
// appended to them, using) the version they were hashed with.
func cmdKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlags("keys", &cfg, stderr)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	rotate := false
	switch {
	case len(pos) == 0:
	case len(pos) == 1 && pos[0] == "rotate":
		rotate = true
	default:
		return &usageError{"usage: inlet keys [rotate]"}
	}
	a, err := openApp(ctx, &cfg, newLogger(&cfg, stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	key, err := a.keys.TenantKey(ctx, cfg.Tenant)
	if rotate {
		key, err = a.keys.RotateKey(ctx, cfg.Tenant)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "tenant %s: hashing key %s, version %d\n", cfg.Tenant, key.ID, key.Version)
	return nil
}
