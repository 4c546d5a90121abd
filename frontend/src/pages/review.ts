import { api, ApiError, ColumnSpec, InspectProgress, Inspection, inspect, Table, Upload } from "../api";
import { h, replace } from "../dom";
import { errorBox, type Ctx } from "../main";
import { field, showFieldErrors } from "./auth";

const types = ["string", "bigint", "double", "decimal(38,2)", "decimal(38,4)", "boolean", "date", "timestamp"];
const glueName = /^[a-z0-9_]{1,255}$/;

// masked shows the shape of a value without the value: the raw sample is only
// revealed on request, to the uploader.
function masked(v: string): string {
  return v.replace(/\p{L}/gu, "•").replace(/\p{N}/gu, "#");
}

function rowsSampled(n: number): string {
  return n === 1 ? "1 row sampled" : `${n.toLocaleString()} rows sampled`;
}

function suggestName(file: string): string {
  const stem = file.replace(/\.[^.]+$/, "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  return stem.replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").replace(/^(\d)/, "t_$1").slice(0, 255) || "upload";
}

interface ColState { source: string; name: string; type: string; inferred: string; action: string; reason: string; pii: boolean }

// progressText says how far an inspection has got.
export function progressText(p: InspectProgress): string {
  switch (p.phase) {
    case "sampling": return `Reading rows to infer types: ${p.rows_done.toLocaleString()} of up to ${p.rows_total.toLocaleString()}…`;
    case "detecting": return "Looking for personal data…";
    case "waiting": return "Waiting for a free inspector…";
  }
  return "Opening the file…";
}

export async function reviewPage(ctx: Ctx, uploadID: string): Promise<HTMLElement> {
  const upload = await api.upload(uploadID);
  if (upload.state !== "staged") {
    return h("section", null, h("h1", null, upload.file_name), h("p", null, `This upload is ${upload.state}; its raw file is gone. `, h("a", { href: "/upload" }, "Upload it again")));
  }
  const first = await api.inspection(uploadID);
  if (!("inspecting" in first)) return review(ctx, upload, first);
  // A large file is still being inspected: show how far, then the review.
  const status = h("p", { role: "status", "aria-live": "polite" }, progressText(first.inspecting));
  const bar = h("progress", { max: "100", value: "0", "aria-label": `Inspection of ${upload.file_name}` });
  const holder = h("section", { class: "review" }, h("h1", null, `Inspecting ${upload.file_name}`), bar, status);
  inspect(uploadID, undefined, (p) => {
    status.textContent = progressText(p);
    if (p.rows_total) bar.value = (100 * p.rows_done) / p.rows_total;
  }).then(async (ins) => holder.replaceWith(await review(ctx, upload, ins)))
    .catch((err) => replace(holder, h("h1", null, upload.file_name), errorBox(err)));
  return holder;
}

async function review(ctx: Ctx, upload: Upload, first: Inspection): Promise<HTMLElement> {
  const uploadID = upload.id;
  const page = h("section", { class: "review" });
  let ins = first;
  let cols: ColState[] = [];
  let reveal = false;
  const database = h("input", { name: "database", value: "uploads", "aria-describedby": "dest-help", pattern: "[a-z0-9_]{1,255}", required: true });
  const table = h("input", { name: "table", value: suggestName(upload.file_name), pattern: "[a-z0-9_]{1,255}", required: true });
  const mode = h("select", { name: "mode" }, ...["create", "append", "overwrite"].map((m) => h("option", { value: m }, m)));
  const onError = h("select", { name: "on_error" },
    h("option", { value: "widen" }, "widen the column type"),
    h("option", { value: "skip" }, "skip the row and list it"),
    h("option", { value: "fail" }, "stop the ingest"));
  const diff = h("div", { class: "diff", "aria-live": "polite" });
  const grid = h("div", { class: "grid-wrap", tabindex: "0", role: "region", "aria-label": "Preview of the first rows" });
  const colsBox = h("div");
  const out = h("div");

  const validate = (input: HTMLInputElement) => {
    const ok = glueName.test(input.value);
    input.setAttribute("aria-invalid", String(!ok));
    const err = page.querySelector(`#${input.id}-error`);
    if (err) err.textContent = ok ? "" : "Use lowercase letters, digits and _ (Glue's rule).";
    return ok;
  };
  for (const i of [database, table]) i.addEventListener("input", () => { validate(i); showDiff(); });
  mode.addEventListener("change", () => showDiff());

  function load(next: Inspection) {
    ins = next;
    const d = ins.dialect;
    summary.textContent = ins.format === "csv"
      ? `CSV, ${d.encoding}, delimiter “${d.delimiter === "\t" ? "tab" : d.delimiter}”, ${d.header ? "with a header" : "no header"}${d.skip_rows ? `, ${d.skip_rows} title rows skipped` : ""} · ${rowsSampled(ins.sampled_rows)}`
      : `Excel workbook, sheet “${ins.sheet}” · ${rowsSampled(ins.sampled_rows)}`;
    replace(warnings, (ins.warnings ?? []).map((w) => h("p", { class: "warning" }, w)));
    cols = ins.columns.map((c) => ({
      source: c.source_name, name: c.name, type: c.type, inferred: c.type,
      action: c.pii ? "hash" : "keep", reason: "", pii: !!c.pii,
    }));
    renderColumns();
    renderGrid();
    showDiff();
  }

  function renderColumns() {
    const rows = cols.map((c, i) => {
      const finding = ins.columns[i].pii;
      const name = h("input", { value: c.name, "aria-label": `Name of column ${c.source}`, oninput: (e: Event) => {
        c.name = (e.target as HTMLInputElement).value;
        (e.target as HTMLInputElement).setAttribute("aria-invalid", String(!glueName.test(c.name)));
        renderGrid();
        showDiff();
      } });
      const type = h("select", { "aria-label": `Type of column ${c.source}`, disabled: c.action === "hash" || c.action === "mask",
        onchange: (e: Event) => { c.type = (e.target as HTMLSelectElement).value; showDiff(); } },
        ...Array.from(new Set([c.inferred, ...types])).map((t) => h("option", { value: t, selected: t === c.type }, t + (t === c.inferred ? " (inferred)" : ""))));
      const reason = h("input", { value: c.reason, placeholder: "Why keep raw personal data?", "aria-label": `Reason to keep ${c.source}`,
        class: c.action === "keep" && c.pii ? "" : "hidden", oninput: (e: Event) => { c.reason = (e.target as HTMLInputElement).value; } });
      const action = h("select", { "aria-label": `Action for column ${c.source}`, onchange: (e: Event) => {
        c.action = (e.target as HTMLSelectElement).value;
        renderColumns();
        renderGrid();
        showDiff();
      } }, ...["hash", "mask", "drop", "keep"].map((a) => h("option", { value: a, selected: a === c.action }, a)));
      return h("tr", { class: c.action === "drop" ? "dropped" : "" },
        h("td", null, h("span", { class: "source" }, c.source)),
        h("td", null, name),
        h("td", null, type, ins.columns[i].date_format ? h("small", { class: "muted block" }, ins.columns[i].date_format) : null),
        h("td", null, finding ? h("span", { class: "badge pii", title: finding.reason }, `${finding.entity.replace("_", " ")} · ${Math.round(finding.confidence * 100)}%`) : h("span", { class: "muted" }, "—"),
          finding ? h("small", { class: "muted block" }, finding.reason) : null),
        h("td", null, action, reason));
    });
    replace(colsBox, h("table", { class: "columns" },
      h("thead", null, h("tr", null, ...["Source", "Name", "Type", "Personal data", "Action"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", null, rows)));
  }

  // renderGrid draws only the rows in view (plus a margin): a 10 000-row
  // preview scrolls smoothly because the page never holds 10 000 rows.
  const rowHeight = 30;
  let drawn = "";
  function renderGrid() {
    drawn = "";
    const sample = ins.sample ?? [];
    const head = h("tr", null, ...cols.map((c) => h("th", { scope: "col", class: c.action === "drop" ? "dropped" : "" }, c.name)));
    const body = h("tbody");
    const table = h("table", { class: "preview", "aria-rowcount": String(sample.length + 1) }, h("thead", null, head), body);
    replace(grid, table);
    const draw = () => {
      const first = Math.max(0, Math.floor(grid.scrollTop / rowHeight) - 20);
      const last = Math.min(sample.length, first + Math.ceil(grid.clientHeight / rowHeight) + 40);
      const key = `${first}-${last}`;
      if (key === drawn) return;
      drawn = key;
      const pad = (n: number) => (n > 0 ? h("tr", { "aria-hidden": "true", style: `height:${n * rowHeight}px` }) : null);
      replace(body, pad(first), sample.slice(first, last).map((row, k) => h("tr", { "aria-rowindex": String(first + k + 2) }, ...row.map((v, i) => {
        const c = cols[i];
        const hide = c && c.pii && c.action !== "keep" && !reveal;
        return h("td", { class: c?.action === "drop" ? "dropped" : "" }, hide ? masked(v) : v);
      }))), pad(sample.length - last));
    };
    grid.onscroll = () => requestAnimationFrame(draw);
    draw();
  }

  let diffSeq = 0;
  async function showDiff() {
    const seq = ++diffSeq;
    if (mode.value === "create" || !glueName.test(database.value) || !glueName.test(table.value)) return replace(diff);
    let existing: Table;
    try {
      existing = await api.table(database.value, table.value);
    } catch (e) {
      if (seq === diffSeq) replace(diff, e instanceof ApiError && e.status === 404 ? h("p", { class: "error-text" }, `${database.value}.${table.value} does not exist: choose create.`) : errorBox(e));
      return;
    }
    if (seq !== diffSeq) return;
    const have = new Map(existing.columns.map((c) => [c.name, c.type]));
    const kept = cols.filter((c) => c.action !== "drop");
    const file = new Map(kept.map((c) => [c.name, c.action === "hash" || c.action === "mask" ? "string" : c.type]));
    const added = kept.filter((c) => !have.has(c.name)).map((c) => `${c.name} (${file.get(c.name)})`);
    const changed = kept.filter((c) => have.has(c.name) && have.get(c.name) !== file.get(c.name)).map((c) => `${c.name}: ${have.get(c.name)} in the table, ${file.get(c.name)} in the file`);
    const missing = existing.columns.filter((c) => !file.has(c.name)).map((c) => c.name);
    replace(diff, h("h3", null, `Schema changes for ${mode.value} into ${database.value}.${table.value}`),
      h("ul", null,
        h("li", null, h("strong", null, "New columns: "), added.length ? added.join(", ") : "none"),
        h("li", null, h("strong", null, "Type changes: "), changed.length ? changed.join("; ") : "none"),
        h("li", null, h("strong", null, "Missing from the file (will be empty): "), missing.length ? missing.join(", ") : "none")));
  }

  const sheetPicker = ins.format === "xlsx" && ins.sheets && ins.sheets.length > 1
    ? field("Sheet", h("select", { name: "sheet", onchange: async (e: Event) => {
        try {
          load(await inspect(uploadID, (e.target as HTMLSelectElement).value, (p) => replace(out, h("p", { role: "status" }, progressText(p)))));
          replace(out);
        } catch (err) { replace(out, errorBox(err)); }
      } }, ...ins.sheets.map((s) => h("option", { value: s, selected: s === ins.sheet }, s))))
    : null;

  const submit = h("button", { type: "submit", class: "primary" }, "Ingest");
  const form = h("form", {
    onsubmit: async (e: Event) => {
      e.preventDefault();
      if (!validate(database) || !validate(table)) return;
      const columns: ColumnSpec[] = cols.map((c, i) => {
        const s: ColumnSpec = { source: c.source };
        if (c.name !== ins.columns[i].name) s.name = c.name;
        if (c.type !== c.inferred) s.type = c.type;
        s.action = c.action;
        if (c.action === "keep" && c.pii) s.reason = c.reason;
        return s;
      });
      submit.disabled = true;
      try {
        const job = await api.ingest(uploadID, { table: { database: database.value, name: table.value }, mode: mode.value,
          options: ins.sheet ? { sheet: ins.sheet } : undefined, columns, on_error: onError.value });
        ctx.go(`/jobs/${job.id}`);
      } catch (err) {
        showFieldErrors(form, err);
        replace(out, errorBox(err));
        submit.disabled = false;
      }
    },
  },
    h("div", { class: "dest" }, field("Database", database), field("Table", table), field("Write mode", mode),
      field("When a value does not fit", onError), sheetPicker),
    h("small", { id: "dest-help", class: "muted" }, "Names use lowercase letters, digits and _. Create makes a new table; append adds rows (and new columns); overwrite replaces every row."),
    diff,
    h("h2", null, "Columns"),
    colsBox,
    out,
    h("div", { class: "actions" }, submit));

  const summary = h("p", { class: "muted" });
  const warnings = h("div");
  replace(page,
    h("h1", null, `Review ${upload.file_name}`),
    summary,
    warnings,
    form,
    h("h2", null, "Preview"),
    h("label", { class: "inline" }, h("input", { type: "checkbox", onchange: (e: Event) => { reveal = (e.target as HTMLInputElement).checked; renderGrid(); } }), " Reveal personal data in the preview"),
    grid);
  load(ins);
  return page;
}
