package export_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/export"
	"github.com/inlet-data/inlet/pii"
)

// query is the query string of a link.
func query(t *testing.T, link string) url.Values {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// Links signed with keys derived from a shared keyring verify through any
// other process on it (a second replica), stay valid across a key
// rotation, and name one file of one export of one tenant.
func TestKeyringLinks(t *testing.T) {
	dir := t.TempDir()
	ringA, err := pii.NewLocalKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	ringB, err := pii.NewLocalKeyring(dir) // the other replica's view of the same keys
	if err != nil {
		t.Fatal(err)
	}
	onA, onB := export.KeyringLinks{Keys: ringA}, export.KeyringLinks{Keys: ringB}
	now := time.Now()
	e := &inlet.Export{ID: "exp1", Tenant: "acme"}
	link, err := onA.Link(e, "orders.csv", now, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(link, "/d/acme/exp1/orders.csv?") {
		t.Fatalf("link %s", link)
	}
	q := query(t, link)
	c, err := onB.Verify("acme", "exp1", "orders.csv", q, now)
	if err != nil || c.ExportID != "exp1" || c.Expires.Unix() != now.Add(time.Hour).Unix() {
		t.Fatalf("verified on the other replica: %+v, %v", c, err)
	}
	for _, bad := range []struct{ tenant, export, file string }{
		{"other", "exp1", "orders.csv"},
		{"acme", "exp2", "orders.csv"},
		{"acme", "exp1", "orders.xlsx"},
	} {
		if _, err := onB.Verify(bad.tenant, bad.export, bad.file, q, now); inlet.ErrorCode(err) != inlet.EFORBIDDEN {
			t.Errorf("the link used for %v: %v, want EFORBIDDEN", bad, err)
		}
	}
	for _, tamper := range []func(url.Values){
		func(v url.Values) { v.Set("exp", v.Get("exp")+"0") },
		func(v url.Values) { v.Set("sig", strings.Repeat("A", 43)) },
		func(v url.Values) { v.Set("kid", "no-such-key") },
		func(v url.Values) { v.Del("kid") },
	} {
		v := url.Values{}
		for k, vals := range q {
			v[k] = append([]string(nil), vals...)
		}
		tamper(v)
		if _, err := onB.Verify("acme", "exp1", "orders.csv", v, now); inlet.ErrorCode(err) != inlet.EFORBIDDEN {
			t.Errorf("tampered link %v: %v, want EFORBIDDEN", v, err)
		}
	}
	if _, err := onB.Verify("acme", "exp1", "orders.csv", q, now.Add(2*time.Hour)); !errors.Is(err, export.ErrLinkExpired) {
		t.Errorf("after its expiry: %v, want ErrLinkExpired", err)
	}
	// Inlet signs a link when it is made, for at most a week: a genuine
	// signature over a future issue time (which would outlive a
	// revocation) or a longer life is refused all the same.
	for _, times := range [][2]time.Time{{now.Add(time.Hour), now.Add(2 * time.Hour)}, {now, now.Add(inlet.ExportMaxTTL + time.Hour)}} {
		l, err := onA.Link(e, "orders.csv", times[0], times[1])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := onB.Verify("acme", "exp1", "orders.csv", query(t, l), now); inlet.ErrorCode(err) != inlet.EFORBIDDEN {
			t.Errorf("a link issued %s, expiring %s: %v, want EFORBIDDEN", times[0].Sub(now), times[1].Sub(now), err)
		}
	}
	// Within the clock skew between replicas, a link is taken.
	if l, err := onA.Link(e, "orders.csv", now.Add(time.Minute), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	} else if _, err := onB.Verify("acme", "exp1", "orders.csv", query(t, l), now); err != nil {
		t.Errorf("a link from a replica a minute ahead: %v", err)
	}
	// A rotation: new links name the new key, old ones keep working.
	if _, err := ringA.RotateKey(context.Background(), "acme"); err != nil {
		t.Fatal(err)
	}
	fresh, err := onA.Link(e, "orders.csv", now, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if query(t, fresh).Get("kid") == q.Get("kid") {
		t.Errorf("a link after rotation names the old key %s", q.Get("kid"))
	}
	for _, l := range []string{link, fresh} {
		if _, err := onB.Verify("acme", "exp1", "orders.csv", query(t, l), now); err != nil {
			t.Errorf("after rotation, %s: %v", l, err)
		}
	}
}
