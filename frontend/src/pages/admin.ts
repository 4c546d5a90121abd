import { api, Membership } from "../api";
import { h, replace } from "../dom";
import { errorBox, type Ctx } from "../main";
import { field, showFieldErrors } from "./auth";

// adminPage: the tenants the caller belongs to, their members, and invites
// (a one-time link to send to the invitee). Site admins also create tenants.
export async function adminPage(ctx: Ctx): Promise<HTMLElement> {
  const { tenants } = await api.tenants();
  const mine = tenants.filter((t) => t.role === "admin");
  const page = h("section", null, h("h1", null, "Team"));
  if (ctx.session.user.site_admin) page.append(newTenantForm(ctx));
  if (mine.length === 0) {
    page.append(h("p", { class: "empty" }, "You are not an admin of any tenant."));
    return page;
  }
  for (const t of mine) page.append(await tenantBox(t));
  return page;
}

function newTenantForm(ctx: Ctx): HTMLElement {
  const id = h("input", { name: "id", pattern: "[a-z][a-z0-9_\\-]{0,62}", required: true, placeholder: "acme" });
  const name = h("input", { name: "name", placeholder: "Acme Corp" });
  const out = h("div");
  const form = h("form", { class: "card", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      await api.createTenant({ id: id.value, name: name.value });
      ctx.go("/team");
    } catch (err) {
      showFieldErrors(form, err);
      replace(out, errorBox(err));
    }
  } }, h("h2", null, "New tenant"), h("div", { class: "dest" }, field("Tenant id", id, "Lowercase letters, digits, _ and -."), field("Name", name)), out,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Create tenant")));
  return form;
}

async function tenantBox(t: Membership): Promise<HTMLElement> {
  const { members } = await api.members(t.tenant);
  const email = h("input", { name: "email", type: "email", required: true, placeholder: "name@example.com" });
  const role = h("select", { name: "role" }, h("option", { value: "analyst" }, "analyst: uploads and ingests"),
    h("option", { value: "viewer" }, "viewer: reads tables"), h("option", { value: "admin" }, "admin: also manages members"));
  const out = h("div", { "aria-live": "polite" });
  const form = h("form", { onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      const inv = await api.invite(t.tenant, email.value, role.value);
      const link = location.origin + inv.path;
      replace(out, h("div", { class: "ok-box" }, h("p", null, `Send this one-time link to ${inv.invite.email} (valid 7 days, shown once):`),
        h("input", { readonly: true, value: link, "aria-label": "Invite link", onfocus: (ev: Event) => (ev.target as HTMLInputElement).select() })));
    } catch (err) {
      showFieldErrors(form, err);
      replace(out, errorBox(err));
    }
  } }, h("div", { class: "dest" }, field("Invite by email", email), field("Role", role)), h("div", { class: "actions" }, h("button", { type: "submit" }, "Create invite link")), out);
  return h("div", { class: "card tenant-box" },
    h("h2", null, `Tenant ${t.tenant}`),
    h("table", { class: "list" }, h("thead", null, h("tr", null, h("th", { scope: "col" }, "Member"), h("th", { scope: "col" }, "Email"), h("th", { scope: "col" }, "Role"))),
      h("tbody", null, members.map((m) => h("tr", null, h("td", null, m.name ?? ""), h("td", null, m.email ?? ""), h("td", null, m.role))))),
    form);
}
