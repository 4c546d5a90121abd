package export

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"time"
)

// webhookClient is the HTTP client webhooks use unless one is given: it
// reaches public addresses only, so a schedule's URL cannot point the
// server at the network it runs in (cloud metadata, databases, internal
// services), by name or by a DNS answer that says 10.0.0.5. With loopback
// set (development), this machine is reachable too, where the URL names it
// (localhost, 127.0.0.1, ::1).
func webhookClient(loopback bool) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil // a proxy would dial on our behalf, unchecked
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return dialPublic(ctx, d, net.DefaultResolver.LookupNetIP, network, addr, loopback)
	}
	return &http.Client{Timeout: 15 * time.Second, Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var errNotPublic = errors.New("not a public address")

// dialPublic resolves addr's host, refuses it unless every address it
// names is public (or, with loopback set, it is a loopback the URL names
// itself), and dials the address it checked, so a second DNS answer cannot
// swap it.
func dialPublic(ctx context.Context, d *net.Dialer, lookup func(ctx context.Context, network, host string) ([]netip.Addr, error), network, addr string, loopback bool) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	named := host == "localhost"
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		named = named || ip.IsLoopback()
		ips = []netip.Addr{ip}
	} else if !named {
		if ips, err = lookup(ctx, "ip", host); err != nil {
			return nil, err
		}
	} else {
		ips = []netip.Addr{netip.MustParseAddr("127.0.0.1")}
	}
	for _, ip := range ips {
		if ip = ip.Unmap(); !(public(ip) || loopback && named && ip.IsLoopback()) {
			return nil, fmt.Errorf("webhook %s: %s is %w", host, ip, errNotPublic)
		}
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("webhook %s: no address", host)
	}
	return d.DialContext(ctx, network, net.JoinHostPort(ips[0].String(), port))
}

// notPublic are global-looking ranges that reach private space: shared
// carrier-grade NAT (RFC 6598), IPv6's reserved ::/8 (the old
// IPv4-compatible ::a.b.c.d among them), NAT64 (an IPv4 address inside
// IPv6), 6to4 and the old site-local IPv6 range.
var notPublic = []netip.Prefix{netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("::/8"), netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"), netip.MustParsePrefix("2002::/16"), netip.MustParsePrefix("fec0::/10")}

// public reports whether ip is a global unicast address outside the
// private, shared and documentation-free ranges a server's own network
// uses.
func public(ip netip.Addr) bool {
	if !ip.IsGlobalUnicast() || ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
		return false
	}
	for _, p := range notPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}
