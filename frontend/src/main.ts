import "./styles.css";
import { api, ApiError, Session, setCSRF } from "./api";
import { h, replace } from "./dom";
import { setupPage, loginPage, invitePage } from "./pages/auth";
import { uploadPage } from "./pages/upload";
import { reviewPage } from "./pages/review";
import { jobPage } from "./pages/job";
import { tablesPage, tablePage } from "./pages/tables";
import { exportsPage, myExportsPage } from "./pages/exports";
import { historyPage } from "./pages/uploads";
import { adminPage } from "./pages/admin";
import { tokensPage } from "./pages/tokens";
import { settingsPage } from "./pages/settings";
import { auditPage } from "./pages/audit";

export interface Ctx {
  session: Session;
  go: (path: string) => void;
  main: HTMLElement;
}

const root = document.getElementById("app")!;
let session: Session | null = null;

export function go(path: string) {
  history.pushState(null, "", path);
  render();
}
window.addEventListener("popstate", () => render());

// Links inside the app navigate without a page load.
document.addEventListener("click", (e) => {
  const a = (e.target as Element).closest("a");
  if (a && a.origin === location.origin && !a.hasAttribute("download") && !a.target && !(e.metaKey || e.ctrlKey)) {
    e.preventDefault();
    go(a.pathname + a.search + a.hash);
  }
});

export function signedIn(s: Session) {
  session = s;
  setCSRF(s.csrf_token, s.user.id);
}

async function render() {
  const path = location.pathname;
  if (path === "/setup") return replace(root, await setupPage(signedIn, go));
  if (path === "/invite") return replace(root, invitePage(signedIn, go));
  if (!session) {
    try {
      signedIn(await api.session());
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        const [{ needed }, methods] = await Promise.all([api.setupNeeded().catch(() => ({ needed: false })),
          api.authMethods().catch(() => ({ password: true, oidc: false, oidc_name: "" }))]);
        // With a provider, its people sign in on this page (the setup link
        // still opens /setup); without passwords there is no first admin to set up.
        return replace(root, needed && methods.password && !methods.oidc ? await setupPage(signedIn, go) : loginPage(signedIn, go, methods));
      }
      throw e;
    }
  }
  const main = h("main", { id: "main", tabindex: "-1" });
  const ctx: Ctx = { session: session!, go, main };
  replace(root, shell(ctx), main);
  // On a phone the nav scrolls sideways: keep the current page's link in view.
  const nav = root.querySelector<HTMLElement>("header nav"), current = nav?.querySelector<HTMLElement>("[aria-current=page]");
  const left = current ? current.offsetLeft - nav!.offsetLeft : 0;
  if (nav && current && left + current.offsetWidth > nav.clientWidth) nav.scrollLeft = left - 16;
  let m: RegExpMatchArray | null;
  let page: Promise<Node> | Node;
  // A customer has one page: the exports shared with them.
  if (ctx.session.role === "customer") {
    if (path !== "/my/exports") history.replaceState(null, "", "/my/exports");
    page = myExportsPage(ctx);
  } else if (path === "/" || path === "/upload") page = uploadPage(ctx);
  else if ((m = path.match(/^\/uploads\/([\w-]+)\/review$/))) page = reviewPage(ctx, m[1]);
  else if ((m = path.match(/^\/jobs\/([\w-]+)$/))) page = jobPage(ctx, m[1]);
  else if (path === "/tables") page = tablesPage(ctx);
  else if ((m = path.match(/^\/tables\/(\w+)\/(\w+)$/))) page = tablePage(ctx, m[1], m[2]);
  else if (path === "/uploads") page = historyPage(ctx);
  else if (path === "/team") page = adminPage(ctx);
  else if (path === "/audit") page = auditPage(ctx);
  // The workspace and templates load CodeMirror and Chart.js: their own chunk.
  else if (path === "/query") page = import("./pages/workspace").then((m) => m.workspacePage(ctx));
  else if (path === "/templates") page = import("./pages/templates").then((m) => m.templatesPage(ctx));
  else if ((m = path.match(/^\/templates\/([\w-]+)$/))) { const id = m[1]; page = import("./pages/templates").then((p) => p.templatePage(ctx, id)); }
  else if (path === "/tokens") page = tokensPage(ctx);
  else if (path === "/exports") page = exportsPage(ctx);
  else if (path === "/my/exports") page = myExportsPage(ctx);
  else if (path === "/settings") page = settingsPage(ctx);
  else page = h("section", null, h("h1", null, "Not found"), h("p", null, h("a", { href: "/" }, "Back to upload")));
  try {
    replace(main, await page);
  } catch (e) {
    replace(main, errorBox(e));
  }
  document.title = (main.querySelector("h1")?.textContent ?? "Inlet") + " · Inlet";
}

function shell(ctx: Ctx): HTMLElement {
  const link = (href: string, label: string) =>
    h("a", { href, "aria-current": location.pathname === href || (href === "/upload" && location.pathname === "/") ? "page" : null }, label);
  // The tenant switcher lists the caller's tenants once they are known.
  const tenant = h("select", { class: "tenant", "aria-label": "Tenant", onchange: async (e: Event) => {
    signedIn(await api.switchTenant((e.target as HTMLSelectElement).value));
    go("/tables");
  } }, h("option", { value: ctx.session.tenant }, ctx.session.tenant));
  api.tenants().then(({ tenants }) => replace(tenant, ...tenants.filter((t) => t.role).map((t) =>
    h("option", { value: t.tenant, selected: t.tenant === ctx.session.tenant }, `${t.tenant} (${t.role})`)))).catch(() => {});
  return h("header", { class: "top" },
    h("a", { href: "/", class: "brand" }, "Inlet"),
    ctx.session.role === "customer" ? h("nav", { "aria-label": "Main" }, link("/my/exports", "My exports")) :
    h("nav", { "aria-label": "Main" }, link("/upload", "Upload"), link("/tables", "Tables"), link("/query", "Query"), link("/templates", "Templates"), link("/uploads", "My uploads"),
      ctx.session.role === "analyst" || ctx.session.role === "admin" ? link("/exports", "Exports") : null, link("/tokens", "Tokens"), link("/settings", "Settings"),
      ...(ctx.session.role === "admin" || ctx.session.user.site_admin ? [link("/team", "Team"), link("/audit", "Audit log")] : [])),
    h("div", { class: "who" },
      tenant,
      h("span", { class: "user-name" }, ctx.session.user.name),
      h("button", { class: "link", onclick: async () => { await api.logout(); session = null; go("/"); } }, "Sign out")));
}

export function errorBox(e: unknown): HTMLElement {
  const msg = e instanceof Error ? e.message : String(e);
  return h("div", { class: "error", role: "alert" }, msg);
}

render();
