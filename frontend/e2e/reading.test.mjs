// Reading real-world files in the browser: a report with title rows and a
// Shift-JIS export. Where Inlet chose between readings the other is one
// click away, the preview follows, and the ingest uses what was chosen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { shots, missing, startInlet, launchBrowser, refusedByCSP, createFirstAdmin, shotAtBothWidths } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`reading real-world files (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, setupURL, browser, page, csp;
  const dir = mkdtempSync(join(tmpdir(), "inlet-e2e-reading-"));

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

  const shot = (name) => shotAtBothWidths(page, name);

  test("title rows and encodings are one click away, and the ingest keeps the choice", async () => {
    await createFirstAdmin(page, setupURL);

    const report = join(dir, "report.csv");
    writeFileSync(report, "Quarterly report,,,\nGenerated 2024-01-05,,,\nregion,q1,q2,q3\nnorth,1,2,3\nsouth,4,5,6\neast,7,8,9\n");
    await page.setInputFiles("#file", report);
    await page.getByRole("heading", { name: "Review report.csv" }).waitFor({ timeout: 20000 });
    const summary = page.locator("section.review > p.muted").first();
    assert.match(await summary.innerText(), /2 title rows skipped/);
    const preview = page.locator("table.preview");
    await shot("30-reading-title-rows");

    // The other reading, in one click: the title rows are data too.
    await page.getByRole("button", { name: "Keep the first 2 rows" }).click();
    await page.waitForFunction(() => !document.querySelector("section.review > p.muted")?.textContent?.includes("title rows skipped"));
    await page.getByRole("button", { name: "First row is the header" }).waitFor();
    // And back through the reading controls.
    await page.getByText("How the file is read").click();
    await page.getByLabel("Title rows to skip").fill("2");
    await page.getByLabel("Title rows to skip").press("Enter");
    await page.getByLabel("Title rows to skip").blur();
    await summary.filter({ hasText: /2 title rows skipped/ }).waitFor();
    // Null markers are shown and editable for this file.
    assert.match(await page.getByLabel("Read as NULL (comma-separated)").inputValue(), /N\/A/);
    await page.getByLabel("Read as NULL (comma-separated)").fill("north");
    await page.getByLabel("Read as NULL (comma-separated)").press("Enter");
    await page.getByText("1 of 3 read as NULL").waitFor();
    await page.getByLabel("Read as NULL (comma-separated)").fill("NULL, null, NA, N/A, n/a, #N/A, None, nil");
    await page.getByLabel("Read as NULL (comma-separated)").blur();
    await page.waitForFunction(() => !document.body.innerText.includes("1 of 3 read as NULL"));
    assert.match(await preview.innerText(), /north/);
    await page.getByLabel("Table", { exact: true }).fill("quarterly");
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "uploads.quarterly" }).waitFor({ timeout: 30000 });
    const schema = await page.locator("table.list").first().innerText();
    assert.match(schema, /region\s+string/);
    assert.match(schema, /q1\s+bigint/);

    // A Shift-JIS export: the guess is named, and the others offered.
    const sjis = Buffer.from([
      0x96, 0xbc, 0x91, 0x4f, 0x2c, 0x8f, 0x5a, 0x8f, 0x8a, 0x0a, // 名前,住所
      0x8e, 0x52, 0x93, 0x63, 0x91, 0xbe, 0x98, 0x59, 0x2c, 0x93, 0x8c, 0x8b, 0x9e, 0x93, 0x73, 0x0a, // 山田太郎,東京都
      0x8d, 0xb2, 0x93, 0xa1, 0x89, 0xd4, 0x8e, 0x71, 0x2c, 0x91, 0xe5, 0x8d, 0xe3, 0x95, 0x7b, 0x0a, // 佐藤花子,大阪府
    ]);
    writeFileSync(join(dir, "kunden.csv"), sjis);
    await page.getByRole("link", { name: "Upload", exact: true }).click();
    await page.setInputFiles("#file", join(dir, "kunden.csv"));
    await page.getByRole("heading", { name: "Review kunden.csv" }).waitFor({ timeout: 20000 });
    assert.match(await page.locator(".warning").allInnerTexts().then((t) => t.join("\n")), /Shift-JIS/);
    await page.getByText("How the file is read").click();
    assert.equal(await page.getByLabel("Encoding").inputValue(), "");
    await page.locator(".suggestions button", { hasText: /^Encoding: / }).first().waitFor();
    await shot("31-reading-encoding");

    // A malformed row is shown, not fatal: skipping it is one click.
    const rows = ["id,city"];
    for (let i = 1; i <= 30; i++) rows.push(i === 12 ? "12,Lyon,extra" : `${i},city${i}`);
    writeFileSync(join(dir, "cities.csv"), rows.join("\n") + "\n");
    await page.getByRole("link", { name: "Upload", exact: true }).click();
    await page.setInputFiles("#file", join(dir, "cities.csv"));
    await page.getByRole("heading", { name: "Review cities.csv" }).waitFor({ timeout: 20000 });
    assert.match(await page.locator(".warning").allInnerTexts().then((t) => t.join("\n")), /lines 13/);
    await page.getByRole("button", { name: "Skip malformed rows" }).click();
    assert.equal(await page.getByLabel("When a value does not fit").inputValue(), "skip");
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "Ingested" }).waitFor({ timeout: 30000 });
    assert.match(await page.locator("body").innerText(), /1 row was skipped|line 13/);
  });
}
