// Query results: a virtualised grid that stays smooth at 100 000 rows, and
// bar/line/pie charts with the axes picked from the result's columns.
import { api, runQuery, downloadQuery, ApiError, QueryResult, ResultColumn, Statement, sessionUser } from "./api";
import { h, replace } from "./dom";
import { errorBox } from "./main";

const rowHeight = 28;

const numeric = (c: ResultColumn) => c.type === "bigint" || c.type === "double" || c.type.startsWith("decimal");

function cell(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  return String(v);
}

// grid renders only the rows in view (plus a margin), with spacer rows above
// and below, so scrolling 100 000 rows stays cheap.
export function grid(res: QueryResult): HTMLElement {
  const wrap = h("div", { class: "grid-wrap results-grid", tabindex: "0", role: "region", "aria-label": "Query results" });
  const head = h("thead", null, h("tr", null, h("th", { class: "rownum" }, "#"),
    ...res.columns.map((c) => h("th", { title: c.type, class: numeric(c) ? "num" : undefined }, c.name, h("span", { class: "type" }, c.type)))));
  const body = h("tbody");
  wrap.append(h("table", { class: "preview" }, head, body));
  let drawn = "";
  const draw = () => {
    const first = Math.max(0, Math.floor(wrap.scrollTop / rowHeight) - 20);
    const last = Math.min(res.rows.length, first + Math.ceil((wrap.clientHeight || 500) / rowHeight) + 40);
    const key = `${first}:${last}`;
    if (key === drawn) return;
    drawn = key;
    const pad = (n: number) => (n > 0 ? h("tr", { "aria-hidden": "true", style: `height:${n * rowHeight}px` }) : null);
    const rows: Node[] = [];
    for (let i = first; i < last; i++) {
      const r = res.rows[i];
      rows.push(h("tr", null, h("td", { class: "rownum" }, String(i + 1)),
        ...r.map((v, j) => h("td", { class: (v === null ? "null " : "") + (numeric(res.columns[j]) ? "num" : "") }, cell(v)))));
    }
    replace(body, pad(first), ...rows, pad(res.rows.length - last));
  };
  let frame = 0;
  wrap.addEventListener("scroll", () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(draw);
  });
  requestAnimationFrame(draw);
  draw();
  return wrap;
}

type ChartKind = "bar" | "line" | "pie";

// chartPanel lets the user pick a chart type and axes; Chart.js loads on
// first use so the rest of the app stays small.
export function chartPanel(res: QueryResult): HTMLElement {
  const nums = res.columns.map((c, i) => ({ c, i })).filter(({ c }) => numeric(c));
  if (res.rows.length === 0 || nums.length === 0) {
    return h("p", { class: "empty" }, "Charts need at least one numeric column in the result.");
  }
  const labelCols = res.columns.map((c, i) => ({ c, i })).filter(({ i }) => i !== nums[0].i);
  const kind = h("select", { "aria-label": "Chart type" }, ...(["bar", "line", "pie"] as ChartKind[]).map((k) => h("option", { value: k }, k)));
  const xSel = h("select", { "aria-label": "Labels (x axis)" },
    ...(labelCols.length ? labelCols : res.columns.map((c, i) => ({ c, i }))).map(({ c, i }) => h("option", { value: String(i) }, c.name)));
  const ySel = h("select", { "aria-label": "Values (y axis)" }, ...nums.map(({ c, i }) => h("option", { value: String(i) }, c.name)));
  const canvas = h("canvas", { role: "img", "aria-label": "Chart of the result" });
  const note = h("p", { class: "muted small" });
  const box = h("div", { class: "chart-box" }, canvas);
  let chart: { destroy(): void } | null = null;
  const draw = async () => {
    const { Chart, registerables } = await import("chart.js");
    Chart.register(...registerables);
    const x = Number(xSel.value), y = Number(ySel.value);
    const max = kind.value === "pie" ? 50 : 2000;
    const rows = res.rows.slice(0, max);
    note.textContent = res.rows.length > max ? `Showing the first ${max} of ${res.rows.length} rows.` : "";
    chart?.destroy();
    chart = new Chart(canvas, {
      type: kind.value as ChartKind,
      data: {
        labels: rows.map((r) => cell(r[x])),
        datasets: [{ label: res.columns[y].name, data: rows.map((r) => (r[y] === null ? NaN : Number(r[y]))) }],
      },
      options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: kind.value === "pie" } } },
    });
  };
  for (const s of [kind, xSel, ySel]) s.addEventListener("change", draw);
  draw();
  return h("div", { class: "chart" },
    h("div", { class: "row" }, h("label", null, "Chart ", kind), h("label", null, "Labels ", xSel), h("label", null, "Values ", ySel)),
    box, note);
}

// resultsView shows a result with a status line and Table/Chart tabs.
export function resultsView(res: QueryResult, ms: number, extra: Node | null = null): HTMLElement {
  const status = h("p", { class: "status", role: "status" },
    `${res.row_count.toLocaleString()} row${res.row_count === 1 ? "" : "s"} in ${ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`}`,
    res.truncated ? h("span", { class: "warning inline" },
      ` Showing the first ${res.row_count.toLocaleString()}${res.total_rows ? ` of ${res.total_rows.toLocaleString()}` : ""} rows: download CSV for all of them.`) : null);
  const body = h("div");
  const tab = (label: string, show: () => Node) => {
    const b = h("button", { role: "tab", class: "tab", onclick: () => {
      for (const t of tabs.querySelectorAll("button")) t.setAttribute("aria-selected", String(t === b));
      replace(body, show());
    } }, label);
    return b;
  };
  const tableTab = tab("Table", () => grid(res));
  const chartTab = tab("Chart", () => chartPanel(res));
  const tabs = h("div", { role: "tablist", class: "tabs" }, tableTab, chartTab, extra);
  tableTab.setAttribute("aria-selected", "true");
  replace(body, grid(res));
  return h("div", { class: "results" }, h("div", { class: "results-head" }, status, tabs), body);
}

type QueryPath = "/query" | `/templates/${string}/run`;

export interface Runner { run(e?: Event): Promise<void>; buttons: HTMLElement[] }

// queryRunner is Run, Cancel and Download CSV for a query whose body is
// built at click time; results, progress and errors go to out. Cancel
// aborts the request, and the server then stops the statement.
export function queryRunner(path: QueryPath, body: () => object, out: HTMLElement, fileName: () => string, submit = false, onStart?: () => void,
  onError?: (message: string) => void): Runner {
  let running: AbortController | null = null;
  const runBtn = h("button", { class: "primary", type: submit ? "submit" : "button", title: "Ctrl+Enter", onclick: submit ? null : () => run() }, "Run");
  const cancelBtn = h("button", { type: "button", disabled: true, onclick: () => running?.abort() }, "Cancel");
  const csvBtn = h("button", { type: "button", onclick: async () => {
    csvBtn.disabled = true;
    try { await downloadQuery(path, body(), fileName()); } catch (e) { replace(out, queryError(e)); } finally { csvBtn.disabled = false; }
  } }, "Download CSV");
  async function run(e?: Event) {
    e?.preventDefault();
    if (running) return;
    onStart?.();
    for (const el of document.querySelectorAll(".param-form .field-error")) el.textContent = "";
    running = new AbortController();
    runBtn.disabled = true;
    cancelBtn.disabled = false;
    const started = performance.now();
    const status = h("p", { class: "status", role: "status" }, "Running…");
    replace(out, status);
    // A statement that waits for its turn (the tenant runs many) says so.
    const watch = setInterval(async () => {
      const { statements } = await api.statements().catch(() => ({ statements: [] as Statement[] }));
      const mine = statements.filter((s) => s.user === sessionUser()).at(-1);
      status.textContent = mine?.state === "queued"
        ? (mine.ahead ? `Waiting for a turn: ${mine.ahead} ${mine.ahead === 1 ? "query" : "queries"} ahead…` : "Waiting for a turn: next in line…")
        : `Running… ${Math.round((performance.now() - started) / 1000)} s`;
    }, 1000);
    try {
      const res = await runQuery(path, body(), running.signal);
      replace(out, resultsView(res, performance.now() - started));
    } catch (err) {
      const cancelled = err instanceof DOMException && err.name === "AbortError";
      replace(out, cancelled ? h("p", { class: "status", role: "status" }, "Cancelled.") : queryError(err));
      if (!cancelled && err instanceof ApiError) onError?.(err.message);
    } finally {
      clearInterval(watch);
      running = null;
      runBtn.disabled = false;
      cancelBtn.disabled = true;
    }
  }
  return { run, buttons: [runBtn, cancelBtn, csvBtn] };
}

// errorPosition reads the place a refusal or a syntax error names: the
// server starts such messages with "line L, column C: ".
export function errorPosition(message: string): { line: number; column: number } | null {
  const m = /^line (\d+), column (\d+): /.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

// queryError shows why a statement did not run: a sandbox refusal says so,
// and a bad parameter value is also marked at its field.
export function queryError(e: unknown): HTMLElement {
  if (e instanceof ApiError) {
    for (const [k, v] of Object.entries(e.fields)) {
      const el = document.getElementById(`param-${k}-error`);
      if (el) el.textContent = v;
    }
    if (e.code === "EFORBIDDEN") return h("div", { class: "error", role: "alert" }, h("strong", null, "Refused: "), e.message);
    if (e.code === "EINVALID" && errorPosition(e.message)) return h("div", { class: "error", role: "alert" }, h("strong", null, "Not valid SQL: "), e.message);
  }
  return errorBox(e);
}
