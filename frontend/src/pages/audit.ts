// The audit log, for admins: who did what to which object, when, from where.
// The filters live in the URL, so a filtered view can be shared or reloaded.
import { api, auditCSVURL, AuditEvent, AuditQuery } from "../api";
import { h, replace, when } from "../dom";
import { errorBox, Ctx } from "../main";

// Known actions and families, offered as the action filter's suggestions.
const actions = ["session.", "session.sign_in", "session.sign_out", "upload.", "upload.create", "ingest.", "ingest.queue", "ingest.finish",
  "query.run", "template.run", "token.", "token.create", "token.revoke", "table.", "member.", "invite.", "tenant.create", "pii_rules.save", "job.rejects.download"];

const pageSize = 50;

// The filters as the URL keeps them: dates (from, to) as the person chose them.
interface Filters { user: string; action: string; object: string; from: string; to: string }

function readFilters(): Filters {
  const q = new URLSearchParams(location.search);
  return { user: q.get("user") ?? "", action: q.get("action") ?? "", object: q.get("object") ?? "", from: q.get("from") ?? "", to: q.get("to") ?? "" };
}

// toQuery turns the filters into the API's: a "to" date includes that day,
// and days are the viewer's local days.
function toQuery(f: Filters): AuditQuery {
  const day = (d: string, plus = 0) => {
    const t = new Date(d + "T00:00:00");
    t.setDate(t.getDate() + plus);
    return isNaN(t.getTime()) ? undefined : t.toISOString();
  };
  return { actor: f.user || undefined, action: f.action || undefined, object: f.object || undefined,
    since: f.from ? day(f.from) : undefined, until: f.to ? day(f.to, 1) : undefined };
}

export async function auditPage(ctx: Ctx): Promise<HTMLElement> {
  const f = readFilters();
  const query = toQuery(f);
  const input = (id: string, label: string, value: string, attrs: Record<string, unknown> = {}) => {
    const el = h("input", { id, name: id, value, ...attrs });
    return { el, label: h("label", { class: "block", for: id }, label, el) };
  };
  const user = input("audit-user", "User (email or id)", f.user, { type: "search", autocomplete: "off" });
  const action = input("audit-action", "Action", f.action, { type: "search", list: "audit-actions", autocomplete: "off" });
  const object = input("audit-object", "Object", f.object, { type: "search", autocomplete: "off", placeholder: "table:db.name" });
  const from = input("audit-from", "From", f.from, { type: "date" });
  const to = input("audit-to", "To", f.to, { type: "date" });
  const form = h("form", { class: "card audit-filters", role: "search", "aria-label": "Filter the audit log", onsubmit: (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, el] of [["user", user.el], ["action", action.el], ["object", object.el], ["from", from.el], ["to", to.el]] as const) {
      if (el.value.trim()) q.set(k, el.value.trim());
    }
    ctx.go("/audit" + (q.size ? `?${q}` : ""));
  } },
    h("datalist", { id: "audit-actions" }, ...actions.map((a) => h("option", { value: a }))),
    h("div", { class: "row" }, user.label, action.label, object.label, from.label, to.label,
      h("div", { class: "audit-buttons" },
        h("button", { class: "primary", type: "submit" }, "Apply filters"),
        h("a", { href: "/audit", class: "clear" }, "Clear"))),
    h("p", { class: "muted small" }, "An action ending in a dot is a family: ", h("code", null, "table."), " finds every table action."));

  const tbody = h("tbody");
  const more = h("div", { class: "audit-more" });
  const status = h("p", { class: "muted small", role: "status" });
  let shown = 0;
  const load = async (before?: number) => {
    try {
      const page = await api.audit({ ...query, before, limit: pageSize });
      tbody.append(...page.events.map(row));
      shown += page.events.length;
      status.textContent = shown === 0 ? "No events match these filters." : `${shown} event${shown === 1 ? "" : "s"} shown, newest first.`;
      replace(more, page.next_before ? h("button", { type: "button", onclick: () => { replace(more); load(page.next_before); } }, "Load more") : null);
    } catch (e) {
      replace(more, errorBox(e));
    }
  };
  await load();
  return h("section", { class: "audit" },
    h("div", { class: "audit-head" },
      h("h1", null, "Audit log"),
      h("a", { class: "button", href: auditCSVURL(query), download: `audit-${ctx.session.tenant}.csv` }, "Download CSV")),
    h("p", { class: "muted" }, `Who did what in tenant ${ctx.session.tenant}, from where, and how it ended. `,
      "Events hold ids, counts and hashes, never the data itself: a query is known by its SQL's SHA-256."),
    form,
    status,
    h("table", { class: "list stack audit-log" },
      h("thead", null, h("tr", null, ...["Time", "Who", "Action", "Object", "IP", "Outcome", "Details"].map((c) => h("th", { scope: "col" }, c)))),
      tbody),
    more);
}

function row(e: AuditEvent): HTMLElement {
  const who = e.actor === "" ? h("span", { class: "muted" }, "unknown") :
    e.actor_email ? [h("span", { class: "email" }, e.actor_email), h("br"), h("code", { class: "muted small" }, e.actor)] : h("code", null, e.actor);
  return h("tr", null,
    h("td", { "data-label": "Time" }, h("time", { datetime: e.at }, when(e.at))),
    h("td", { "data-label": "Who", class: "who-cell" }, who),
    h("td", { "data-label": "Action" }, h("code", null, e.action)),
    h("td", { "data-label": "Object", class: "object" }, e.object ? h("a", { href: `/audit?object=${encodeURIComponent(e.object)}`, title: "Only this object's events" }, e.object) : "—"),
    h("td", { "data-label": "IP" }, e.ip || "—"),
    h("td", { "data-label": "Outcome" }, h("span", { class: `badge outcome-${e.outcome}` }, e.outcome)),
    h("td", { "data-label": "Details", class: "detail" }, details(e.detail)));
}

// details shows an event's detail as short lines; PII decisions one per column.
function details(d: Record<string, unknown> | undefined): HTMLElement | string {
  const entries = Object.entries(d ?? {});
  if (entries.length === 0) return "—";
  return h("ul", { class: "kv" }, ...entries.map(([k, v]) => {
    if (k === "pii" && Array.isArray(v)) {
      return h("li", null, h("span", { class: "k" }, "PII"), v.length === 0 ? " none" :
        h("ul", null, ...v.map((p: Record<string, string>) => h("li", null, `${p.column}: ${p.entity || "?"} → ${p.action}`, p.key_id ? ` (key ${p.key_id})` : ""))));
    }
    return h("li", null, h("span", { class: "k" }, k.replaceAll("_", " ")), " ", h("span", { class: "v" }, typeof v === "object" ? JSON.stringify(v) : String(v)));
  }));
}
