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

// createFirstAdmin signs up the first admin through the one-time setup link.
export async function createFirstAdmin(page, setupURL, name = "Ada Admin") {
  await page.goto(setupURL);
  await page.getByLabel("Email").fill("ada@example.com");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await page.getByRole("heading", { name: "Upload a file" }).waitFor();
}

// shotAtBothWidths takes a screenshot at 1280 and at 390 px and fails if
// anything but a scrolling preview grid is wider than the phone.
export async function shotAtBothWidths(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(shots, `${name}-phone.png`), fullPage: true });
  const wide = await page.evaluate(() => [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > innerWidth + 1 && !el.closest(".grid-wrap"))
    .map((el) => `${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""} “${el.textContent.trim().slice(0, 30)}”`));
  await page.setViewportSize({ width: 1280, height: 860 });
  if (wide.length) throw new Error(`${name}: wider than a phone: ${wide.join(", ")}`);
}
