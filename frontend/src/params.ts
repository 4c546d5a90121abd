// Template parameters: the form that asks for their values, and the editor
// that declares them.
import { api, TemplateParam, ParamType } from "./api";
import { h, replace } from "./dom";

export const presets: [string, string][] = [
  ["", "Pick dates…"], ["today", "Today"], ["yesterday", "Yesterday"], ["last_7_days", "Last 7 days"], ["last_30_days", "Last 30 days"],
  ["this_week", "This week"], ["this_month", "This month"], ["last_month", "Last month"], ["this_year", "This year"], ["last_year", "Last year"],
];

const typeNames: [ParamType, string][] = [
  ["text", "Text"], ["number", "Number"], ["date", "Date"], ["date_range", "Date range"],
  ["boolean", "Yes / no"], ["choice", "One of a list"], ["multi", "Several of a list (IN)"],
];

const labelOf = (p: TemplateParam) => p.label || p.name.replace(/_/g, " ");

function defaults(p: TemplateParam): string[] {
  if (p.default === undefined || p.default === null || p.default === "") return [];
  return Array.isArray(p.default) ? p.default.map(String) : [String(p.default)];
}

// ready settles once every choices query has filled its list.
export interface ParamForm { el: HTMLElement; values(): Record<string, string[]>; ready: Promise<void> }

// paramForm builds one input per parameter. Choices come from the template's
// list, or from its choices query (templateID set: the template is saved).
export function paramForm(params: TemplateParam[], templateID?: string, initial: Record<string, string[]> = {}): ParamForm {
  const getters: Record<string, () => string[]> = {};
  const pending: Promise<unknown>[] = [];
  const fields = params.map((p) => {
    const id = `param-${p.name}`;
    const start = initial[p.name]?.length ? initial[p.name] : defaults(p);
    let input: HTMLElement;
    switch (p.type) {
      case "date": {
        const i = h("input", { id, type: "date", value: start[0] ?? "" });
        getters[p.name] = () => [i.value];
        input = i;
        break;
      }
      case "number": {
        const i = h("input", { id, type: "number", step: "any", value: start[0] ?? "" });
        getters[p.name] = () => [i.value];
        input = i;
        break;
      }
      case "boolean": {
        const s = h("select", { id }, h("option", { value: "" }, "Any"), h("option", { value: "true" }, "Yes"), h("option", { value: "false" }, "No"));
        s.value = start[0] ?? "";
        getters[p.name] = () => [s.value];
        input = s;
        break;
      }
      case "date_range": {
        const preset = h("select", { id, "aria-label": `${labelOf(p)} preset` }, ...presets.map(([v, l]) => h("option", { value: v }, l)));
        const from = h("input", { type: "date", "aria-label": `${labelOf(p)} from` });
        const to = h("input", { type: "date", "aria-label": `${labelOf(p)} to (exclusive)` });
        if (start.length === 1 && !start[0].includes(",")) preset.value = start[0];
        else if (start.length) [from.value, to.value] = (start.length === 2 ? start : start[0].split(",")) as [string, string];
        const dates = h("span", { class: "dates" }, from, " to ", to);
        const sync = () => dates.classList.toggle("hidden", preset.value !== "");
        preset.addEventListener("change", sync);
        sync();
        getters[p.name] = () => (preset.value ? [preset.value] : from.value && to.value ? [from.value, to.value] : []);
        input = h("span", { class: "range" }, preset, dates);
        break;
      }
      case "choice":
      case "multi": {
        const multi = p.type === "multi";
        // Without a list to show (or before the template is saved, so its
        // choices query cannot run yet), people type the values.
        const listed = (p.choices?.length ?? 0) > 0 || (templateID !== undefined && !!p.choices_sql);
        if (!listed) {
          const i = h("input", { id, value: multi ? start.join(", ") : start[0] ?? "", placeholder: multi ? "a, b, c" : null });
          getters[p.name] = multi ? () => i.value.split(",").map((v) => v.trim()).filter(Boolean) : () => [i.value];
          input = i;
          break;
        }
        const s = h("select", { id, multiple: multi, size: multi ? 5 : null });
        const fill = (choices: string[]) => replace(s, multi ? null : h("option", { value: "" }, "Any"),
          ...choices.map((c) => h("option", { value: c, selected: start.includes(c) }, c)));
        fill(p.choices ?? []);
        if (templateID && p.choices_sql) pending.push(api.templateChoices(templateID, p.name).then((r) => fill(r.choices)).catch(() => {}));
        getters[p.name] = () => Array.from(s.selectedOptions).map((o) => o.value);
        input = multi ? h("span", { class: "range" }, s, h("span", { class: "muted small" }, "Ctrl/⌘-click to pick several.")) : s;
        break;
      }
      default: {
        const i = h("input", { id, value: start[0] ?? "" });
        getters[p.name] = () => [i.value];
        input = i;
      }
    }
    return h("div", { class: "field" }, h("label", { for: id }, labelOf(p), p.required ? " *" : ""), input,
      h("span", { class: "field-error", id: `${id}-error` }));
  });
  return {
    el: h("div", { class: "param-form" }, ...fields),
    values: () => Object.fromEntries(Object.entries(getters).map(([k, g]) => [k, g().filter((v) => v !== "")])),
    ready: Promise.all(pending).then(() => undefined),
  };
}

// paramNames finds {{name}} and {{name.start}} references in template SQL.
export function paramNames(sql: string): string[] {
  const out: string[] = [];
  for (const m of sql.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)(?:\.(?:start|end))?\s*\}\}/g)) {
    if (!out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

// guessType suggests a type from how the SQL uses a parameter.
function guessType(sql: string, name: string): ParamType {
  if (new RegExp(`\\{\\{\\s*${name}\\.(start|end)`).test(sql)) return "date_range";
  if (new RegExp(`IN\\s*\\(\\s*\\{\\{\\s*${name}\\s*\\}\\}`, "i").test(sql)) return "multi";
  return "text";
}

export interface ParamEditor { el: HTMLElement; params(): TemplateParam[]; sync(sql: string): void }

// paramEditor declares the parameters the SQL uses: type, label, default,
// choices. It follows the SQL: new {{names}} appear, removed ones go.
export function paramEditor(initial: TemplateParam[], onChange: () => void): ParamEditor {
  let params = initial.map((p) => ({ ...p }));
  const body = h("tbody");
  const el = h("div", { class: "param-editor" }, h("table", { class: "columns stack" },
    h("thead", null, h("tr", null, h("th", null, "Parameter"), h("th", null, "Type"), h("th", null, "Label"), h("th", null, "Default"), h("th", null, "Choices (comma-separated or a query)"))),
    body));
  const draw = () => replace(body, ...params.map((p) => {
    const type = h("select", { "aria-label": `Type of ${p.name}`, onchange: () => { p.type = type.value as ParamType; draw(); onChange(); } },
      ...typeNames.map(([v, l]) => h("option", { value: v, selected: v === p.type }, l)));
    const label = h("input", { "aria-label": `Label of ${p.name}`, value: p.label ?? "", oninput: () => { p.label = label.value || undefined; onChange(); } });
    const def = p.type === "date_range"
      ? h("select", { "aria-label": `Default of ${p.name}`, onchange: () => { p.default = def.value || undefined; onChange(); } },
        ...presets.map(([v, l]) => h("option", { value: v, selected: v === (p.default ?? "") }, v ? l : "None")))
      : h("input", { "aria-label": `Default of ${p.name}`, value: defaults(p).join(", "), placeholder: p.type === "date" ? "YYYY-MM-DD" : p.type === "boolean" ? "true / false" : "",
        oninput: () => {
          const v = (def as HTMLInputElement).value.trim();
          p.default = v === "" ? undefined : p.type === "multi" ? v.split(",").map((x) => x.trim()).filter(Boolean) : v;
          onChange();
        } });
    const listed = p.type === "choice" || p.type === "multi";
    // A textarea: a choices query is often longer than any field is wide.
    const choices = h("textarea", { "aria-label": `Choices of ${p.name}`, disabled: !listed, rows: 1,
      value: p.choices_sql ? p.choices_sql : (p.choices ?? []).join(", "), placeholder: listed ? "eu, us  — or —  SELECT DISTINCT region FROM sales.orders" : "",
      oninput: () => {
        const v = choices.value.trim();
        if (/^select\s/i.test(v)) { p.choices_sql = v; p.choices = undefined; } else { p.choices_sql = undefined; p.choices = v ? v.split(",").map((x) => x.trim()).filter(Boolean) : undefined; }
        onChange();
      } });
    return h("tr", null, h("td", null, h("code", null, `{{${p.name}}}`)), h("td", { "data-label": "Type" }, type), h("td", { "data-label": "Label" }, label),
      h("td", { "data-label": "Default" }, def), h("td", { "data-label": "Choices" }, choices));
  }));
  const sync = (sql: string) => {
    const names = paramNames(sql);
    const kept = params.filter((p) => names.includes(p.name));
    const added = names.filter((n) => !kept.some((p) => p.name === n)).map((n): TemplateParam => ({ name: n, type: guessType(sql, n) }));
    if (added.length || kept.length !== params.length) {
      params = names.map((n) => kept.find((p) => p.name === n) ?? added.find((p) => p.name === n)!);
      draw();
    }
    el.classList.toggle("hidden", params.length === 0);
  };
  draw();
  return { el, params: () => params.map((p) => ({ ...p })), sync };
}

// A bare {{p}} of a date range stands for no one value: the SQL needs
// {{p.start}} (its first day) and {{p.end}} (the day after its last).
export interface BareRange { name: string; from: number; to: number; rewrite: string | null }

const column = String.raw`(?:"[^"]+"|[A-Za-z_]\w*)(?:\.(?:"[^"]+"|[A-Za-z_]\w*))*`;

// bareRanges finds each bare reference to a date range in the SQL, and,
// where it reads `col = {{p}}`, the rewrite that means what was meant:
// the half-open range, in parentheses so it keeps its meaning next to
// OR and NOT. Elsewhere there is no rewrite, only the explanation.
export function bareRanges(sql: string, params: TemplateParam[]): BareRange[] {
  const out: BareRange[] = [];
  for (const p of params) {
    if (p.type !== "date_range") continue;
    for (const m of sql.matchAll(new RegExp(String.raw`\{\{\s*${p.name}\s*\}\}`, "g"))) {
      const at = m.index!;
      const eq = new RegExp(`(${column})\\s*=\\s*$`).exec(sql.slice(0, at));
      out.push(eq
        ? { name: p.name, from: eq.index, to: at + m[0].length, rewrite: `(${eq[1]} >= {{${p.name}.start}} AND ${eq[1]} < {{${p.name}.end}})` }
        : { name: p.name, from: at, to: at + m[0].length, rewrite: null });
    }
  }
  return out;
}
