// Package testkit starts the real components Inlet's tests run against
// (Postgres, an S3 server, Dex as the OIDC provider, local-kms) on
// 127.0.0.1, from binaries the test command (scripts/test) installs, builds
// and caches under ~/.cache/inlet-testkit/bin. Under CI=true a missing
// component fails the test; elsewhere the test is skipped with a message
// saying how to get it. Only tests import it.
package testkit

import (
	"os"
	"path/filepath"
)

// toolPath is where a component's binary is: the environment variable env
// when set, else the cache scripts/test fills,
// ~/.cache/inlet-testkit/bin/NAME-VERSION.
func toolPath(env, name, version string) string {
	if p := os.Getenv(env); p != "" {
		return p
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "inlet-testkit", "bin", name+"-"+version)
}
