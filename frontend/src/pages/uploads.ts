import { api } from "../api";
import { bytes, h, when } from "../dom";
import type { Ctx } from "../main";

export async function historyPage(_ctx: Ctx): Promise<HTMLElement> {
  const [{ uploads }, { jobs }] = await Promise.all([api.uploads(), api.jobs()]);
  const jobOf = new Map(jobs.map((j) => [(j.spec as unknown as { upload_id: string }).upload_id, j]));
  return h("section", null, h("h1", null, "My uploads"),
    uploads.length === 0 ? h("p", { class: "empty" }, "Nothing uploaded yet. ", h("a", { href: "/upload" }, "Upload a file.")) :
    h("table", { class: "list stack" },
      h("thead", null, h("tr", null, ...["File", "Size", "Uploaded", "State", "Ingest"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, uploads.map((u) => {
        const j = jobOf.get(u.id);
        return h("tr", null,
          h("td", null, u.state === "staged" ? h("a", { href: `/uploads/${u.id}/review` }, u.file_name) : u.file_name),
          h("td", { "data-label": "Size" }, bytes(u.size)), h("td", { "data-label": "Uploaded" }, when(u.created_at)),
          h("td", { "data-label": "State" }, h("span", { class: `badge state-${u.state}` }, u.state)),
          h("td", { "data-label": "Ingest" }, j ? h("a", { href: `/jobs/${j.id}` }, `${j.spec.table.database}.${j.spec.table.name} · ${j.state}`) : "—"));
      }))));
}
