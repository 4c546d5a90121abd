// Data exports: the form on a table or template page, the tenant's exports
// list, and a customer's own page.
import { api, ApiError, CustomerExport, CustomerTemplate, Export, ExportOptions, ExportRequest, ExportSchedule, ExportSource, Membership, Weekday } from "../api";
import { paramForm } from "../params";
import { bytes, h, replace, when } from "../dom";
import { errorBox, type Ctx } from "../main";
import { field, showFieldErrors } from "./auth";

const formats: Record<string, string> = { csv: "CSV", xlsx: "Excel (XLSX)", parquet: "Parquet", jsonl: "JSON Lines" };

const weekdays: Weekday[] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const dayName = (d: string) => d.charAt(0).toUpperCase() + d.slice(1);

// repeatFields ask whether an export repeats, when, how many to keep and
// which webhook hears of each run; the zone defaults to the browser's.
function repeatFields() {
  const repeat = h("select", { name: "repeat" }, [["never", "Never: export once"], ["daily", "Every day"], ["weekly", "Every week"]].map(([v, l]) => h("option", { value: v }, l)));
  const weekday = h("select", { name: "weekday" }, weekdays.map((d) => h("option", { value: d }, dayName(d))));
  const at = h("input", { name: "at", type: "time", value: "07:00", required: true });
  const zones: string[] = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  const zone = h("input", { name: "zone", value: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC", list: "time-zones", autocomplete: "off", spellcheck: "false" });
  const keep = h("input", { name: "keep", type: "number", min: "1", max: "100", step: "1", value: "7", inputmode: "numeric" });
  const webhook = h("input", { name: "webhook_url", type: "url", placeholder: "https://example.com/hooks/inlet", autocomplete: "off" });
  const dayField = field("On", weekday);
  const details = h("div", { class: "repeat-details" },
    h("div", { class: "dest" }, dayField, field("At", at), field("Time zone", zone, "An IANA name; daylight saving is followed")),
    h("datalist", { id: "time-zones" }, zones.map((z) => h("option", { value: z }))),
    h("div", { class: "dest" }, field("Keep the last", keep, "exports; older ones and their files are deleted"),
      field("Webhook (optional)", webhook, "POSTed after each run, signed with a secret shown once")));
  const sync = () => { details.hidden = repeat.value === "never"; dayField.hidden = repeat.value !== "weekly"; };
  repeat.addEventListener("change", sync);
  sync();
  const el = h("fieldset", { class: "repeat" }, h("legend", null, "Schedule"), field("Repeat", repeat), details);
  return { el, repeat, request: () => ({ cadence: repeat.value as "daily" | "weekly", weekday: repeat.value === "weekly" ? weekday.value as Weekday : undefined,
    at: at.value, zone: zone.value.trim(), keep: Number(keep.value) || undefined, webhook_url: webhook.value.trim() || undefined }) };
}

// cadence says when a schedule runs, in words.
export function cadence(s: ExportSchedule): string {
  return `${s.cadence === "weekly" ? `Every ${dayName(s.weekday ?? "")}` : "Every day"} at ${s.at} (${s.zone})`;
}

// exportForm asks what to export and how; the server checks it as the job
// will run it, and each problem shows on its field. With repeat, it can
// make a schedule instead.
export function exportForm(ctx: Ctx, source: ExportSource, columns: string[], defaultName: string, repeat = false): HTMLElement {
  const name = h("input", { name: "name", value: defaultName, maxlength: "80" });
  const format = h("select", { name: "format" }, Object.entries(formats).map(([v, label]) => h("option", { value: v }, label)));
  const expires = h("select", { name: "expires_in_hours" }, [[24, "1 day"], [72, "3 days"], [168, "7 days (the most)"], [1, "1 hour"]].map(([v, l]) => h("option", { value: String(v) }, String(l))));
  const delimiter = h("select", { name: "options.delimiter" }, [[",", "comma"], [";", "semicolon"], ["\t", "tab"], ["|", "|"]].map(([v, l]) => h("option", { value: v }, l)));
  const bom = h("input", { type: "checkbox", id: "export-bom", name: "options.bom" });
  const partRows = h("input", { name: "options.part_rows", type: "number", min: "0", step: "1", inputmode: "numeric", placeholder: "one file" });
  const zip = h("input", { type: "checkbox", id: "export-zip", name: "options.zip" });
  const where = h("input", { name: "source.where", placeholder: "region = {{region}}", autocomplete: "off", "aria-describedby": "where-help" });
  const values = h("input", { name: "source.values", placeholder: "region=EU", autocomplete: "off" });
  const share = h("div", { class: "share", role: "group", "aria-label": "Share with customers" }, h("p", { class: "muted" }, "Loading customers…"));
  const cols = columns.map((c) => h("input", { type: "checkbox", checked: true, value: c, "aria-label": `Include column ${c}` }));
  const out = h("div", { "aria-live": "polite" });
  const csvOnly = h("div", { class: "dest" }, field("Delimiter", delimiter), h("label", { class: "inline", for: "export-bom" }, bom, " Byte order mark (for Excel)"));
  format.addEventListener("change", () => { csvOnly.hidden = format.value !== "csv"; });
  const rep = repeat ? repeatFields() : null;
  const submit = h("button", { type: "submit", class: "primary" }, "Create export");
  rep?.repeat.addEventListener("change", () => { submit.textContent = rep.repeat.value === "never" ? "Create export" : "Create schedule"; });
  let customers: Membership[] = [];
  api.customers().then((r) => {
    customers = r.customers;
    replace(share, customers.length === 0 ? h("p", { class: "muted" }, "No customers yet: an admin invites them on the Team page with the customer role.")
      : customers.map((m) => h("label", { class: "inline" }, h("input", { type: "checkbox", value: m.user_id, "aria-label": `Share with ${m.email ?? m.user_id}` }), ` ${m.name || m.email} `, h("small", { class: "muted" }, m.email ?? ""))));
  }).catch((e) => replace(share, errorBox(e)));
  const form = h("form", { class: "card export-form", onsubmit: async (e: Event) => {
    e.preventDefault();
    const src: ExportSource = { ...source };
    if (columns.length) {
      const chosen = cols.filter((c) => c.checked).map((c) => c.value);
      if (chosen.length === 0) { replace(out, h("div", { class: "error", role: "alert" }, "Choose at least one column.")); return; }
      if (chosen.length < columns.length) src.columns = chosen;
      if (where.value.trim()) src.where = where.value;
    }
    if (values.value.trim()) {
      src.values = { ...(src.values ?? {}) };
      for (const pair of values.value.split("&")) {
        const [k, ...v] = pair.split("=");
        if (k.trim()) (src.values[k.trim()] ??= []).push(v.join("=").trim());
      }
    }
    const req: ExportRequest = { name: name.value, source: src, format: format.value as ExportRequest["format"], expires_in_hours: Number(expires.value),
      options: { delimiter: format.value === "csv" ? delimiter.value as ExportOptions["delimiter"] : undefined, bom: format.value === "csv" && bom.checked, part_rows: Number(partRows.value) || 0, zip: zip.checked },
      share_with: [...share.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => i.value) };
    try {
      if (!rep || rep.repeat.value === "never") {
        await api.createExport(req);
        ctx.go("/exports");
        return;
      }
      const r = await api.createSchedule({ name: name.value, export: req, ...rep.request() });
      if (!r.webhook_secret) { ctx.go("/exports"); return; }
      const secret = h("input", { readonly: true, value: r.webhook_secret, class: "secret", "aria-label": "Webhook secret" });
      replace(out, h("div", { class: "ok-box", role: "status" },
        h("p", null, h("strong", null, "Copy the webhook secret now: "), "it is shown once. Each call carries X-Inlet-Signature: sha256=HMAC-SHA256 of its body with it."),
        h("div", { class: "row" }, secret, h("button", { type: "button", onclick: () => { secret.select(); navigator.clipboard?.writeText(secret.value).catch(() => {}); } }, "Copy")),
        h("button", { type: "button", class: "primary", onclick: () => ctx.go("/exports") }, "Go to exports")));
      secret.select();
    } catch (err) {
      // A schedule's export request is its "export" field.
      showFieldErrors(form, err instanceof ApiError ? new ApiError(err.status, err.code, err.message,
        Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k.replace(/^export\./, ""), v]))) : err);
      replace(out, errorBox(err));
    }
  } },
    h("div", { class: "dest" }, field("File name", name), field("Format", format), field("Link and files expire after", expires)),
    csvOnly,
    columns.length ? [h("fieldset", { class: "columns-pick" }, h("legend", null, "Columns"), cols.map((c) => h("label", { class: "inline" }, c, ` ${c.value}`))),
      field("Only rows where (optional)", where, "A filter like a template: region = {{region}}, and its value below. Values are bound, never pasted into SQL.")] : null,
    columns.length ? field("Values for the filter", values, "name=value, several joined with &") : null,
    h("div", { class: "dest" }, field("Rows per file", partRows, "Split a large export into files of this many rows"),
      h("label", { class: "inline", for: "export-zip" }, zip, " One zip of every file")),
    h("h3", null, "Share with customers"), share,
    rep?.el ?? null,
    out,
    h("div", { class: "actions" }, submit));
  return form;
}

function exportState(e: Export): HTMLElement {
  if (e.state === "running" || e.state === "queued") {
    return h("span", null, h("span", { class: "badge" }, e.state), ` ${e.progress.rows.toLocaleString()} rows · ${bytes(e.progress.bytes)}${e.progress.parts > 1 ? ` · ${e.progress.parts} files` : ""}`);
  }
  if (e.state === "failed") return h("span", { class: "error-text" }, `failed: ${e.error?.message ?? ""}`);
  return h("span", { class: `badge state-${e.state}` }, e.state);
}

// exportsPage lists the tenant's exports, with progress while they run, and
// their links.
export async function exportsPage(_ctx: Ctx): Promise<HTMLElement> {
  const list = h("div");
  const out = h("div", { "aria-live": "polite" });
  const schedules = h("div");
  const page = h("section", null, h("h1", null, "Exports"),
    h("p", { class: "muted" }, "Create an export from a table's page or a template's. Files and links expire; every download is in the audit log."), out,
    h("h2", null, "Schedules"), schedules, h("h2", null, "Exports"), list);
  let customers = new Map<string, string>();
  api.customers().then((r) => { customers = new Map(r.customers.map((m) => [m.user_id ?? "", m.email ?? m.user_id ?? ""])); }).catch(() => {});
  const draw = async () => {
    if (!page.isConnected && list.childElementCount > 0) return;
    let exports: Export[];
    try {
      ({ exports } = await api.exports());
    } catch (e) { replace(out, errorBox(e)); return; }
    replace(list, exports.length === 0 ? h("p", { class: "empty" }, "No exports yet.") : h("table", { class: "list stack" },
      h("thead", null, h("tr", null, ...["Export", "Format", "State", "Rows", "Size", "Expires", "Shared with", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, exports.map((e) => h("tr", { "data-export": e.id },
        h("td", null, h("strong", null, e.name), h("small", { class: "muted block" }, e.source.table ? `${e.source.table.database}.${e.source.table.name}` : "template", ` · ${when(e.created_at)}`)),
        h("td", { "data-label": "Format" }, formats[e.format] ?? e.format),
        h("td", { "data-label": "State" }, exportState(e)),
        h("td", { "data-label": "Rows" }, e.state === "succeeded" ? e.files.reduce((n, f) => n + f.rows, 0).toLocaleString() : ""),
        h("td", { "data-label": "Size" }, e.state === "succeeded" ? bytes(e.files.reduce((n, f) => n + f.bytes, 0)) : ""),
        h("td", { "data-label": "Expires" }, when(e.expires_at), e.links_revoked_at ? h("small", { class: "muted block" }, `links revoked ${when(e.links_revoked_at)}`) : null),
        h("td", { "data-label": "Shared with" }, e.shared_with.length ? e.shared_with.map((u) => customers.get(u) ?? u).join(", ") : "—"),
        h("td", { class: "row-actions" }, actions(e, out, draw)))))));
    if (exports.some((e) => e.state === "queued" || e.state === "running")) setTimeout(draw, 1000);
  };
  const drawSchedules = async () => {
    let all: ExportSchedule[];
    try {
      ({ schedules: all } = await api.schedules());
    } catch (e) { replace(out, errorBox(e)); return; }
    const act = (label: string, aria: string, fn: () => Promise<unknown>) => h("button", { type: "button", "aria-label": aria, onclick: async () => {
      try { await fn(); await drawSchedules(); await draw(); } catch (err) { replace(out, errorBox(err)); }
    } }, label);
    replace(schedules, all.length === 0 ? h("p", { class: "empty" }, "No schedules. Make one from a template's page: Export the results, Repeat.") : h("table", { class: "list stack" },
      h("thead", null, h("tr", null, ...["Schedule", "When", "Next run", "Keeps", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, all.map((sc) => h("tr", { "data-schedule": sc.id },
        h("td", null, h("strong", null, sc.name), h("small", { class: "muted block" }, `${formats[sc.export.format] ?? sc.export.format}${sc.webhook_url ? " · webhook" : ""}${sc.export.share_with?.length ? ` · shared with ${sc.export.share_with.length}` : ""}`)),
        h("td", { "data-label": "When" }, cadence(sc)),
        h("td", { "data-label": "Next run" }, sc.paused ? h("span", { class: "badge" }, "paused") : when(sc.next_run_at),
          sc.last_run_at ? h("small", { class: "muted block" }, `last ${when(sc.last_run_at)}`) : null),
        h("td", { "data-label": "Keeps" }, `last ${sc.keep}`),
        h("td", { class: "row-actions" },
          act("Run now", `Run now: ${sc.name}`, () => api.runSchedule(sc.id)),
          sc.paused ? act("Resume", `Resume ${sc.name}`, () => api.updateSchedule(sc.id, { paused: false })) : act("Pause", `Pause ${sc.name}`, () => api.updateSchedule(sc.id, { paused: true })),
          act("Delete", `Delete ${sc.name}`, async () => { if (confirm(`Delete the schedule ${sc.name}? Its exports stay until they expire.`)) await api.deleteSchedule(sc.id); })))))));
  };
  await Promise.all([draw(), drawSchedules()]);
  return page;
}

function actions(e: Export, out: HTMLElement, redraw: () => void): HTMLElement[] {
  const act = (label: string, fn: () => Promise<unknown>) => h("button", { type: "button", onclick: async () => {
    try { await fn(); redraw(); } catch (err) { replace(out, errorBox(err)); }
  } }, label);
  if (e.state === "queued" || e.state === "running") return [act("Cancel", () => api.cancelExport(e.id))];
  const buttons: HTMLElement[] = [];
  if (e.state === "succeeded") {
    for (const f of e.files) {
      buttons.push(h("button", { type: "button", "aria-label": `Copy link to ${f.name}`, onclick: async (ev: Event) => {
        const b = ev.currentTarget as HTMLButtonElement;
        try {
          const { url, expires_at } = await api.exportLink(e.id, f.name);
          await navigator.clipboard?.writeText(url).catch(() => {});
          b.dataset.url = url;
          replace(out, h("p", { class: "ok", role: "status" }, `Link to ${f.name} copied; it works until ${when(expires_at)}. `, h("a", { href: url }, "Open it")));
        } catch (err) { replace(out, errorBox(err)); }
      } }, e.files.length > 1 ? `Copy link: ${f.name}` : "Copy link"));
    }
    buttons.push(act("Revoke links", () => api.revokeExportLinks(e.id)));
  }
  buttons.push(act("Delete", async () => { if (confirm(`Delete the export ${e.name} and its files?`)) await api.deleteExport(e.id); }));
  return buttons;
}

// myExportsPage is a customer's page: the exports shared with them, with a
// download button for each file, and the templates shared with them, to
// run with their own values (the export then appears in the list, with its
// progress while it runs).
export async function myExportsPage(_ctx: Ctx): Promise<HTMLElement> {
  const { templates } = await api.myTemplates();
  const out = h("div", { "aria-live": "polite" });
  const list = h("div");
  const download = (id: string, file: string) => async () => {
    try {
      const { url } = await api.myExportLink(id, file);
      location.assign(url);
    } catch (err) {
      replace(out, err instanceof ApiError && err.status === 404 ? h("div", { class: "error", role: "alert" }, "This export is no longer available.") : errorBox(err));
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const draw = async () => {
    clearTimeout(timer);
    if (!list.isConnected && list.childElementCount > 0) return; // the page was left
    let exports: CustomerExport[];
    try {
      ({ exports } = await api.myExports());
    } catch (e) { replace(out, errorBox(e)); return; }
    replace(list, exports.length === 0 ? h("p", { class: "empty" }, "Nothing has been shared with you yet.") : h("table", { class: "list stack" },
      h("thead", null, h("tr", null, ...["Export", "Rows", "Size", "Available until", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, exports.map((e) => h("tr", { "data-export": e.id, "data-state": e.state },
        h("td", null, h("strong", null, e.name), h("small", { class: "muted block" }, `${formats[e.format] ?? e.format} · ${when(e.finished_at ?? e.created_at)}`)),
        h("td", { "data-label": "Rows" }, e.state === "succeeded" ? e.rows.toLocaleString() : myState(e)),
        h("td", { "data-label": "Size" }, e.state === "succeeded" ? bytes(e.files.reduce((n, f) => n + f.bytes, 0)) : ""),
        h("td", { "data-label": "Available until" }, when(e.expires_at)),
        h("td", { class: "row-actions" }, e.state !== "succeeded" ? null : e.files.map((f) => h("button", { type: "button", class: "primary", "aria-label": `Download ${f.name}`, onclick: download(e.id, f.name) },
          e.files.length > 1 ? `Download ${f.name}` : "Download"))))))));
    if (exports.some((e) => e.state === "queued" || e.state === "running")) timer = setTimeout(draw, 1000);
  };
  await draw();
  return h("section", null, h("h1", null, "My exports"),
    h("p", { class: "muted" }, "Files shared with you. Each one is available until the date shown."),
    out,
    list,
    templates.length ? [h("h2", null, "Templates"), templateRunner(templates, out, draw)] : null);
}

function myState(e: CustomerExport): HTMLElement {
  if (e.state === "queued" || e.state === "running") {
    return h("span", null, h("span", { class: "badge" }, e.state === "queued" ? "waiting" : "running"), ` ${e.progress.rows.toLocaleString()} rows`);
  }
  return h("span", { class: "error-text" }, e.state === "failed" ? "failed: ask the person who shared the template" : e.state);
}

// templateRunner picks a template shared with the customer, asks for the
// values left to them and a format, and runs it as an export.
function templateRunner(templates: CustomerTemplate[], out: HTMLElement, redraw: () => Promise<void>): HTMLElement {
  const pick = h("select", { name: "template" }, templates.map((t) => h("option", { value: t.id }, t.name)));
  const body = h("div");
  const form = h("form", { class: "card run-form my-templates" });
  const draw = () => {
    const t = templates.find((x) => x.id === pick.value) ?? templates[0];
    const params = paramForm(t.params);
    const format = h("select", { name: "format" }, t.formats.map((f) => h("option", { value: f }, formats[f] ?? f)));
    const run = h("button", { type: "submit", class: "primary" }, "Run");
    form.onsubmit = async (e: Event) => {
      e.preventDefault();
      form.querySelectorAll(".field-error").forEach((el) => (el.textContent = ""));
      run.disabled = true;
      try {
        const made = await api.runMyTemplate(t.id, { values: params.values(), format: format.value as "csv" });
        replace(out, h("p", { class: "ok", role: "status" }, `${made.name} is being prepared: it appears in the list above.`));
        await redraw();
      } catch (err) {
        if (err instanceof ApiError) {
          for (const [k, msg] of Object.entries(err.fields)) {
            const el = form.querySelector(`#param-${CSS.escape(k)}-error`) ?? (k === "format" ? form.querySelector(`#${format.id}-error`) : null);
            if (el) el.textContent = msg;
          }
        }
        replace(out, errorBox(err));
      } finally { run.disabled = false; }
    };
    replace(body, t.description ? h("p", { class: "muted" }, t.description) : null,
      t.params.length ? params.el : h("p", { class: "muted" }, "Nothing to fill in."),
      field("Format", format), h("div", { class: "actions" }, run));
  };
  pick.addEventListener("change", draw);
  draw();
  replace(form, field("Template", pick), body);
  return form;
}
