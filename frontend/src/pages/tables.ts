import { api, ApiError, Table } from "../api";
import { h, replace, when } from "../dom";
import { errorBox, type Ctx } from "../main";
import { piiLabel } from "../pii";
import { compare, expectations, profileCells, profileDetails, snapshotLabel, snapshotTitle } from "./tablecols";
import { exportForm } from "./exports";

export async function tablesPage(_ctx: Ctx): Promise<HTMLElement> {
  const { tables } = await api.tables();
  const list = h("div");
  const search = h("input", { type: "search", placeholder: "Search tables and columns", "aria-label": "Search tables and columns" });
  const show = () => {
    const q = search.value.trim().toLowerCase();
    const rows = tables.filter((t) => `${t.ref.database}.${t.ref.name}`.includes(q) || (t.description ?? "").toLowerCase().includes(q) ||
      t.column_names.some((c) => c.includes(q)));
    replace(list, rows.length === 0
      ? h("p", { class: "empty" }, tables.length === 0 ? "No tables yet. " : "No table matches. ", tables.length === 0 ? h("a", { href: "/upload" }, "Upload a file to create one.") : null)
      : h("table", { class: "list" },
          h("thead", null, h("tr", null, ...["Table", "Columns", "Rows", "Updated"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", null, rows.map((t) => {
            const cols = q && !`${t.ref.database}.${t.ref.name}`.includes(q) ? t.column_names.filter((c) => c.includes(q)) : [];
            return h("tr", null,
              h("td", null, h("a", { href: `/tables/${t.ref.database}/${t.ref.name}` }, `${t.ref.database}.${t.ref.name}`),
                t.description ? h("small", { class: "muted block" }, t.description) : null,
                cols.length ? h("small", { class: "muted block" }, `columns: ${cols.join(", ")}`) : null),
              h("td", null, t.columns, t.pii_columns ? h("span", { class: "badge pii", title: "columns with personal data" }, ` ${t.pii_columns} PII`) : null),
              h("td", null, t.rows.toLocaleString()), h("td", null, when(t.updated_at)));
          }))));
  };
  search.addEventListener("input", show);
  show();
  return h("section", null, h("h1", null, "Tables"), search, list);
}

// snippets are for notebook users: every one authenticates with an API
// token (Tokens page) and reads through Inlet's endpoints, so it works from
// any machine and only ever sees this tenant.
function snippets(t: Table): Record<string, string> {
  const name = `${t.ref.database}.${t.ref.name}`;
  const origin = location.origin;
  return {
    "pandas / polars (SQL API, Arrow)": `import os, requests, pyarrow as pa

r = requests.post("${origin}/api/v1/query",
    headers={"Authorization": f"Bearer {os.environ['INLET_TOKEN']}",
             "Accept": "application/vnd.apache.arrow.stream"},
    json={"sql": "SELECT * FROM ${name} LIMIT 100000"})
r.raise_for_status()
table = pa.ipc.open_stream(r.content).read_all()
df = table.to_pandas()            # or: polars.from_arrow(table)`,
    "PyIceberg (Iceberg REST)": `from pyiceberg.catalog import load_catalog
import os

catalog = load_catalog("inlet", type="rest",
    uri="${origin}/api/v1/iceberg", token=os.environ["INLET_TOKEN"])
df = catalog.load_table("${name}").scan(limit=1000).to_pandas()`,
    "Spark (Iceberg REST)": `spark = (SparkSession.builder
  .config("spark.sql.catalog.inlet", "org.apache.iceberg.spark.SparkCatalog")
  .config("spark.sql.catalog.inlet.type", "rest")
  .config("spark.sql.catalog.inlet.uri", "${origin}/api/v1/iceberg")
  .config("spark.sql.catalog.inlet.token", os.environ["INLET_TOKEN"])
  .getOrCreate())
spark.sql("SELECT * FROM inlet.${name} LIMIT 10").show()`,
    "curl (CSV)": `curl -s ${origin}/api/v1/query \\
  -H "Authorization: Bearer $INLET_TOKEN" -H "Accept: text/csv" \\
  -d '{"sql": "SELECT * FROM ${name} LIMIT 10"}'`,
    "Athena / Glue": `-- register once: inlet glue ${name} > t.json
-- aws glue create-table --database-name ${t.ref.database} --table-input file://t.json
SELECT * FROM ${name} LIMIT 10;`,
  };
}

// about shows the description and owner, editable in place by analysts and admins.
function about(ctx: Ctx, t: Table): HTMLElement {
  const box = h("div", { class: "about" });
  const show = () => replace(box,
    h("p", null, t.description || h("span", { class: "muted" }, "No description yet.")),
    h("p", { class: "muted" }, "Owner: ", t.owner || "—"),
    ctx.session.role === "analyst" || ctx.session.role === "admin" ? h("button", { class: "link", onclick: editForm }, "Edit description and owner") : null);
  const editForm = () => {
    const desc = h("textarea", { name: "description", rows: "3", maxlength: "2048", "aria-label": "Description" });
    desc.value = t.description;
    const owner = h("input", { name: "owner", value: t.owner, "aria-label": "Owner", placeholder: "team or person" });
    const out = h("div");
    replace(box, h("form", { onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        t = await api.setTableInfo(t.ref.database, t.ref.name, { description: desc.value, owner: owner.value });
        show();
      } catch (err) { replace(out, h("div", { class: "error" }, String(err))); }
    } }, h("label", { class: "block" }, "Description", desc), h("label", { class: "block" }, "Owner", owner), out,
      h("div", { class: "actions" }, h("button", { type: "button", onclick: show }, "Cancel"), h("button", { type: "submit", class: "primary" }, "Save"))));
  };
  show();
  return box;
}

export async function tablePage(ctx: Ctx, db: string, name: string): Promise<HTMLElement> {
  // ?snapshot=ID shows the table as of that snapshot (time travel).
  const t = await api.table(db, name, new URLSearchParams(location.search).get("snapshot") ?? undefined);
  const asOf = t.as_of_snapshot_id ? t.snapshots.find((s) => s.id === t.as_of_snapshot_id) : undefined;
  const glue = h("pre", { class: "code" }, "…");
  api.glue(db, name).then((g) => (glue.textContent = JSON.stringify(g, null, 2))).catch((e) => (glue.textContent = String(e)));
  const snaps = [...t.snapshots].reverse();
  const picker = h("select", { id: "snapshot-pick", name: "snapshot" }, h("option", { value: "" }, "the current version"),
    snaps.filter((s) => s.id !== t.current_snapshot_id).map((s) =>
      h("option", { value: s.id, selected: s.id === t.as_of_snapshot_id, title: snapshotTitle(s) }, snapshotLabel(s))));
  picker.addEventListener("change", () => ctx.go(`/tables/${db}/${name}` + (picker.value ? `?snapshot=${picker.value}` : "")));
  const sample = h("div", { class: "grid-wrap", tabindex: "0", role: "region", "aria-label": "Sample rows" }, h("p", { class: "muted" }, "Loading…"));
  api.sample(db, name, t.as_of_snapshot_id).then((s) => replace(sample, h("table", { class: "preview" },
    h("thead", null, h("tr", null, s.columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", null, s.rows.map((r) => h("tr", null, r.map((v) => h("td", { class: v === null ? "muted" : "" }, v ?? "NULL"))))))))
    .catch((e) => replace(sample, h("div", { class: "error" }, String(e))));
  // Table actions: roll back (Iceberg: an earlier snapshot becomes current,
  // the history stays), undo the last upload, delete (confirmed by name).
  const ref = `${t.ref.database}.${t.ref.name}`;
  const actionOut = h("div", { "aria-live": "polite" });
  const rollback = async (id: string, what: string) => {
    if (!confirm(`Roll ${ref} back to ${what}? Later snapshots stay in the history.`)) return;
    try {
      await api.rollback(db, name, id);
      ctx.go(`/tables/${db}/${name}`);
    } catch (e) { replace(actionOut, errorBox(e)); }
  };
  const current = t.snapshots.find((s) => s.id === t.current_snapshot_id);
  // Iceberg rolls back along the current history only: the current
  // snapshot's ancestors.
  const ancestors = new Set<string>();
  for (let s = current; s?.parent_id; s = t.snapshots.find((x) => x.id === s!.parent_id)) ancestors.add(s.parent_id);
  const newest = t.snapshots[t.snapshots.length - 1];
  // "Undo the last upload" only while the last upload is current.
  const parent = current && current === newest ? current.parent_id : undefined;
  const confirmName = h("input", { id: "drop-confirm", name: "confirm", autocomplete: "off", "aria-describedby": "confirm-error" });
  const dropOut = h("small", { class: "field-error block", id: "confirm-error", "aria-live": "polite" });
  const dangerZone = h("details", { class: "danger" }, h("summary", null, "Undo or delete"),
    parent ? h("p", null, h("button", { type: "button", onclick: () => rollback(parent, "before the last upload") }, "Undo the last upload"),
      h("small", { class: "muted" }, " The table reads as before its last change; that snapshot stays in the history.")) : null,
    h("form", { class: "drop", onsubmit: async (e: Event) => {
      e.preventDefault();
      if (confirmName.value !== ref) { dropOut.textContent = `Type ${ref} exactly to delete it.`; return; }
      try {
        await api.dropTable(db, name, confirmName.value);
        ctx.go("/tables");
      } catch (err) {
        dropOut.textContent = err instanceof ApiError ? err.message : String(err);
      }
    } },
      h("p", null, `Deleting ${ref} removes it from the catalog and deletes its files; queries and notebooks stop finding it. Its lineage stays in the audit log.`),
      h("label", { for: "drop-confirm" }, `Type ${ref} to confirm`), confirmName, dropOut,
      h("button", { type: "submit", class: "danger" }, "Delete the table")));
  const mayEdit = ctx.session.role === "admin" || ctx.session.role === "analyst";
  return h("section", null,
    h("h1", null, `${t.ref.database}.${t.ref.name}`),
    h("p", { class: "muted" }, `${t.rows.toLocaleString()} rows · ${t.columns.length} columns · updated ${when(t.updated_at)}`),
    h("p", { class: "time-travel" }, h("label", { for: "snapshot-pick" }, "Show the table as of "), picker),
    asOf ? h("div", { class: "warning", role: "status" }, `You are looking at ${t.ref.database}.${t.ref.name} as of ${when(asOf.time)}: its schema, profiles and rows then. `,
      h("a", { href: `/tables/${db}/${name}` }, "Back to the current version"), " · ",
      h("a", { href: `/query?table=${t.ref.database}.${t.ref.name}&snapshot=${asOf.id}` }, "Query this snapshot")) : null,
    asOf ? null : about(ctx, t),
    mayEdit ? h("details", { class: "export" }, h("summary", null, asOf ? "Export this snapshot" : "Export"),
      exportForm(ctx, { table: t.ref, snapshot_id: t.as_of_snapshot_id }, t.columns.map((c) => c.name), `${t.ref.database}_${t.ref.name}`)) : null,
    h("h2", null, "Schema and column profiles"),
    h("table", { class: "list stack columns" },
      h("thead", null, h("tr", null, ...["Column", "Type", "Personal data", "NULLs", "Distinct", "Range", "Comment"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, t.columns.map((c) => h("tr", null,
        h("td", null, h("code", null, c.name)), h("td", { "data-label": "Type" }, c.type),
        h("td", { "data-label": "Personal data" }, c.pii ? h("span", { class: `badge ${c.pii.action === "keep" ? "warn" : "pii"}` }, piiLabel(c.pii)) : "—"),
        ...profileCells(c, t.rows),
        h("td", { class: "muted", "data-label": "Comment" }, c.comment ?? ""))))),
    profileDetails(t),
    asOf ? null : [h("h2", null, "Expectations"), expectations(t, mayEdit, () => {})],
    h("h2", null, "Sample rows"),
    h("p", { class: "muted" }, "As stored in the lake: personal data is hashed or masked as decided at ingest."),
    sample,
    h("h2", null, "History"),
    h("table", { class: "list stack" },
      h("thead", null, h("tr", null, ...["When", "Change", "Rows", "Source file", "Uploader", "PII decisions", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, snaps.map((s) => h("tr", { class: s.id === t.current_snapshot_id ? "current" : "" },
        h("td", null, when(s.time)), h("td", { "data-label": "Change" }, s.lineage?.mode ?? s.operation), h("td", { "data-label": "Rows" }, s.lineage?.rows.toLocaleString() ?? ""),
        h("td", { "data-label": "Source file" }, s.lineage ? h("span", { title: `sha256 ${s.lineage.source_sha256}` }, s.lineage.source_file + (s.lineage.sheet ? ` (${s.lineage.sheet})` : "")) : ""),
        h("td", { "data-label": "Uploader" }, s.lineage?.uploader ?? ""),
        h("td", { "data-label": "PII decisions" }, (s.lineage?.pii ?? []).map((d) => `${d.column}: ${d.action}${d.level ? ` (${d.level})` : ""}${d.reason ? ` (${d.reason})` : ""}`).join(", ")),
        h("td", null, s.id === t.current_snapshot_id ? h("span", { class: "badge" }, "current")
          : !ancestors.has(s.id) ? h("small", { class: "muted" }, "rolled back")
          : h("button", { type: "button", "aria-label": `Roll back to this: the snapshot of ${when(s.time)}`, onclick: () => rollback(s.id, `the snapshot of ${when(s.time)}`) }, "Roll back to this")))))),
    compare(t) ? [h("h3", null, "Compare two snapshots"), compare(t)] : null,
    actionOut,
    asOf ? null : dangerZone,
    h("h2", null, "Use it from a notebook"),
    h("p", { class: "muted" }, "Create a token on the ", h("a", { href: "/tokens" }, "Tokens page"), " and set it as INLET_TOKEN. Or ",
      h("a", { href: `/query?table=${t.ref.database}.${t.ref.name}` }, "query it here"), "."),
    Object.entries(snippets(t)).map(([k, v]) => h("details", null, h("summary", null, k), h("pre", { class: "code" }, v))),
    h("h2", null, "Glue metadata"),
    h("details", null, h("summary", null, "TableInput JSON"), glue));
}
