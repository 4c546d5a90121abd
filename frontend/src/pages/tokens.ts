// API tokens for notebooks and scripts: created here, shown once, revocable.
import { api, APIToken, MemberRole, Role } from "../api";
import { h, replace, when } from "../dom";
import { errorBox, Ctx } from "../main";

const roles: Role[] = ["viewer", "analyst", "admin"];
const rank = (r: Role) => roles.indexOf(r);

export async function tokensPage(ctx: Ctx): Promise<HTMLElement> {
  const list = h("div");
  const show = async () => {
    const { tokens } = await api.tokens();
    replace(list, tokens.length === 0 ? h("p", { class: "empty" }, "No tokens yet.") :
      h("table", { class: "list" },
        h("thead", null, h("tr", null, h("th", null, "Name"), h("th", null, "Role"), h("th", null, "Owner"), h("th", null, "Created"), h("th", null, "Last used"), h("th", null, "Expires"), h("th", null, ""))),
        h("tbody", null, ...tokens.map((t: APIToken) => h("tr", null,
          h("td", null, t.name), h("td", null, h("span", { class: "badge" }, t.role)), h("td", null, t.user_email),
          h("td", null, when(t.created_at)), h("td", null, t.last_used_at ? when(t.last_used_at) : "never"),
          h("td", null, t.expires_at ? when(t.expires_at) : "never"),
          h("td", null, h("button", { class: "link danger", onclick: async () => {
            if (!confirm(`Revoke "${t.name}"? Notebooks using it stop working at once.`)) return;
            await api.revokeToken(t.id);
            show();
          } }, "Revoke")))))));
  };
  const name = h("input", { id: "token-name", placeholder: "churn notebook", required: true });
  const role = h("select", { id: "token-role" }, ...roles.filter((r) => rank(r) <= rank(ctx.session.role)).map((r) => h("option", { value: r }, r)));
  const days = h("select", { id: "token-days" }, ...[[30, "30 days"], [90, "90 days"], [365, "1 year"], [0, "never"]].map(([v, l]) => h("option", { value: String(v) }, String(l))));
  const created = h("div");
  const form = h("form", { class: "card token-form", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      const r = await api.createToken({ name: name.value, role: role.value as MemberRole, expires_in_days: Number(days.value) });
      name.value = "";
      const secret = h("input", { readonly: true, value: r.secret, class: "secret", "aria-label": "Token secret" });
      replace(created, h("div", { class: "ok-box", role: "status" },
        h("p", null, h("strong", null, "Copy this token now: "), "it is shown once and stored only as a hash."),
        h("div", { class: "row" }, secret, h("button", { type: "button", onclick: () => { secret.select(); navigator.clipboard?.writeText(r.secret).catch(() => {}); } }, "Copy")),
        h("details", null, h("summary", null, "Use it from Python"), h("pre", { class: "code" }, pythonSnippet(r.secret)))));
      secret.select();
      show();
    } catch (err) {
      replace(created, errorBox(err));
    }
  } },
    h("h2", null, "New token"),
    h("div", { class: "row" },
      h("label", { class: "block", for: "token-name" }, "Name", name),
      h("label", { class: "block", for: "token-role" }, "Role", role),
      h("label", { class: "block", for: "token-days" }, "Expires after", days),
      h("button", { class: "primary", type: "submit" }, "Create token")));
  await show();
  return h("section", null,
    h("h1", null, "API tokens"),
    h("p", { class: "muted" }, `Tokens let notebooks and scripts query tenant ${ctx.session.tenant} over the SQL API and the Iceberg REST catalog, with at most your role. `,
      "Send one as ", h("code", null, "Authorization: Bearer …"), "."),
    form, created, h("h2", null, "Tokens"), list);
}

export function pythonSnippet(secret = "<token>"): string {
  return `import os, requests, pyarrow as pa

INLET = "${location.origin}"
TOKEN = os.environ.get("INLET_TOKEN", "${secret}")

r = requests.post(f"{INLET}/api/v1/query",
    headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/vnd.apache.arrow.stream"},
    json={"sql": "SELECT 42 AS answer"})
r.raise_for_status()
df = pa.ipc.open_stream(r.content).read_pandas()`;
}
