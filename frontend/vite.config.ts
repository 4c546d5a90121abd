import { defineConfig } from "vite";

// The built UI is embedded into the Go binary (frontend/embed.go). It goes to
// dist/ui so that dist/.gitkeep, which lets a build without the UI compile, stays.
export default defineConfig({
  build: { outDir: "dist/ui", emptyOutDir: true, assetsDir: "assets", sourcemap: false, target: "es2022" },
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
});
