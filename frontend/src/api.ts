// The API client. Every call the UI makes goes through call(), and a Go test
// (server/openapi_test.go) checks each METHOD and path here against
// openapi.json.

export type Role = "admin" | "analyst" | "viewer" | "customer" | "";
export interface User { id: string; email: string; name: string; site_admin: boolean }
export interface Session { user: User; tenant: string; role: Role; csrf_token: string; expires_at: string }
export interface Membership { tenant: string; role: Role; user_id?: string; email?: string; name?: string }
export interface Invite { id: string; tenant: string; email: string; role: Role; created_at: string; expires_at: string }
// AuthMethods are the ways to sign in that are on (the OIDC provider's name for its button).
export interface AuthMethods { password: boolean; oidc: boolean; oidc_name: string }
export interface InviteLookup { invite: Invite; tenant_name: string; has_account: boolean }
export interface Finding {
  entity: string; confidence: number; reason: string;
  possible?: boolean; kind?: string; regions?: string[]; contains?: string[]; country_column?: string;
}
export interface Dialect { delimiter: string; quote: string; header: boolean; encoding: string; skip_rows: number }
export interface InspectedColumn { name: string; source_name: string; type: string; pii: Finding | null; date_format?: string; nulls: number }
export interface Inspection {
  file_name: string; format: "csv" | "xlsx"; dialect: Dialect; sheets: string[] | null; sheet?: string;
  columns: InspectedColumn[]; sample?: string[][]; sampled_rows: number; warnings?: string[]; suggestions?: Suggestion[];
}
// Suggestion is another reading of the file: its options, merged over the current ones, re-inspect.
export interface Suggestion { label: string; reason: string; options: InspectOptions; on_error?: string }
export interface Upload { id: string; file_name: string; size: number; format: string; state: string; uploaded_by: string; created_at: string; expires_at: string }
export interface InspectProgress { phase: string; rows_done: number; rows_total: number }
export interface UploadResponse { upload: Upload; inspection: Inspection | null; inspecting?: InspectProgress }
export interface Statement { id: number; user: string; state: "queued" | "running"; since: string; ahead?: number }
export interface ColumnSpec { source: string; name?: string; type?: string; action?: string; reason?: string; entity?: string; level?: string }
export interface TableRef { database: string; name: string }
export interface InspectOptions {
  sheet?: string; delimiter?: string; quote?: string; encoding?: string; header?: boolean; skip_rows?: number;
  ignore_extra_cells?: boolean; phone_region?: string; nulls?: string[];
}
export interface IngestSpec { table: TableRef; mode: string; keys?: string[]; options?: InspectOptions; columns: ColumnSpec[]; on_error?: string }
export interface RowError { file: string; line: number; column: string; reason: string }
export interface IngestResult {
  table: TableRef; snapshot_id: string; rows: number; skipped_rows: number; row_errors?: RowError[]; files: string[]; widened?: string[]; uncertain?: string[];
  updated?: number; inserted?: number; rejects_file?: boolean;
}
export interface Job {
  id: string; state: "queued" | "running" | "succeeded" | "failed"; spec: IngestSpec & { file_name: string };
  progress: { phase: string; rows_done: number; bytes_done: number; bytes_total: number };
  result?: IngestResult; error?: { code: string; message: string }; created_at: string; started_at?: string; finished_at?: string;
}
export interface ColumnPII { entity: string; action: string; key_id?: string; reason?: string; level?: string }
export interface ColumnProfile {
  nulls: number; distinct: number; min?: string; max?: string; approximate?: boolean;
  top?: { value: string; count: number }[]; histogram?: { low: string; high: string; count: number }[];
}
export interface Column { field_id: number; name: string; source_name?: string; type: string; comment?: string; pii: ColumnPII | null; profile?: ColumnProfile }
export type ExpectationKind = "not_null" | "unique" | "range" | "allowed" | "row_count";
export interface Expectation { kind: ExpectationKind; column?: string; min?: number; max?: number; values?: string[]; percent?: number }
export interface SnapshotDiff {
  from_snapshot_id: string; to_snapshot_id: string; rows_before: number; rows_after: number; rows_in_added_files: number; rows_in_removed_files: number;
  files_added: number; files_removed: number; columns_added: Column[]; columns_removed: Column[]; columns_changed: { name: string; from: string; to: string }[];
  between: Snapshot[];
}
export interface PIIDecision { column: string; entity?: string; confidence?: number; action: string; key_id?: string; reason?: string; level?: string }
export interface CustomEntity { name: string; pattern: string; context?: string[]; validator?: "" | "luhn" | "mod97" }
export interface PIIRules {
  version: number; region?: string; countries?: string[]; custom?: CustomEntity[];
  allow_values?: string[]; allow_columns?: string[]; deny_columns?: string[]; updated_by?: string; updated_at?: string;
}
export interface Config { max_upload_bytes: number; accepted: string[]; phone_region: string; phone_regions: string[]; nulls?: string[] }
export interface Lineage {
  job_id: string; source_file: string; source_sha256: string; sheet?: string; uploader: string; time: string; rows: number; mode: string; pii: PIIDecision[] | null;
  keys?: string[]; updated?: number; inserted?: number;
}
export interface Snapshot { id: string; parent_id?: string; time: string; operation: string; lineage?: Lineage }
export interface Table {
  ref: TableRef; description: string; owner: string; location: string; metadata_location: string; columns: Column[]; snapshots: Snapshot[];
  rows: number; data_files?: string[]; updated_at: string; current_snapshot_id?: string | null;
  expectations: Expectation[]; as_of_snapshot_id?: string;
}
export interface TableSummary { ref: TableRef; description?: string; column_names: string[]; pii_columns: number; columns: number; rows: number; updated_at: string }

export interface ExportSource { table?: TableRef; snapshot_id?: string; columns?: string[]; where?: string; template_id?: string; values?: Record<string, string[]> }
export interface ExportOptions { delimiter?: string; bom?: boolean; part_rows?: number; zip?: boolean }
export interface ExportFile { name: string; rows: number; bytes: number }
export interface Export {
  id: string; name: string; source: ExportSource; format: string; options: ExportOptions; state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  progress: { rows: number; bytes: number; parts: number }; files: ExportFile[]; error?: { code: string; message: string };
  shared_with: string[]; created_by: string; created_at: string; expires_at: string; links_revoked_at?: string; finished_at?: string;
}
export interface ExportRequest { name?: string; source: ExportSource; format: string; options?: ExportOptions; expires_in_hours?: number; share_with?: string[] }
export type Weekday = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
export interface ScheduleTiming { cadence: "daily" | "weekly"; weekday?: Weekday; at: string; zone: string }
export interface ScheduleRequest extends ScheduleTiming { name: string; export: ExportRequest; keep?: number; webhook_url?: string }
export interface ExportSchedule extends ScheduleTiming {
  id: string; name: string; export: ExportRequest; keep: number; webhook_url?: string; created_by: string; created_at: string;
  next_run_at: string; last_run_at?: string; last_export?: string; paused: boolean;
}
export interface CustomerExport { id: string; name: string; format: string; files: ExportFile[]; rows: number; created_at: string; expires_at: string; finished_at?: string }

export interface ResultColumn { name: string; type: string }
export interface QueryResult { columns: ResultColumn[]; rows: unknown[][]; row_count: number; truncated: boolean; total_rows?: number; error?: { code: string; message: string } }
export type ParamType = "text" | "number" | "date" | "date_range" | "boolean" | "choice" | "multi";
export interface TemplateParam { name: string; type: ParamType; label?: string; required?: boolean; default?: unknown; choices?: string[]; choices_sql?: string }
export interface Template { id: string; name: string; description: string; owner: string; owner_email: string; version: number; sql: string; params: TemplateParam[]; created_at: string; updated_at: string }
export interface TemplateVersion { version: number; sql: string; params: TemplateParam[]; author_email: string; note?: string; created_at: string }
export interface TemplateInput { name: string; description: string; sql: string; params: TemplateParam[]; version?: number; note?: string }
export interface APIToken { id: string; name: string; role: Role; user_email: string; created_at: string; expires_at: string | null; last_used_at: string | null }

export interface AuditEvent {
  seq: number; at: string; tenant: string; actor: string; actor_email?: string; action: string; object: string;
  ip?: string; outcome: string; detail?: Record<string, unknown>;
}
// AuditQuery filters the audit log: actor is a user id or an email; an
// action ending in "." is a prefix (table. matches table.drop).
export interface AuditQuery { actor?: string; action?: string; object?: string; since?: string; until?: string; before?: number; limit?: number }

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public fields: Record<string, string> = {}) {
    super(message);
  }
}

let csrf = "";
let userID = "";
export function setCSRF(token: string, user = userID) { csrf = token; userID = user; }
export function getCSRF() { return csrf; }
export function sessionUser() { return userID; }

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = csrf;
  const resp = await fetch("/api/v1" + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  if (resp.status === 204) return undefined as T;
  const data = await resp.json().catch(() => ({}));
  if (!resp.ok) {
    const e = data.error ?? {};
    throw new ApiError(resp.status, e.code ?? "EINTERNAL", e.message ?? `request failed (${resp.status})`, e.fields ?? {});
  }
  return data as T;
}

export const api = {
  setupNeeded: () => call<{ needed: boolean }>("GET", "/setup"),
  authMethods: () => call<AuthMethods>("GET", "/auth/methods"),
  setup: (b: { token: string; email: string; name: string; password: string }) => call<Session>("POST", "/setup", b),
  login: (email: string, password: string) => call<Session>("POST", "/session", { email, password }),
  session: () => call<Session>("GET", "/session"),
  switchTenant: (tenant: string) => call<Session>("PUT", "/session", { tenant }),
  logout: () => call<void>("DELETE", "/session"),
  acceptInvite: (b: { token: string; name?: string; password?: string }) => call<Session>("POST", "/invites/accept", b),
  tenants: () => call<{ tenants: Membership[] }>("GET", "/tenants"),
  createTenant: (t: { id: string; name: string }) => call<unknown>("POST", "/tenants", t),
  members: (tenant: string) => call<{ members: Membership[] }>("GET", `/tenants/${tenant}/members`),
  setMemberRole: (tenant: string, user: string, role: Role) => call<Membership>("PATCH", `/tenants/${tenant}/members/${user}`, { role }),
  removeMember: (tenant: string, user: string) => call<void>("DELETE", `/tenants/${tenant}/members/${user}`),
  invites: (tenant: string) => call<{ invites: Invite[] }>("GET", `/tenants/${tenant}/invites`),
  invite: (tenant: string, email: string, role: string) => call<{ invite: Invite; token: string; path: string }>("POST", `/tenants/${tenant}/invites`, { email, role }),
  revokeInvite: (tenant: string, id: string) => call<void>("DELETE", `/tenants/${tenant}/invites/${id}`),
  lookupInvite: (token: string) => call<InviteLookup>("POST", "/invites/lookup", { token }),
  uploads: () => call<{ uploads: Upload[] }>("GET", "/uploads"),
  upload: (id: string) => call<Upload>("GET", `/uploads/${id}`),
  inspection: (id: string, opts: InspectOptions = {}) => call<Inspection | { inspecting: InspectProgress }>("GET", `/uploads/${id}/inspection?` +
    inspectionQuery(opts)),
  statements: () => call<{ statements: Statement[] }>("GET", "/queries"),
  ingest: (id: string, spec: IngestSpec) => call<Job>("POST", `/uploads/${id}/ingest`, spec),
  check: (id: string, spec: IngestSpec) => call<{ ok: boolean }>("POST", `/uploads/${id}/check`, spec),
  jobs: () => call<{ jobs: Job[] }>("GET", "/jobs"),
  job: (id: string) => call<Job>("GET", `/jobs/${id}`),
  tables: () => call<{ tables: TableSummary[] }>("GET", "/tables"),
  table: (db: string, name: string, snapshot?: string) => call<Table>("GET", `/tables/${db}/${name}` + (snapshot ? `?snapshot=${snapshot}` : "")),
  setTableInfo: (db: string, name: string, info: { description?: string; owner?: string; expectations?: Expectation[] }) => call<Table>("PATCH", `/tables/${db}/${name}`, info),
  diff: (db: string, name: string, from: string, to: string) => call<SnapshotDiff>("GET", `/tables/${db}/${name}/diff?from=${from}&to=${to}`),
  dropTable: (db: string, name: string, confirm: string) => call<void>("DELETE", `/tables/${db}/${name}`, { confirm }),
  rollback: (db: string, name: string, snapshot_id: string) => call<Table>("POST", `/tables/${db}/${name}/rollback`, { snapshot_id }),
  glue: (db: string, name: string) => call<unknown>("GET", `/tables/${db}/${name}/glue`),
  sample: (db: string, name: string, snapshot?: string) => call<{ columns: string[]; rows: (string | null)[][] }>("GET", `/tables/${db}/${name}/sample` + (snapshot ? `?snapshot=${snapshot}` : "")),
  templates: () => call<{ templates: Template[] }>("GET", "/templates"),
  template: (id: string) => call<Template>("GET", `/templates/${id}`),
  createTemplate: (t: TemplateInput) => call<Template>("POST", "/templates", t),
  updateTemplate: (id: string, t: TemplateInput) => call<Template>("PUT", `/templates/${id}`, t),
  deleteTemplate: (id: string) => call<void>("DELETE", `/templates/${id}`),
  templateVersions: (id: string) => call<{ versions: TemplateVersion[] }>("GET", `/templates/${id}/versions`),
  templateChoices: (id: string, param: string) => call<{ choices: string[] }>("GET", `/templates/${id}/choices/${param}`),
  tokens: () => call<{ tokens: APIToken[] }>("GET", "/tokens"),
  createToken: (b: { name: string; role: Role; expires_in_days: number }) => call<{ token: APIToken; secret: string }>("POST", "/tokens", b),
  revokeToken: (id: string) => call<void>("DELETE", `/tokens/${id}`),
  config: () => call<Config>("GET", "/config"),
  createExport: (r: ExportRequest) => call<Export>("POST", "/exports", r),
  exports: () => call<{ exports: Export[] }>("GET", "/exports"),
  export: (id: string) => call<Export>("GET", `/exports/${id}`),
  cancelExport: (id: string) => call<Export>("POST", `/exports/${id}/cancel`),
  revokeExportLinks: (id: string) => call<Export>("POST", `/exports/${id}/revoke`),
  shareExport: (id: string, user_ids: string[]) => call<Export>("PUT", `/exports/${id}/share`, { user_ids }),
  exportLink: (id: string, file: string, expires_in_hours?: number) => call<{ url: string; expires_at: string }>("POST", `/exports/${id}/link`, { file, expires_in_hours }),
  deleteExport: (id: string) => call<void>("DELETE", `/exports/${id}`),
  customers: () => call<{ customers: Membership[] }>("GET", "/customers"),
  createSchedule: (r: ScheduleRequest) => call<{ schedule: ExportSchedule; webhook_secret?: string }>("POST", "/schedules", r),
  schedules: () => call<{ schedules: ExportSchedule[] }>("GET", "/schedules"),
  schedule: (id: string) => call<ExportSchedule>("GET", `/schedules/${id}`),
  updateSchedule: (id: string, patch: Partial<ScheduleTiming> & { paused?: boolean; keep?: number }) => call<ExportSchedule>("PATCH", `/schedules/${id}`, patch),
  deleteSchedule: (id: string) => call<void>("DELETE", `/schedules/${id}`),
  runSchedule: (id: string) => call<Export>("POST", `/schedules/${id}/run`),
  myExports: () => call<{ exports: CustomerExport[] }>("GET", "/my/exports"),
  myExportLink: (id: string, file: string) => call<{ url: string; expires_at: string }>("POST", `/my/exports/${id}/link`, { file }),
  piiRules: () => call<PIIRules>("GET", "/settings/pii"),
  savePIIRules: (r: PIIRules) => call<PIIRules>("PUT", "/settings/pii", r),
  piiRulesVersions: () => call<{ versions: PIIRules[] }>("GET", "/settings/pii/versions"),
  audit: (q: AuditQuery) => call<{ events: AuditEvent[]; next_before?: number }>("GET", `/audit?${auditParams(q)}`),
};

function auditParams(q: AuditQuery): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== "") p.set(k, String(v));
  return p;
}

// auditCSVURL downloads the audit log as CSV with the same filters: a plain
// link, which the session cookie authorises.
export function auditCSVURL(q: AuditQuery): string {
  const p = auditParams({ ...q, before: undefined, limit: undefined });
  p.set("format", "csv");
  return `/api/v1/audit?${p}`;
}

// inspect waits for an inspection that runs in the background (a large
// workbook takes a while), telling onProgress how far it has got.
// inspectionQuery is an inspection's query string: null markers repeat as
// null=..., an empty list as one empty null= (nothing is NULL but empty cells).
function inspectionQuery(opts: InspectOptions): URLSearchParams {
  const q = new URLSearchParams({ preview_rows: "10000" });
  for (const [k, v] of Object.entries(opts)) {
    if (k === "nulls") { for (const n of (v as string[]).length ? v as string[] : [""]) q.append("null", n); continue; }
    if (v !== undefined && v !== "") q.set(k, String(v));
  }
  return q;
}

export async function inspect(id: string, opts: InspectOptions, onProgress: (p: InspectProgress) => void): Promise<Inspection> {
  for (;;) {
    const r = await api.inspection(id, opts);
    if (!("inspecting" in r)) return r;
    onProgress(r.inspecting);
    await new Promise((done) => setTimeout(done, 250)); // the server holds each poll up to a second
  }
}

// The tus endpoint for resumable uploads (tus-js-client speaks the protocol).
export const tusEndpoint = "/api/v1/tus/";

// runQuery posts a statement (or a template run) and returns the response:
// JSON results are parsed, CSV comes back as a Blob for download. The
// signal cancels the request, and with it the statement on the server.
export async function runQuery(path: "/query" | `/templates/${string}/run`, body: object, signal?: AbortSignal): Promise<QueryResult> {
  const resp = await fetch("/api/v1" + path, {
    method: "POST", signal, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ ...body, format: "json" }),
  });
  const data = await resp.json().catch(() => ({}));
  if (!resp.ok) {
    const e = data.error ?? {};
    throw new ApiError(resp.status, e.code ?? "EINTERNAL", e.message ?? `query failed (${resp.status})`, e.fields ?? {});
  }
  if (data.error) throw new ApiError(500, data.error.code, data.error.message);
  return data as QueryResult;
}

export async function downloadQuery(path: "/query" | `/templates/${string}/run`, body: object, fileName: string): Promise<void> {
  const resp = await fetch("/api/v1" + path, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ ...body, format: "csv", limit: 0 }),
  });
  if (!resp.ok) {
    const e = (await resp.json().catch(() => ({}))).error ?? {};
    throw new ApiError(resp.status, e.code ?? "EINTERNAL", e.message ?? `download failed (${resp.status})`);
  }
  const url = URL.createObjectURL(await resp.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.setAttribute("download", fileName);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
