// Sharing a template with a customer: which customer, the values pinned
// for them (they never see or change those), and the formats allowed. The
// customer runs it from their My exports page.
import { api, ApiError, Membership, Template, TemplateShare } from "../api";
import { h, replace, when } from "../dom";
import { errorBox } from "../main";
import { field, showFieldErrors } from "./auth";

const formatNames: Record<string, string> = { csv: "CSV", xlsx: "Excel (XLSX)", parquet: "Parquet", jsonl: "JSON Lines" };

export function templateShares(t: Template): HTMLElement {
  const list = h("div");
  const out = h("div", { "aria-live": "polite" });
  const customer = h("select", { name: "customer", required: true }, h("option", { value: "" }, "Loading customers…"));
  const pins = t.params.map((p) => ({ name: p.name, input: h("input", { name: `pinned.${p.name}`, autocomplete: "off", placeholder: "the customer chooses" }) }));
  const formats = Object.entries(formatNames).map(([v, label]) => ({ v, label, box: h("input", { type: "checkbox", id: `share-format-${v}`, value: v, checked: v === "csv" || v === "xlsx" }) }));
  const formatsError = h("small", { class: "field-error", id: "share-formats-error", "aria-live": "polite" });
  const formatsAnchor = h("input", { type: "hidden", name: "formats", id: "share-formats" });
  let customers: Membership[] = [];
  const emailOf = (id: string) => customers.find((m) => m.user_id === id)?.email ?? id;

  const draw = async () => {
    let shares: TemplateShare[];
    try {
      ({ shares } = await api.templateShares(t.id));
    } catch (e) { replace(list, errorBox(e)); return; }
    replace(list, shares.length === 0 ? h("p", { class: "empty" }, "Not shared with any customer.") : h("table", { class: "list stack" },
      h("thead", null, h("tr", null, ...["Customer", "Pinned values", "Formats", "Shared", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, shares.map((s) => h("tr", { "data-share": s.id },
        h("td", null, s.customer_email || emailOf(s.customer)),
        h("td", { "data-label": "Pinned values" }, Object.keys(s.pinned).length ? Object.entries(s.pinned).map(([k, v]) => `${k} = ${v.join(", ")}`).join("; ") : "none"),
        h("td", { "data-label": "Formats" }, s.formats.map((f) => formatNames[f] ?? f).join(", ")),
        h("td", { "data-label": "Shared" }, when(s.created_at)),
        h("td", { class: "row-actions" }, h("button", { type: "button", "aria-label": `Stop sharing with ${s.customer_email}`, onclick: async () => {
          if (!confirm(`Stop sharing ${t.name} with ${s.customer_email}? Their exports stay until they expire.`)) return;
          try { await api.deleteTemplateShare(t.id, s.id); await draw(); } catch (err) { replace(out, errorBox(err)); }
        } }, "Stop sharing")))))));
  };
  api.customers().then((r) => {
    customers = r.customers;
    replace(customer, h("option", { value: "" }, customers.length ? "Choose a customer" : "No customers yet: invite one on the Team page"),
      ...customers.map((m) => h("option", { value: m.user_id ?? "" }, m.email ?? m.user_id ?? "")));
  }).catch((e) => replace(out, errorBox(e)));

  const form = h("form", { class: "card share-form", onsubmit: async (e: Event) => {
    e.preventDefault();
    const pinned: Record<string, string[]> = {};
    for (const p of pins) if (p.input.value.trim()) pinned[p.name] = [p.input.value.trim()];
    try {
      await api.createTemplateShare(t.id, { customer: customer.value, pinned, formats: formats.filter((f) => f.box.checked).map((f) => f.v) as ("csv" | "xlsx" | "parquet" | "jsonl")[] });
      showFieldErrors(form, null);
      formatsError.textContent = "";
      pins.forEach((p) => (p.input.value = ""));
      replace(out, h("p", { class: "ok", role: "status" }, `Shared with ${emailOf(customer.value)}.`));
      customer.value = "";
      await draw();
    } catch (err) {
      showFieldErrors(form, err);
      formatsError.textContent = err instanceof ApiError ? err.fields["formats"] ?? "" : "";
      replace(out, errorBox(err));
    }
  } },
    field("Customer", customer),
    pins.length ? h("fieldset", null, h("legend", null, "Pinned values"),
      h("p", { class: "muted small" }, "A pinned value is fixed for this customer: they cannot see or change it (pin their own id, so they only ever get their rows). Leave a parameter empty to let them choose."),
      h("div", { class: "dest" }, pins.map((p) => field(p.name, p.input)))) : null,
    h("fieldset", null, h("legend", null, "Formats allowed"), formatsAnchor,
      formats.map((f) => h("label", { class: "inline", for: f.box.id }, f.box, ` ${f.label}`)), formatsError),
    out,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Share")));
  draw();
  return h("div", { class: "template-shares" }, h("p", { class: "muted" }, "Customers run a shared template from their My exports page with their own values for the parameters you leave open; they never see its SQL."), list, form);
}
