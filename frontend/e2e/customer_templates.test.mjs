// Templates shared with customers, in real headless Chromium: an analyst
// shares a template with customer A, pinning A's shop id; A signs in, runs
// it from their exports page with a date, downloads the file and finds only
// their rows. A cannot run a template not shared with them, nor override
// the pinned value by sending it, also by direct API call; B sees nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { missing, startInlet, launchBrowser, refusedByCSP, createFirstAdmin, shotAtBothWidths, inviteCustomer as invite } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`customer templates (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, base, setupURL, browser, admin, page, csp;
  const dir = mkdtempSync(join(tmpdir(), "inlet-e2e-custtmpl-"));

  before(async () => {
    ({ server, base, setupURL } = await startInlet(join(dir, "data")));
    browser = await launchBrowser();
    admin = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    page = await admin.newPage();
    csp = refusedByCSP(page);
    await createFirstAdmin(page, setupURL);
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    assert.deepEqual(csp ?? [], [], "the page needed something the Content-Security-Policy refused");
  });

  // api calls the API from a page, with its session and CSRF token.
  const api = (p, method, path, body) => p.evaluate(async ({ method, path, body }) => {
    const csrf = (await (await fetch("/api/v1/session")).json()).csrf_token;
    const r = await fetch("/api/v1" + path, { method, headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, { method, path, body });

  // fileOf waits for a customer's export to finish and returns its file's text.
  const fileOf = async (p, id) => {
    for (let i = 0; i < 300; i++) {
      const { body } = await api(p, "GET", "/my/exports");
      const e = body.exports.find((x) => x.id === id);
      assert.ok(e, `export ${id} is on the customer's list`);
      if (e.state === "succeeded") {
        const { body: link } = await api(p, "POST", `/my/exports/${id}/link`, { file: e.files[0].name });
        return p.evaluate(async (u) => (await fetch(u)).text(), link.url);
      }
      assert.ok(e.state === "queued" || e.state === "running", `export ended ${e.state}`);
      await p.waitForTimeout(100);
    }
    throw new Error(`export ${id} did not finish`);
  };

  test("a customer runs a template shared with them and gets only their rows", async () => {
    const csv = join(dir, "orders.csv");
    writeFileSync(csv, "id,shop,day,amount\n1,42,2026-01-01,10.5\n2,42,2026-01-05,20\n3,43,2026-01-05,30\n4,42,2026-01-09,40\n5,43,2026-01-09,50\n");
    await page.setInputFiles("#file", csv);
    await page.getByRole("heading", { name: "Review orders.csv" }).waitFor({ timeout: 20000 });
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "uploads.orders" }).waitFor({ timeout: 30000 });

    const a = await invite(browser, page, base, "buyer@shop42.example");
    const b = await invite(browser, page, base, "buyer@shop43.example");

    const made = await api(page, "POST", "/templates", { name: "Orders of a shop", description: "A shop's orders since a day",
      sql: "SELECT id, shop, day, amount FROM uploads.orders WHERE shop = {{customer_id}} AND day >= {{since}} ORDER BY id",
      params: [{ name: "customer_id", type: "number", required: true }, { name: "since", type: "date", label: "Since", required: true }] });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const tpl = made.body;
    const other = (await api(page, "POST", "/templates", { name: "All orders", sql: "SELECT * FROM uploads.orders" })).body;

    // The analyst shares it with A, pinned to shop 42, as CSV only.
    await page.goto(`${base}/templates/${tpl.id}`);
    await page.getByText("Share with a customer").click();
    const share = page.locator("form.share-form");
    await share.getByLabel("Customer", { exact: true }).selectOption({ label: "buyer@shop42.example" });
    await share.getByLabel("customer_id").fill("42");
    await share.getByLabel("Excel (XLSX)").uncheck();
    await shotAtBothWidths(page, "90-template-share");
    await share.getByRole("button", { name: "Share" }).click();
    await page.locator("tr[data-share]", { hasText: "buyer@shop42.example" }).waitFor();
    assert.match(await page.locator("tr[data-share]").innerText(), /customer_id = 42[\s\S]*CSV/);
    // A pin that is not a number is refused on its field.
    await share.getByLabel("Customer", { exact: true }).selectOption({ label: "buyer@shop43.example" });
    await share.getByLabel("customer_id").fill("forty-three");
    await share.getByRole("button", { name: "Share" }).click();
    await share.locator(".field-error", { hasText: /number/i }).first().waitFor();
    await share.getByLabel("customer_id").fill("");

    // A runs it from their page with a date, and downloads only shop 42's rows.
    await a.reload();
    await a.getByRole("heading", { name: "Templates" }).waitFor();
    assert.deepEqual(await a.getByLabel("Template").locator("option").allInnerTexts(), ["Orders of a shop"]);
    assert.equal(await a.getByLabel("customer_id").count(), 0, "the pinned parameter is not asked for");
    assert.doesNotMatch(await a.locator("main").innerText(), /SELECT|uploads\.orders/);
    await a.getByLabel("Since").fill("2026-01-02");
    assert.deepEqual(await a.getByLabel("Format").locator("option").allInnerTexts(), ["CSV"]);
    await shotAtBothWidths(a, "91-my-templates");
    await a.getByRole("button", { name: "Run" }).click();
    const row = a.locator("tr[data-export]", { hasText: "Orders_of_a_shop" });
    await row.getByRole("button", { name: "Download Orders_of_a_shop.csv" }).waitFor({ timeout: 30000 });
    await shotAtBothWidths(a, "92-my-templates-ran");
    const [download] = await Promise.all([a.waitForEvent("download"), row.getByRole("button", { name: "Download Orders_of_a_shop.csv" }).click()]);
    const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString();
    assert.equal(text, "id,shop,day,amount\r\n2,42,2026-01-05,20.00\r\n4,42,2026-01-09,40.00\r\n");

    // B has nothing shared, and no Templates section.
    await b.reload();
    await b.getByText("Nothing has been shared with you yet").waitFor();
    assert.equal(await b.getByRole("heading", { name: "Templates" }).count(), 0);

    // By direct API call: a template not shared with A is not found; a
    // pinned value A sends is overridden; an unknown parameter is refused.
    for (const id of [other.id, "no-such-template"]) {
      const r = await api(a, "POST", `/my/templates/${id}/exports`, { format: "csv" });
      assert.equal(r.status, 404, `A runs ${id}: ${JSON.stringify(r.body)}`);
    }
    assert.equal((await api(b, "POST", `/my/templates/${tpl.id}/exports`, { format: "csv", values: { since: ["2026-01-01"] } })).status, 404, "B runs A's share");
    const unknown = await api(a, "POST", `/my/templates/${tpl.id}/exports`, { format: "csv", values: { since: ["2026-01-01"], shop: ["43"] } });
    assert.equal(unknown.status, 400);
    assert.ok(unknown.body.error.fields.shop, JSON.stringify(unknown.body));
    assert.equal((await api(a, "POST", `/my/templates/${tpl.id}/exports`, { format: "xlsx", values: { since: ["2026-01-01"] } })).status, 400, "a format not allowed");
    const sneaky = await api(a, "POST", `/my/templates/${tpl.id}/exports`, { format: "csv", values: { since: ["2026-01-01"], customer_id: ["43"] } });
    assert.equal(sneaky.status, 201, JSON.stringify(sneaky.body));
    assert.equal(await fileOf(a, sneaky.body.id), "id,shop,day,amount\r\n1,42,2026-01-01,10.50\r\n2,42,2026-01-05,20.00\r\n4,42,2026-01-09,40.00\r\n");
    const templates = await api(a, "GET", "/my/templates");
    assert.doesNotMatch(JSON.stringify(templates.body), /SELECT|customer_id|"sql"/);
    // Staff routes stay closed to A.
    assert.equal((await api(a, "GET", `/templates/${tpl.id}/shares`)).status, 403);
    assert.equal((await api(a, "GET", `/templates/${tpl.id}`)).status, 403);
  });
}
