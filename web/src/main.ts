import { getSession, login, logout, pageSession, type Session } from "./api.js";
import { h, replace } from "./dom.js";
import { closeLive } from "./live.js";
import { errorBox, type View } from "./ui.js";

type Lazy = () => Promise<View>;

/**
 * Every page has a path (deep links): the server answers each with the same shell, which
 * preloads the modules of that path's view (src/api/console/shell.ts); a view's module is
 * imported when its page is first shown, so a page does not wait for every other page's code.
 */
const routes: [RegExp, Lazy][] = [
  [/^\/(?:console\/?)?$/u, async () => (await import("./overview.js")).overview],
  [
    /^\/console\/pipelines\/([a-z0-9-]+)\/([^/]+)\/executions\/([^/]+)\/actions\/([^/]+)$/u,
    async () => (await import("./details.js")).actionView,
  ],
  [
    /^\/console\/pipelines\/([a-z0-9-]+)\/([^/]+)\/executions\/([^/]+)$/u,
    async () => (await import("./execution.js")).executionView,
  ],
  [
    /^\/console\/pipelines\/([a-z0-9-]+)\/([^/]+)$/u,
    async () => (await import("./pipeline.js")).pipelineView,
  ],
  [/^\/console\/builds\/([a-z0-9-]+)\/([^/]+)$/u, async () => (await import("./build.js")).buildView],
  [/^\/console\/projects\/?$/u, async () => (await import("./projects.js")).projectsView],
  [/^\/console\/projects\/([a-z0-9-]+)\/([^/]+)$/u, async () => (await import("./projects.js")).projectView],
  [/^\/console\/repositories\/?$/u, async () => (await import("./repositories.js")).repositoriesView],
  [
    /^\/console\/repositories\/([a-z0-9-]+)\/([^/]+)$/u,
    async () => (await import("./repositories.js")).repositoryView,
  ],
  [/^\/console\/images\/?$/u, async () => (await import("./images.js")).imagesView],
  [/^\/console\/images\/([a-z0-9-]+)\/(.+)$/u, async () => (await import("./images.js")).imageView],
  [/^\/console\/services\/?$/u, async () => (await import("./services.js")).servicesView],
  [
    /^\/console\/services\/([a-z0-9-]+)\/([^/]+)\/([^/]+)$/u,
    async () => (await import("./services.js")).serviceView,
  ],
  [/^\/console\/functions\/?$/u, async () => (await import("./functions.js")).functionsView],
  [
    /^\/console\/functions\/([a-z0-9-]+)\/([^/]+)$/u,
    async () => (await import("./functions.js")).functionView,
  ],
];

let leave: () => void = () => {};
let session: Session | undefined;
/** Counts renders, so a view whose module arrives after the user moved on is not drawn. */
let shown = 0;

function main(): HTMLElement {
  return document.getElementById("main") as HTMLElement;
}

function render(): void {
  leave();
  leave = () => {};
  const mine = ++shown;
  const el = main();
  if (session?.loginRequired && !session.signedIn) {
    leave = loginView(el);
    return;
  }
  const path = location.pathname;
  for (const [pattern, load] of routes) {
    const match = pattern.exec(path);
    if (match) {
      load().then(
        (view) => {
          if (mine === shown) leave = view(el, match.slice(1));
        },
        (error: unknown) => {
          if (mine === shown) replace(el, errorBox(error));
        },
      );
      return;
    }
  }
  document.title = "Not found · Pipewright";
  replace(
    el,
    h("h1", {}, "Page not found"),
    h(
      "p",
      {},
      "No console page is at ",
      h("code", {}, path),
      ". ",
      h("a", { href: "/console/", "data-route": "1" }, "All pipelines"),
    ),
  );
}

function loginView(el: HTMLElement): () => void {
  document.title = "Sign in · Pipewright";
  const problem = h("div", { role: "alert" });
  const form = h(
    "form",
    { class: "login", id: "login" },
    h("label", { for: "akid" }, "Access key id"),
    h("input", { id: "akid", name: "akid", type: "text", autocomplete: "username", required: true }),
    h("label", { for: "secret" }, "Secret access key"),
    h("input", {
      id: "secret",
      name: "secret",
      type: "password",
      autocomplete: "current-password",
      required: true,
    }),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Sign in")),
    problem,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const akid = (form.elements.namedItem("akid") as HTMLInputElement).value;
    const secret = form.elements.namedItem("secret") as HTMLInputElement;
    try {
      await login(akid, secret.value);
      secret.value = "";
      session = await getSession();
      drawWho();
      render();
    } catch (error) {
      replace(problem, errorBox(error));
    }
  });
  replace(
    el,
    h("h1", {}, "Sign in"),
    h("p", {}, "This server requires one of its configured credentials."),
    form,
  );
  (form.elements.namedItem("akid") as HTMLInputElement).focus();
  return () => {};
}

function drawWho(): void {
  const who = document.getElementById("who");
  if (!who) return;
  if (!session?.loginRequired || !session.signedIn) {
    replace(who);
    return;
  }
  replace(
    who,
    `Signed in as ${session.principal ?? ""}`,
    h(
      "button",
      {
        class: "secondary",
        onclick: async () => {
          await logout();
          closeLive();
          session = await getSession();
          drawWho();
          render();
        },
      },
      "Sign out",
    ),
  );
}

document.addEventListener("click", (event) => {
  const a = (event.target as Element | null)?.closest?.("a[data-route]") as HTMLAnchorElement | null;
  if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  history.pushState(null, "", a.href);
  render();
  main().focus();
});
window.addEventListener("popstate", render);

async function start(): Promise<void> {
  try {
    session = pageSession() ?? (await getSession());
  } catch (error) {
    replace(main(), errorBox(error));
    return;
  }
  drawWho();
  render();
}
void start();
