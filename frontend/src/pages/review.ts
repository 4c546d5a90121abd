import { api, ApiError, ColumnSpec, Config, Finding, IngestSpec, InspectOptions, InspectProgress, Inspection, inspect, PIIRules, Table, Upload } from "../api";
import { h, replace } from "../dom";
import { errorBox, type Ctx } from "../main";
import { actionLabels, entityLabels, findingLabel, levels, protects, regionName } from "../pii";
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

// A column's state in the review: what the uploader decided so far.
// action "" is a possible finding nobody has decided on yet.
interface ColState {
  source: string; name: string; type: string; inferred: string;
  action: string; reason: string; entity: string; level: string; finding: Finding | null;
  touched: boolean; // changed by the uploader: kept across re-inspections
}


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
  // Back from a failed job: its choices are the starting point.
  const from = new URLSearchParams(location.search).get("from");
  const prior = from ? await api.job(from).then((j) => j.state === "failed" && (j.spec as { upload_id?: string }).upload_id === uploadID ? j.spec as IngestSpec : undefined)
    .catch(() => undefined) : undefined;
  const [first, cfg, rules] = await Promise.all([api.inspection(uploadID, prior?.options ?? {}), api.config(), api.piiRules().catch(() => ({ version: 0 } as PIIRules))]);
  if (!("inspecting" in first)) return review(ctx, upload, first, cfg, rules, prior);
  // A large file is still being inspected: show how far, then the review.
  const status = h("p", { role: "status", "aria-live": "polite" }, progressText(first.inspecting));
  const bar = h("progress", { max: "100", value: "0", "aria-label": `Inspection of ${upload.file_name}` });
  const holder = h("section", { class: "review" }, h("h1", null, `Inspecting ${upload.file_name}`), bar, status);
  inspect(uploadID, prior?.options ?? {}, (p) => {
    status.textContent = progressText(p);
    if (p.rows_total) bar.value = (100 * p.rows_done) / p.rows_total;
  }).then(async (ins) => holder.replaceWith(await review(ctx, upload, ins, cfg, rules, prior)))
    .catch((err) => replace(holder, h("h1", null, upload.file_name), errorBox(err)));
  return holder;
}

async function review(ctx: Ctx, upload: Upload, first: Inspection, cfg: Config, rules: PIIRules, prior?: IngestSpec): Promise<HTMLElement> {
  const uploadID = upload.id;
  const page = h("section", { class: "review" });
  let ins = first;
  let cols: ColState[] = [];
  let reveal = false;
  // Column problems show once the uploader has tried to ingest.
  let shown = false;
  // The upload's options: the sheet, and the region of phone numbers
  // written without a country code (the tenant's default unless changed).
  const opts: InspectOptions = { ...(prior?.options ?? {}) };
  const defaultRegion = rules.region || cfg.phone_region || "US";
  const regionSelect = h("select", { name: "phone_region", onchange: () => reinspect({ ...opts, phone_region: regionSelect.value === defaultRegion ? undefined : regionSelect.value }) },
    ...cfg.phone_regions.map((r) => [r, regionName(r)]).sort((a, b) => a[1].localeCompare(b[1]))
      .map(([r, name]) => h("option", { value: r, selected: r === defaultRegion }, `${name} (${r})${r === defaultRegion ? " · default" : ""}`)));
  const database = h("input", { name: "database", value: "uploads", "aria-describedby": "dest-help", pattern: "[a-z0-9_]{1,255}", required: true });
  const table = h("input", { name: "table", value: suggestName(upload.file_name), pattern: "[a-z0-9_]{1,255}", required: true });
  const mode = h("select", { name: "mode" }, ...["create", "append", "overwrite", "upsert"].map((m) => h("option", { value: m }, m)));
  // An upsert merges on key columns (table names, comma-separated).
  const keys = h("input", { name: "keys", placeholder: "id, or order_id, line", autocomplete: "off" });
  const keysField = field("Merge key (columns)", keys, "Rows whose key is in the table replace those rows; the others are added.");
  const showKeys = () => { keysField.hidden = mode.value !== "upsert"; };
  keys.addEventListener("input", () => checkSoon());
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
  mode.addEventListener("change", () => {
    showKeys();
    if (mode.value === "upsert" && !keys.value) keys.value = cols.find((c) => c.action !== "drop" && /^(id|.*_id)$/.test(c.name))?.name ?? "";
    showDiff();
  });
  onError.addEventListener("change", () => checkSoon());

  function load(next: Inspection) {
    ins = next;
    const d = ins.dialect;
    const layout = `${d.header ? "with a header" : "no header"}${d.skip_rows ? `, ${d.skip_rows} title ${d.skip_rows === 1 ? "row" : "rows"} skipped` : ""}`;
    summary.textContent = ins.format === "csv"
      ? `CSV, ${d.encoding}, delimiter “${d.delimiter === "\t" ? "tab" : d.delimiter}”, ${d.quote ? `quote ${d.quote}` : "no quoting"}, ${layout} · ${rowsSampled(ins.sampled_rows)}`
      : `Excel workbook, sheet “${ins.sheet}”, ${layout} · ${rowsSampled(ins.sampled_rows)}`;
    replace(warnings, (ins.warnings ?? []).map((w) => h("p", { class: "warning" }, w)),
      ins.suggestions?.length ? h("div", { class: "suggestions", role: "group", "aria-label": "Other readings of the file" },
        ...ins.suggestions.map((sg) => h("button", { type: "button", class: "secondary", title: sg.reason,
          onclick: () => {
            if (sg.on_error) { onError.value = sg.on_error; onError.focus(); checkSoon(); return; }
            reinspect({ ...opts, ...sg.options });
          } }, sg.label))) : null);
    syncReading();
    // What the uploader changed survives a re-inspection (another phone
    // region, another sheet with the same columns).
    const touched = new Map(cols.filter((c) => c.touched).map((c) => [c.source, c]));
    cols = ins.columns.map((c) => {
      const f = c.pii;
      const col: ColState = {
        source: c.source_name, name: c.name, type: c.type, inferred: c.type, finding: f, reason: "", level: "", touched: false,
        entity: f ? f.entity : "",
        action: !f ? "keep" : f.possible ? "" : f.entity === "free_text" ? "redact" : "hash",
      };
      const old = touched.get(c.source_name);
      if (old) {
        Object.assign(col, { name: old.name, action: old.action, reason: old.reason, entity: old.entity, level: old.level, touched: true });
        if (old.inferred === col.inferred) col.type = old.type;
      }
      return col;
    });
    renderColumns();
    renderGrid();
    showDiff();
  }

  // reinspect reads the file again with these options (a key left
  // undefined goes back to detection) and shows the new reading.
  async function reinspect(next: InspectOptions) {
    try {
      load(await inspect(uploadID, next, (p) => replace(out, h("p", { role: "status" }, progressText(p)))));
      for (const k of Object.keys(opts) as (keyof InspectOptions)[]) delete opts[k];
      for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== "") (opts as Record<string, unknown>)[k] = v;
      syncReading();
      replace(out);
    } catch (err) {
      showFieldErrors(page, err);
      replace(out, errorBox(err));
    }
  }

  // problem says what must change in a column before the ingest, or "".
  function problem(c: ColState): string {
    if (c.action === "") return "Decide: protect it (hash, mask…) or keep it if it is not personal data.";
    if (protects(c.action) && c.action !== "redact" && !c.entity) return "Say what this column holds, so its values are normalised and join with other tables.";
    if (c.action === "keep" && c.finding && !c.finding.possible && !c.reason.trim()) return "Say why this personal data may be stored as it is.";
    if (c.action !== "drop" && !glueName.test(c.name)) return "Use lowercase letters, digits and _ (Glue's rule).";
    for (const [f, msg] of Object.entries(planProblems)) if (f.startsWith(`columns.${c.source}.`) || f === `columns.${c.source}`) return msg;
    return "";
  }

  // The server's check of the whole plan (the job runs the same first), as
  // the uploader edits: every problem shows on its field before Ingest.
  let planProblems: Record<string, string> = {};
  let checkTimer = 0, checkSeq = 0;
  function checkSoon() {
    clearTimeout(checkTimer);
    ++checkSeq; // a reply to an older plan is dropped
    checkTimer = window.setTimeout(async () => {
      const seq = ++checkSeq;
      try {
        await api.check(uploadID, spec());
        if (seq === checkSeq) showPlan({});
      } catch (e) {
        if (seq === checkSeq && e instanceof ApiError && (e.code === "EINVALID" || e.code === "ECONFLICT") && Object.keys(e.fields).length) showPlan(e.fields);
      }
    }, 300);
  }
  function showPlan(fields: Record<string, string>) {
    const same = JSON.stringify(fields) === JSON.stringify(planProblems);
    planProblems = fields;
    for (const [input, key] of [[database, "database"], [table, "table"], [mode, "mode"], [keys, "keys"], [onError, "on_error"]] as const) {
      const out = page.querySelector(`#${input.id}-error`);
      if (!out || (key === "table" || key === "database") && !glueName.test((input as HTMLInputElement).value)) continue;
      const msg = fields[key] ?? "";
      replace(out, msg, key === "table" && /already exists/.test(msg) ? h("span", { class: "fixes" },
        h("button", { type: "button", class: "link", onclick: () => { mode.value = "append"; showDiff(); checkSoon(); } }, "Append to it"), " · ",
        h("button", { type: "button", class: "link", onclick: () => { mode.value = "overwrite"; showDiff(); checkSoon(); } }, "Overwrite it"), " · ",
        h("button", { type: "button", class: "link", onclick: () => { table.select(); table.focus(); } }, "Choose another name")) : null);
      input.setAttribute("aria-invalid", String(msg !== "" || input.getAttribute("aria-invalid") === "true" && (key === "table" || key === "database") && !glueName.test((input as HTMLInputElement).value)));
    }
    if (same) return;
    // Re-draw the columns without losing the uploader's place in them.
    const focused = document.activeElement as HTMLInputElement | null;
    const label = focused?.getAttribute("aria-label"), caret = focused?.selectionStart ?? null;
    renderColumns();
    if (label) {
      const again = colsBox.querySelector<HTMLInputElement>(`[aria-label="${CSS.escape(label)}"]`);
      again?.focus();
      if (again && caret !== null && "setSelectionRange" in again) try { again.setSelectionRange(caret, caret); } catch { /* a select */ }
    }
  }
  // spec is the ingest the page would submit now. The check sends the
  // options the page inspected with (the server's cached inspection); the
  // ingest names the sheet it showed.
  function spec(submit = false): IngestSpec {
    const columns: ColumnSpec[] = cols.map((c, i) => {
      const s: ColumnSpec = { source: c.source, action: (c.action || undefined) as ColumnSpec["action"] };
      if (c.name !== ins.columns[i].name) s.name = c.name;
      if (c.type !== c.inferred && !protects(c.action)) s.type = c.type;
      if (c.action === "keep" && c.finding && !c.finding.possible) s.reason = c.reason;
      if (protects(c.action) && c.entity && c.entity !== c.finding?.entity) s.entity = c.entity;
      if (c.action === "generalise" && c.level) s.level = c.level as ColumnSpec["level"];
      return s;
    });
    const merge = mode.value === "upsert" ? keys.value.split(",").map((k) => k.trim()).filter(Boolean) : undefined;
    return { table: { database: database.value, name: table.value }, mode: mode.value as IngestSpec["mode"], keys: merge, options: submit ? { ...opts, sheet: ins.sheet } : { ...opts }, columns, on_error: onError.value as IngestSpec["on_error"] };
  }

  function renderColumns() {
    const rows = cols.map((c, i) => {
      const f = c.finding;
      const changed = () => { c.touched = true; renderColumns(); renderGrid(); showDiff(); };
      const name = h("input", { value: c.name, "aria-label": `Name of column ${c.source}`, oninput: (e: Event) => {
        c.name = (e.target as HTMLInputElement).value;
        c.touched = true;
        (e.target as HTMLInputElement).setAttribute("aria-invalid", String(!glueName.test(c.name)));
        renderGrid();
        showDiff();
      } });
      const type = h("select", { "aria-label": `Type of column ${c.source}`, disabled: protects(c.action),
        onchange: (e: Event) => { c.type = (e.target as HTMLSelectElement).value; c.touched = true; showDiff(); } },
        ...Array.from(new Set([c.inferred, ...types])).map((t) => h("option", { value: t, selected: t === c.type }, t + (t === c.inferred ? " (inferred)" : ""))));
      const canGeneralise = !!levels[c.entity];
      const actions = ["hash", "mask", ...(c.type === "string" || protects(c.action) ? ["redact"] : []), ...(canGeneralise ? ["generalise"] : []), "drop", "keep"];
      const action = h("select", { "aria-label": `Action for column ${c.source}`, "aria-invalid": c.action === "" ? "true" : null,
        onchange: (e: Event) => {
          c.action = (e.target as HTMLSelectElement).value;
          if (c.action === "redact") c.entity = "free_text";
          else if (c.entity === "free_text" && f?.entity !== "free_text") c.entity = f && f.entity !== "free_text" ? f.entity : "";
          changed();
        } },
        c.action === "" ? h("option", { value: "", selected: true, disabled: true }, "Decide…") : null,
        ...actions.map((a) => h("option", { value: a, selected: a === c.action }, actionLabels[a])));
      // What a protected column holds picks its normaliser: a column marked
      // by hand says so, and a finding can be corrected.
      const entity = protects(c.action) && c.action !== "redact"
        ? h("select", { "aria-label": `What column ${c.source} holds`, "aria-invalid": c.entity ? null : "true",
            onchange: (e: Event) => { c.entity = (e.target as HTMLSelectElement).value; c.level = ""; if (c.action === "generalise" && !levels[c.entity]) c.action = "hash"; changed(); } },
            c.entity ? null : h("option", { value: "", selected: true, disabled: true }, "What does it hold?"),
            ...Object.entries(entityLabels).filter(([e]) => e !== "free_text").map(([e, label]) => h("option", { value: e, selected: e === c.entity }, label)),
            c.entity.startsWith("custom:") ? h("option", { value: c.entity, selected: true }, c.entity.slice(7)) : null)
        : null;
      const level = c.action === "generalise" && levels[c.entity]
        ? h("select", { "aria-label": `How far to generalise ${c.source}`, onchange: (e: Event) => { c.level = (e.target as HTMLSelectElement).value; c.touched = true; } },
            ...levels[c.entity].map(([l, label], k) => h("option", { value: l, selected: c.level ? l === c.level : k === 0 }, label)))
        : null;
      const reason = c.action === "keep" && f && !f.possible
        ? h("input", { value: c.reason, placeholder: "Why keep raw personal data?", "aria-label": `Reason to keep ${c.source}`,
            oninput: (e: Event) => { c.reason = (e.target as HTMLInputElement).value; c.touched = true; checkSoon(); } })
        : null;
      const regions = f?.entity === "phone" && f.regions?.length
        ? h("small", { class: "block" }, "Read as ", f.regions.map(regionName).join(", "), f.country_column ? ` (each row's country from ${f.country_column})` : "")
        : null;
      const badge = f ? h("span", { class: `badge ${f.possible ? "warn" : "pii"}` }, `${findingLabel(f)} · ${Math.round(f.confidence * 100)}%`) : h("span", { class: "muted" }, "—");
      const contains = f?.contains?.length ? h("small", { class: "block" }, "Contains ", f.contains.map((e) => (entityLabels[e] ?? e).toLowerCase()).join(", ")) : null;
      const msg = problem(c);
      // The server's problems show at once; the page's own wait for a try.
      const visible = shown || Object.keys(planProblems).some((k) => k === `columns.${c.source}` || k.startsWith(`columns.${c.source}.`));
      return h("tr", { class: [c.action === "drop" ? "dropped" : "", f?.possible && c.action === "" ? "undecided" : ""].join(" ").trim() },
        h("td", null, h("span", { class: "source" }, c.source)),
        h("td", { "data-label": "Name" }, name),
        h("td", { "data-label": "Type" }, type, ins.columns[i].date_format ? h("small", { class: "muted block" }, ins.columns[i].date_format) : null,
          ins.columns[i].nulls ? h("small", { class: "muted block" }, `${ins.columns[i].nulls.toLocaleString()} of ${ins.sampled_rows.toLocaleString()} read as NULL`) : null),
        h("td", { "data-label": "Personal data" }, badge, regions, contains, f ? h("small", { class: "muted block" }, f.reason) : null),
        h("td", { "data-label": "Action" }, action, entity, level, reason, h("small", { class: "field-error block", role: msg && visible ? "alert" : null }, visible ? msg : "")));
    });
    replace(colsBox, h("table", { class: "columns stack" },
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
        const hide = c && (c.finding || protects(c.action)) && c.action !== "keep" && !reveal;
        return h("td", { class: c?.action === "drop" ? "dropped" : "" }, hide ? masked(v) : v);
      }))), pad(sample.length - last));
    };
    grid.onscroll = () => requestAnimationFrame(draw);
    draw();
  }

  let diffSeq = 0;
  async function showDiff() {
    checkSoon();
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
    const file = new Map(kept.map((c) => [c.name, protects(c.action) ? "string" : c.type]));
    const added = kept.filter((c) => !have.has(c.name)).map((c) => `${c.name} (${file.get(c.name)})`);
    const changed = kept.filter((c) => have.has(c.name) && have.get(c.name) !== file.get(c.name)).map((c) => `${c.name}: ${have.get(c.name)} in the table, ${file.get(c.name)} in the file`);
    const missing = existing.columns.filter((c) => !file.has(c.name)).map((c) => c.name);
    replace(diff, h("h3", null, `Schema changes for ${mode.value} into ${database.value}.${table.value}`),
      h("ul", null,
        h("li", null, h("strong", null, "New columns: "), added.length ? added.join(", ") : "none"),
        h("li", null, h("strong", null, "Type changes: "), changed.length ? changed.join("; ") : "none"),
        h("li", null, h("strong", null, "Missing from the file (will be empty): "), missing.length ? missing.join(", ") : "none")));
  }

  // How the file is read: each control overrides detection, and the
  // preview follows.
  const readHeader = h("select", { name: "header", onchange: () => reinspect({ ...opts, header: readHeader.value === "" ? undefined : readHeader.value === "true" }) },
    h("option", { value: "" }, "detected"), h("option", { value: "true" }, "yes"), h("option", { value: "false" }, "no, the first row is data"));
  const readSkip = h("input", { name: "skip_rows", type: "number", min: "0", max: "1000", inputmode: "numeric",
    onchange: () => reinspect({ ...opts, skip_rows: readSkip.value === "" ? undefined : Number(readSkip.value) }) });
  const readDelim = h("select", { name: "delimiter", onchange: () => reinspect({ ...opts, delimiter: readDelim.value || undefined }) },
    ...[["", "detected"], [",", "comma ,"], [";", "semicolon ;"], ["tab", "tab"], ["|", "pipe |"], [":", "colon :"]].map(([v, l]) => h("option", { value: v }, l)));
  const readQuote = h("select", { name: "quote", onchange: () => reinspect({ ...opts, quote: (readQuote.value || undefined) as InspectOptions["quote"] }) },
    ...[["", "detected"], ['"', 'double "'], ["'", "single '"], ["none", "none: quotes are part of the values"]].map(([v, l]) => h("option", { value: v }, l)));
  const readEncoding = h("select", { name: "encoding", onchange: () => reinspect({ ...opts, encoding: readEncoding.value || undefined }) },
    ...[["", "detected"], ["utf-8", "UTF-8"], ["windows-1252", "Windows-1252 (Western European)"], ["windows-1250", "Windows-1250 (Central European)"],
      ["windows-1251", "Windows-1251 (Cyrillic)"], ["shift_jis", "Shift-JIS (Japanese)"], ["euc-jp", "EUC-JP (Japanese)"], ["gb18030", "GB 18030 (Chinese)"],
      ["big5", "Big5 (Traditional Chinese)"], ["euc-kr", "EUC-KR (Korean)"], ["utf-16le", "UTF-16 LE"], ["utf-16be", "UTF-16 BE"]].map(([v, l]) => h("option", { value: v }, l)));
  // Which cell values read as NULL: shown, and editable for this file.
  const defaultNulls = (cfg.nulls ?? []).filter((x) => x !== ""); // empty cells are always NULL
  const readNulls = h("input", { name: "nulls", autocomplete: "off", "aria-describedby": "nulls-help",
    onchange: () => {
      const list = readNulls.value.split(",").map((x) => x.trim()).filter((x) => x !== "");
      reinspect({ ...opts, nulls: readNulls.value.trim() === defaultNulls.join(", ") ? undefined : list });
    } });
  const readExtra = h("input", { type: "checkbox", name: "ignore_extra_cells", onchange: () => reinspect({ ...opts, ignore_extra_cells: readExtra.checked || undefined }) });
  function syncReading() {
    readHeader.value = opts.header === undefined ? "" : String(opts.header);
    readSkip.value = opts.skip_rows === undefined ? "" : String(opts.skip_rows);
    readSkip.placeholder = `detected: ${ins.dialect.skip_rows}`;
    readDelim.value = opts.delimiter ?? "";
    readQuote.value = opts.quote ?? "";
    if (opts.encoding && ![...readEncoding.options].some((o) => o.value === opts.encoding)) readEncoding.append(h("option", { value: opts.encoding }, opts.encoding));
    readEncoding.value = opts.encoding ?? "";
    readExtra.checked = !!opts.ignore_extra_cells;
    readNulls.value = (opts.nulls ?? defaultNulls).join(", ");
  }
  const reading = h("details", { class: "reading" }, h("summary", null, "How the file is read"),
    h("div", { class: "dest" }, field("First row is the header", readHeader), field("Title rows to skip", readSkip),
      ...(ins.format === "csv" ? [field("Delimiter", readDelim), field("Quote", readQuote), field("Encoding", readEncoding)]
        : [h("label", { class: "inline" }, readExtra, " Ignore cells right of the header")])),
    field("Read as NULL (comma-separated)", readNulls),
    h("small", { id: "nulls-help", class: "muted" }, "Empty cells are always NULL. Each column says how many of its sampled cells were read as NULL."));

  const sheetPicker = ins.format === "xlsx" && ins.sheets && ins.sheets.length > 1
    ? field("Sheet", h("select", { name: "sheet", onchange: (e: Event) => reinspect({ ...opts, sheet: (e.target as HTMLSelectElement).value }) },
        ...ins.sheets.map((s) => h("option", { value: s, selected: s === ins.sheet }, s))))
    : null;
  const regionField = field("Phone numbers without a country code are from", regionSelect,
    rules.region ? "The tenant's default is set in Settings; change it here for this file only." : "Change it for this file; an admin sets the tenant's default in Settings.");

  const submit = h("button", { type: "submit", class: "primary" }, "Ingest");
  const form = h("form", {
    onsubmit: async (e: Event) => {
      e.preventDefault();
      shown = true;
      renderColumns();
      const blocking = cols.filter((c) => problem(c) !== "");
      if (!validate(database) || !validate(table) || blocking.length > 0) {
        if (blocking.length > 0) {
          replace(out, h("div", { class: "error", role: "alert" }, blocking.length === 1
            ? `Column ${blocking[0].source} needs your decision before the ingest.`
            : `${blocking.length} columns need your decision before the ingest: ${blocking.map((c) => c.source).join(", ")}.`));
          colsBox.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
        }
        return;
      }
      submit.disabled = true;
      try {
        const job = await api.ingest(uploadID, spec(true));
        ctx.go(`/jobs/${job.id}`);
      } catch (err) {
        // Refused at submit: the page and every choice stay, the problems
        // on their fields.
        if (err instanceof ApiError && (err.code === "EINVALID" || err.code === "ECONFLICT") && Object.keys(err.fields).length) showPlan(err.fields);
        else showFieldErrors(form, err);
        replace(out, errorBox(err));
        submit.disabled = false;
      }
    },
  },
    h("div", { class: "dest" }, field("Database", database), field("Table", table), field("Write mode", mode), keysField,
      field("When a value does not fit", onError), sheetPicker, regionField),
    h("small", { id: "dest-help", class: "muted" }, "Names use lowercase letters, digits and _. Create makes a new table; append adds rows (and new columns); overwrite replaces every row; upsert updates the rows whose merge key is in the table and adds the others."),
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
    reading,
    form,
    h("h2", null, "Preview"),
    h("label", { class: "inline" }, h("input", { type: "checkbox", onchange: (e: Event) => { reveal = (e.target as HTMLInputElement).checked; renderGrid(); } }), " Reveal personal data in the preview"),
    grid);
  load(ins);
  showKeys();
  if (prior) {
    // Back from a failed job: every choice it was given, to change the one
    // that failed.
    database.value = prior.table.database;
    table.value = prior.table.name;
    mode.value = prior.mode || "create";
    keys.value = (prior.keys ?? []).join(", ");
    onError.value = prior.on_error || "widen";
    if (prior.options?.phone_region) regionSelect.value = prior.options.phone_region;
    for (const s of prior.columns ?? []) {
      const c = cols.find((x) => x.source === s.source);
      if (!c) continue;
      Object.assign(c, { name: s.name ?? c.name, type: s.type ?? c.type, action: s.action ?? c.action, reason: s.reason ?? c.reason,
        entity: s.entity ?? c.entity, level: s.level ?? c.level, touched: true });
    }
    showKeys();
    renderColumns();
    renderGrid();
    showDiff();
  }
  return page;
}
