// Personal data in the browser: an admin sets the tenant's rules, an
// analyst reviews a German HR export (phones read as German numbers, a
// possible finding that waits for a decision, a column marked by hand with
// what it holds, a generalised postcode, redacted notes) and the table shows
// what was done to each column.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { shots, missing, startInlet, launchBrowser, refusedByCSP, createFirstAdmin, shotAtBothWidths } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`personal data in the browser (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, base, setupURL, browser, page, csp;
  const dir = mkdtempSync(join(tmpdir(), "inlet-e2e-pii-"));

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

  test("tenant rules, then a German HR export reviewed and ingested", async () => {
    await createFirstAdmin(page, setupURL);

    // The admin's rules: German numbers by default, a cost centre column
    // that is always personal data, a staff number pattern.
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Personal data rules" }).waitFor();
    await page.getByLabel("Default phone region").selectOption("DE");
    await page.getByLabel("Columns always treated as personal data").fill("Kostenstelle");
    await page.getByRole("button", { name: "Add a custom entity" }).click();
    await page.getByLabel("Name", { exact: true }).fill("staff_no");
    await page.getByLabel("Pattern (whole value, RE2)").fill("EMP-(\\d{6}");
    await page.getByRole("button", { name: "Save rules" }).click();
    // A bad pattern is refused on its field, and nothing is saved.
    await page.getByText(/not a regular expression/).first().waitFor();
    assert.equal(await page.getByLabel("Pattern (whole value, RE2)").getAttribute("aria-invalid"), "true");
    await page.getByLabel("Pattern (whole value, RE2)").fill("EMP-\\d{6}");
    await page.getByLabel("Header words").fill("personalnummer");
    await page.getByRole("button", { name: "Save rules" }).click();
    await page.getByText(/Version 1, saved by ada@example.com/).waitFor();
    await shot("20-settings");

    const rows = ["Personalnummer;Vorname;Familienname;Festnetz;Geburtsdatum;PLZ;Kostenstelle;Kundennummer;Notiz"];
    const first = ["Jürgen", "Anna", "Lukas", "Marie", "Paul", "Sophie", "Felix", "Lena"];
    const last = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann"];
    for (let i = 0; i < 60; i++) {
      const note = i % 4 === 0 ? `Rückfragen bitte an kollege${i}@example.de senden` : i % 4 === 1 ? "Urlaub im August geplant" : "";
      rows.push([`EMP-${String(100000 + i)}`, first[i % 8], last[(i * 3) % 8], `030 1234${String(5600 + i)}`,
        `${String(1 + (i % 28)).padStart(2, "0")}.${String(1 + (i % 12)).padStart(2, "0")}.${1960 + (i % 40)}`,
        String(10115 + i * 37), `KST-${i % 5}`, `K${String(70000 + i * 13)}`, note].join(";"));
    }
    const csv = join(dir, "personal.csv");
    writeFileSync(csv, rows.join("\n") + "\n");
    await page.getByRole("link", { name: "Upload", exact: true }).click();
    await page.setInputFiles("#file", csv);
    await page.getByRole("heading", { name: "Review personal.csv" }).waitFor({ timeout: 20000 });

    const columns = page.locator("table.columns");
    const row = (source) => columns.locator("tr", { has: page.locator(".source", { hasText: new RegExp(`^${source}$`) }) });
    // Certain findings are protected by default, with their reasons.
    for (const c of ["Personalnummer", "Vorname", "Familienname", "Festnetz", "Geburtsdatum", "Kostenstelle"]) {
      assert.equal(await page.getByLabel(`Action for column ${c}`).inputValue(), "hash", c);
    }
    assert.equal(await page.getByLabel("Action for column Notiz").inputValue(), "redact");
    assert.match(await row("Notiz").innerText(), /Contains email address/);
    assert.match(await row("Festnetz").innerText(), /Read as Germany/);
    assert.match(await row("Personalnummer").innerText(), /staff_no/);
    assert.match(await row("Kostenstelle").innerText(), /tenant's rules \(version 1\)/);
    assert.equal(await page.getByLabel("Phone numbers without a country code are from").inputValue(), "DE");
    // A postcode is only possibly personal: it waits for a decision.
    assert.match(await row("PLZ").innerText(), /possibly postcode/);
    assert.equal(await page.getByLabel("Action for column PLZ").inputValue(), "");
    // Marking a column by hand asks what it holds.
    await page.getByLabel("Action for column Kundennummer").selectOption("hash");
    await page.getByRole("button", { name: "Ingest" }).click();
    const alert = page.locator(".error[role=alert]");
    await alert.waitFor();
    assert.match(await alert.innerText(), /2 columns need your decision before the ingest: PLZ, Kundennummer/);
    assert.match(await row("PLZ").innerText(), /Decide: protect it/);
    assert.match(await row("Kundennummer").innerText(), /Say what this column holds/);
    await shot("21-review-decisions");

    await page.getByLabel("Action for column PLZ").selectOption("generalise");
    await page.getByLabel("What column Kundennummer holds").selectOption("personal_data");
    // Another region for this file only: the file is inspected again and
    // every decision made so far stays.
    await page.getByLabel("Phone numbers without a country code are from").selectOption("AT");
    await page.waitForFunction(() => document.querySelector("select[name=phone_region]")?.value === "AT");
    await page.getByLabel("Phone numbers without a country code are from").selectOption("DE");
    await row("Festnetz").getByText(/Read as Germany/).waitFor();
    assert.equal(await page.getByLabel("Action for column PLZ").inputValue(), "generalise");
    assert.equal(await page.getByLabel("What column Kundennummer holds").inputValue(), "personal_data");
    assert.ok(!(await page.locator("table.preview").innerText()).includes("Müller"), "the preview shows a raw name");
    await page.getByLabel("Table", { exact: true }).fill("staff");
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.getByRole("heading", { name: "uploads.staff" }).waitFor({ timeout: 30000 });
    const schema = await page.locator("table.list").first().innerText();
    assert.match(schema, /festnetz\s+string\s+phone number · hashed/);
    assert.match(schema, /plz\s+string\s+postcode · generalised \(outward part \/ first 3 digits\)/);
    assert.match(schema, /kundennummer\s+string\s+personal data · hashed/);
    assert.match(schema, /personalnummer\s+string\s+staff_no · hashed/);
    assert.match(schema, /notiz\s+string\s+free text with personal data inside · redacted/);
    const sample = page.getByRole("region", { name: "Sample rows" });
    await sample.locator("td").first().waitFor();
    const text = await sample.innerText();
    assert.doesNotMatch(text, /@example\.de|Müller|030 1234/);
    assert.match(text, /Rückfragen bitte an \[email:[0-9a-f]{64}\] senden/);
    await shot("22-table-pii");
  });
}
