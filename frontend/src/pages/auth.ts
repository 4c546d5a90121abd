import { api, ApiError, Session } from "../api";
import { h } from "../dom";
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

// invitePage joins an invite's tenant: with a new account, or, when the
// invited email has one, by signing in to it first (an invite never takes
// a password of an existing account).
export function invitePage(done: Done, go: Go): HTMLElement {
  const token = location.hash.slice(1);
  const page = card("Join Inlet", "You were invited. Choose your name and a password.",
    accountForm("Join", false, async (v) => {
      try {
        return await api.acceptInvite({ token, name: v.name, password: v.password });
      } catch (err) {
        if (err instanceof ApiError && err.fields.sign_in) page.replaceWith(signInToJoin(err.fields.sign_in, token, done, go));
        throw err;
      }
    }, done, go));
  // Signed in already? Join as that account.
  api.session().then((s) => {
    done(s);
    return api.acceptInvite({ token });
  }).then((s) => { done(s); go("/"); }).catch((err) => {
    if (err instanceof ApiError && err.fields.sign_in) page.replaceWith(signInToJoin(err.fields.sign_in, token, done, go));
  });
  return page;
}

function signInToJoin(email: string, token: string, done: Done, go: Go): HTMLElement {
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
  return card("Join Inlet", `${email} has an Inlet account: sign in to it to join.`, form);
}

export function loginPage(done: Done, go: Go): HTMLElement {
  const email = h("input", { name: "email", type: "email", autocomplete: "email", required: true });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const out = h("div");
  const form = h("form", {
    onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        done(await api.login(email.value, password.value));
        go(location.pathname === "/login" ? "/" : location.pathname + location.search);
      } catch (err) {
        out.replaceChildren(errorBox(err));
      }
    },
  }, field("Email", email), field("Password", password), out, h("button", { type: "submit", class: "primary" }, "Sign in"));
  return card("Sign in", "Turn spreadsheets into PII-safe lake tables.", form);
}
