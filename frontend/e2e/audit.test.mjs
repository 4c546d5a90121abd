// The audit log page in real headless Chromium: an admin finds it next to
// Team, sees who did what (emails next to ids, a failed sign-in without an
// actor), filters by an action family with the filters kept in the URL,
// pages back with "Load more", and downloads the same filtered view as CSV.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { missing, startInlet, launchBrowser, refusedByCSP, createFirstAdmin, shotAtBothWidths } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`audit (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, base, setupURL, browser, page, csp;
  const consoleErrors = [];
  const dir = mkdtempSync(join(tmpdir(), "inlet-audit-"));

  before(async () => {
    ({ server, base, setupURL } = await startInlet(join(dir, "data")));
    browser = await launchBrowser();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    page = await ctx.newPage();
    csp = refusedByCSP(page);
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    await createFirstAdmin(page, setupURL);
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    assert.deepEqual(csp ?? [], [], "the page needed something the Content-Security-Policy refused");
  });

  const signIn = (email, password) => fetch(base + "/api/v1/session", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password }),
  });

  test("the log shows who did what; failed sign-ins have no actor and no email", async () => {
    assert.equal((await signIn("ghost@example.com", "not a password")).status, 401);
    assert.equal((await signIn("ada@example.com", "not the password")).status, 401);
    // A token made on the Tokens page, as a person would.
    await page.goto(base + "/tokens");
    await page.getByLabel("Name").fill("for the audit");
    await page.getByRole("button", { name: "Create token" }).click();
    await page.getByText("Copy this token now").waitFor();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    const rows = page.locator("table.audit-log tbody tr");
    const created = rows.filter({ hasText: "token.create" });
    await created.first().waitFor();
    assert.match(await created.first().innerText(), /ada@example\.com/, "the actor's email is shown next to the id");
    const failed = rows.filter({ hasText: "session.sign_in" }).filter({ hasText: "failed" });
    assert.equal(await failed.count(), 2);
    const text = await failed.allInnerTexts();
    assert.ok(text.every((t) => /unknown/.test(t) && /email sha256/.test(t)), "a failed sign-in names no actor, only the email's hash");
    assert.ok(text.every((t) => !/ghost@|ada@/.test(t)), "no attempted email in the clear");
    await shotAtBothWidths(page, "audit");
  });

  test("filters apply on submit, stay in the URL, and page back with Load more", async () => {
    // Sixty tokens made and revoked: more than a page.
    await page.evaluate(async () => {
      const s = await (await fetch("/api/v1/session")).json();
      const headers = { "Content-Type": "application/json", "X-CSRF-Token": s.csrf_token };
      for (let i = 0; i < 60; i++) {
        const r = await (await fetch("/api/v1/tokens", { method: "POST", headers, body: JSON.stringify({ name: `t${i}`, role: "viewer" }) })).json();
        await fetch(`/api/v1/tokens/${r.token.id}`, { method: "DELETE", headers });
      }
    });
    await page.goto(base + "/audit");
    const rows = page.locator("table.audit-log tbody tr");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 50, "one page of 50");
    await page.getByRole("button", { name: "Load more" }).click();
    await page.waitForFunction(() => document.querySelectorAll("table.audit-log tbody tr").length > 50);
    assert.equal(await rows.count(), 100);
    assert.equal(await rows.nth(50).locator("td").first().innerText() !== "", true);

    await page.getByLabel("Action").fill("session.");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/\/audit\?action=session\.$/);
    await page.waitForFunction(() => [...document.querySelectorAll("table.audit-log tbody tr")].length === 2);
    const actions = await page.locator("table.audit-log tbody tr td:nth-child(3)").allInnerTexts();
    assert.ok(actions.every((a) => a.startsWith("session.")), `only session events: ${actions}`);
    assert.equal(await page.getByRole("button", { name: "Load more" }).count(), 0, "no more pages");
    // A reload keeps the filter.
    await page.reload();
    await page.getByRole("heading", { name: "Audit log" }).waitFor();
    assert.equal(await page.getByLabel("Action").inputValue(), "session.");
    assert.equal(await rows.count(), 2);

    // The CSV has the same filter.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    const csv = readFileSync(await download.path(), "utf8").trim().split("\n");
    assert.equal(csv[0], "seq,at,actor,actor_email,action,object,ip,outcome,detail");
    assert.equal(csv.length, 3, csv.join("\n"));
    assert.ok(csv.slice(1).every((l) => l.split(",")[4] === "session.sign_in"), csv.join("\n"));

    // Clicking an object shows only its events; a date range that excludes today finds nothing.
    await page.goto(base + "/audit?action=token.");
    await page.locator("table.audit-log tbody tr td.object a").first().click();
    await page.waitForURL(/object=token%3A/);
    await page.waitForFunction(() => document.querySelectorAll("table.audit-log tbody tr").length === 2);
    await page.goto(base + "/audit?from=2001-01-01&to=2001-01-31");
    await page.getByText("No events match these filters.").waitFor();
    await page.goto(base + "/audit?action=session.");
    await rows.first().waitFor();
    await shotAtBothWidths(page, "audit-filtered");
    assert.deepEqual(consoleErrors, []);
  });
}
