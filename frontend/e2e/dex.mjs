// Dex, the OIDC provider of the browser tests: a real one, run on
// 127.0.0.1 from the binary scripts/test builds and caches (INLET_DEX_BIN,
// else ~/.cache/inlet-testkit/bin/dex-v2.45.1). Under CI=true a missing
// Dex is a failure, not a skip.
import { spawn } from "node:child_process";
import { existsSync, writeFileSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

export const dexBin = process.env.INLET_DEX_BIN ?? join(homedir(), ".cache", "inlet-testkit", "bin", "dex-v2.45.1");

// dexMissing names Dex if its binary is not there, or is "".
export function dexMissing() {
  if (existsSync(dexBin)) return "";
  const m = `Dex at ${dexBin} (run ./scripts/test, which builds it, or set INLET_DEX_BIN)`;
  if (process.env.CI === "true") throw new Error(`the OIDC browser test needs ${m}`);
  return m;
}

// freePort returns a port of 127.0.0.1 that was free a moment ago: Dex must
// know Inlet's callback address before either starts.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// startDex starts Dex with memory storage, one static client and static
// passwords (users: { email, hash (bcrypt), name, groups }), no approval
// screen; it resolves with the issuer URL once discovery answers.
export async function startDex({ clientID, clientSecret, redirectURIs, users }) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/dex`;
  const dir = mkdtempSync(join(tmpdir(), "inlet-dex-"));
  const config = {
    issuer, storage: { type: "memory" }, web: { http: `127.0.0.1:${port}` },
    oauth2: { skipApprovalScreen: true, responseTypes: ["code"] }, enablePasswordDB: true,
    staticClients: [{ id: clientID, secret: clientSecret, name: "Inlet", redirectURIs }],
    staticPasswords: users.map((u, i) => ({ email: u.email, hash: u.hash, username: u.name, name: u.name, userID: `dex-user-${i + 1}`, groups: u.groups })),
  };
  const file = join(dir, "dex.yaml");
  writeFileSync(file, JSON.stringify(config, null, 2)); // JSON is YAML
  const proc = spawn(dexBin, ["serve", file], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proc.stdout.on("data", (d) => (log += d));
  proc.stderr.on("data", (d) => (log += d));
  let exited = null;
  proc.on("exit", (code) => (exited = code));
  for (const deadline = Date.now() + 30000; ; ) {
    if (exited !== null) throw new Error(`dex exited ${exited}: ${log}`);
    try {
      const r = await fetch(issuer + "/.well-known/openid-configuration");
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) { proc.kill(); throw new Error("dex did not start in 30 s: " + log); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, issuer, log: () => log };
}
