import { api, Invite, Membership, MemberRole, Role } from "../api";
import { h, replace, when } from "../dom";
import { errorBox, type Ctx } from "../main";
import { field, showFieldErrors } from "./auth";

// The roles, most rights first, as the Team page explains them.
export const roleHelp: Record<Exclude<Role, "">, string> = {
  admin: "admin: also manages members",
  analyst: "analyst: uploads and ingests",
  viewer: "viewer: reads tables",
  customer: "customer: downloads the exports shared with them, nothing else",
};

// adminPage: the tenants the caller administers (a site admin: every
// tenant), their members with their roles, and pending invites. Site admins
// also create tenants. The server enforces every rule shown here.
export async function adminPage(ctx: Ctx): Promise<HTMLElement> {
  const { tenants } = await api.tenants();
  const site = ctx.session.user.site_admin;
  const mine = tenants.filter((t) => t.role === "admin" || site);
  const page = h("section", { class: "team" }, h("h1", null, "Team"),
    h("p", { class: "muted" }, "Change roles, remove members and invite people. A removed member loses the tenant at once: their sessions, and their API tokens for it, stop working."));
  if (site) page.append(newTenantForm(ctx));
  if (mine.length === 0) {
    page.append(h("p", { class: "empty" }, "You are not an admin of any tenant."));
    return page;
  }
  for (const t of mine) page.append(await tenantBox(ctx, t));
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

// roleSelect offers the roles, explained (or, in a table row, by name).
function roleSelect(attrs: Record<string, unknown>, value: Role, explained: boolean): HTMLSelectElement {
  return h("select", attrs, ...(Object.keys(roleHelp) as (keyof typeof roleHelp)[]).map((r) =>
    h("option", { value: r, selected: r === value }, explained ? roleHelp[r] : r)));
}

// tenantBox is one tenant's team: members, the invite form, pending invites.
async function tenantBox(ctx: Ctx, t: Membership): Promise<HTMLElement> {
  const tenant = t.tenant;
  const feedback = h("div", { class: "feedback", "aria-live": "polite" });
  const say = (msg: string) => replace(feedback, h("p", { class: "ok-box", role: "status" }, msg));
  const fail = (err: unknown) => replace(feedback, errorBox(err));
  const membersBox = h("div");
  const invitesBox = h("div");

  const refresh = async () => {
    const [{ members }, { invites }] = await Promise.all([api.members(tenant), api.invites(tenant)]);
    replace(membersBox, membersTable(members));
    replace(invitesBox, invitesTable(invites));
  };

  const membersTable = (members: Membership[]) => h("table", { class: "list stack members" },
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "Member"), h("th", { scope: "col" }, "Email"), h("th", { scope: "col" }, "Role"),
      h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
    h("tbody", null, members.map((m) => memberRow(m))));

  const memberRow = (m: Membership): HTMLElement => {
    const email = m.email ?? m.user_id ?? "";
    const me = m.user_id === ctx.session.user.id;
    const roleSel = roleSelect({ "aria-label": `Role of ${email}`, onchange: async () => {
      try {
        const updated = await api.setMemberRole(tenant, m.user_id!, roleSel.value as MemberRole);
        m.role = updated.role;
        if (me && updated.role !== "admin") return ctx.go("/team"); // no longer theirs to manage
        say(`${email} is now ${updated.role === "admin" ? "an" : "a"} ${updated.role} in ${tenant}.`);
      } catch (err) {
        roleSel.value = m.role;
        fail(err);
      }
    } }, m.role, false);
    const actions = h("td", { class: "row-actions" });
    const remove = h("button", { type: "button", class: "danger", "aria-label": `Remove ${email}`, onclick: () => {
      const confirmBtn = h("button", { type: "button", class: "danger", onclick: async () => {
        try {
          await api.removeMember(tenant, m.user_id!);
          if (me) return ctx.go("/team");
          say(`${email} was removed from ${tenant}: their sessions lost it and their API tokens for it were revoked.`);
          await refresh();
        } catch (err) {
          fail(err);
          replace(actions, remove);
          remove.focus();
        }
      } }, "Remove");
      const cancel = h("button", { type: "button", onclick: () => { replace(actions, remove); remove.focus(); } }, "Cancel");
      replace(actions, h("div", { class: "confirm", role: "group", "aria-label": `Confirm removing ${email}` },
        h("span", null, me ? `Remove yourself from ${tenant}?` : `Remove ${email} from ${tenant}?`), confirmBtn, cancel));
      confirmBtn.focus();
    } }, "Remove");
    actions.append(remove);
    return h("tr", null,
      h("td", null, m.name ?? "", me ? h("span", { class: "badge" }, "you") : null),
      h("td", { "data-label": "Email", class: "email" }, email),
      h("td", { "data-label": "Role" }, roleSel),
      actions);
  };

  const invitesTable = (invites: Invite[]) => invites.length === 0 ? h("p", { class: "muted" }, "No pending invites.") :
    h("table", { class: "list stack invites" },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "Invited"), h("th", { scope: "col" }, "Role"), h("th", { scope: "col" }, "Expires"),
        h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
      h("tbody", null, invites.map((inv) => h("tr", null,
        h("td", { class: "email" }, inv.email),
        h("td", { "data-label": "Role" }, inv.role),
        h("td", { "data-label": "Expires" }, when(inv.expires_at)),
        h("td", { class: "row-actions" }, h("button", { type: "button", class: "danger", "aria-label": `Revoke the invite for ${inv.email}`, onclick: async () => {
          try {
            await api.revokeInvite(tenant, inv.id);
            say(`The invite for ${inv.email} was revoked: its link no longer works.`);
            await refresh();
          } catch (err) {
            fail(err);
          }
        } }, "Revoke"))))));

  // Inviting: the link is shown once (only its hash is kept), with a copy button.
  const email = h("input", { name: "email", type: "email", required: true, placeholder: "name@example.com" });
  const role = roleSelect({ name: "role" }, "analyst", true);
  const created = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "invite-form", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      const inv = await api.invite(tenant, email.value, role.value as MemberRole);
      const link = location.origin + inv.path;
      const linkInput = h("input", { readonly: true, value: link, class: "invite-link", "aria-label": "Invite link", onfocus: () => linkInput.select() });
      const copied = h("span", { class: "status", role: "status" });
      const copy = h("button", { type: "button", onclick: async () => {
        linkInput.select();
        try {
          await navigator.clipboard.writeText(link);
        } catch {
          if (!document.execCommand("copy")) { copied.textContent = "Select the link and copy it (Ctrl+C)."; return; }
        }
        copied.textContent = "Link copied.";
      } }, "Copy link");
      replace(created, h("div", { class: "ok-box" },
        h("p", null, `Send this link to ${inv.invite.email}. It works once, for 7 days, and is shown only now (revoke it below if it goes astray).`),
        h("div", { class: "link-row" }, linkInput, copy), copied));
      email.value = "";
      showFieldErrors(form, null);
      await refresh();
      copy.focus();
    } catch (err) {
      showFieldErrors(form, err);
      replace(created, errorBox(err));
    }
  } }, h("div", { class: "dest" }, field("Invite by email", email), field("Role", role)),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Create invite link")), created);

  await refresh();
  return h("div", { class: "card tenant-box" },
    h("h2", null, `Tenant ${tenant}`),
    membersBox, feedback,
    h("h3", null, "Invite someone"), form,
    h("h3", null, "Pending invites"), invitesBox);
}
