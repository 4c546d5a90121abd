package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// `inlet healthcheck` (the image's HEALTHCHECK) exits 0 against a live
// server and 1 when nothing answers; /healthz and /readyz answer at the
// root without credentials, /readyz with each check named.
func TestHealthcheckCommand(t *testing.T) {
	url, _ := startServer(t, t.TempDir())
	var out, errb strings.Builder
	if code := run(context.Background(), []string{"healthcheck", "--url", url + "/healthz"}, &out, &errb); code != exitOK || strings.TrimSpace(out.String()) != "ok" {
		t.Errorf("healthcheck of a live server: exit %d, %q %q", code, out.String(), errb.String())
	}
	host := strings.TrimPrefix(url, "http://")
	t.Setenv("INLET_ADDR", "0.0.0.0:"+host[strings.LastIndex(host, ":")+1:])
	if code := run(context.Background(), []string{"healthcheck"}, &out, &errb); code != exitOK {
		t.Errorf("healthcheck from INLET_ADDR on the wildcard address: exit %d, %s", code, errb.String())
	}
	if code := run(context.Background(), []string{"healthcheck", "--url", "http://127.0.0.1:1/healthz", "--timeout", "1s"}, &out, &errb); code != exitFailed {
		t.Errorf("healthcheck of nothing: exit %d, want %d", code, exitFailed)
	}
	code, _, body := get(t, url+"/readyz", nil)
	for _, check := range []string{"db", "lake", "keys"} {
		if !strings.Contains(body, `{"name":"`+check+`","status":"ok"}`) {
			t.Errorf("/readyz does not report %s ok: %d %s", check, code, body)
		}
	}
	if code != http.StatusOK {
		t.Errorf("/readyz: %d %s", code, body)
	}
}

func TestProbeAddr(t *testing.T) {
	for in, want := range map[string]string{
		"0.0.0.0:8080": "127.0.0.1:8080", "[::]:8080": "127.0.0.1:8080", ":8080": "127.0.0.1:8080",
		"127.0.0.1:9000": "127.0.0.1:9000", "10.1.2.3:80": "10.1.2.3:80",
	} {
		if got := probeAddr(in); got != want {
			t.Errorf("probeAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
