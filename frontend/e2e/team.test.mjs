// The Team page in real headless Chromium: an admin invites someone and
// copies the link, the join page says which email joins which tenant, the
// admin changes the member's role (never the last admin's) and removes
// them, a revoked invite's link fails with a page that says so, and
// signing in again lands in the tenant used last.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { missing, startInlet, launchBrowser, refusedByCSP, createFirstAdmin, shotAtBothWidths } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`team (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, base, setupURL, browser, admin, page, csp;
  const consoleErrors = [];
  const dir = mkdtempSync(join(tmpdir(), "inlet-team-"));
  let ann, annPage;

  before(async () => {
    ({ server, base, setupURL } = await startInlet(join(dir, "data")));
    browser = await launchBrowser();
    admin = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await admin.grantPermissions(["clipboard-read", "clipboard-write"]);
    page = await admin.newPage();
    csp = refusedByCSP(page);
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    await createFirstAdmin(page, setupURL);
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    assert.deepEqual(csp ?? [], [], "the page needed something the Content-Security-Policy refused");
  });

  const box = (tenant) => page.locator(".tenant-box", { hasText: `Tenant ${tenant}` });

  async function invite(tenant, email, role) {
    const b = box(tenant);
    await b.getByLabel("Invite by email").fill(email);
    await b.getByLabel("Role", { exact: true }).selectOption(role);
    await b.getByRole("button", { name: "Create invite link" }).click();
    await b.getByRole("button", { name: "Copy link" }).click();
    await b.getByText("Link copied.").waitFor();
    const link = await b.getByLabel("Invite link").inputValue();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, "the copied link is the one shown");
    assert.match(link, /\/invite#[\w-]{20,}$/);
    return link;
  }

  test("an admin invites and copies the link; the join page names the email and the tenant", async () => {
    await page.goto(base + "/team");
    // The browser checks the tenant id itself: its pattern compiles.
    await page.getByLabel("Tenant id").fill("Acme!");
    assert.equal(await page.getByLabel("Tenant id").evaluate((el) => el.validity.patternMismatch), true, "the browser checks the tenant id's pattern");
    await page.getByLabel("Tenant id").fill("acme");
    assert.equal(await page.getByLabel("Tenant id").evaluate((el) => el.validity.valid), true);
    await page.getByLabel("Name", { exact: true }).fill("Acme Corp");
    await page.getByRole("button", { name: "Create tenant" }).click();
    await page.getByRole("heading", { name: "Tenant acme" }).waitFor();
    const link = await invite("acme", "ann@example.com", "analyst");
    assert.match(await box("acme").locator("table.invites").innerText(), /ann@example\.com\s+analyst/);
    assert.deepEqual(consoleErrors.filter((e) => /pattern/i.test(e)), [], "the tenant id's pattern is a valid regular expression");

    ann = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    annPage = await ann.newPage();
    await annPage.goto(link);
    await annPage.getByRole("heading", { name: "Join Acme Corp" }).waitFor();
    assert.equal(await annPage.getByLabel("Email").inputValue(), "ann@example.com");
    assert.match(await annPage.locator(".card").innerText(), /tenant Acme Corp \(acme\) as an analyst/);
    await shotAtBothWidths(annPage, "team-join");
    await annPage.getByLabel("Your name").fill("Ann Analyst");
    await annPage.getByLabel("Password").fill("ann's long password");
    await annPage.getByRole("button", { name: "Join" }).click();
    await annPage.getByRole("heading", { name: "Upload a file" }).waitFor();
    assert.equal(await annPage.getByLabel("Tenant").inputValue(), "acme");
  });

  test("the admin changes a role, cannot demote the last admin, and removes a member, whose open session loses the tenant", async () => {
    await page.goto(base + "/team");
    const b = box("acme");
    await b.getByLabel("Role of ann@example.com").selectOption("viewer");
    await b.getByRole("status").filter({ hasText: "ann@example.com is now a viewer in acme." }).waitFor();
    // The last admin: refused, and the choice goes back.
    await b.getByLabel("Role of ada@example.com").selectOption("analyst");
    assert.match(await b.getByRole("alert").innerText(), /last admin of tenant acme/);
    assert.equal(await b.getByLabel("Role of ada@example.com").inputValue(), "admin");
    await page.reload();
    await box("acme").getByLabel("Role of ann@example.com").waitFor();
    assert.equal(await box("acme").getByLabel("Role of ann@example.com").inputValue(), "viewer", "the role change was saved");
    await invite("acme", "bob@example.com", "viewer");
    await shotAtBothWidths(page, "team-members");

    await box("acme").getByRole("button", { name: "Remove ann@example.com" }).click();
    const confirm = box("acme").getByRole("group", { name: "Confirm removing ann@example.com" });
    await shotAtBothWidths(page, "team-remove-confirm");
    await confirm.getByRole("button", { name: "Remove" }).click();
    await box("acme").getByRole("status").filter({ hasText: "ann@example.com was removed from acme" }).waitFor();
    // The list is drawn again from the server after the message.
    await box("acme").locator("table.members tr", { hasText: "ann@example.com" }).waitFor({ state: "detached" });
    assert.doesNotMatch(await box("acme").locator("table.members").innerText(), /ann@example\.com/);

    // Ann's browser still holds her session, without the tenant.
    await annPage.goto(base + "/tables");
    assert.match(await annPage.getByRole("alert").innerText(), /you are not a member/);
    await ann.close();
  });

  test("a revoked invite's link fails with a page that says so", async () => {
    await page.goto(base + "/team");
    const link = await invite("acme", "cy@example.com", "viewer");
    await box("acme").getByRole("button", { name: "Revoke the invite for cy@example.com" }).click();
    await box("acme").getByRole("status").filter({ hasText: "The invite for cy@example.com was revoked" }).waitFor();
    // The list is drawn again from the server after the message.
    await box("acme").locator("table.invites tr", { hasText: "cy@example.com" }).waitFor({ state: "detached" });
    assert.doesNotMatch(await box("acme").locator("table.invites").innerText(), /cy@example\.com/);

    const cy = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const cyPage = await cy.newPage();
    await cyPage.goto(link);
    await cyPage.getByRole("heading", { name: "This invite link does not work" }).waitFor();
    assert.match(await cyPage.locator(".card").innerText(), /This invite link was revoked by an admin of tenant acme/);
    await shotAtBothWidths(cyPage, "team-revoked");
    await cy.close();
  });

  test("signing in again lands in the tenant used last", async () => {
    await page.goto(base + "/tables");
    await page.getByLabel("Tenant").selectOption("acme");
    await page.waitForURL(/\/tables$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Upload a file" }).waitFor();
    await page.getByRole("option", { name: "default (admin)" }).waitFor({ state: "attached" });
    assert.equal(await page.getByLabel("Tenant").inputValue(), "acme");
  });
}
