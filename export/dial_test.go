package export

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// Webhooks reach public addresses only: private, link-local (cloud
// metadata), shared and unspecified addresses are refused, by literal or
// by name, and loopback only where the URL names it.
func TestWebhookDialsPublicAddressesOnly(t *testing.T) {
	d := &net.Dialer{}
	// A DNS that answers with the server's own networks, as an attacker's would.
	dns := map[string][]netip.Addr{
		"metadata.evil.example": {netip.MustParseAddr("169.254.169.254")},
		"db.evil.example":       {netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("10.0.0.5")},
		"self.evil.example":     {netip.MustParseAddr("127.0.0.1")},
	}
	lookup := func(_ context.Context, _, host string) ([]netip.Addr, error) { return dns[host], nil }
	for _, addr := range []string{"10.1.2.3:443", "192.168.0.10:443", "172.16.5.5:443", "169.254.169.254:80", "100.64.0.1:443",
		"0.0.0.0:443", "[::127.0.0.1]:443", "[::a00:5]:443", "[fd00::1]:443", "[fe80::1]:443", "[::ffff:10.0.0.1]:443", "[64:ff9b::a00:5]:443", "[2002:a00:5::1]:443", "[fec0::1]:443",
		"metadata.evil.example:443", "db.evil.example:443", "self.evil.example:443"} {
		if _, err := dialPublic(context.Background(), d, lookup, "tcp", addr, true); !errors.Is(err, errNotPublic) {
			t.Errorf("%s: got %v, want refused as not public", addr, err)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	// This machine, named in the URL (http://127.0.0.1:PORT), only when
	// allowed (development).
	if _, err := webhookClient(false).Post(srv.URL, "application/json", nil); !errors.Is(err, errNotPublic) {
		t.Errorf("a loopback by default: %v, want refused as not public", err)
	}
	for _, host := range []string{"localhost", "[::1]"} {
		if _, err := dialPublic(context.Background(), d, lookup, "tcp", host+":443", false); !errors.Is(err, errNotPublic) {
			t.Errorf("%s by default: %v, want refused as not public", host, err)
		}
	}
	resp, err := webhookClient(true).Post(srv.URL, "application/json", nil)
	if err != nil {
		t.Fatalf("a loopback the URL names, allowed: %v", err)
	}
	resp.Body.Close()
	if !public(netip.MustParseAddr("93.184.216.34")) || !public(netip.MustParseAddr("2606:4700::1111")) {
		t.Error("public addresses refused")
	}
}
