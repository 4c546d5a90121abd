// The review never loses the uploader's work: problems show on their fields
// as the uploader edits (a table that exists, a name used twice), a failed
// ingest leaves the upload and leads back to the review with every choice,
// and the same upload then ingests.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { shots, missing, startInlet, launchBrowser, refusedByCSP, createFirstAdmin } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`keeping the uploader's work (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, setupURL, browser, page, csp;
  const dir = mkdtempSync(join(tmpdir(), "inlet-e2e-keep-"));

  before(async () => {
    ({ server, setupURL } = await startInlet(join(dir, "data")));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    csp = refusedByCSP(page);
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    assert.deepEqual(csp ?? [], [], "the page needed something the Content-Security-Policy refused");
  });

  test("problems on their fields before Ingest, and a failed job returns to the review", async () => {
    await createFirstAdmin(page, setupURL);

    const csv = join(dir, "orders.csv");
    writeFileSync(csv, "order_id,region,amount,comment\n1,north,10.50,first\n2,south,7.25,second\n3,east,3.00,third\n");
    await page.setInputFiles("#file", csv);
    await page.getByRole("heading", { name: "Review orders.csv" }).waitFor({ timeout: 20000 });
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "uploads.orders" }).waitFor({ timeout: 30000 });

    // The same file again: the table exists, said on the field at once.
    await page.getByRole("link", { name: "Upload", exact: true }).click();
    await page.setInputFiles("#file", csv);
    await page.getByRole("heading", { name: "Review orders.csv" }).waitFor({ timeout: 20000 });
    await page.getByText(/table uploads.orders already exists/).waitFor();
    // Two columns renamed to one name: the problem is on the column.
    await page.getByLabel("Name of column comment").fill("region");
    await page.getByText(/column region is also named region|also named region/).first().waitFor();
    await page.screenshot({ path: join(shots, "40-review-problems.png"), fullPage: true });
    await page.getByLabel("Name of column comment").fill("note");
    await page.getByRole("button", { name: "Append to it" }).click();
    await page.waitForFunction(() => !document.body.innerText.includes("already exists"));

    // A choice only the data can refuse: comment as a number, stop on error.
    await page.getByLabel("Type of column comment").selectOption("bigint");
    await page.getByLabel("When a value does not fit").selectOption("fail");
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "Ingest failed" }).waitFor({ timeout: 30000 });
    await page.screenshot({ path: join(shots, "41-job-failed.png"), fullPage: true });
    await page.getByRole("link", { name: "Back to the review, with your choices" }).click();
    await page.getByRole("heading", { name: "Review orders.csv" }).waitFor({ timeout: 20000 });
    assert.equal(await page.getByLabel("Type of column comment").inputValue(), "bigint");
    assert.equal(await page.getByLabel("Name of column comment").inputValue(), "note");
    assert.equal(await page.getByLabel("Write mode").inputValue(), "append");
    await page.getByLabel("Type of column comment").selectOption("string");
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "Ingested" }).waitFor({ timeout: 30000 });
    await page.waitForURL(/\/tables\/uploads\/orders$/, { timeout: 10000 });
    await page.locator("table.list").first().filter({ hasText: "note" }).waitFor();
    await page.getByText(/^6 rows/).waitFor();

    // Undo the last upload, then delete the table, confirmed by name.
    page.on("dialog", (d) => d.accept());
    await page.getByText("Undo or delete").click();
    await page.getByRole("button", { name: "Undo the last upload" }).click();
    await page.getByText(/^3 rows/).waitFor({ timeout: 20000 });
    await page.screenshot({ path: join(shots, "42-table-rolled-back.png"), fullPage: true });
    await page.getByText("Undo or delete").click();
    await page.getByRole("button", { name: "Delete the table" }).click();
    await page.getByText("Type uploads.orders exactly to delete it.").waitFor();
    await page.getByLabel("Type uploads.orders to confirm").fill("uploads.orders");
    await page.getByRole("button", { name: "Delete the table" }).click();
    await page.getByRole("heading", { name: "Tables" }).waitFor();
    assert.doesNotMatch(await page.locator("body").innerText(), /uploads\.orders/);
  });
}
