import { api, ApiError, CustomEntity, PIIRules } from "../api";
import { h, replace, when } from "../dom";
import { errorBox, type Ctx } from "../main";
import { regionName } from "../pii";
import { field } from "./auth";

// settingsPage: the tenant's personal data rules. Everyone may read them
// (they explain why a column was flagged); admins change them, and every
// save is a new version.
export async function settingsPage(ctx: Ctx): Promise<HTMLElement> {
  const [rules, cfg, { versions }] = await Promise.all([api.piiRules(), api.config(), api.piiRulesVersions()]);
  const admin = ctx.session.role === "admin";
  const page = h("section", { class: "settings" }, h("h1", null, "Personal data rules"));
  page.append(h("p", { class: "muted" },
    `They apply to every upload to tenant ${ctx.session.tenant}, next to Inlet's own detection, and show in the reasons the review gives. `,
    admin ? "Every save is a new version." : "Only an admin of the tenant can change them."));

  const region = h("select", { name: "region" },
    h("option", { value: "" }, `Not set (the server's: ${regionName(cfg.phone_region)})`),
    ...cfg.phone_regions.map((r) => [r, regionName(r)]).sort((a, b) => a[1].localeCompare(b[1]))
      .map(([r, name]) => h("option", { value: r, selected: r === rules.region }, `${name} (${r})`)));
  const countries = h("input", { name: "countries", value: (rules.countries ?? []).join(", "), placeholder: "DE, AT, CH" });
  const lines = (name: string, label: string, hint: string, values: string[] | undefined) => {
    const id = "f-" + name;
    const area = h("textarea", { id, name, rows: "4", "aria-describedby": `${id}-hint` });
    area.value = (values ?? []).join("\n");
    return {
      area,
      box: h("div", { class: "field" }, h("label", { for: id }, label), area,
        h("small", { class: "hint", id: `${id}-hint` }, hint), h("small", { class: "field-error", id: `${id}-error`, "aria-live": "polite" })),
    };
  };
  const allowValues = lines("allow_values", "Values that are never personal data", "One per line, e.g. the company's support address or switchboard number.", rules.allow_values);
  const allowColumns = lines("allow_columns", "Columns never flagged", "Column names as they appear in files, one per line.", rules.allow_columns);
  const denyColumns = lines("deny_columns", "Columns always treated as personal data", "Column names, one per line: hashed by default wherever they appear.", rules.deny_columns);

  // Custom entities: a pattern the whole value matches, words a header may
  // contain, an optional check digit.
  const custom: CustomEntity[] = (rules.custom ?? []).map((c) => ({ ...c }));
  const customBox = h("div");
  const renderCustom = () => replace(customBox,
    custom.length === 0 ? h("p", { class: "muted" }, "No custom entities yet.") : null,
    custom.map((c, i) => {
      const input = (key: "name" | "pattern", label: string, placeholder: string) => field(label, h("input", {
        name: `custom.${i}.${key}`, value: c[key], placeholder, required: true,
        oninput: (e: Event) => { c[key] = (e.target as HTMLInputElement).value; },
      }));
      return h("fieldset", { class: "custom-entity" }, h("legend", null, c.name || `Custom entity ${i + 1}`),
        h("div", { class: "dest" },
          input("name", "Name", "employee_no"),
          input("pattern", "Pattern (whole value, RE2)", "EMP-\\d{6}"),
          field("Header words", h("input", { name: `custom.${i}.context`, value: (c.context ?? []).join(", "), placeholder: "personalnummer, staff id",
            oninput: (e: Event) => { c.context = split((e.target as HTMLInputElement).value); } })),
          field("Check", h("select", { name: `custom.${i}.validator`, onchange: (e: Event) => { c.validator = (e.target as HTMLSelectElement).value as CustomEntity["validator"]; } },
            ...[["", "none"], ["luhn", "Luhn"], ["mod97", "mod 97 (ISO 7064)"]].map(([v, l]) => h("option", { value: v, selected: (c.validator ?? "") === v }, l))))),
        admin ? h("button", { type: "button", class: "link", onclick: () => { custom.splice(i, 1); renderCustom(); } }, `Remove ${c.name || "this entity"}`) : null);
    }),
    admin ? h("button", { type: "button", onclick: () => { custom.push({ name: "", pattern: "" }); renderCustom(); } }, "Add a custom entity") : null);
  renderCustom();

  const out = h("div", { "aria-live": "polite" });
  const status = h("p", { class: "muted" }, rules.version ? `Version ${rules.version}, saved by ${rules.updated_by} on ${when(rules.updated_at!)}.` : "No rules saved yet.");
  const save = h("button", { type: "submit", class: "primary" }, "Save rules");
  const form = h("form", { onsubmit: async (e: Event) => {
    e.preventDefault();
    form.querySelectorAll(".field-error").forEach((el) => (el.textContent = ""));
    save.disabled = true;
    try {
      await api.savePIIRules({
        version: rules.version, region: region.value, countries: split(countries.value), custom,
        allow_values: split(allowValues.area.value, "\n"), allow_columns: split(allowColumns.area.value, "\n"), deny_columns: split(denyColumns.area.value, "\n"),
      });
      ctx.go("/settings");
    } catch (err) {
      save.disabled = false;
      if (err instanceof ApiError && err.status === 409) {
        replace(out, h("div", { class: "error", role: "alert" }, err.message, " ", h("a", { href: "/settings" }, "Reload")));
        return;
      }
      showRuleErrors(form, err);
      replace(out, errorBox(err));
    }
  } },
    h("fieldset", { disabled: !admin },
      h("h2", null, "Countries"),
      h("div", { class: "dest" },
        field("Default phone region", region, "Phone numbers written without a country code are read as this country's. An uploader can change it for one file."),
        field("Countries to expect", countries, "Two-letter codes, separated by commas: their phone numbers and national ids are looked for first.")),
      h("h2", null, "Custom entities"),
      h("p", { class: "muted" }, "Kinds of personal data of your own, such as staff numbers: a column whose values match is flagged, more surely when its header holds one of the words."),
      customBox,
      h("h2", null, "Allow and deny lists"),
      allowValues.box, allowColumns.box, denyColumns.box),
    out,
    admin ? h("div", { class: "actions" }, save) : null);
  page.append(status, form);
  if (versions.length > 0) {
    page.append(h("h2", null, "History"), h("table", { class: "list" },
      h("thead", null, h("tr", null, ...["Version", "Saved by", "When", "Rules"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", null, versions.map((v) => h("tr", null, h("td", null, String(v.version)), h("td", null, v.updated_by ?? ""), h("td", null, v.updated_at ? when(v.updated_at) : ""),
        h("td", null, summary(v)))))));
  }
  return page;
}

function split(s: string, sep = ","): string[] {
  return s.split(sep).map((v) => v.trim()).filter((v) => v !== "");
}

function summary(r: PIIRules): string {
  const parts = [
    r.region ? `region ${r.region}` : "",
    r.countries?.length ? `countries ${r.countries.join(", ")}` : "",
    r.custom?.length ? `${r.custom.length} custom ${r.custom.length === 1 ? "entity" : "entities"}` : "",
    r.allow_values?.length ? `${r.allow_values.length} allowed values` : "",
    r.allow_columns?.length ? `${r.allow_columns.length} allowed columns` : "",
    r.deny_columns?.length ? `${r.deny_columns.length} denied columns` : "",
  ].filter((p) => p);
  return parts.join(" · ") || "empty";
}

// showRuleErrors puts each error next to its field: "custom.0.pattern" on
// that input, "allow_values.3" on the list it is in.
function showRuleErrors(form: HTMLElement, e: unknown) {
  if (!(e instanceof ApiError)) return;
  for (const [key, msg] of Object.entries(e.fields)) {
    const name = form.querySelector(`[name="${key}"]`) ? key : key.replace(/\.\d+$/, "");
    const input = form.querySelector<HTMLElement>(`[name="${name}"]`);
    const slot = input && form.querySelector(`#${input.id}-error`);
    if (slot) slot.textContent = msg;
    input?.setAttribute("aria-invalid", "true");
  }
}
