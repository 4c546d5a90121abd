package export

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// A signed link names one file of one export of one tenant, when it was
// signed and until when it works; its MAC covers all of that and the key
// that made it. In the embedded mode the keys live in the data directory;
// production hands out the object store's presigned URLs instead (a
// Linker of its own), and the portal's checks stay the same.

// Linker makes download links for an export's files.
type Linker interface {
	Link(e *inlet.Export, file string, now, expires time.Time) (string, error)
}

// LinkKeys signs and checks links with HMAC-SHA256 keys kept in a file.
// Rotating adds a key and signs with it; older keys keep verifying until
// every link they signed has expired (ExportMaxTTL), then go.
type LinkKeys struct {
	path string
	mu   sync.Mutex
	ring linkRing
}

type linkRing struct {
	Current string             `json:"current"`
	Keys    map[string]linkKey `json:"keys"`
}

type linkKey struct {
	Secret  []byte     `json:"secret"`
	Created time.Time  `json:"created"`
	Retired *time.Time `json:"retired,omitempty"`
}

// OpenLinkKeys reads the key ring at path, creating it with one key.
func OpenLinkKeys(path string) (*LinkKeys, error) {
	k := &LinkKeys{path: path}
	b, err := os.ReadFile(path)
	switch {
	case os.IsNotExist(err):
		if err := k.rotateLocked(time.Now().UTC()); err != nil {
			return nil, err
		}
		return k, nil
	case err != nil:
		return nil, fmt.Errorf("link keys: %w", err)
	}
	if err := json.Unmarshal(b, &k.ring); err != nil || k.ring.Keys[k.ring.Current].Secret == nil {
		return nil, fmt.Errorf("link keys %s: not a key ring (%v)", path, err)
	}
	return k, nil
}

// Rotate signs new links with a new key; links signed before still work
// until they expire.
func (k *LinkKeys) Rotate(now time.Time) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.rotateLocked(now); err != nil {
		return "", err
	}
	return k.ring.Current, nil
}

func (k *LinkKeys) rotateLocked(now time.Time) error {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	id := make([]byte, 4)
	if _, err := rand.Read(id); err != nil {
		return err
	}
	if k.ring.Keys == nil {
		k.ring.Keys = map[string]linkKey{}
	}
	if cur, ok := k.ring.Keys[k.ring.Current]; ok {
		cur.Retired = &now
		k.ring.Keys[k.ring.Current] = cur
	}
	for kid, key := range k.ring.Keys {
		if key.Retired != nil && now.Sub(*key.Retired) > inlet.ExportMaxTTL {
			delete(k.ring.Keys, kid) // no unexpired link can name it
		}
	}
	k.ring.Current = hex.EncodeToString(id)
	k.ring.Keys[k.ring.Current] = linkKey{Secret: secret, Created: now}
	b, err := json.MarshalIndent(k.ring, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(k.path), 0o700); err != nil {
		return err
	}
	tmp := k.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, k.path)
}

// message is what a link's MAC covers.
func message(tenant, exportID, file string, issued, expires int64, kid string) []byte {
	return fmt.Appendf(nil, "inlet-export-link/v1\n%s\n%s\n%s\n%d\n%d\n%s", tenant, exportID, file, issued, expires, kid)
}

// Link returns the path and query of a signed link to one file.
func (k *LinkKeys) Link(e *inlet.Export, file string, now, expires time.Time) (string, error) {
	k.mu.Lock()
	kid, key := k.ring.Current, k.ring.Keys[k.ring.Current]
	k.mu.Unlock()
	return signLink(e, file, now, expires, kid, key.Secret), nil
}

// signLink is a link to one file, signed with secret, named kid.
func signLink(e *inlet.Export, file string, now, expires time.Time, kid string, secret []byte) string {
	iat, exp := now.Unix(), expires.Unix()
	mac := hmac.New(sha256.New, secret)
	mac.Write(message(e.Tenant, e.ID, file, iat, exp, kid))
	q := url.Values{"iat": {strconv.FormatInt(iat, 10)}, "exp": {strconv.FormatInt(exp, 10)}, "kid": {kid},
		"sig": {base64.RawURLEncoding.EncodeToString(mac.Sum(nil))}}
	return "/d/" + url.PathEscape(e.Tenant) + "/" + url.PathEscape(e.ID) + "/" + url.PathEscape(file) + "?" + q.Encode()
}

// LinkClaims is what a verified link says.
type LinkClaims struct {
	Tenant, ExportID, File string
	Issued, Expires        time.Time
}

// Verify checks a link's signature and expiry. Every failure is the same
// ELINK-style refusal to the caller; the reason is for the log.
func (k *LinkKeys) Verify(tenant, exportID, file string, q url.Values, now time.Time) (*LinkClaims, error) {
	k.mu.Lock()
	key, ok := k.ring.Keys[q.Get("kid")]
	k.mu.Unlock()
	if !ok {
		return nil, errBadLink
	}
	return verifyLink(tenant, exportID, file, q, now, key.Secret)
}

// verifyLink checks a link's signature under secret, then its expiry.
func verifyLink(tenant, exportID, file string, q url.Values, now time.Time, secret []byte) (*LinkClaims, error) {
	iat, err1 := strconv.ParseInt(q.Get("iat"), 10, 64)
	exp, err2 := strconv.ParseInt(q.Get("exp"), 10, 64)
	sig, err3 := base64.RawURLEncoding.DecodeString(q.Get("sig"))
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, errBadLink
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(message(tenant, exportID, file, iat, exp, q.Get("kid")))
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return nil, errBadLink
	}
	// Inlet signs links when they are made, for at most ExportMaxTTL: one
	// issued in the future (which would outlive a revocation) or for
	// longer was not made by Inlet.
	if iat > now.Add(linkClockSkew).Unix() || exp-iat > int64(inlet.ExportMaxTTL/time.Second) {
		return nil, errBadLink
	}
	c := &LinkClaims{Tenant: tenant, ExportID: exportID, File: file, Issued: time.Unix(iat, 0).UTC(), Expires: time.Unix(exp, 0).UTC()}
	if !now.Before(c.Expires) {
		return c, ErrLinkExpired
	}
	return c, nil
}

var (
	errBadLink = inlet.Errorf(inlet.EFORBIDDEN, "this download link is not valid: it may have been changed or cut short. Ask for a new link")
	// ErrLinkExpired is a genuine link past its time.
	ErrLinkExpired = inlet.Errorf(inlet.EFORBIDDEN, "this download link has expired. Ask for a new link")
)

// PresignedLinks hands out the lake's own presigned GET URLs (S3's, in
// production): the download goes straight to the object store, not
// through Inlet. What that gives up, compared with LinkKeys: a presigned
// URL cannot be revoked before it expires (revoking an export's links, or
// deleting the export, stops new links, and deleting the files stops the
// old ones), and Inlet does not see, so cannot audit, the download itself;
// the link's creation is audited as before.
type PresignedLinks struct {
	Signer inlet.LakeSigner
	Area   Area
}

// Link presigns a GET of the file until expires.
func (p PresignedLinks) Link(e *inlet.Export, file string, now, expires time.Time) (string, error) {
	return p.Signer.SignGet(context.Background(), p.Area.Location(e, file), path.Base(file), expires.Sub(now))
}

// Verify refuses every link that reaches Inlet's own download route: a
// presigned link is verified by the object store.
func (p PresignedLinks) Verify(tenant, exportID, file string, q url.Values, now time.Time) (*LinkClaims, error) {
	return nil, errBadLink
}

// linkClockSkew is how far ahead of this server's clock another replica's
// may run when it signs a link.
const linkClockSkew = 5 * time.Minute

// KeyringLinks signs links with keys derived from each tenant's hashing
// key by HKDF (the label as salt: the derivation is not keyed by the
// hashing key, so no value hashed with it, which anyone who can upload a
// file can have hashed, is a link key), for replicas that share a keyring: a link made on one verifies
// on every other, and `inlet keys rotate` rotates link keys too. Every key
// version stays resolvable, so a link keeps working until it expires.
type KeyringLinks struct {
	Keys inlet.Keyring
}

// linkSecret is the link-signing key derived from a tenant key.
func linkSecret(tenant string, key inlet.Key) ([]byte, error) {
	return hkdf.Key(sha256.New, key.Secret, []byte("inlet-export-link-key/v1"), tenant, 32)
}

// keyTimeout bounds a keyring call a link needs (a KMS unwrap at most).
const keyTimeout = 10 * time.Second

// Link returns the path and query of a signed link to one file.
func (k KeyringLinks) Link(e *inlet.Export, file string, now, expires time.Time) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), keyTimeout)
	defer cancel()
	key, err := k.Keys.TenantKey(ctx, e.Tenant)
	if err != nil {
		return "", fmt.Errorf("sign link: %w", err)
	}
	secret, err := linkSecret(e.Tenant, key)
	if err != nil {
		return "", err
	}
	return signLink(e, file, now, expires, key.ID, secret), nil
}

// Verify checks a link's signature and expiry, as LinkKeys.Verify does.
func (k KeyringLinks) Verify(tenant, exportID, file string, q url.Values, now time.Time) (*LinkClaims, error) {
	kid := q.Get("kid")
	if kid == "" || inlet.ValidateTenant(tenant) != nil {
		return nil, errBadLink
	}
	ctx, cancel := context.WithTimeout(context.Background(), keyTimeout)
	defer cancel()
	key, err := k.Keys.KeyByID(ctx, tenant, kid)
	if inlet.ErrorCode(err) == inlet.ENOTFOUND {
		return nil, errBadLink
	} else if err != nil {
		return nil, fmt.Errorf("check link: %w", err)
	}
	secret, err := linkSecret(tenant, key)
	if err != nil {
		return nil, err
	}
	return verifyLink(tenant, exportID, file, q, now, secret)
}
