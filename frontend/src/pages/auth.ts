import { api, ApiError, AuthMethods, InviteLookup, Session } from "../api";
import { h, replace } from "../dom";
import { errorBox } from "../main";

type Done = (s: Session) => void;
type Go = (path: string) => void;

// field is a labelled input with room for its own error.
export function field(label: string, input: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
  const id = input.id || (input.id = "f-" + Math.random().toString(36).slice(2));
  return h("div", { class: "field" },
    h("label", { for: id }, label), input,
    hint ? h("small", { class: "hint" }, hint) : null,
    h("small", { class: "field-error", id: id + "-error", "aria-live": "polite" }));
}

export function showFieldErrors(form: HTMLElement, e: unknown) {
  form.querySelectorAll(".field-error").forEach((el) => (el.textContent = ""));
  if (e instanceof ApiError) {
    for (const [name, msg] of Object.entries(e.fields)) {
      const input = form.querySelector<HTMLInputElement>(`[name="${name}"]`);
      const out = input && form.querySelector(`#${input.id}-error`);
      if (out) out.textContent = msg;
    }
  }
}

function card(title: string, intro: string, ...body: (Node | null)[]): HTMLElement {
  // The page's one landmark: these pages have no header or nav.
  return h("main", { class: "center" }, h("section", { class: "card narrow" }, h("h1", null, title), h("p", { class: "muted" }, intro), ...body));
}

function accountForm(submitLabel: string, withEmail: boolean, submit: (v: Record<string, string>) => Promise<Session>, done: Done, go: Go): HTMLFormElement {
  const out = h("div");
  const inputs: Record<string, HTMLInputElement> = {
    ...(withEmail ? { email: h("input", { name: "email", type: "email", autocomplete: "email", required: true }) } : {}),
    name: h("input", { name: "name", autocomplete: "name", required: true }),
    password: h("input", { name: "password", type: "password", autocomplete: "new-password", minlength: "10", required: true }),
  };
  const form = h("form", {
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const v = Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value]));
      try {
        done(await submit(v));
        go("/");
      } catch (err) {
        showFieldErrors(form, err);
        out.replaceChildren(errorBox(err));
      }
    },
  },
    withEmail ? field("Email", inputs.email) : null,
    field("Your name", inputs.name),
    field("Password", inputs.password, "At least 10 characters."),
    out,
    h("button", { type: "submit", class: "primary" }, submitLabel));
  return form;
}

export async function setupPage(done: Done, go: Go): Promise<HTMLElement> {
  const token = location.hash.slice(1);
  if (!token) {
    return card("Set up Inlet", "Open the one-time setup link that Inlet printed when it started.");
  }
  return card("Create the first admin", "This account administers Inlet. There is no default password: choose yours.",
    accountForm("Create admin account", true, (v) => api.setup({ token, email: v.email, name: v.name, password: v.password }), done, go));
}

// What each role may do, as the join page tells the invitee.
const roleWords: Record<string, string> = {
  admin: "an admin: you manage its members, upload files and query tables",
  analyst: "an analyst: you upload and ingest files and query tables",
  viewer: "a viewer: you read and query its tables",
};

// invitePage joins an invite's tenant. It first shows who is invited where
// (or why the link no longer works), then: signed in as the invited
// account already, it joins at once; an email with an account signs in to
// it first (an invite never takes a password of an existing account); a
// new email chooses a name and password.
export function invitePage(done: Done, go: Go): HTMLElement {
  const token = location.hash.slice(1);
  if (!token) return card("Join Inlet", "Open the invite link you were sent: it ends with a long code after #.");
  const page = h("div", null, card("Join Inlet", "Reading your invite…"));
  (async () => {
    let look: InviteLookup;
    try {
      look = await api.lookupInvite(token);
    } catch (err) {
      return replace(page, deadInvite(err));
    }
    const s = await api.session().catch(() => null);
    if (s && s.user.email === look.invite.email) {
      try {
        done(s);
        done(await api.acceptInvite({ token }));
        return go("/");
      } catch (err) {
        return replace(page, deadInvite(err));
      }
    }
    replace(page, look.has_account ? signInToJoin(look, token, done, go) : joinForm(look, token, done, go));
  })();
  return page;
}

function tenantLabel(look: InviteLookup): string {
  return look.tenant_name && look.tenant_name !== look.invite.tenant ? `${look.tenant_name} (${look.invite.tenant})` : look.invite.tenant;
}

function joinForm(look: InviteLookup, token: string, done: Done, go: Go): HTMLElement {
  const form = accountForm("Join", false, async (v) => {
    try {
      return await api.acceptInvite({ token, name: v.name, password: v.password });
    } catch (err) {
      if (err instanceof ApiError && err.fields.sign_in) view.replaceWith(signInToJoin(look, token, done, go));
      throw err;
    }
  }, done, go);
  form.prepend(field("Email", h("input", { name: "email", type: "email", value: look.invite.email, readonly: true }), "The invite is for this address."));
  const view = card(`Join ${look.tenant_name || look.invite.tenant}`,
    `You are invited to tenant ${tenantLabel(look)} as ${roleWords[look.invite.role] ?? look.invite.role}. Choose your name and a password.`, form);
  return view;
}

// deadInvite says why a link does not work (used, expired, revoked), as
// the server words it.
function deadInvite(err: unknown): HTMLElement {
  const msg = err instanceof Error ? err.message : String(err);
  return card("This invite link does not work", msg.charAt(0).toUpperCase() + msg.slice(1) + ".",
    h("p", null, h("a", { href: "/" }, "Sign in"), " if you have an Inlet account already."));
}

function signInToJoin(look: InviteLookup, token: string, done: Done, go: Go): HTMLElement {
  const email = look.invite.email;
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const emailIn = h("input", { name: "email", type: "email", value: email, readonly: true });
  const out = h("div");
  const form = h("form", {
    onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        done(await api.login(email, password.value));
        done(await api.acceptInvite({ token }));
        go("/");
      } catch (err) {
        out.replaceChildren(errorBox(err));
      }
    },
  }, field("Email", emailIn), field("Password", password), out, h("button", { type: "submit", class: "primary" }, "Sign in and join"));
  return card(`Join ${look.tenant_name || look.invite.tenant}`,
    `You are invited to tenant ${tenantLabel(look)} as ${roleWords[look.invite.role] ?? look.invite.role}. ${email} has an Inlet account: sign in to it to join.`, form);
}

// signInErrors words the reasons the OIDC callback sends back to the
// sign-in page (the detail is in the server's log, not in the address).
const signInErrors: Record<string, (name: string) => string> = {
  failed: (n) => `Signing in with ${n} did not work. Try again.`,
  expired: () => "That sign-in took too long or was used already. Try again.",
  provider: (n) => `${n} could not be reached or did not let you sign in. Try again, or ask your administrator.`,
  no_role: (n) => `Your ${n} account has no role in Inlet. Ask your administrator to add you to an Inlet group.`,
  no_email: (n) => `${n} did not tell Inlet your email address. Ask your administrator to allow the email scope.`,
  email_taken: (n) => `An Inlet account with your email exists and is not linked to ${n}. Ask your administrator.`,
};

// loginPage offers the ways to sign in that are on: the OIDC provider's
// button, the password form, or both.
export function loginPage(done: Done, go: Go, methods: AuthMethods = { password: true, oidc: false, oidc_name: "" }): HTMLElement {
  const next = location.pathname === "/login" ? "/" : location.pathname + location.search;
  const params = new URLSearchParams(location.search);
  const reason = params.get("sign_in_error");
  const provider = methods.oidc_name || "single sign-on";
  const failure = reason ? errorBox(new Error((signInErrors[reason] ?? signInErrors.failed)(provider))) : null;
  // A full page load, not the app's own navigation: the server sends the
  // browser on to the provider (target=_self keeps the app's router off).
  const sso = methods.oidc
    ? h("a", { class: "button sso", target: "_self", href: "/api/v1/auth/oidc/login?next=" + encodeURIComponent(next) }, `Sign in with ${provider}`)
    : null;
  if (!methods.password) {
    return card("Sign in", "Turn spreadsheets into PII-safe lake tables.", failure, h("p", null, sso));
  }
  const email = h("input", { name: "email", type: "email", autocomplete: "email", required: true });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const out = h("div");
  const form = h("form", {
    onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        done(await api.login(email.value, password.value));
        go(next);
      } catch (err) {
        out.replaceChildren(errorBox(err));
      }
    },
  }, field("Email", email), field("Password", password), out, h("button", { type: "submit", class: "primary" }, "Sign in"));
  return card("Sign in", "Turn spreadsheets into PII-safe lake tables.", failure,
    sso ? h("p", null, sso) : null, sso ? h("p", { class: "muted or" }, "or with your Inlet password") : null, form);
}
