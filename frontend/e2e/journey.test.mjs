// The browser journey, in real headless Chromium (Debian's) driven by
// playwright-core: first admin through the setup link, upload a CSV with
// personal data, review (rename, retype, change a PII action), ingest, land
// on the table page; a bad file shows its error. Screenshots of each screen
// go to e2e/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { writeXLSX } from "./xlsx.mjs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { missing, startInlet, launchBrowser, refusedByCSP, shotAtBothWidths } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`browser journey (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, base, setupURL, browser, page, csp;
  const dir = mkdtempSync(join(tmpdir(), "inlet-e2e-"));

  before(async () => {
    ({ server, base, setupURL } = await startInlet(join(dir, "data")));
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

  test("setup link → first admin → upload → review → ingest → table", async () => {
    await page.goto(setupURL);
    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Your name").fill("Ada Admin");
    await page.getByLabel("Password").fill("a long enough password");
    await shot("01-setup");
    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.getByRole("heading", { name: "Upload a file" }).waitFor();
    await shot("02-upload");

    const rows = ["Customer ID,E-mail,Full Name,Phone,Amount,Signup Date"];
    for (let i = 0; i < 300; i++) {
      rows.push(`${1000 + i},person${i}@example.com,${["John Smith", "Mary Jones", "Li Wei", "Ana García"][i % 4]},+1 415-555-${String(1000 + i).slice(-4)},${(i * 1.25).toFixed(2)},${String(1 + (i % 28)).padStart(2, "0")}/0${1 + (i % 9)}/2024`);
    }
    const csv = join(dir, "customers.csv");
    writeFileSync(csv, rows.join("\n") + "\n");
    await page.setInputFiles("#file", csv);
    await page.getByRole("heading", { name: "Review customers.csv" }).waitFor({ timeout: 20000 });
    // PII is found and hashed by default; its preview is masked.
    assert.equal(await page.getByLabel("Action for column E-mail").inputValue(), "hash");
    assert.equal(await page.getByLabel("Action for column Full Name").inputValue(), "hash");
    assert.ok(!(await page.locator("table.preview").innerText()).includes("person1@example.com"), "the preview shows a raw email");
    await page.getByLabel("Name of column Customer ID").fill("id");
    await page.getByLabel("Type of column Amount").selectOption("double");
    await page.getByLabel("Action for column Phone").selectOption("drop");
    await page.getByLabel("Table", { exact: true }).fill("customers");
    await shot("03-review");
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "uploads.customers" }).waitFor({ timeout: 30000 });
    await shot("04-table");
    const schema = await page.locator("table.list").first().innerText();
    assert.match(schema, /\bid\b\s+bigint/);
    assert.match(schema, /amount\s+double/);
    assert.match(schema, /email\s+string\s+email address · hashed/);
    assert.doesNotMatch(schema, /phone/);
    // Sample rows show what the lake holds: hashes, never the raw emails.
    const sample = page.getByRole("region", { name: "Sample rows" });
    await sample.locator("td").first().waitFor();
    const sampleText = await sample.innerText();
    assert.match(sampleText, /\b[0-9a-f]{64}\b/);
    assert.doesNotMatch(sampleText, /@example\.com/);
    const history = await page.locator("table.list").nth(1).innerText();
    assert.match(history, /customers\.csv/);
    assert.match(history, /phone: drop/);

    // Description and owner are editable; search finds tables by column.
    await page.getByRole("button", { name: "Edit description and owner" }).click();
    await page.getByLabel("Description").fill("Customers from the CRM export, hashed PII.");
    await page.getByLabel("Owner").fill("growth team");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Owner: growth team").waitFor();
    await page.getByRole("link", { name: "Tables" }).click();
    await page.getByLabel("Search tables and columns").fill("signup");
    const found = await page.locator("table.list").innerText();
    assert.match(found, /uploads\.customers/);
    assert.match(found, /columns: signup_date/);
    assert.match(found, /Customers from the CRM export/);
    await shot("05-tables-search");
  });

  test("an admin invites someone to another tenant, who cannot see this tenant's tables", async () => {
    await page.goto(base + "/team");
    await page.getByLabel("Tenant id").fill("acme");
    await page.getByLabel("Name", { exact: true }).fill("Acme Corp");
    await page.getByRole("button", { name: "Create tenant" }).click();
    await page.getByRole("heading", { name: "Tenant acme" }).waitFor();
    const box = page.locator(".tenant-box", { hasText: "Tenant acme" });
    await box.getByLabel("Invite by email").fill("ann@example.com");
    await box.getByLabel("Role", { exact: true }).selectOption("analyst");
    await box.getByRole("button", { name: "Create invite link" }).click();
    const link = await box.getByLabel("Invite link").inputValue();
    assert.match(link, /\/invite#[\w-]{20,}$/);
    await shot("08-team");

    // Ann, in her own browser session.
    const ann = await browser.newContext();
    const annPage = await ann.newPage();
    await annPage.goto(link);
    await annPage.getByLabel("Your name").fill("Ann Analyst");
    await annPage.getByLabel("Password").fill("ann's long password");
    await shotAtBothWidths(annPage, "08-join");
    await annPage.getByRole("button", { name: "Join" }).click();
    await annPage.getByRole("heading", { name: "Upload a file" }).waitFor();
    assert.equal(await annPage.getByLabel("Tenant").inputValue(), "acme");
    await annPage.goto(base + "/tables");
    await annPage.getByText("No tables yet").waitFor();
    await annPage.goto(base + "/tables/uploads/customers");
    assert.match(await annPage.getByRole("alert").innerText(), /does not exist/);
    await shotAtBothWidths(annPage, "09-other-tenant");
    await ann.close();
  });

  test("an XLSX workbook: pick the sheet, ingest, see hashes and the sheet in the lineage", async () => {
    const book = join(dir, "crm.xlsx");
    const rows = [["Full Name", "Email", "Joined", "Amount"]];
    for (let i = 0; i < 50; i++) rows.push([["Ann Lee", "Bo Chan", "Cy Diaz"][i % 3], `member${i}@example.org`, new Date(Date.UTC(2023, 0, 1 + i)), i + 0.5]);
    writeXLSX(book, { Notes: [["Export of the CRM"], ["do not edit"]], Customers: rows });
    await page.goto(base + "/upload");
    await page.setInputFiles("#file", book);
    await page.getByRole("heading", { name: "Review crm.xlsx" }).waitFor({ timeout: 20000 });
    await page.getByLabel("Sheet").selectOption("Customers");
    await page.getByLabel("Action for column Email").waitFor();
    assert.equal(await page.getByLabel("Action for column Email").inputValue(), "hash");
    assert.match(await page.locator("table.columns").innerText(), /date \(inferred\)/);
    assert.match(await page.locator("main").innerText(), /sheet “Customers”, with a header · 50 rows sampled/);
    await page.getByLabel("Table", { exact: true }).fill("members");
    await shot("06-xlsx-review");
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "uploads.members" }).waitFor({ timeout: 30000 });
    const sample = page.getByRole("region", { name: "Sample rows" });
    await sample.locator("td").first().waitFor();
    const text = await sample.innerText();
    assert.match(text, /\b[0-9a-f]{64}\b/);
    assert.match(text, /2023-01-0\d/);
    assert.doesNotMatch(text, /@example\.org|Ann Lee/);
    assert.match(await page.locator("table.list").nth(1).innerText(), /crm\.xlsx \(Customers\)/);
  });

  test("append shows a schema diff before committing", async () => {
    await page.goto(base + "/upload");
    const more = join(dir, "more.csv");
    writeFileSync(more, "Customer ID,E-mail,Full Name,Amount,Signup Date,Region\n9001,new@example.com,Zoë Kim,3.50,05/05/2024,north\n");
    await page.setInputFiles("#file", more);
    await page.getByRole("heading", { name: "Review more.csv" }).waitFor({ timeout: 20000 });
    await page.getByLabel("Name of column Customer ID").fill("id");
    await page.getByLabel("Type of column Amount").selectOption("double");
    await page.getByLabel("Table", { exact: true }).fill("customers");
    await page.getByLabel("Write mode").selectOption("append");
    const diff = page.locator(".diff");
    await diff.getByText("New columns").waitFor();
    const text = await diff.innerText();
    assert.match(text, /New columns: region \(string\)/);
    assert.match(text, /Type changes: none/);
    await shot("07-append-diff");
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "uploads.customers" }).waitFor({ timeout: 30000 });
    assert.match(await page.locator("main").innerText(), /301 rows/);
  });

  test("an upload survives a dropped connection and a page reload", async () => {
    const big = join(dir, "big.csv");
    const rows = ["id,email,note"];
    for (let i = 0; rows.length * 60 < 80 << 20; i++) rows.push(`${i},user${i}@example.com,${"x".repeat(30)}`);
    writeFileSync(big, rows.join("\n") + "\n");
    // Pieces are slowed down so the upload is still going when the page
    // reloads, and the connection drops under the second piece: tus-js-client
    // retries from the server's offset.
    let patches = 0, dropped = false;
    await page.route("**/api/v1/tus/**", async (route) => {
      if (route.request().method() !== "PATCH") return route.continue().catch(() => {});
      patches++;
      if (patches === 2 && !dropped) { dropped = true; return route.abort("connectionreset"); }
      await new Promise((r) => setTimeout(r, 400));
      // The reload may have cancelled this request meanwhile.
      return route.continue().catch(() => {});
    });
    await page.goto(base + "/upload");
    await page.setInputFiles("#file", big);
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith("tus::")), null, { timeout: 20000 });
    while (patches < 3) await page.waitForTimeout(50);
    await page.unroute("**/api/v1/tus/**");
    await page.reload();
    const offsets = [];
    page.on("request", (r) => { if (r.method() === "PATCH" && r.url().includes("/api/v1/tus/")) offsets.push(Number(r.headers()["upload-offset"])); });
    await page.setInputFiles("#file", big);
    await page.getByRole("heading", { name: "Review big.csv" }).waitFor({ timeout: 60000 });
    // A 10 000-row preview: only the rows in view are in the page.
    const preview = page.getByRole("region", { name: "Preview of the first rows" });
    assert.equal(await preview.locator("table").getAttribute("aria-rowcount"), "10001");
    assert.ok((await preview.locator("tbody tr").count()) < 200, "the preview renders every row");
    await preview.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await preview.locator("tbody td", { hasText: /^9999$/ }).waitFor();
    assert.ok(dropped, "the connection was not dropped");
    assert.ok(offsets.length > 0 && offsets[0] > 0, `after the reload the upload restarted at ${offsets[0]}, want where it stopped`);
  });

  test("a bad file shows a clear error and no review", async () => {
    await page.goto(base + "/upload");
    const bad = join(dir, "ragged.csv");
    writeFileSync(bad, "a,b,c\n1,2,3\n4,5\n");
    await page.setInputFiles("#file", bad);
    const alert = page.getByRole("alert");
    await alert.waitFor({ timeout: 20000 });
    assert.match(await alert.innerText(), /ragged\.csv: line 3, column 3: expected 3 fields, found 2/);
    await shot("10-bad-file");
  });
}
