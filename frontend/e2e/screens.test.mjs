// Every screen at 1280 and 390 px: the ones the other journeys do not
// reach (sign-in, a job, my uploads, the templates list, not found), each
// through shotAtBothWidths, which fails on serious or critical axe-core
// findings, cut-off controls and, on the phone, sideways scrolling. And the
// focus ring: visible at 3:1 against what is around it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { missing, startInlet, launchBrowser, refusedByCSP, createFirstAdmin, shotAtBothWidths } from "./harness.mjs";

const skip = missing();
if (skip) {
  test(`screens (skipped: no ${skip})`, { skip: true }, () => {});
} else {
  let server, base, setupURL, browser, page, csp;
  const dir = mkdtempSync(join(tmpdir(), "inlet-screens-"));

  before(async () => {
    ({ server, base, setupURL } = await startInlet(join(dir, "data")));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    csp = refusedByCSP(page);
    await createFirstAdmin(page, setupURL);
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    assert.deepEqual(csp ?? [], [], "the page needed something the Content-Security-Policy refused");
  });

  test("a job, my uploads, the empty lists and a page that does not exist", async () => {
    const csv = join(dir, "emergency_contacts.csv");
    writeFileSync(csv, "employee_number,emergency_contact_name,emergency_contact_relationship,date_of_birth\n" +
      Array.from({ length: 40 }, (_, i) => `${1000 + i},Person ${i},sibling,1990-01-${String(1 + (i % 28)).padStart(2, "0")}`).join("\n") + "\n");
    await shotAtBothWidths(page, "30-upload-empty");
    await page.setInputFiles("#file", csv);
    await page.getByRole("heading", { name: "Review emergency_contacts.csv" }).waitFor({ timeout: 20000 });
    await page.getByLabel("Action for column date_of_birth").waitFor();
    // Long names and types fit their controls.
    await shotAtBothWidths(page, "31-review-long-names");
    await page.getByRole("button", { name: "Ingest" }).click();
    await page.waitForURL(/\/jobs\//);
    const job = page.url();
    await page.getByRole("heading", { name: /^uploads\.emergency_contacts$/ }).waitFor({ timeout: 30000 });
    await shotAtBothWidths(page, "32-table-long-names");
    await page.goto(job);
    await page.getByRole("heading", { name: "Ingested" }).waitFor();
    await shotAtBothWidths(page, "33-job-done");
    await page.getByRole("link", { name: "My uploads" }).click();
    await page.getByRole("heading", { name: "My uploads" }).waitFor();
    await page.getByRole("link", { name: /uploads\.emergency_contacts · succeeded/ }).waitFor();
    await shotAtBothWidths(page, "34-my-uploads");
    await page.getByRole("link", { name: "Templates" }).click();
    await page.getByText("No templates yet.").waitFor();
    await shotAtBothWidths(page, "35-templates-empty");
    await page.goto(base + "/nowhere");
    await page.getByRole("heading", { name: "Not found" }).waitFor();
    await shotAtBothWidths(page, "36-not-found");
  });

  test("the focus ring is visible at 3:1 or more", async () => {
    await page.goto(base + "/upload");
    await page.getByRole("heading", { name: "Upload a file" }).waitFor();
    await page.keyboard.press("Tab"); // the brand link, the first tab stop
    const ring = await page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      const rgb = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
      // What is behind the ring: the nearest ancestor with a background.
      let bg = "rgb(255, 255, 255)";
      for (let p = el.parentElement; p; p = p.parentElement) {
        const b = getComputedStyle(p).backgroundColor;
        if (!/rgba\(0, 0, 0, 0\)|transparent/.test(b)) { bg = b; break; }
      }
      const [a, b] = [lum(rgb(cs.outlineColor)), lum(rgb(bg))];
      return { tag: el.tagName, style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
    });
    assert.equal(ring.tag, "A");
    assert.equal(ring.style, "solid");
    assert.ok(ring.width >= 2, `the ring is ${ring.width}px wide`);
    assert.ok(ring.contrast >= 3, `the ring has ${ring.contrast.toFixed(2)}:1 against its background`);
    // The file input behind the drop zone is not a tab stop of its own.
    await page.keyboard.press("Tab");
    const stops = [];
    for (let i = 0; i < 14; i++) {
      stops.push(await page.evaluate(() => document.activeElement.id || document.activeElement.className || document.activeElement.tagName));
      await page.keyboard.press("Tab");
    }
    assert.ok(stops.includes("drop"), `the drop zone is not a tab stop: ${stops}`);
    assert.ok(!stops.includes("file"), `the hidden file input is a tab stop: ${stops}`);
  });

  test("sign out, the sign-in page, sign in again", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.equal(await page.getByRole("main").count(), 1, "the sign-in page has no main landmark");
    await shotAtBothWidths(page, "37-sign-in");
    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Password").fill("wrong password!");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    await shotAtBothWidths(page, "38-sign-in-refused");
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Upload a file" }).waitFor();
  });
}
