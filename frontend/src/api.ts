// The API client. Every call the UI makes goes through call(), and a Go test
// (server/openapi_test.go) checks each METHOD and path here against
// openapi.json.

// The API's types are generated from server/openapi.json (npm run gen:api
// writes api.gen.ts before every build), which a Go test keeps equal to the
// structs the server encodes: a field renamed there fails the build here.
import type { components, operations } from "./api.gen";

type S = components["schemas"];
type JSONOf<R> = R extends { content: { "application/json": infer B } } ? B : never;
type Success<Op extends keyof operations> =
  JSONOf<operations[Op]["responses"][Extract<keyof operations[Op]["responses"], 200 | 201 | 202>]>;
// Res is the JSON body of an operation's success response(s), by
// operationId; void for one that answers 204 No Content.
export type Res<Op extends keyof operations> = [Success<Op>] extends [never] ? void : Success<Op>;
// Body is the JSON request body of an operation.
export type Body<Op extends keyof operations> =
  operations[Op] extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

export type Role = S["Session"]["role"];
export type MemberRole = Exclude<Role, "">;
export type User = S["User"];
export type Session = S["Session"];
export type Membership = S["Membership"];
export type Invite = S["Invite"];
export type InviteLookup = Res<"lookupInvite">;
export type Finding = NonNullable<S["Finding"]>;
export type Dialect = S["Dialect"];
export type Inspection = S["Inspection"];
export type InspectedColumn = Inspection["columns"][number];
// AuthMethods are the ways to sign in that are on (the OIDC provider's name for its button).
export type AuthMethods = Res<"authMethods">;
// Suggestion is another reading of the file: its options, merged over the current ones, re-inspect.
export type Suggestion = S["Suggestion"];
export type Upload = S["Upload"];
export type InspectProgress = S["InspectProgress"];
export type UploadResponse = S["UploadResponse"];
export type Statement = S["Statement"];
export type ColumnSpec = S["ColumnSpec"];
export type TableRef = S["TableRef"];
export type InspectOptions = S["InspectOptions"];
export type IngestSpec = S["IngestSpec"];
export type RowError = S["RowError"];
export type IngestResult = S["IngestResult"];
// The UI shows ingest jobs (an export's job is shown as its export).
export type Job = Omit<S["Job"], "spec"> & { spec: S["IngestJobSpec"] };
export type ColumnPII = S["ColumnPII"];
export type ColumnProfile = S["ColumnProfile"];
export type Column = S["Column"];
export type Expectation = S["Expectation"];
export type ExpectationKind = Expectation["kind"];
export type SnapshotDiff = S["SnapshotDiff"];
export type PIIDecision = S["PIIDecision"];
export type CustomEntity = S["CustomEntity"];
export type PIIRules = S["PIIRules"];
export type Config = Res<"getConfig">;
export type Lineage = S["Lineage"];
export type Snapshot = S["Snapshot"];
export type Table = S["Table"];
export type TableSummary = S["TableSummary"];

export type ExportSource = S["ExportSource"];
export type ExportOptions = S["ExportOptions"];
export type ExportFile = S["ExportFile"];
export type Export = S["Export"];
export type ExportRequest = S["ExportRequest"];
export type ExportSchedule = S["ExportSchedule"];
export type Weekday = NonNullable<ExportSchedule["weekday"]>;
export type ScheduleTiming = Pick<ExportSchedule, "cadence" | "weekday" | "at" | "zone">;
export type ScheduleRequest = Body<"createSchedule">;
export type CustomerExport = S["CustomerExport"];
export type TemplateShare = S["TemplateShare"];
export type CustomerTemplate = S["CustomerTemplate"];

export type ResultColumn = S["ResultColumn"];
// runQuery throws on a result that ends in an error: what it returns is
// complete, with its row count.
export type QueryResult = Omit<S["QueryResult"], "error"> & Required<Pick<S["QueryResult"], "row_count" | "truncated">>;
export type TemplateParam = S["TemplateParam"];
export type ParamType = TemplateParam["type"];
export type Template = S["Template"];
export type TemplateVersion = S["TemplateVersion"];
export type TemplateInput = S["TemplateRequest"];
export type APIToken = S["APIToken"];

export type AuditEvent = S["AuditEvent"];
// AuditQuery filters the audit log: actor is a user id or an email; an
// action ending in "." is a prefix (table. matches table.drop).
export type AuditQuery = Omit<NonNullable<operations["listAudit"]["parameters"]["query"]>, "format">;

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

// call makes one request of the operation Op (its operationId in
// openapi.json; the Go test checks that METHOD and path are Op's): the body
// is Op's request body and the answer its success response, as the document
// says. T may narrow the answer (the UI's Job is an ingest job), not change it.
async function call<Op extends keyof operations, T extends Res<Op> = Res<Op>>(method: string, path: string, body?: Body<Op>): Promise<T> {
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
  setupNeeded: () => call<"getSetup">("GET", "/setup"),
  authMethods: () => call<"authMethods">("GET", "/auth/methods"),
  setup: (b: Body<"setup">) => call<"setup">("POST", "/setup", b),
  login: (email: string, password: string) => call<"login">("POST", "/session", { email, password }),
  session: () => call<"getSession", Session>("GET", "/session"), // the UI signs in with a session, never a token
  switchTenant: (tenant: string) => call<"switchTenant">("PUT", "/session", { tenant }),
  logout: () => call<"logout">("DELETE", "/session"),
  acceptInvite: (b: Body<"acceptInvite">) => call<"acceptInvite">("POST", "/invites/accept", b),
  tenants: () => call<"listTenants">("GET", "/tenants"),
  createTenant: (t: Body<"createTenant">) => call<"createTenant">("POST", "/tenants", t),
  members: (tenant: string) => call<"listMembers">("GET", `/tenants/${tenant}/members`),
  setMemberRole: (tenant: string, user: string, role: MemberRole) => call<"setMemberRole">("PATCH", `/tenants/${tenant}/members/${user}`, { role }),
  removeMember: (tenant: string, user: string) => call<"removeMember">("DELETE", `/tenants/${tenant}/members/${user}`),
  invites: (tenant: string) => call<"listInvites">("GET", `/tenants/${tenant}/invites`),
  invite: (tenant: string, email: string, role: MemberRole) => call<"createInvite">("POST", `/tenants/${tenant}/invites`, { email, role }),
  revokeInvite: (tenant: string, id: string) => call<"revokeInvite">("DELETE", `/tenants/${tenant}/invites/${id}`),
  lookupInvite: (token: string) => call<"lookupInvite">("POST", "/invites/lookup", { token }),
  uploads: () => call<"listUploads">("GET", "/uploads"),
  upload: (id: string) => call<"getUpload">("GET", `/uploads/${id}`),
  inspection: (id: string, opts: InspectOptions = {}) => call<"inspectUpload">("GET", `/uploads/${id}/inspection?` +
    inspectionQuery(opts)),
  statements: () => call<"listStatements">("GET", "/queries"),
  ingest: (id: string, spec: IngestSpec) => call<"ingestUpload", Job>("POST", `/uploads/${id}/ingest`, spec),
  check: (id: string, spec: IngestSpec) => call<"checkUpload">("POST", `/uploads/${id}/check`, spec),
  jobs: () => call<"listJobs", { jobs: Job[] }>("GET", "/jobs"),
  job: (id: string) => call<"getJob", Job>("GET", `/jobs/${id}`),
  tables: () => call<"listTables">("GET", "/tables"),
  table: (db: string, name: string, snapshot?: string) => call<"getTable">("GET", `/tables/${db}/${name}` + (snapshot ? `?snapshot=${snapshot}` : "")),
  setTableInfo: (db: string, name: string, info: Body<"patchTable">) => call<"patchTable">("PATCH", `/tables/${db}/${name}`, info),
  diff: (db: string, name: string, from: string, to: string) => call<"diffSnapshots">("GET", `/tables/${db}/${name}/diff?from=${from}&to=${to}`),
  dropTable: (db: string, name: string, confirm: string) => call<"dropTable">("DELETE", `/tables/${db}/${name}`, { confirm }),
  rollback: (db: string, name: string, snapshot_id: string) => call<"rollbackTable">("POST", `/tables/${db}/${name}/rollback`, { snapshot_id }),
  glue: (db: string, name: string) => call<"getGlue">("GET", `/tables/${db}/${name}/glue`),
  sample: (db: string, name: string, snapshot?: string) => call<"getSample">("GET", `/tables/${db}/${name}/sample` + (snapshot ? `?snapshot=${snapshot}` : "")),
  templates: () => call<"listTemplates">("GET", "/templates"),
  template: (id: string) => call<"getTemplate">("GET", `/templates/${id}`),
  createTemplate: (t: TemplateInput) => call<"createTemplate">("POST", "/templates", t),
  updateTemplate: (id: string, t: TemplateInput) => call<"updateTemplate">("PUT", `/templates/${id}`, t),
  deleteTemplate: (id: string) => call<"deleteTemplate">("DELETE", `/templates/${id}`),
  templateVersions: (id: string) => call<"templateVersions">("GET", `/templates/${id}/versions`),
  templateChoices: (id: string, param: string) => call<"templateChoices">("GET", `/templates/${id}/choices/${param}`),
  tokens: () => call<"listTokens">("GET", "/tokens"),
  createToken: (b: Body<"createToken">) => call<"createToken">("POST", "/tokens", b),
  revokeToken: (id: string) => call<"revokeToken">("DELETE", `/tokens/${id}`),
  config: () => call<"getConfig">("GET", "/config"),
  createExport: (r: ExportRequest) => call<"createExport">("POST", "/exports", r),
  exports: () => call<"listExports">("GET", "/exports"),
  export: (id: string) => call<"getExport">("GET", `/exports/${id}`),
  cancelExport: (id: string) => call<"cancelExport">("POST", `/exports/${id}/cancel`),
  revokeExportLinks: (id: string) => call<"revokeExportLinks">("POST", `/exports/${id}/revoke`),
  shareExport: (id: string, user_ids: string[]) => call<"shareExport">("PUT", `/exports/${id}/share`, { user_ids }),
  exportLink: (id: string, file: string, expires_in_hours?: number) => call<"exportLink">("POST", `/exports/${id}/link`, { file, expires_in_hours }),
  deleteExport: (id: string) => call<"deleteExport">("DELETE", `/exports/${id}`),
  customers: () => call<"listCustomers">("GET", "/customers"),
  createSchedule: (r: ScheduleRequest) => call<"createSchedule">("POST", "/schedules", r),
  schedules: () => call<"listSchedules">("GET", "/schedules"),
  schedule: (id: string) => call<"getSchedule">("GET", `/schedules/${id}`),
  updateSchedule: (id: string, patch: Body<"updateSchedule">) => call<"updateSchedule">("PATCH", `/schedules/${id}`, patch),
  deleteSchedule: (id: string) => call<"deleteSchedule">("DELETE", `/schedules/${id}`),
  runSchedule: (id: string) => call<"runSchedule">("POST", `/schedules/${id}/run`),
  myExports: () => call<"myExports">("GET", "/my/exports"),
  myExportLink: (id: string, file: string) => call<"myExportLink">("POST", `/my/exports/${id}/link`, { file }),
  templateShares: (id: string) => call<"listTemplateShares">("GET", `/templates/${id}/shares`),
  createTemplateShare: (id: string, b: Body<"createTemplateShare">) => call<"createTemplateShare">("POST", `/templates/${id}/shares`, b),
  deleteTemplateShare: (id: string, share: string) => call<"deleteTemplateShare">("DELETE", `/templates/${id}/shares/${share}`),
  myTemplates: () => call<"myTemplates">("GET", "/my/templates"),
  runMyTemplate: (id: string, b: Body<"runMyTemplate">) => call<"runMyTemplate">("POST", `/my/templates/${id}/exports`, b),
  piiRules: () => call<"getPIIRules">("GET", "/settings/pii"),
  savePIIRules: (r: PIIRules) => call<"putPIIRules">("PUT", "/settings/pii", r),
  piiRulesVersions: () => call<"piiRulesVersions">("GET", "/settings/pii/versions"),
  audit: (q: AuditQuery) => call<"listAudit">("GET", `/audit?${auditParams(q)}`),
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
