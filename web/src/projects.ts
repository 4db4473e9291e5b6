import { call, type Json, regions } from "./api.js";
import { buildStatus } from "./build.js";
import { age, duration, h, link, replace, statusBadge } from "./dom.js";
import { errorBox, poll, redraw, type View } from "./ui.js";

/** CodeBuild projects of every region the console knows (ListProjects + BatchGetProjects). */
export const projectsView: View = (main) => {
  document.title = "Build projects · Pipewright";
  const body = h("div", { id: "projects" }, h("p", {}, "Loading…"));
  replace(main, h("h1", {}, "Build projects"), body);
  const ticker = poll(5000, async () => {
    try {
      const rows: { region: string; project: Json }[] = [];
      for (const region of await regions()) {
        const names: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await call("codebuild", "ListProjects", region, nextToken ? { nextToken } : {});
          names.push(...(page.projects ?? []));
          nextToken = page.nextToken;
        } while (nextToken);
        for (let i = 0; i < names.length; i += 100) {
          const got = await call("codebuild", "BatchGetProjects", region, { names: names.slice(i, i + 100) });
          for (const project of got.projects ?? []) rows.push({ region, project });
        }
      }
      redraw(body, JSON.stringify(rows), () => [
        rows.length === 0
          ? h("p", {}, "No build projects yet: create one with `aws codebuild create-project`.")
          : h(
              "table",
              {},
              h("caption", { class: "sr-only" }, "Build projects"),
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ["Project", "Region", "Source", "Description"].map((t) => h("th", { scope: "col" }, t)),
                ),
              ),
              h(
                "tbody",
                {},
                rows.map(({ region, project }) =>
                  h(
                    "tr",
                    { "data-project": `${region}/${project.name}` },
                    h(
                      "td",
                      {},
                      link(`/console/projects/${region}/${encodeURIComponent(project.name)}`, project.name),
                    ),
                    h("td", {}, region),
                    h("td", {}, project.source?.type ?? ""),
                    h("td", {}, project.description ?? ""),
                  ),
                ),
              ),
            ),
      ]);
    } catch (error) {
      replace(body, errorBox(error));
    }
  });
  return ticker.stop;
};

/** One project's build history, newest first (ListBuildsForProject + BatchGetBuilds). */
export const projectView: View = (main, [region = "", encodedName = ""]) => {
  const name = decodeURIComponent(encodedName);
  document.title = `${name} builds · Pipewright`;
  const body = h("div", { id: "builds" }, h("p", {}, "Loading…"));
  replace(
    main,
    h("p", {}, link("/console/projects", "Build projects"), ` / ${region}`),
    h("h1", {}, name),
    body,
  );
  const ticker = poll(2000, async () => {
    try {
      const ids: string[] =
        (await call("codebuild", "ListBuildsForProject", region, { projectName: name })).ids ?? [];
      const builds: Json[] = ids.length
        ? ((await call("codebuild", "BatchGetBuilds", region, { ids: ids.slice(0, 50) })).builds ?? [])
        : [];
      redraw(body, JSON.stringify([builds, Math.floor(Date.now() / 1000)]), () => [
        builds.length === 0
          ? h("p", {}, "No builds yet.")
          : h(
              "table",
              {},
              h("caption", { class: "sr-only" }, "Builds, newest first"),
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ["Build", "Status", "Phase", "Source version", "Started", "Duration"].map((t) =>
                    h("th", { scope: "col" }, t),
                  ),
                ),
              ),
              h(
                "tbody",
                {},
                builds.map((b) =>
                  h(
                    "tr",
                    { "data-build": b.id },
                    h(
                      "td",
                      {},
                      link(
                        `/console/builds/${region}/${encodeURIComponent(b.id)}`,
                        `#${b.buildNumber ?? ""}`,
                      ),
                    ),
                    h("td", {}, statusBadge(buildStatus(b.buildStatus))),
                    h("td", {}, b.currentPhase ?? ""),
                    h("td", {}, h("code", {}, b.resolvedSourceVersion ?? b.sourceVersion ?? "")),
                    h("td", {}, age(b.startTime)),
                    h("td", {}, duration(b.startTime, b.endTime)),
                  ),
                ),
              ),
            ),
      ]);
    } catch (error) {
      replace(body, errorBox(error));
    }
  });
  return ticker.stop;
};
