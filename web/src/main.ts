import { getSession, login, logout, type Session } from "./api.js";
import { buildView } from "./build.js";
import { h, replace } from "./dom.js";
import { executionView } from "./execution.js";
import { closeLive } from "./live.js";
import { overview } from "./overview.js";
import { pipelineView } from "./pipeline.js";
import { projectsView, projectView } from "./projects.js";
import { errorBox, type View } from "./ui.js";

/** Every page has a path (deep links): the server answers each with the same shell. */
const routes: [RegExp, View][] = [
  [/^\/(?:console\/?)?$/u, overview],
  [/^\/console\/pipelines\/([a-z0-9-]+)\/([^/]+)\/executions\/([^/]+)$/u, executionView],
  [/^\/console\/pipelines\/([a-z0-9-]+)\/([^/]+)$/u, pipelineView],
  [/^\/console\/builds\/([a-z0-9-]+)\/([^/]+)$/u, buildView],
  [/^\/console\/projects\/?$/u, projectsView],
  [/^\/console\/projects\/([a-z0-9-]+)\/([^/]+)$/u, projectView],
];

let leave: () => void = () => {};
let session: Session | undefined;

function main(): HTMLElement {
  return document.getElementById("main") as HTMLElement;
}

function render(): void {
  leave();
  leave = () => {};
  const el = main();
  if (session?.loginRequired && !session.signedIn) {
    leave = loginView(el);
    return;
  }
  const path = location.pathname;
  for (const [pattern, view] of routes) {
    const match = pattern.exec(path);
    if (match) {
      leave = view(el, match.slice(1));
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
    session = await getSession();
  } catch (error) {
    replace(main(), errorBox(error));
    return;
  }
  drawWho();
  render();
}
void start();
