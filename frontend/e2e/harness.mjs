// What the browser tests share: the inlet binary and Debian's Chromium, an
// inlet server on a fresh data directory, and a headless browser.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const bin = process.env.INLET_BIN ?? join(import.meta.dirname, "..", "..", "bin", "inlet");
export const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const shots = join(import.meta.dirname, "screenshots");
mkdirSync(shots, { recursive: true });

// missing names what the browser tests cannot run without, or is "".
// Under CI=true a missing component is a failure, not a skip.
export function missing() {
  const m = !existsSync(chromiumPath) ? `Chromium at ${chromiumPath}` : !existsSync(bin) ? `the inlet binary at ${bin}` : "";
  if (m && process.env.CI === "true") throw new Error(`browser tests need ${m}`);
  return m;
}

// startInlet runs `inlet serve` on a free port and resolves with its base
// URL and the one-time setup link.
export async function startInlet(dataDir) {
  const server = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const { base, setupURL } = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("inlet did not start: " + out)), 20000);
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/running at (http:\/\/[0-9.:]+)/);
      const s = out.match(/(http:\/\/\S+\/setup#\S+)/);
      if (m && s) { clearTimeout(timer); resolve({ base: m[1], setupURL: s[1] }); }
    });
    server.on("exit", (code) => reject(new Error(`inlet exited ${code}: ${out}`)));
  });
  return { server, base, setupURL };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

// refusedByCSP collects what the Content-Security-Policy blocked on a
// page: a test fails if the page needs anything the policy refuses.
export function refusedByCSP(page) {
  const refused = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  return refused;
}
