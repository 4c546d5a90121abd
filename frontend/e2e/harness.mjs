// What the browser tests share: the inlet binary and Debian's Chromium, an
// inlet server on a fresh data directory, and a headless browser.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
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
// URL and the one-time setup link; args are more flags, and setup: false
// does not wait for a setup link (with --password-login=false none is printed).
export async function startInlet(dataDir, { args = [], setup = true } = {}) {
  const server = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const { base, setupURL } = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("inlet did not start: " + out)), 20000);
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/running at (http:\/\/[0-9.:]+)/);
      const s = out.match(/(http:\/\/\S+\/setup#\S+)/);
      if (m && (s || !setup)) { clearTimeout(timer); resolve({ base: m[1], setupURL: s?.[1] }); }
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

// shotAtBothWidths takes a screenshot at 1280 and at 390 px and, at each
// width, fails on what a person would trip over: a serious or critical
// accessibility violation (axe-core), a control that cuts its own text, and,
// on the phone, a page that scrolls sideways (only a box that scrolls, such
// as a grid, may be wider than it).
export async function shotAtBothWidths(page, name) {
  const was = page.viewportSize();
  const problems = [];
  for (const [width, height, file] of [[1280, 860, name], [390, 844, `${name}-phone`]]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(150); // the grids redraw on the next frame
    await page.screenshot({ path: join(shots, `${file}.png`), fullPage: true });
    problems.push(...(await axeViolations(page)).map((v) => `${width} px: ${v}`));
    problems.push(...(await truncatedControls(page)).map((t) => `${width} px: cut off: ${t}`));
    if (width < 400) problems.push(...(await widerThanViewport(page)).map((w) => `${width} px: wider than a phone: ${w}`));
  }
  await page.setViewportSize(was ?? { width: 1280, height: 860 });
  if (problems.length) throw new Error(`${name}:\n  ${problems.join("\n  ")}`);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// axeViolations runs axe-core on the page and lists each serious or critical
// violation: rule, impact, the elements and what to do. It is evaluated
// through the DevTools protocol, which the page's CSP (script-src 'self')
// does not govern, so the page itself runs under its real policy.
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 6) }));
  });
  return violations.map((v) => `axe ${v.id} (${v.impact}): ${v.help} — ${v.targets.join(", ")}`);
}

// truncatedControls lists the visible selects, inputs and buttons whose text
// does not fit: a select narrower than its chosen option needs, a date input
// narrower than its own field, a value or a button label that scrolls.
export function truncatedControls(page) {
  return page.evaluate(() => {
    const out = [];
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden" && !el.closest(".visually-hidden, .cm-editor, [aria-hidden=true]");
    const describe = (el) => `${el.tagName.toLowerCase()}${el.getAttribute("aria-label") ? ` “${el.getAttribute("aria-label")}”` : el.id ? `#${el.id}` : ""} “${(el.value ?? el.textContent ?? "").toString().trim().slice(0, 40)}”`;
    // needed is the width the control takes when it sizes itself to its text.
    const needed = (el, text) => {
      const probe = el.cloneNode(false);
      if (el.tagName === "SELECT") { probe.removeAttribute("multiple"); probe.removeAttribute("size"); probe.append(new Option(text)); }
      probe.removeAttribute("id");
      const cs = getComputedStyle(el);
      for (const p of ["font", "letter-spacing", "padding", "border", "box-sizing", "text-transform"]) probe.style.setProperty(p, cs.getPropertyValue(p));
      for (const [p, v] of [["position", "absolute"], ["visibility", "hidden"], ["width", "auto"], ["min-width", "0"], ["max-width", "none"], ["flex", "none"]]) probe.style.setProperty(p, v);
      document.body.append(probe);
      const w = probe.getBoundingClientRect().width;
      probe.remove();
      return w;
    };
    for (const el of document.querySelectorAll("select, input, button")) {
      if (!visible(el)) continue;
      const width = el.getBoundingClientRect().width;
      if (el.tagName === "SELECT") {
        if (el.multiple || el.size > 1) { // a list box: its options must fit its width
          if (el.scrollWidth > el.clientWidth + 1) out.push(describe(el));
          continue;
        }
        const text = el.selectedOptions[0]?.text ?? "";
        if (text && width + 1 < needed(el, text)) out.push(describe(el));
      } else if (el.tagName === "INPUT") {
        if (["checkbox", "radio", "file", "hidden", "range", "color"].includes(el.type)) continue;
        if (el.readOnly) continue; // a value made to be copied (a link, a token) may scroll
        if (["date", "datetime-local", "time", "month", "week"].includes(el.type)) {
          if (width + 1 < needed(el, "")) out.push(describe(el));
        } else if (el.value && el.scrollWidth > el.clientWidth + 1) out.push(describe(el));
      } else if (el.scrollWidth > el.clientWidth + 1) out.push(describe(el));
    }
    return out;
  });
}

// widerThanViewport lists what sticks out of the page at its width, except
// inside a box that scrolls sideways (a grid, a code block).
export function widerThanViewport(page) {
  return page.evaluate(() => {
    const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) if (/auto|scroll/.test(getComputedStyle(p).overflowX) && p !== document.documentElement && p !== document.body) return true; return false; };
    const out = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > innerWidth + 1 && !scrolls(el) && !el.closest(".visually-hidden"))
      .map((el) => `${el.tagName.toLowerCase()}${typeof el.className === "string" && el.className ? "." + el.className.split(" ").join(".") : ""} “${el.textContent.trim().slice(0, 30)}”`);
    if (!out.length && document.documentElement.scrollWidth > innerWidth + 1) out.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    return out;
  });
}

// inviteCustomer has the admin on page invite email as a customer of the
// default tenant, and returns a new browser context's page signed in as
// that customer, on their exports page.
export async function inviteCustomer(browser, page, base, email) {
  await page.goto(base + "/team");
  const b = page.locator(".tenant-box", { hasText: "Tenant default" });
  await b.getByLabel("Invite by email").fill(email);
  await b.getByLabel("Role", { exact: true }).selectOption("customer");
  await b.getByRole("button", { name: "Create invite link" }).click();
  const link = await b.getByLabel("Invite link").inputValue();
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  const p = await ctx.newPage();
  await p.goto(link);
  await p.getByLabel("Your name").fill(email.split("@")[0]);
  await p.getByLabel("Password").fill("a long customer password");
  await p.getByRole("button", { name: "Join" }).click();
  await p.getByRole("heading", { name: "My exports" }).waitFor();
  return p;
}
