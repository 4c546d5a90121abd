// Scheduled exports in real headless Chromium: an analyst makes a weekly
// schedule from a template's page (Repeat, a time and zone, keep, shared
// with a customer), runs it now from the Exports page, sees the export
// appear there, and the customer sees it on My exports.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { missing, startInlet, launchBrowser, refusedByCSP, createFirstAdmin, shotAtBothWidths, inviteCustomer as invite } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`schedules (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, base, setupURL, browser, admin, page, csp;
  const dir = mkdtempSync(join(tmpdir(), "inlet-e2e-schedules-"));

  before(async () => {
    ({ server, base, setupURL } = await startInlet(join(dir, "data"), { args: ["--webhook-allow-loopback"] }));
    browser = await launchBrowser();
    admin = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: "Europe/Berlin" });
    page = await admin.newPage();
    csp = refusedByCSP(page);
    await createFirstAdmin(page, setupURL);
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    assert.deepEqual(csp ?? [], [], "the page needed something the Content-Security-Policy refused");
  });

  const inviteCustomer = (email) => invite(browser, page, base, email);

  test("a weekly schedule from a template's page runs now and reaches the customer", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const csv = join(dir, "sales.csv");
    writeFileSync(csv, `day,region,amount\n${today},EU,12.50\n2001-01-01,EU,3.00\n${today},US,7.25\n`);
    await page.setInputFiles("#file", csv);
    await page.getByRole("heading", { name: "Review sales.csv" }).waitFor({ timeout: 20000 });
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "uploads.sales" }).waitFor({ timeout: 30000 });
    const buyer = await inviteCustomer("buyer@acme.example");

    // A template with a relative date range, made over the API.
    const tpl = await page.evaluate(async () => {
      const csrf = (await (await fetch("/api/v1/session")).json()).csrf_token;
      const r = await fetch("/api/v1/templates", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ name: "Weekly sales", description: "Sales of a date range", sql: "SELECT day, region, amount FROM uploads.sales WHERE day >= {{period.start}} AND day < {{period.end}} ORDER BY day",
          params: [{ name: "period", type: "date_range", label: "Period", required: true }] }) });
      return r.json();
    });
    assert.ok(tpl.id, JSON.stringify(tpl));

    await page.goto(`${base}/templates/${tpl.id}`);
    await page.getByLabel("Period preset").selectOption("last_7_days");
    await page.getByText("Export the results").click();
    await page.getByLabel("Share with buyer@acme.example").check();
    await page.getByLabel("Repeat", { exact: true }).selectOption("weekly");
    assert.equal(await page.getByLabel("Time zone").inputValue(), "Europe/Berlin", "the zone defaults to the browser's");
    await page.getByLabel("On", { exact: true }).selectOption("monday");
    await page.getByLabel("At", { exact: true }).fill("07:30");
    await page.getByLabel("Keep the last").fill("3");
    // A bad zone is refused on its field.
    await page.getByLabel("Time zone").fill("Mars/Olympus");
    await page.getByRole("button", { name: "Create schedule" }).click();
    await page.getByText(/unknown time zone "Mars\/Olympus"/).first().waitFor();
    await page.getByLabel("Time zone").fill("Europe/Berlin");
    await page.getByLabel("Webhook (optional)").fill("http://127.0.0.1:9/inlet-hook");
    await shotAtBothWidths(page, "80-schedule-form");
    await page.getByRole("button", { name: "Create schedule" }).click();
    const secret = await page.getByLabel("Webhook secret").inputValue();
    assert.match(secret, /^whsec_[\w-]{20,}$/);
    await shotAtBothWidths(page, "81-webhook-secret");
    await page.getByRole("button", { name: "Go to exports" }).click();

    // The Exports page lists it, in words, with its next run; Run now makes an export.
    await page.getByRole("heading", { name: "Schedules" }).waitFor();
    const row = page.locator("tr[data-schedule]", { hasText: "Weekly_sales" });
    assert.match(await row.innerText(), /Every Monday at 07:30 \(Europe\/Berlin\)/);
    assert.match(await row.innerText(), /last 3/);
    await row.getByRole("button", { name: "Run now: Weekly_sales" }).click();
    const made = page.locator("tr[data-export]", { hasText: /Weekly_sales_\d{4}-\d\d-\d\d_\d{4}/ });
    await made.getByText("succeeded").waitFor({ timeout: 30000 });
    assert.match(await made.innerText(), /buyer@acme\.example/);
    await shotAtBothWidths(page, "82-schedules-list");
    await row.getByRole("button", { name: "Pause Weekly_sales" }).click();
    await row.getByText("paused").waitFor();
    await row.getByRole("button", { name: "Resume Weekly_sales" }).waitFor();

    // The customer sees the run's export on their page, with only the last 7 days' rows.
    await buyer.reload();
    const mine = buyer.locator("tr", { hasText: /Weekly_sales_/ });
    await mine.waitFor();
    assert.equal(await mine.locator('td[data-label="Rows"]').innerText(), "2", "today's two rows, not 2001's");
    await shotAtBothWidths(buyer, "83-my-exports-scheduled");
    assert.equal((await buyer.request.get(base + "/api/v1/schedules")).status(), 403, "a customer reaches no schedule");
  });
}
