// Data exports in real headless Chromium: an analyst exports a table from
// its page and shares it with a customer; the customer signs in, sees only
// that export, downloads it, and reaches nothing else (also by direct URL);
// a tampered and an expired link show a page that says so.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { missing, startInlet, launchBrowser, refusedByCSP, createFirstAdmin, shotAtBothWidths, inviteCustomer as invite } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`exports (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, base, setupURL, browser, admin, page, csp;
  const dir = mkdtempSync(join(tmpdir(), "inlet-e2e-exports-"));

  before(async () => {
    ({ server, base, setupURL } = await startInlet(join(dir, "data")));
    browser = await launchBrowser();
    admin = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    await admin.grantPermissions(["clipboard-read", "clipboard-write"]);
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

  test("an analyst shares an export; the customer downloads only theirs", async () => {
    const csv = join(dir, "orders.csv");
    writeFileSync(csv, "id,region,note,amount\n1,EU,=1+1,-12.50\n2,US,plain,3.00\n3,EU,ok,7.25\n");
    await page.setInputFiles("#file", csv);
    await page.getByRole("heading", { name: "Review orders.csv" }).waitFor({ timeout: 20000 });
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "uploads.orders" }).waitFor({ timeout: 30000 });

    const buyer = await inviteCustomer("buyer@acme.example");
    const other = await inviteCustomer("buyer@globex.example");
    assert.match(await buyer.locator("main").innerText(), /Nothing has been shared with you yet/);

    // The export, from the table page: EU rows only, shared with one customer.
    await page.goto(base + "/tables/uploads/orders");
    await page.getByText("Export", { exact: true }).click();
    await page.getByLabel("Only rows where (optional)").fill("region = {{r}}");
    await page.getByLabel("Values for the filter").fill("r=EU");
    await page.getByLabel("Share with buyer@acme.example").check();
    await shotAtBothWidths(page, "70-export-form");
    await page.getByRole("button", { name: "Create export" }).click();
    await page.getByRole("heading", { name: "Exports", level: 1 }).waitFor();
    await page.locator("tr", { hasText: "uploads_orders" }).getByText("succeeded").waitFor({ timeout: 30000 });
    await shotAtBothWidths(page, "71-exports-list");
    // The analyst copies a link and opens it: the file downloads.
    await page.getByRole("button", { name: "Copy link to uploads_orders.csv" }).click();
    const staffLink = await page.getByRole("link", { name: "Open it" }).getAttribute("href");
    assert.match(staffLink, /\/d\/default\/exp-[\w-]+\/uploads_orders\.csv\?/);

    // The customer sees it and downloads a formula-safe file.
    await buyer.reload();
    await buyer.getByRole("button", { name: "Download uploads_orders.csv" }).waitFor();
    assert.match(await buyer.locator("main").innerText(), /2\s+/); // rows
    await shotAtBothWidths(buyer, "72-my-exports");
    const [download] = await Promise.all([buyer.waitForEvent("download"), buyer.getByRole("button", { name: "Download uploads_orders.csv" }).click()]);
    const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString();
    assert.equal(download.suggestedFilename(), "uploads_orders.csv");
    assert.equal(text, "id,region,note,amount\r\n1,EU,'=1+1,-12.50\r\n3,EU,ok,7.25\r\n");

    // The other customer sees nothing; neither reaches a staff page.
    assert.match(await other.locator("main").innerText(), /Nothing has been shared with you yet/);
    for (const path of ["/tables", "/tables/uploads/orders", "/query", "/exports", "/team", "/audit"]) {
      await buyer.goto(base + path);
      await buyer.getByRole("heading", { name: "My exports" }).waitFor();
      assert.equal(new URL(buyer.url()).pathname, "/my/exports", `${path} leads a customer to their exports`);
    }
    assert.deepEqual(await buyer.locator("header nav a").allInnerTexts(), ["My exports"]);
    const res = await buyer.request.get(base + "/api/v1/tables");
    assert.equal(res.status(), 403);

    // A tampered link and an expired one say so.
    const tampered = staffLink.replace(/exp=\d+/, "exp=9999999999");
    await buyer.goto(tampered);
    await buyer.getByRole("heading", { name: "This link is not valid" }).waitFor();
    await shotAtBothWidths(buyer, "73-link-not-valid");
    // Expired: a link signed with the server's own current key, for a time
    // already past (as the server signs: see export/links.go).
    const ring = JSON.parse(readFileSync(join(dir, "data", "keys", "links.json"), "utf8"));
    const [, tenant, id, file] = new URL(staffLink).pathname.split("/").slice(1);
    const iat = Math.floor(Date.now() / 1000) - 7200, exp = iat + 3600;
    const msg = `inlet-export-link/v1\n${tenant}\n${id}\n${file}\n${iat}\n${exp}\n${ring.current}`;
    const sig = createHmac("sha256", Buffer.from(ring.keys[ring.current].secret, "base64")).update(msg).digest("base64url");
    await buyer.goto(`${base}/d/${tenant}/${id}/${file}?iat=${iat}&exp=${exp}&kid=${ring.current}&sig=${sig}`);
    await buyer.getByRole("heading", { name: "This link has expired" }).waitFor();
  });
}
