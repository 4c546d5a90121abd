// Saved query templates: the list, and one template's page, which is its
// shareable link: a form generated from its parameters, results with chart
// and CSV download, and its version history.
import { api, Template } from "../api";
import { h, replace, when } from "../dom";
import type { Ctx } from "../main";
import { queryRunner } from "../results";
import { paramForm } from "../params";
import { exportForm } from "./exports";
import { templateShares } from "./templateshares";

export async function templatesPage(ctx: Ctx): Promise<HTMLElement> {
  const { templates } = await api.templates();
  const canWrite = ctx.session.role === "analyst" || ctx.session.role === "admin";
  return h("section", null,
    h("div", { class: "title-row" }, h("h1", null, "Templates"), canWrite ? h("a", { class: "button", href: "/query" }, "New query") : null),
    h("p", { class: "muted" }, "Saved queries with parameters. Open one to run it with your values; share its link with your team."),
    templates.length === 0 ? h("p", { class: "empty" }, "No templates yet. Write a query in the ", h("a", { href: "/query" }, "workspace"), " and save it as a template.") :
      h("table", { class: "list" },
        h("thead", null, h("tr", null, h("th", null, "Name"), h("th", null, "Parameters"), h("th", null, "Owner"), h("th", null, "Version"), h("th", null, "Updated"))),
        h("tbody", null, ...templates.map((t) => h("tr", null,
          h("td", null, h("a", { href: `/templates/${t.id}` }, t.name), t.description ? h("div", { class: "muted small" }, t.description) : null),
          h("td", null, t.params.map((p) => p.label || p.name).join(", ") || "—"),
          h("td", null, t.owner_email), h("td", null, `v${t.version}`), h("td", null, when(t.updated_at)))))));
}

export async function templatePage(ctx: Ctx, id: string): Promise<HTMLElement> {
  const t = await api.template(id);
  const canWrite = ctx.session.role === "analyst" || ctx.session.role === "admin";
  // Values come from the link too (?region=eu&region=us), so a link can
  // share a filled-in form.
  const fromURL: Record<string, string[]> = {};
  const query = new URLSearchParams(location.search);
  const runOnOpen = query.get("run") === "1";
  query.delete("run");
  for (const [k, v] of query) (fromURL[k] ??= []).push(v);
  const form = paramForm(t.params, t.id, fromURL);
  const out = h("div", { class: "query-out" });
  const runner = queryRunner(`/templates/${t.id}/run`, () => ({ values: form.values() }), out, () => `${t.name.replace(/[^\w-]+/g, "_")}.csv`, true);
  const copyBtn = h("button", { type: "button", onclick: async () => {
    const u = new URL(location.origin + location.pathname);
    for (const [k, vs] of Object.entries(form.values())) for (const v of vs) u.searchParams.append(k, v);
    if (autoRun.checked) u.searchParams.set("run", "1");
    await navigator.clipboard?.writeText(u.toString()).catch(() => {});
    history.replaceState(null, "", u.pathname + u.search);
    copyBtn.textContent = "Link copied";
    setTimeout(() => (copyBtn.textContent = "Copy link with these values"), 2000);
  } }, "Copy link with these values");
  // A shared link may run the template when it opens (the reader sees
  // results at once), or only fill in the form.
  const autoRun = h("input", { type: "checkbox", id: "link-runs", checked: runOnOpen });
  const autoRunLabel = h("label", { class: "inline", for: "link-runs" }, autoRun, " the link runs it on open");

  const history_ = h("div");
  const showHistory = async () => {
    const { versions } = await api.templateVersions(t.id);
    replace(history_, h("ol", { class: "versions", reversed: true },
      ...versions.map((v) => h("li", null, h("strong", null, `v${v.version}`), ` ${when(v.created_at)} by ${v.author_email}`, v.note ? ` — ${v.note}` : "",
        h("details", null, h("summary", null, "SQL"), h("pre", { class: "code" }, v.sql))))));
  };

  const runForm = h("form", { class: "card run-form", onsubmit: runner.run },
    t.params.length ? form.el : h("p", { class: "muted" }, "This template has no parameters."),
    h("div", { class: "toolbar" }, ...runner.buttons, copyBtn, autoRunLabel));
  if (runOnOpen) {
    let tries = 0;
    const whenShown = () => { if (runForm.isConnected) runForm.requestSubmit(); else if (tries++ < 60) requestAnimationFrame(whenShown); };
    form.ready.then(() => requestAnimationFrame(whenShown)); // the lists filled, so the link's values are chosen
  }
  return h("section", null,
    h("div", { class: "title-row" }, h("h1", null, t.name),
      canWrite ? h("a", { class: "button", href: `/query?template=${t.id}` }, "Edit in workspace") : null,
      canWrite ? h("button", { class: "link danger", onclick: async () => {
        if (!confirm(`Delete the template "${t.name}"? Its history is kept for audit.`)) return;
        await api.deleteTemplate(t.id);
        ctx.go("/templates");
      } }, "Delete") : null),
    h("p", { class: "muted" }, t.description || "No description.", ` · v${t.version} by ${t.owner_email}, ${when(t.updated_at)}`),
    runForm,
    canWrite ? h("details", { class: "export" }, h("summary", null, "Export the results"),
      h("p", { class: "muted" }, "The export runs the template with the values filled in above when you create it. A repeated export keeps them: a relative range such as Last 7 days is worked out at each run."),
      exportFormFor(ctx, t, form)) : null,
    canWrite ? shareSection(t) : null,
    out,
    h("details", { class: "sql", ontoggle: (e: Event) => { if ((e.target as HTMLDetailsElement).open) showHistory(); } },
      h("summary", null, "SQL and version history"), h("pre", { class: "code" }, t.sql), history_));
}

// exportFormFor is the export form of a template: its values are the form's
// at the moment the export is created.
function exportFormFor(ctx: Ctx, t: Template, form: { values(): Record<string, string[]> }): HTMLElement {
  const box = h("div");
  const source = { template_id: t.id, values: form.values() };
  const el = exportForm(ctx, source, [], t.name.replace(/[^\p{L}\p{N}_-]+/gu, "_"), true);
  // Values are read when the form is submitted, not when it was drawn.
  el.addEventListener("submit", () => { source.values = form.values(); }, { capture: true });
  replace(box, el);
  return box;
}

// shareSection is drawn when opened: its lists are fetched only then.
function shareSection(t: Template): HTMLElement {
  let drawn = false;
  const el: HTMLDetailsElement = h("details", { class: "export share", ontoggle: () => {
    if (el.open && !drawn) { drawn = true; el.append(templateShares(t)); }
  } }, h("summary", null, "Share with a customer"));
  return el;
}
