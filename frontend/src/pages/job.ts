import { api, Job } from "../api";
import { bytes, duration, h, replace } from "../dom";
import type { Ctx } from "../main";

// jobPage follows an ingest until it ends; reloading the page picks it up
// again, since the job lives on the server.
export async function jobPage(ctx: Ctx, id: string): Promise<HTMLElement> {
  const box = h("div", { "aria-live": "polite" });
  const title = h("h1", null, "Ingesting");
  const page = h("section", null, title, box);
  const samples: { t: number; rows: number }[] = [];
  const tick = async () => {
    if (!page.isConnected && samples.length > 0) return; // navigated away
    let job: Job;
    try {
      job = await api.job(id);
    } catch (e) {
      replace(box, h("div", { class: "error" }, String(e)));
      return;
    }
    render(job);
    if (job.state === "queued" || job.state === "running") setTimeout(tick, 700);
    else if (job.state === "succeeded" && !job.result!.skipped_rows) {
      // Straight on to the table, unless rows were skipped: then the page
      // stays, with their download.
      const t = job.result!.table;
      setTimeout(() => page.isConnected && ctx.go(`/tables/${t.database}/${t.name}`), 1200);
    }
  };
  const render = (job: Job) => {
    const p = job.progress;
    const target = `${job.spec.table.database}.${job.spec.table.name}`;
    samples.push({ t: Date.now(), rows: p.rows_done });
    while (samples.length > 10) samples.shift();
    const first = samples[0], last = samples[samples.length - 1];
    const rate = last.t > first.t ? ((last.rows - first.rows) * 1000) / (last.t - first.t) : 0;
    const frac = p.bytes_total ? p.bytes_done / p.bytes_total : 0;
    const eta = rate > 0 && frac > 0 ? ((1 - frac) / frac) * ((last.t - (job.started_at ? Date.parse(job.started_at) : last.t)) / 1000) : NaN;
    if (job.state === "failed") {
      title.textContent = "Ingest failed";
      document.title = `Ingest failed · ${job.spec.file_name} · Inlet`;
      // The upload stays staged after a failure: back to its review, with
      // every choice made, to change the one that failed.
      const upload = (job.spec as { upload_id?: string }).upload_id;
      return replace(box, h("p", null, `${job.spec.file_name} → ${target}`),
        h("div", { class: "error", role: "alert" }, job.error?.message ?? "The ingest failed."),
        h("p", null, "Nothing was written, and the upload is kept until it expires. ",
          upload ? h("a", { href: `/uploads/${upload}/review?from=${encodeURIComponent(job.id)}` }, "Back to the review, with your choices") : null,
          upload ? " · " : null, h("a", { href: "/upload" }, "Upload a corrected file")));
    }
    if (job.state === "succeeded") {
      title.textContent = "Ingested";
      const r = job.result!;
      return replace(box, h("p", { class: "ok" }, `Done: ${r.rows.toLocaleString()} rows in ${target}.` +
          (job.spec.mode === "upsert" ? ` ${(r.updated ?? 0).toLocaleString()} updated, ${(r.inserted ?? 0).toLocaleString()} inserted.` : "")),
        r.skipped_rows ? h("div", { class: "warning" }, r.skipped_rows === 1 ? "1 row was skipped:" : `${r.skipped_rows.toLocaleString()} rows were skipped:`,
          h("ul", null, (r.row_errors ?? []).map((e) => h("li", null, e.column ? `line ${e.line}, column ${e.column}: ${e.reason}` : `line ${e.line}: ${e.reason}`))),
          r.rejects_file ? h("p", null, h("a", { href: `/api/v1/jobs/${job.id}/rejects`, download: `${job.id}-rejected-rows.csv`, class: "button" }, "Download the skipped rows (CSV)"),
            h("small", { class: "muted block" }, "Line, column and reason, then the row with its personal data protected as in the table: fix them and append. Kept until the upload would expire.")) : null) : null,
        (r.widened ?? []).length ? h("p", { class: "warning" }, `Widened: ${r.widened!.join("; ")}`) : null,
        h("p", null, h("a", { href: `/tables/${r.table.database}/${r.table.name}` }, "Open the table →")));
    }
    replace(box,
      h("p", null, `${job.spec.file_name} → ${target}`),
      h("progress", { max: "100", value: String(Math.round(frac * 100)), "aria-label": "Ingest progress" }),
      h("p", { class: "muted" }, `${p.phase || job.state} · ${p.rows_done.toLocaleString()} rows · ${p.bytes_total ? `${bytes(p.bytes_done)} of ${bytes(p.bytes_total)}` : ""}` +
        (rate ? ` · ${Math.round(rate).toLocaleString()} rows/s · ${duration(eta)} left` : "")));
  };
  tick();
  return page;
}
