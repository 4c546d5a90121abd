// The table page as an analyst uses it: column profiles, expectations that
// block a bad append (and the way back to the review), upsert from the
// review, time travel to an earlier snapshot, comparing two snapshots, and
// the skipped rows' download.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { missing, startInlet, launchBrowser, refusedByCSP, createFirstAdmin, shotAtBothWidths } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`the table page (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, setupURL, browser, page, csp;
  const dir = mkdtempSync(join(tmpdir(), "inlet-e2e-tables-"));

  before(async () => {
    ({ server, setupURL } = await startInlet(join(dir, "data")));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    csp = refusedByCSP(page);
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    assert.deepEqual(csp ?? [], [], "the page needed something the Content-Security-Policy refused");
  });

  const upload = async (name, body) => {
    const path = join(dir, name);
    writeFileSync(path, body);
    await page.getByRole("link", { name: "Upload", exact: true }).click();
    await page.setInputFiles("#file", path);
    await page.getByRole("heading", { name: `Review ${name}` }).waitFor({ timeout: 20000 });
  };

  test("profiles, expectations, upsert, time travel, compare and rejects", async () => {
    await createFirstAdmin(page, setupURL);
    let csv = "id,email,status,amount\n";
    for (let i = 1; i <= 30; i++) csv += `${i},user${i}@example.com,${["open", "closed", "held"][i % 3]},${i % 7 === 0 ? "" : (i * 1.5).toFixed(2)}\n`;
    await upload("orders.csv", csv);
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "uploads.orders" }).waitFor({ timeout: 30000 });

    // Profiles: counts for every column, values never for the hashed email.
    const row = (name) => page.locator("table.columns tbody tr").filter({ has: page.locator("code", { hasText: new RegExp(`^${name}$`) }) });
    assert.match(await row("amount").innerText(), /4 \(13 %\)/);
    assert.match(await row("amount").innerText(), /1\.50\s*–\s*45\.00/);
    assert.match(await row("email").innerText(), /not shown: personal data/);
    const status = page.locator("details.profile").filter({ has: page.locator("code", { hasText: /^status$/ }) });
    await status.locator("summary").click();
    assert.match(await status.locator("table.bars").innerText(), /closed\s+10\n[^]*held\s+10[^]*open\s+10/);
    await shotAtBothWidths(page, "60-table-profiles");

    // An expectation: amounts between 0 and 100.
    await page.getByRole("button", { name: "Add expectations" }).click();
    await page.getByRole("button", { name: "Add a rule" }).click();
    await page.getByLabel("Rule 1: kind").selectOption("range");
    await page.getByLabel("Rule 1: column").selectOption("amount");
    await page.getByLabel("Rule 1: maximum").fill("100");
    await page.getByLabel("Rule 1: minimum").fill("0");
    await page.getByRole("button", { name: "Save expectations" }).click();
    await page.getByText("amount is within 0 – 100").waitFor();

    // A bad append is refused with its line, and the review keeps the choices.
    await upload("more.csv", "id,email,status,amount\n31,new@example.com,open,5.00\n32,x@example.com,open,-5.00\n");
    await page.getByLabel("Write mode").selectOption("append");
    await page.getByLabel("Table", { exact: true }).fill("orders");
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "Ingest failed" }).waitFor({ timeout: 30000 });
    await page.getByText(/amount must be between 0 and 100: 1 row \(line 3\)/).waitFor();
    await page.getByRole("link", { name: "Back to the review, with your choices" }).click();
    await page.getByRole("heading", { name: "Review more.csv" }).waitFor({ timeout: 20000 });
    assert.equal(await page.getByLabel("Write mode").inputValue(), "append");

    // The same upload as an upsert on id, its bad amount fixed is not
    // possible here: upsert another file instead.
    await upload("fix.csv", "id,email,status,amount\n2,user2@example.com,closed,9.99\n40,n40@example.com,open,1.25\n");
    await page.getByLabel("Table", { exact: true }).fill("orders");
    await page.getByLabel("Write mode").selectOption("upsert");
    assert.equal(await page.getByLabel("Merge key (columns)").inputValue(), "id");
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByText(/1 updated, 1 inserted/).waitFor({ timeout: 30000 });
    await page.getByRole("heading", { name: "uploads.orders" }).waitFor({ timeout: 30000 });
    await page.getByText("31 rows", { exact: false }).first().waitFor();

    // Time travel: the first snapshot had 30 rows.
    const options = await page.locator("#snapshot-pick option").allInnerTexts();
    assert.equal(options.length, 2, `snapshots to pick: ${options}`);
    await page.locator("#snapshot-pick").selectOption({ index: 1 });
    await page.getByText(/You are looking at uploads.orders as of/).waitFor();
    await page.getByText("30 rows", { exact: false }).first().waitFor();
    await shotAtBothWidths(page, "61-table-as-of");
    // The workspace reads the table at that snapshot too.
    await page.getByRole("link", { name: "Query this snapshot" }).click();
    await page.getByText(/uploads.orders at snapshot/).waitFor({ timeout: 20000 });
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await page.getByText(/^30 rows/).first().waitFor({ timeout: 20000 });
    await page.goBack();
    await page.getByText(/You are looking at uploads.orders as of/).waitFor();
    await page.getByRole("link", { name: "Back to the current version" }).click();
    await page.getByText("31 rows", { exact: false }).first().waitFor();

    // Compare the two snapshots.
    await page.getByRole("button", { name: "Compare" }).click();
    await page.getByText("30 → 31 rows (+1)").waitFor();
    await page.getByText(/upsert of 2 rows from fix.csv .* \(1 updated, 1 inserted\)/).waitFor();
    await shotAtBothWidths(page, "62-table-compare");

    // Skipped rows come back as a download on the job page.
    await upload("rough.csv", "id,email,status,amount\n50,a50@example.com,open,1\n51,a51@example.com,open,lots\n");
    await page.getByLabel("Table", { exact: true }).fill("rough");
    await page.getByLabel("Type of column amount").selectOption("double");
    await page.getByLabel("When a value does not fit").selectOption("skip");
    await page.getByRole("button", { name: "Ingest" }).click();
    const link = page.getByRole("link", { name: "Download the skipped rows (CSV)" });
    await link.waitFor({ timeout: 30000 });
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const text = await (await download.createReadStream()).toArray().then((b) => Buffer.concat(b).toString());
    assert.match(text, /^line,column,reason,id,email,status,amount\n3,amount,value is not a valid double,51,[0-9a-f]{64},open,lots\n$/);
    await shotAtBothWidths(page, "63-job-rejects");
  });
}
