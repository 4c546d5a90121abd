// Sign-in through an OIDC provider in real headless Chromium, with Dex as
// the provider: the sign-in page offers "Sign in with Dex" and, with
// --password-login=false, no password form; Dex's own login page takes the
// password; the browser lands in the tenant, with the role, that the
// groups claim maps to; signing out comes back to the sign-in page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { missing, startInlet, launchBrowser, refusedByCSP, shotAtBothWidths } from "./harness.mjs";
import { dexMissing, freePort, startDex } from "./dex.mjs";

// bcrypt (cost 10) of "olga's dex password", for Dex's static password.
const olgaHash = "$2a$10$kVK30AGjYeEbLKgLoPIjye9dujtsrwu/DwvGPx7AJVX86SrKW0t5a";

const skip = missing() || dexMissing();
if (skip) {
  test(`oidc (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, base, both, bothBase, dex, browser, page, csp;
  const dir = mkdtempSync(join(tmpdir(), "inlet-oidc-"));

  before(async () => {
    const port = await freePort(), port2 = await freePort();
    const callback = (p) => `http://127.0.0.1:${p}/api/v1/auth/oidc/callback`;
    dex = await startDex({
      clientID: "inlet", clientSecret: "dex-client-secret", redirectURIs: [callback(port), callback(port2)],
      users: [{ email: "olga@example.com", hash: olgaHash, name: "Olga Analyst", groups: ["staff", "inlet-acme-analysts"] }],
    });
    process.env.INLET_OIDC_CLIENT_SECRET = "dex-client-secret"; // the secret from the environment, as a deployment passes it
    ({ server, base } = await startInlet(join(dir, "data"), {
      setup: false,
      args: ["--addr", `127.0.0.1:${port}`, "--oidc-issuer", dex.issuer, "--oidc-client-id", "inlet", "--oidc-name", "Dex",
        "--oidc-role-map", "inlet-acme-admins=acme:admin,inlet-acme-analysts=acme:analyst", "--password-login=false"],
    }));
    // A second server keeps password sign-in on, beside the provider.
    ({ server: both, base: bothBase } = await startInlet(join(dir, "both"), {
      args: ["--addr", `127.0.0.1:${port2}`, "--oidc-issuer", dex.issuer, "--oidc-client-id", "inlet", "--oidc-name", "Dex",
        "--oidc-role-map", "inlet-acme-analysts=acme:analyst"],
    }));
    delete process.env.INLET_OIDC_CLIENT_SECRET;
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    csp = refusedByCSP(page);
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    both?.kill("SIGTERM");
    dex?.proc.kill("SIGTERM");
    assert.deepEqual(csp ?? [], [], "the page needed something the Content-Security-Policy refused");
  });

  test("the sign-in page offers the provider and no password form", async () => {
    await page.goto(base + "/tables");
    const sso = page.getByRole("link", { name: "Sign in with Dex" });
    await sso.waitFor();
    assert.equal(await page.getByLabel("Password").count(), 0, "password sign-in is off: no password field");
    await shotAtBothWidths(page, "signin-oidc");
  });

  test("signing in through Dex's login page lands in the tenant with the role of the groups claim", async () => {
    await page.getByRole("link", { name: "Sign in with Dex" }).click();
    await page.waitForURL((u) => u.href.startsWith(dex.issuer));
    await page.locator("#login").fill("olga@example.com");
    await page.locator("#password").fill("olga's dex password");
    await page.locator("button[type=submit]").click();
    // Back in Inlet, on the page the sign-in started from.
    await page.getByRole("heading", { name: "Tables", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/tables");
    assert.equal(await page.locator(".user-name").textContent(), "Olga Analyst");
    await page.locator("select.tenant option", { hasText: "acme (analyst)" }).waitFor({ state: "attached" });
    assert.equal(await page.locator("select.tenant").inputValue(), "acme");
    // An analyst's pages, not an admin's.
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Exports" }).waitFor();
    assert.equal(await nav.getByRole("link", { name: "Team" }).count(), 0);
    const s = await page.evaluate(() => fetch("/api/v1/session").then((r) => r.json()));
    assert.equal(s.tenant, "acme");
    assert.equal(s.role, "analyst");
  });

  test("signing out comes back to the provider's button", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in with Dex" }).waitFor();
    const r = await page.evaluate(() => fetch("/api/v1/session").then((r) => r.status));
    assert.equal(r, 401);
  });

  test("with password sign-in on too, the page offers both", async () => {
    const p = await page.context().browser().newPage({ viewport: { width: 1280, height: 860 } });
    await p.goto(bothBase + "/");
    await p.getByRole("link", { name: "Sign in with Dex" }).waitFor();
    await p.getByLabel("Password").waitFor();
    await p.getByRole("button", { name: "Sign in" }).waitFor();
    await shotAtBothWidths(p, "signin-oidc-password");
    await p.close();
  });

  test("a refused sign-in says why on the sign-in page", async () => {
    await page.goto(base + "/login?sign_in_error=no_role");
    await page.getByRole("alert").filter({ hasText: "has no role in Inlet" }).waitFor();
    await page.getByRole("link", { name: "Sign in with Dex" }).waitFor();
  });
}
