// The query workspace in real headless Chromium: write SQL with completion,
// run it, chart and download the result, see an escape attempt refused,
// save a template with a date range and a multi-select, run it from its
// generated form, and scroll a 100 000-row result.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { bin, missing, startInlet, launchBrowser, refusedByCSP, createFirstAdmin, shotAtBothWidths } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`workspace (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, base, setupURL, browser, page, csp;
  const dir = mkdtempSync(join(tmpdir(), "inlet-ws-"));
  const data = join(dir, "data");
  const regions = ["eu", "us", "apac", "latam"];
  const orders = [];

  before(async () => {
    // 100 000 orders, ingested with the CLI into the data dir the server uses.
    const rows = ["Order ID,Customer Email,Region,Order Date,Amount"];
    for (let i = 0; i < 100000; i++) {
      const day = new Date(Date.UTC(2026, 0, 1) + (i % 300) * 86400000).toISOString().slice(0, 10);
      const o = { id: i + 1, region: regions[i % 4], day, amount: ((i % 997) * 1.5).toFixed(2) };
      orders.push(o);
      rows.push(`${o.id},buyer${i % 5000}@example.com,${o.region},${o.day},${o.amount}`);
    }
    const csv = join(dir, "orders.csv");
    writeFileSync(csv, rows.join("\n") + "\n");
    execFileSync(bin, ["ingest", csv, "--table", "sales.orders", "--data-dir", data], { stdio: "pipe" });

    ({ server, base, setupURL } = await startInlet(data));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    csp = refusedByCSP(page);
    await createFirstAdmin(page, setupURL, "Ada Analyst");
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    assert.deepEqual(csp ?? [], [], "the page needed something the Content-Security-Policy refused");
  });

  const shot = (name) => shotAtBothWidths(page, name);

  // setSQL replaces the editor's text by typing, as a person would.
  async function setSQL(sql) {
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(sql);
  }

  test("write a query, run it, chart it, download it", async () => {
    await page.getByRole("link", { name: "Query", exact: true }).click();
    await page.getByRole("heading", { name: "Query" }).waitFor();
    // Completion offers the tenant's tables.
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.type("SELECT region, count(*) AS orders, sum(amount) AS revenue FROM sales.or");
    // Each completion shows its kind in a word that renders in any font.
    const icon = page.locator(".cm-tooltip-autocomplete li", { hasText: /^orders/ }).first().locator(".cm-completionIcon");
    await icon.waitFor();
    assert.equal(await icon.evaluate((el) => getComputedStyle(el, "::after").content), '"tbl"');
    assert.ok((await icon.boundingBox()).width > 10, "the completion icon has no width");
    // Pick the table from the completion list (a click applies it; Enter
    // could race the list being redrawn as it filters).
    await page.locator(".cm-tooltip-autocomplete li", { hasText: /^orders/ }).first().click();
    await page.locator(".cm-content").press("End");
    await page.keyboard.type(" GROUP BY region ORD");
    // Keywords have their kind too.
    const kw = page.locator(".cm-tooltip-autocomplete li", { hasText: /^ORDER/ }).first().locator(".cm-completionIcon");
    await kw.waitFor();
    assert.equal(await kw.evaluate((el) => getComputedStyle(el, "::after").content), '"kw"');
    await page.keyboard.type("ER BY region");
    assert.match(await page.locator(".cm-content").innerText(), /FROM sales\.orders GROUP BY/);
    // Running closes the completion list instead of leaving it over the result.
    await page.keyboard.press("Control+Enter");
    await page.getByRole("status").filter({ hasText: "4 rows" }).waitFor();
    assert.equal(await page.locator(".cm-tooltip-autocomplete").count(), 0, "the completion list stayed open");
    const grid = await page.locator(".results-grid").innerText();
    for (const r of regions) assert.ok(grid.includes(r), `result lacks ${r}`);
    assert.ok(grid.includes("25000"), "each region has 25 000 orders");
    await shot("20-workspace-result");

    await page.getByRole("tab", { name: "Chart" }).click();
    await page.getByLabel("Values").selectOption({ label: "revenue" });
    await page.getByLabel("Chart type").selectOption("pie");
    await page.locator(".chart-box canvas").waitFor();
    await page.waitForTimeout(300);
    const drawn = await page.locator(".chart-box canvas").evaluate((c) => c.width > 0 && c.getContext("2d").getImageData(0, 0, c.width, c.height).data.some((v) => v !== 0));
    assert.ok(drawn, "the chart canvas is blank");
    await shot("21-workspace-chart");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    const csv = readFileSync(await download.path(), "utf8");
    assert.equal(csv.split("\n")[0], "region,orders,revenue");
    assert.equal(csv.trim().split("\n").length, 5);
  });

  test("an escape attempt is refused with the reason", async () => {
    await setSQL("SELECT * FROM read_csv('/etc/passwd')");
    await page.getByRole("button", { name: "Run" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /Refused: line 1, column 15: read_csv\(\) reads outside Inlet's tables/);
    await shot("22-workspace-refused");
  });

  test("a syntax error names its line and column and is marked in the editor", async () => {
    await setSQL("SELECT region,\n  count(*) AS orders n\nFROM sales.orders\nGROUP BY region");
    await page.getByRole("button", { name: "Run" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /line 2, column 22: syntax error at or near "n"/);
    const mark = page.locator(".cm-lintRange-error");
    await mark.waitFor();
    assert.equal(await mark.innerText(), "n");
    await shot("22b-workspace-syntax-error");
    // Fixed and run again, the mark goes.
    await setSQL("SELECT region,\n  count(*) AS orders\nFROM sales.orders\nWHERE region = 'eu'\nGROUP BY region");
    await page.keyboard.press("Control+Enter");
    await page.getByRole("status").filter({ hasText: "1 row" }).waitFor();
    assert.equal(await page.locator(".cm-lintRange-error").count(), 0);
  });

  test("a bare date range is explained, refused with its place, and rewritten at a click", async () => {
    await setSQL("SELECT count(*) AS n\nFROM sales.orders\nWHERE order_date = {{period}}");
    await page.getByLabel("Type of period").selectOption("date_range");
    await page.getByLabel("Default of period").selectOption("last_30_days");
    const note = page.locator(".range-notes").getByRole("status");
    await note.waitFor();
    assert.match(await note.innerText(), /\{\{period\}\} is a date range: two values, \{\{period\.start\}\} \(its first day\) and \{\{period\.end\}\}/);
    // Run as it is, the server says where and why.
    await page.getByRole("button", { name: "Run" }).click();
    const alert = page.locator(".query-out").getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /line 3, column 20: \{\{period\}\} is a date range, which is two values/);
    await page.locator(".cm-lintRange-error", { hasText: "{{period}}" }).waitFor();
    await shotAtBothWidths(page, "22c-workspace-bare-range");
    await note.getByRole("button", { name: /^Rewrite as/ }).click();
    assert.match(await page.locator(".cm-content").innerText(), /WHERE \(order_date >= \{\{period\.start\}\} AND order_date < \{\{period\.end\}\}\)$/);
    assert.equal(await page.locator(".range-notes").getByRole("status").count(), 0);
    await page.getByRole("button", { name: "Run" }).click();
    await page.locator(".query-out").getByRole("status").filter({ hasText: "1 row in" }).waitFor();
  });

  test("save a template with a date range and a multi-select, run it from its form", async () => {
    await setSQL("SELECT region, count(*) AS orders, sum(amount) AS revenue\nFROM sales.orders\nWHERE order_date >= {{period.start}} AND order_date < {{period.end}}\n[[AND region IN ({{regions}})]]\nGROUP BY region ORDER BY region");
    // The parameters are detected and typed from how the SQL uses them.
    assert.equal(await page.getByLabel("Type of period").inputValue(), "date_range");
    assert.equal(await page.getByLabel("Type of regions").inputValue(), "multi");
    await page.getByLabel("Choices of regions").fill("SELECT DISTINCT region FROM sales.orders ORDER BY 1");
    await page.getByLabel("Label of period").fill("Order date");
    await page.getByLabel("Default of period").selectOption("last_30_days");
    // Run it before saving, with the form's values (the range defaults to the last 30 days).
    await page.getByRole("button", { name: "Run" }).click();
    await page.getByRole("status").filter({ hasText: /^\d+ rows? in/ }).waitFor();
    assert.equal(await page.getByRole("alert").count(), 0);
    await page.getByRole("button", { name: "Save as template…" }).click();
    await page.getByLabel("Name").fill("Revenue by region");
    await page.getByLabel("Description").fill("Orders and revenue per region for a period");
    await shot("23-save-template");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("heading", { name: "Revenue by region" }).waitFor();

    // The form: choices came from the query; pick two regions and a fixed range.
    const regionsSel = page.getByLabel("regions");
    await page.locator("#param-regions option", { hasText: "apac" }).waitFor({ state: "attached" });
    await regionsSel.selectOption(["eu", "us"]);
    await page.getByLabel("Order date preset").selectOption("");
    await page.getByLabel("Order date from").fill("2026-01-01");
    await page.getByLabel("Order date to (exclusive)").fill("2026-02-01");
    await page.getByRole("button", { name: "Run" }).click();
    await page.getByRole("status").filter({ hasText: "2 rows" }).waitFor();
    const want = (r) => orders.filter((o) => o.region === r && o.day < "2026-02-01").length;
    const text = await page.locator(".results-grid").innerText();
    assert.ok(text.includes(String(want("eu"))) && text.includes(String(want("us"))), `counts ${want("eu")}/${want("us")} not in ${text}`);
    assert.ok(!text.includes("apac"));
    await page.getByRole("tab", { name: "Chart" }).click();
    await page.locator(".chart-box canvas").waitFor();
    await shot("24-template-run");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    assert.equal(readFileSync(await download.path(), "utf8").trim().split("\n").length, 3);

    // An injection through the multi-select is not one of the choices its
    // query lists: refused on the field, before anything runs (and a value
    // is always bound, never spliced, besides).
    const res = await page.evaluate(async (id) => {
      const csrf = (await (await fetch("/api/v1/session")).json()).csrf_token;
      const r = await fetch(`/api/v1/templates/${id}/run`, { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ values: { regions: ["eu') OR 1=1 --"], period: ["2026-01-01", "2027-01-01"] } }) });
      const body = await r.json();
      return [r.status, body.row_count, body.error?.fields?.regions ?? ""];
    }, page.url().split("/").pop());
    assert.equal(res[0], 400, `the injected value: ${res}`);
    assert.equal(res[1], undefined, "the injected value returned rows");
    assert.match(res[2], /not one of the choices/);

    // A link with its values that runs on open: the reader sees the result
    // without touching the form.
    await page.getByLabel("the link runs it on open").check();
    await page.getByRole("button", { name: "Copy link with these values" }).click();
    await page.getByRole("button", { name: "Link copied" }).waitFor(); // the address bar has the link then
    const link = page.url();
    assert.match(link, /[?&]run=1/);
    await page.goto(link);
    await page.getByRole("status").filter({ hasText: "2 rows" }).waitFor();
    assert.equal(await page.getByLabel("regions").evaluate((s) => [...s.selectedOptions].map((o) => o.value).join(",")), "eu,us");

    // Edit it in the workspace and save version 2 with a note; the history keeps both.
    await page.getByRole("link", { name: "Edit in workspace" }).click();
    await page.getByText("Editing version 1.").waitFor();
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.insertText(" DESC");
    await page.getByRole("button", { name: "Save new version…" }).click();
    await page.getByLabel("Change note").fill("biggest regions first");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText(/v2 by ada@example.com/).waitFor();
    await page.getByText("SQL and version history").click();
    await page.getByText(/v2 .* — biggest regions first/).waitFor();
    assert.match(await page.locator("details.sql > pre.code").innerText(), /ORDER BY region DESC$/);
  });

  test("a 100 000-row result scrolls without drawing every row", async () => {
    await page.getByRole("link", { name: "Query", exact: true }).click();
    await page.getByRole("heading", { name: "Query" }).waitFor();
    await setSQL("SELECT order_id, region, order_date, amount FROM sales.orders ORDER BY order_id");
    await page.keyboard.press("Control+Enter");
    await page.getByRole("status").filter({ hasText: "100,000 rows" }).waitFor({ timeout: 30000 });
    const drawn = await page.locator(".results-grid tbody tr").count();
    assert.ok(drawn < 200, `the grid drew ${drawn} rows`);
    await page.locator(".results-grid").evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.locator(".results-grid td.rownum", { hasText: /^100000$/ }).waitFor();
    await shot("25-workspace-100k");

    // Recent queries: newest first, and a click brings one back.
    const recent = page.locator(".history li button");
    assert.match(await recent.first().innerText(), /^SELECT order_id, region/);
    await page.locator(".history li button", { hasText: "AS revenue FROM sales.orders GR" }).first().click();
    assert.match(await page.locator(".cm-content").innerText(), /sum\(amount\) AS revenue FROM sales\.orders GROUP BY region/);
  });

  test("an API token is shown once, works, and is revoked", async () => {
    await page.getByRole("link", { name: "Tokens" }).click();
    await page.getByRole("heading", { name: "API tokens" }).waitFor();
    await page.getByLabel("Name").fill("churn notebook");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = await page.getByLabel("Token secret").inputValue();
    assert.match(secret, /^inlet_/);
    await shot("26-token-created");
    const query = (tok) => fetch(`${base}/api/v1/query`, { method: "POST", headers: { Authorization: `Bearer ${tok}`, Accept: "text/csv" },
      body: JSON.stringify({ sql: "SELECT count(*) AS n FROM sales.orders" }) });
    const ok = await query(secret);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), "n\n100000\n");
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Revoke" }).click();
    await page.getByText("No tokens yet.").waitFor();
    assert.equal((await query(secret)).status, 401);
    // Reloaded, the page never shows the secret again.
    await page.reload();
    assert.ok(!(await page.content()).includes(secret));
  });
}
