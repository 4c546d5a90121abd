// The table page's column profiles, expectations and snapshot comparison.
import { api, ApiError, Column, ColumnProfile, Expectation, ExpectationKind, Snapshot, SnapshotDiff, Table } from "../api";
import { h, replace, when } from "../dom";
import { errorBox } from "../main";

// profileCells are the schema table's profile columns: NULLs, distinct, range.
export function profileCells(c: Column, rows: number): HTMLElement[] {
  const p = c.profile;
  if (!p) return [h("td", { class: "muted", "data-label": "Profile", colspan: "3" }, "no profile")];
  const pct = rows > 0 ? ` (${((p.nulls / rows) * 100).toFixed(p.nulls && p.nulls * 1000 < rows ? 1 : 0)} %)` : "";
  return [
    h("td", { "data-label": "NULLs", class: "num" }, `${p.nulls.toLocaleString()}${p.nulls ? pct : ""}`),
    h("td", { "data-label": "Distinct", class: "num", title: "estimated (about 1 % error)" }, `≈ ${p.distinct.toLocaleString()}`),
    h("td", { "data-label": "Range" }, p.min !== undefined ? h("span", { class: "minmax" }, h("code", null, p.min), " – ", h("code", null, p.max ?? ""))
      : c.pii ? h("small", { class: "muted" }, "not shown: personal data") : ""),
  ];
}

// profileDetails shows a column's top values and histogram as bars, for
// the columns that have them.
export function profileDetails(t: Table): HTMLElement | null {
  const cols = t.columns.filter((c) => c.profile && ((c.profile.top?.length ?? 0) > 0 || (c.profile.histogram?.length ?? 0) > 1));
  if (cols.length === 0) return null;
  return h("div", { class: "profiles" }, cols.map((c) => h("details", { class: "profile" },
    h("summary", null, h("code", null, c.name), " ", h("small", { class: "muted" }, c.profile!.top?.length ? "top values" : "distribution")),
    bars(c.profile!))),
    t.columns.some((c) => c.profile?.approximate) ? h("p", { class: "muted" }, "Counts after an upsert include the values it replaced, until the next overwrite.") : null);
}

function bars(p: ColumnProfile): HTMLElement {
  const items = p.top?.length ? p.top.map((v) => ({ label: v.value, count: v.count }))
    : (p.histogram ?? []).map((b) => ({ label: b.low === b.high ? b.low : `${b.low} – ${b.high}`, count: b.count }));
  const most = Math.max(1, ...items.map((i) => i.count));
  return h("table", { class: "bars" },
    h("caption", { class: "sr-only" }, p.top?.length ? "Most frequent values" : "Histogram (estimated from a sample)"),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, p.top?.length ? "Value" : "Range"), h("th", { scope: "col" }, "Rows"))),
    h("tbody", null, items.map((i) => {
      const bar = h("span", { class: "bar" });
      bar.style.width = `${Math.max(1, Math.round((i.count / most) * 100))}%`;
      return h("tr", null, h("td", null, i.label === "" ? h("em", null, "(empty)") : i.label), h("td", { class: "num" }, h("span", { class: "bar-box" }, bar), i.count.toLocaleString()));
    })));
}

const kinds: Record<ExpectationKind, string> = {
  not_null: "is never NULL", unique: "is unique", range: "is within a range", allowed: "is one of these values", row_count: "row count per upload",
};

export function describe(e: Expectation): string {
  switch (e.kind) {
    case "not_null": return `${e.column} is never NULL`;
    case "unique": return `${e.column} is unique (in each upload and with the table)`;
    case "range": return `${e.column} is within ${e.min ?? "…"} – ${e.max ?? "…"}`;
    case "allowed": return `${e.column} is one of ${(e.values ?? []).join(", ")}`;
    case "row_count": return `each upload has within ${e.percent} % of the last upload's rows`;
  }
}

// expectations lists a table's rules; its owner (or an admin) edits them.
// The server checks them (ValidateExpectations) and says which is wrong.
export function expectations(t: Table, mayEdit: boolean, onSaved: (t: Table) => void): HTMLElement {
  const box = h("div", { class: "expectations" });
  const show = () => replace(box,
    t.expectations.length === 0 ? h("p", { class: "muted" }, "No expectations: every upload that fits the schema is accepted.")
      : h("ul", null, t.expectations.map((e) => h("li", null, describe(e)))),
    mayEdit ? h("button", { type: "button", class: "link", onclick: edit }, t.expectations.length ? "Edit expectations" : "Add expectations") : null);
  const edit = () => {
    const rules: Expectation[] = t.expectations.map((e) => ({ ...e }));
    const list = h("div");
    const out = h("div", { "aria-live": "polite" });
    const cols = t.columns;
    const draw = () => replace(list, rules.length === 0 ? h("p", { class: "muted" }, "No rules yet.") : null, rules.map((r, i) => {
      const kind = h("select", { "aria-label": `Rule ${i + 1}: kind`, name: `kind-${i}` }, Object.entries(kinds).map(([k, label]) => h("option", { value: k, selected: r.kind === k }, label)));
      kind.addEventListener("change", () => { r.kind = kind.value as ExpectationKind; draw(); });
      const column = h("select", { "aria-label": `Rule ${i + 1}: column`, name: `column-${i}` }, cols.map((c) => h("option", { value: c.name, selected: r.column === c.name }, c.name)));
      if (!r.column && r.kind !== "row_count") r.column = cols[0]?.name;
      column.addEventListener("change", () => { r.column = column.value; });
      const num = (label: string, get: () => number | undefined, set: (v: number | undefined) => void) => {
        const input = h("input", { type: "number", step: "any", "aria-label": `Rule ${i + 1}: ${label}`, placeholder: label, value: get() ?? "" });
        input.addEventListener("input", () => set(input.value === "" ? undefined : Number(input.value)));
        return input;
      };
      const values = h("input", { "aria-label": `Rule ${i + 1}: allowed values, comma-separated`, placeholder: "open, closed", value: (r.values ?? []).join(", ") });
      values.addEventListener("input", () => { r.values = values.value.split(",").map((v) => v.trim()).filter(Boolean); });
      const err = h("small", { class: "field-error block", id: `rule-error-${i}` });
      return h("div", { class: "rule", "data-rule": String(i) },
        r.kind === "row_count" ? null : column, kind,
        r.kind === "range" ? [num("minimum", () => r.min, (v) => (r.min = v)), num("maximum", () => r.max, (v) => (r.max = v))] : null,
        r.kind === "allowed" ? values : null,
        r.kind === "row_count" ? num("percent", () => r.percent, (v) => (r.percent = v)) : null,
        h("button", { type: "button", "aria-label": `Remove rule ${i + 1}`, onclick: () => { rules.splice(i, 1); draw(); } }, "Remove"), err);
    }));
    draw();
    replace(box, h("form", { onsubmit: async (e: Event) => {
      e.preventDefault();
      for (const r of rules) if (r.kind === "row_count") delete r.column;
      try {
        t = await api.setTableInfo(t.ref.database, t.ref.name, { expectations: rules });
        onSaved(t);
        show();
      } catch (err) {
        if (err instanceof ApiError) {
          for (const [field, msg] of Object.entries(err.fields)) {
            const m = field.match(/^expectations\.(\d+)$/);
            const slot = m ? list.querySelector(`#rule-error-${m[1]}`) : null;
            if (slot) slot.textContent = msg;
          }
        }
        replace(out, errorBox(err));
      }
    } },
      h("p", { class: "muted" }, "An upload that breaks a rule is refused with the failing lines, and nothing is written."),
      list,
      h("p", null, h("button", { type: "button", onclick: () => { rules.push({ kind: "not_null", column: cols[0]?.name }); draw(); } }, "Add a rule")),
      out,
      h("div", { class: "actions" }, h("button", { type: "button", onclick: show }, "Cancel"), h("button", { type: "submit", class: "primary" }, "Save expectations"))));
  };
  show();
  return box;
}

// compare lets the user pick two snapshots and shows what changed between them.
export function compare(t: Table): HTMLElement | null {
  if (t.snapshots.length < 2) return null;
  const newestFirst = [...t.snapshots].reverse();
  const from = h("select", { id: "diff-from", name: "from" }, newestFirst.map((s, i) => h("option", { value: s.id, selected: i === 1, title: snapshotTitle(s) }, snapshotLabel(s))));
  const to = h("select", { id: "diff-to", name: "to" }, newestFirst.map((s) => h("option", { value: s.id, selected: s.id === t.current_snapshot_id, title: snapshotTitle(s) }, snapshotLabel(s))));
  const out = h("div", { "aria-live": "polite" });
  return h("form", { class: "compare", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      replace(out, diffView(await api.diff(t.ref.database, t.ref.name, from.value, to.value)));
    } catch (err) { replace(out, errorBox(err)); }
  } },
    h("div", { class: "dest" }, h("label", { for: "diff-from" }, "From", from), h("label", { for: "diff-to" }, "To", to)),
    h("button", { type: "submit" }, "Compare"), out);
}

function diffView(d: SnapshotDiff): HTMLElement {
  const net = d.rows_after - d.rows_before;
  const cols = [
    ...d.columns_added.map((c) => h("li", null, "Added column ", h("code", null, c.name), ` (${c.type})`)),
    ...d.columns_removed.map((c) => h("li", null, "Removed column ", h("code", null, c.name), ` (${c.type})`)),
    ...d.columns_changed.map((c) => h("li", null, h("code", null, c.name), ` changed from ${c.from} to ${c.to}`)),
  ];
  return h("div", { class: "diff-result" },
    h("p", null, h("strong", null, `${d.rows_before.toLocaleString()} → ${d.rows_after.toLocaleString()} rows (${net >= 0 ? "+" : ""}${net.toLocaleString()})`)),
    h("p", { class: "muted" }, `${d.files_added} data file${d.files_added === 1 ? "" : "s"} added (${d.rows_in_added_files.toLocaleString()} rows), ` +
      `${d.files_removed} removed (${d.rows_in_removed_files.toLocaleString()} rows). A file an overwrite or upsert replaced counts all its rows.`),
    cols.length ? h("ul", null, cols) : h("p", { class: "muted" }, "Same columns."),
    d.between.length ? h("ol", { class: "between" }, d.between.map((s) => h("li", null, `${when(s.time)}: ${s.lineage ? `${s.lineage.mode} of ${s.lineage.rows.toLocaleString()} rows from ${s.lineage.source_file} by ${s.lineage.uploader}` +
      (s.lineage.mode === "upsert" ? ` (${s.lineage.updated ?? 0} updated, ${s.lineage.inserted ?? 0} inserted)` : "") : s.operation}`))) : null);
}

// snapshotTitle describes a version in full: when, how and from which file.
export function snapshotTitle(s: Snapshot): string {
  return `${when(s.time)} · ${s.lineage?.mode ?? s.operation}${s.lineage ? ` ${s.lineage.source_file}` : ""}`;
}

// snapshotLabel names a version in a picker briefly enough for a phone's
// width whatever the hour or the file's name: minutes, not seconds, and a
// long file name shortened in the middle (the option's title has it all).
export function snapshotLabel(s: Snapshot): string {
  const at = new Date(s.time).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  const file = s.lineage?.source_file ?? "";
  const short = file.length > 20 ? `${file.slice(0, 9)}…${file.slice(-10)}` : file;
  return `${at} · ${s.lineage?.mode ?? s.operation}${short ? ` ${short}` : ""}`;
}
