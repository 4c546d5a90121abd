// The SQL workspace: CodeMirror with the tenant's tables and columns for
// completion, run / cancel, results as a grid or chart, CSV download, and
// saving the SQL as a parameterised template.
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { Prec } from "@codemirror/state";
import { closeCompletion } from "@codemirror/autocomplete";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import { sql as sqlLang, PostgreSQL, SQLNamespace } from "@codemirror/lang-sql";
import { api, Template, TableSummary } from "../api";
import { h, replace } from "../dom";
import { errorBox, Ctx } from "../main";
import { queryRunner, errorPosition } from "../results";
import { paramEditor, paramForm, ParamForm, bareRanges } from "../params";

const draftKey = (tenant: string) => `inlet.workspace.${tenant}`;
const historyKey = (tenant: string) => `inlet.history.${tenant}`;
const historySize = 30;

interface Ran { sql: string; at: string }

// recent reads this browser's recent queries for a tenant, newest first.
function recent(tenant: string): Ran[] {
  try {
    const list = JSON.parse(localStorage.getItem(historyKey(tenant)) ?? "[]");
    return Array.isArray(list) ? list.filter((r) => typeof r?.sql === "string") : [];
  } catch {
    return [];
  }
}

// short is a query on one line, cut at 80 characters.
function short(sql: string): string {
  const line = sql.replace(/\s+/g, " ").trim();
  return line.length > 80 ? line.slice(0, 79) + "…" : line;
}

function remember(tenant: string, sql: string) {
  const list = [{ sql, at: new Date().toISOString() }, ...recent(tenant).filter((r) => r.sql !== sql)].slice(0, historySize);
  localStorage.setItem(historyKey(tenant), JSON.stringify(list));
}

export async function workspacePage(ctx: Ctx): Promise<HTMLElement> {
  const search = new URLSearchParams(location.search);
  const templateID = search.get("template");
  const fromTable = search.get("table"); // "Query it here" on a table page
  const [{ tables }, tpl] = await Promise.all([api.tables(), templateID ? api.template(templateID) : Promise.resolve(null)]);
  let template: Template | null = tpl;

  const canSave = ctx.session.role === "analyst" || ctx.session.role === "admin";
  const first = tables[0];
  const initial = template?.sql ?? (fromTable && /^\w+\.\w+$/.test(fromTable) ? `SELECT *\nFROM ${fromTable}\nLIMIT 100` : null) ??
    localStorage.getItem(draftKey(ctx.session.tenant)) ??
    (first ? `SELECT *\nFROM ${first.ref.database}.${first.ref.name}\nLIMIT 100` : "SELECT 42 AS answer");

  // Completion knows databases, tables and their columns, each with its
  // own kind (and so its own icon in the list).
  const schema: Record<string, SQLNamespace> = {};
  for (const t of tables) {
    const db = (schema[t.ref.database] ??= { self: { label: t.ref.database, type: "database" }, children: {} }) as { children: Record<string, SQLNamespace> };
    db.children[t.ref.name] = { self: { label: t.ref.name, type: "table", detail: `${t.column_names.length} columns` }, children: t.column_names.map((c) => ({ label: c, type: "column" })) };
  }

  const out = h("div", { class: "query-out" });
  const params = paramEditor(template?.params ?? [], () => refreshForm());
  let form: ParamForm = paramForm(template?.params ?? []);
  const formBox = h("div", { class: "preview-values" });
  const rangeNotes = h("div", { class: "range-notes" });
  const refreshForm = () => {
    const values = form.values();
    form = paramForm(params.params(), undefined, values);
    replace(formBox, params.params().length ? h("h3", null, "Values for this run") : null, form.el);
    showRangeNotes();
  };

  // A bare {{period}} of a date range: say what it needs, and rewrite
  // `col = {{period}}` into the range at a click.
  function showRangeNotes() {
    const text = editor.state.doc.toString();
    replace(rangeNotes, ...bareRanges(text, params.params()).map((b) => h("div", { class: "warning", role: "status" },
      h("code", null, `{{${b.name}}}`), ` is a date range: two values, `, h("code", null, `{{${b.name}.start}}`), " (its first day) and ",
      h("code", null, `{{${b.name}.end}}`), " (the day after its last). ",
      b.rewrite
        ? h("button", { type: "button", onclick: () => { editor.dispatch({ changes: { from: b.from, to: b.to, insert: b.rewrite! } }); editor.focus(); } },
          "Rewrite as ", h("code", null, b.rewrite))
        : ["Write, for example, ", h("code", null, `day >= {{${b.name}.start}} AND day < {{${b.name}.end}}`), "."])));
  }

  const editor = new EditorView({
    doc: initial,
    extensions: [
      basicSetup,
      sqlLang({ dialect: PostgreSQL, schema, upperCaseKeywords: true }),
      Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => { run(); return true; } }])),
      EditorView.updateListener.of((u) => {
        if (!u.docChanged) return;
        const text = u.state.doc.toString();
        if (!template) localStorage.setItem(draftKey(ctx.session.tenant), text);
        params.sync(text);
        refreshForm();
      }),
      // tabindex: the editor is the keyboard's way into its own scrolling
      // box (it is focusable already; this says so to assistive checks).
      EditorView.contentAttributes.of({ "aria-label": "SQL editor", tabindex: "0" }),
      EditorView.lineWrapping,
      lintGutter(),
    ],
  });
  params.sync(initial);
  refreshForm();

  const sql = () => editor.state.doc.toString();
  // Time travel: every table as of a time, or (from a table page) one
  // table as of a snapshot.
  const pinned = fromTable && search.get("snapshot") ? { [fromTable]: search.get("snapshot")! } : null;
  const asOf = h("input", { id: "as-of", type: "datetime-local", step: "1", name: "as_of" });
  const travel = h("div", { class: "time-travel" },
    h("label", { for: "as-of" }, "Read tables as of"), asOf,
    h("button", { type: "button", class: "link", onclick: () => { asOf.value = ""; } }, "now"),
    pinned ? h("span", { class: "badge" }, `${fromTable} at snapshot ${pinned[fromTable!]}`) : null);
  const travelBody = () => ({
    ...(asOf.value ? { as_of: new Date(asOf.value).toISOString() } : {}),
    ...(pinned ? { snapshots: pinned } : {}),
  });
  const body = () => ({ ...(params.params().length ? { sql: sql(), template_params: params.params(), values: form.values() } : { sql: sql() }), ...travelBody() });

  const historyList = h("ol", { class: "history" });
  const load = (text: string) => {
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
    editor.focus();
  };
  const showHistory = () => replace(historyList, ...recent(ctx.session.tenant).map((r) =>
    h("li", null, h("button", { class: "link", title: r.sql, onclick: () => load(r.sql) }, short(r.sql)))));
  showHistory();
  const runner = queryRunner("/query", body, out, () => "result.csv", false, () => {
    // The result, not a completion list left open over it, has the focus
    // of the reader now.
    closeCompletion(editor);
    editor.dispatch(setDiagnostics(editor.state, []));
    remember(ctx.session.tenant, sql());
    showHistory();
  }, (message) => markError(message));
  const run = runner.run;

  // markError underlines the place a refusal or a syntax error names
  // ("line 2, column 7: …"): the word or {{reference}} there, or the
  // character.
  function markError(message: string) {
    const at = errorPosition(message);
    const doc = editor.state.doc;
    if (!at || at.line > doc.lines) return;
    const line = doc.line(at.line);
    const from = Math.min(line.from + at.column - 1, line.to);
    const word = /^(\{\{[^}]*\}\}|[\w.$]+)/.exec(doc.sliceString(from, line.to))?.[0].length ?? 0;
    const to = Math.min(doc.length, from + Math.max(word, 1));
    editor.dispatch(setDiagnostics(editor.state, [{ from, to, severity: "error", message }]));
  }

  const heading = h("h1", null, template ? template.name : "Query");
  const saveBtn = canSave ? h("button", { onclick: () => openSave() }, template ? "Save new version…" : "Save as template…") : null;
  const dialog = h("dialog", { class: "card save-dialog", "aria-label": "Save as template" });

  function openSave() {
    const name = h("input", { id: "tpl-name", value: template?.name ?? "", required: true });
    const desc = h("textarea", { id: "tpl-desc", rows: 2 }, template?.description ?? "");
    const note = h("input", { id: "tpl-note", placeholder: "What changed" });
    const err = h("div");
    const save = h("button", { class: "primary", type: "submit" }, "Save");
    replace(dialog, h("form", { method: "dialog", onsubmit: async (e: Event) => {
      e.preventDefault();
      save.disabled = true;
      const input = { name: name.value, description: desc.value, sql: sql(), params: params.params(), version: template?.version, note: note.value };
      try {
        template = template ? await api.updateTemplate(template.id, input) : await api.createTemplate(input);
        dialog.close();
        ctx.go(`/templates/${template.id}`);
      } catch (e) {
        replace(err, errorBox(e));
        save.disabled = false;
      }
    } },
      h("h2", null, template ? `Save version ${template.version + 1} of ${template.name}` : "Save as template"),
      h("label", { class: "block", for: "tpl-name" }, "Name", name),
      h("label", { class: "block", for: "tpl-desc" }, "Description", desc),
      template ? h("label", { class: "block", for: "tpl-note" }, "Change note", note) : null,
      h("p", { class: "muted small" }, params.params().length
        ? `Parameters: ${params.params().map((p) => `${p.name} (${p.type})`).join(", ")}. They are always bound, never pasted into the SQL.`
        : "Tip: write {{name}} in the SQL for a value people choose when they run it, and [[ AND … {{name}} ]] for a clause that drops out when it is empty."),
      err,
      h("div", { class: "actions" }, h("button", { type: "button", onclick: () => dialog.close() }, "Cancel"), " ", save)));
    dialog.showModal();
    name.focus();
  }

  return h("section", { class: "workspace" },
    heading,
    template ? h("p", { class: "muted" }, `Editing version ${template.version}. `, h("a", { href: `/templates/${template.id}` }, "Back to the template")) :
      h("p", { class: "muted" }, "Read-only SQL over your tenant's tables, addressed as database.table. ", h("a", { href: "/templates" }, "Saved templates")),
    h("div", { class: "ws-grid" },
      h("div", { class: "ws-side" },
        schemaTree(tables, (text) => {
          editor.dispatch(editor.state.replaceSelection(text));
          editor.focus();
        }),
        h("details", { class: "schema recent", open: true }, h("summary", null, "Recent queries"), historyList)),
      h("div", { class: "ws-main" },
        h("div", { class: "editor" }, editor.dom),
        params.el,
        rangeNotes,
        formBox,
        travel,
        h("div", { class: "toolbar" }, ...runner.buttons, saveBtn, h("span", { class: "muted small" }, "Ctrl+Enter runs")),
        out)),
    dialog);
}

function schemaTree(tables: TableSummary[], insert: (text: string) => void): HTMLElement {
  if (tables.length === 0) return h("aside", { class: "schema" }, h("p", { class: "muted" }, "No tables yet. ", h("a", { href: "/upload" }, "Upload a file")));
  return h("aside", { class: "schema", "aria-label": "Tables" },
    h("h2", null, "Tables"),
    // The summary opens the column list; the insert button sits beside it,
    // not inside it (a control inside a summary is unreachable by keyboard
    // and read as one control).
    ...tables.map((t) => {
      const ref = `${t.ref.database}.${t.ref.name}`;
      return h("div", { class: "schema-table" },
        h("details", null, h("summary", null, ref),
          h("ul", null, ...t.column_names.map((c) => h("li", null, h("button", { class: "link", title: `Insert ${c} into the query`, onclick: () => insert(c) }, c))))),
        h("button", { class: "link insert", "aria-label": `Insert ${ref} into the query`, title: "Insert into the query", onclick: () => insert(ref) }, "insert"));
    }));
}
