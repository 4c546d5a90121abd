// Package frontend embeds the built web UI (Vite + TypeScript, built into
// dist/ui by `npm run build`; scripts/run and scripts/test build it). A binary
// built without it still works: the server then says how to build the UI.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// FS returns the built UI, or nil when this binary was built without it.
func FS() fs.FS {
	sub, err := fs.Sub(dist, "dist/ui")
	if err != nil {
		return nil
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil
	}
	return sub
}
