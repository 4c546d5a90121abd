import * as tus from "tus-js-client";
import { api, getCSRF, tusEndpoint, UploadResponse } from "../api";
import { bytes, duration, h, replace } from "../dom";
import type { Ctx } from "../main";

const accepted = [".csv", ".tsv", ".txt", ".xlsx", ".gz", ".zip"];

// uploadPage sends files with tus: resumable after a dropped connection or
// a reload (tus-js-client remembers unfinished uploads in localStorage).
export async function uploadPage(ctx: Ctx): Promise<HTMLElement> {
  const cfg = await api.config();
  const list = h("ul", { class: "uploads", "aria-live": "polite" });
  // The drop zone is the tab stop; the hidden input is not a second one.
  const input = h("input", { type: "file", id: "file", multiple: true, accept: accepted.join(","), class: "visually-hidden", tabindex: "-1" });
  const drop = h("label", { for: "file", class: "drop", tabindex: "0" },
    h("strong", null, "Drop CSV or Excel files here"), h("span", null, "or click to choose"),
    h("small", { class: "muted" }, `CSV, TSV or XLSX (also a CSV in .gz or .zip), up to ${bytes(cfg.max_upload_bytes)} each. Personal data is detected and hashed before anything reaches the lake.`));
  const start = (files: FileList | File[]) => {
    const batch = Array.from(files);
    // One file goes straight to its review; several stay listed, each with its link.
    for (const f of batch) list.append(uploadRow(ctx, f, cfg.max_upload_bytes, batch.length === 1 && list.children.length === 0));
  };
  input.addEventListener("change", () => input.files && start(input.files));
  drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); } });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); if (e.dataTransfer) start(e.dataTransfer.files); });
  return h("section", null, h("h1", null, "Upload a file"), input, drop, list);
}

function uploadRow(ctx: Ctx, file: File, max: number, openReview: boolean): HTMLElement {
  const status = h("span", { class: "status" }, "Starting…");
  const bar = h("progress", { max: "100", value: "0", "aria-label": `Upload of ${file.name}` });
  const cancel = h("button", { class: "link" }, "Cancel");
  const row = h("li", { class: "card upload-row" }, h("div", { class: "row-head" }, h("strong", null, file.name), h("span", { class: "muted" }, bytes(file.size)), cancel), bar, status);
  const ext = file.name.slice(file.name.lastIndexOf(".")).toLowerCase();
  if (!accepted.includes(ext)) {
    replace(status, h("span", { class: "error-text" }, `Inlet reads ${accepted.join(", ")} files; this is ${ext || "a file without extension"}.`));
    cancel.remove();
    return row;
  }
  if (file.size > max) {
    replace(status, h("span", { class: "error-text" }, `This file is ${bytes(file.size)}; the limit is ${bytes(max)}.`));
    cancel.remove();
    return row;
  }
  let started = Date.now();
  let startBytes = 0;
  const upload = new tus.Upload(file, {
    endpoint: tusEndpoint,
    chunkSize: 16 << 20,
    retryDelays: [0, 1000, 3000, 5000, 10000],
    metadata: { filename: file.name },
    headers: { "X-CSRF-Token": getCSRF() },
    removeFingerprintOnSuccess: true,
    onProgress(sent, total) {
      const pct = total ? (sent / total) * 100 : 0;
      bar.value = pct;
      const secs = (Date.now() - started) / 1000;
      const rate = secs > 0.5 ? (sent - startBytes) / secs : 0;
      status.textContent = `${bytes(sent)} of ${bytes(total)} · ${rate ? bytes(rate) + "/s" : "…"} · ${rate ? duration((total - sent) / rate) + " left" : ""}`;
    },
    onError(err) {
      const resp = (err as tus.DetailedError).originalResponse;
      let msg = err.message;
      try {
        msg = JSON.parse(resp?.getBody() ?? "").error.message;
      } catch { /* not our error shape */ }
      replace(status, h("span", { class: "error-text", role: "alert" }, msg));
      cancel.remove();
    },
    onSuccess(payload) {
      const body = payload.lastResponse.getBody();
      const res = JSON.parse(body) as UploadResponse;
      bar.value = 100;
      replace(status, "Uploaded. ", h("a", { href: `/uploads/${res.upload.id}/review` }, "Review columns and PII →"));
      cancel.remove();
      if (openReview && row.isConnected) ctx.go(`/uploads/${res.upload.id}/review`);
    },
  });
  cancel.addEventListener("click", async () => {
    await upload.abort(true);
    replace(status, "Cancelled.");
    cancel.remove();
  });
  // Resume an upload of the same file that a reload or a dropped connection cut short.
  upload.findPreviousUploads().then((previous) => {
    if (previous.length > 0) {
      upload.resumeFromPreviousUpload(previous[0]);
      status.textContent = "Resuming…";
    }
    started = Date.now();
    upload.start();
  });
  return row;
}
