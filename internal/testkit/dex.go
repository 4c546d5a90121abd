package testkit

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// DexVersion is the Dex release the tests run; scripts/test builds it
// (a pinned pseudo-version of github.com/dexidp/dex) into DexBinaryPath.
const DexVersion = "v2.45.1"

// DexBinaryPath is where the Dex binary is: INLET_DEX_BIN, else the cache
// scripts/test fills (~/.cache/inlet-testkit/bin/dex-VERSION).
func DexBinaryPath() string {
	return toolPath("INLET_DEX_BIN", "dex", DexVersion)
}

// DexUser is a static password of Dex's password database, with the
// groups Dex puts in the ID token's groups claim.
type DexUser struct {
	Email    string
	Password string
	Name     string
	Groups   []string
}

// DexClient is Dex's static client for Inlet.
type DexClient struct {
	ID           string
	Secret       string
	RedirectURIs []string
}

// Dex is a Dex OIDC provider running on 127.0.0.1 with memory storage.
type Dex struct {
	Issuer string // http://127.0.0.1:PORT/dex
	Client DexClient
	Log    string // the file Dex logs to
}

// FreePort returns a port of 127.0.0.1 that was free a moment ago: for a
// server that must know another's address before it starts.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// StartDex writes a Dex config (issuer on a free port, memory storage, the
// static client, static passwords, no approval screen) and starts Dex; it
// stops with the test. Without the binary the test skips, or fails under
// CI=true.
func StartDex(t testing.TB, client DexClient, users ...DexUser) *Dex {
	t.Helper()
	bin := DexBinaryPath()
	if _, err := os.Stat(bin); err != nil {
		msg := fmt.Sprintf("Dex %s is not at %s (run ./scripts/test, which builds it, or set INLET_DEX_BIN)", DexVersion, bin)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	port := FreePort(t)
	issuer := "http://127.0.0.1:" + strconv.Itoa(port) + "/dex"
	var passwords []map[string]any
	for i, u := range users {
		hash, err := bcrypt.GenerateFromPassword([]byte(u.Password), 10) // Dex refuses cheaper hashes
		if err != nil {
			t.Fatal(err)
		}
		passwords = append(passwords, map[string]any{"email": u.Email, "hash": string(hash), "username": u.Name, "name": u.Name,
			"userID": fmt.Sprintf("dex-user-%d", i+1), "groups": u.Groups})
	}
	// JSON is YAML: Dex reads it as its config file.
	cfg := map[string]any{
		"issuer":           issuer,
		"storage":          map[string]any{"type": "memory"},
		"web":              map[string]any{"http": "127.0.0.1:" + strconv.Itoa(port)},
		"logger":           map[string]any{"level": "info"},
		"oauth2":           map[string]any{"skipApprovalScreen": true, "responseTypes": []string{"code"}},
		"enablePasswordDB": true,
		"staticClients": []map[string]any{{"id": client.ID, "secret": client.Secret, "name": "Inlet",
			"redirectURIs": client.RedirectURIs}},
		"staticPasswords": passwords,
	}
	dir := t.TempDir()
	b, _ := json.MarshalIndent(cfg, "", "  ")
	conf := filepath.Join(dir, "dex.yaml")
	if err := os.WriteFile(conf, b, 0o600); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "dex.log")
	startTool(t, "dex", exec.Command(bin, "serve", conf), logPath, 30*time.Second, 100*time.Millisecond, func() bool {
		resp, err := http.Get(issuer + "/.well-known/openid-configuration")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return &Dex{Issuer: issuer, Client: client, Log: logPath}
}
