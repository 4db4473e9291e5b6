import { consoleRead, type Json } from "./api.js";
import { age, duration, firstLine, h, link, replace, shortId, statusBadge } from "./dom.js";
import { errorBox, poll, redraw, type View } from "./ui.js";

interface Row {
  region: string;
  name: string;
  latest?: Json;
}

/** Every pipeline in every region with its latest execution; refreshed every 3 s. */
export const overview: View = (main) => {
  document.title = "Pipelines · Pipewright";
  const filter = h("input", {
    type: "search",
    id: "filter",
    placeholder: "name, region or status",
    "aria-controls": "pipelines",
  });
  const table = h(
    "div",
    { id: "pipelines", "aria-live": "polite", "aria-busy": "true" },
    h("p", {}, "Loading pipelines…"),
  );
  const problem = h("div");
  replace(
    main,
    h("h1", {}, "Pipelines"),
    h("div", { class: "toolbar" }, h("label", { for: "filter" }, "Filter"), filter),
    problem,
    table,
  );
  let rows: Row[] = [];
  const draw = () => {
    const words = filter.value.toLowerCase().split(/\s+/u).filter(Boolean);
    const shown = rows.filter((r) => {
      const text = `${r.name} ${r.region} ${r.latest?.status ?? "never"}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
    const key = JSON.stringify([filter.value, shown, Math.floor(Date.now() / 5000)]);
    redraw(table, key, () => [
      shown.length === 0
        ? h(
            "p",
            {},
            rows.length === 0
              ? "No pipelines yet: create one with `aws codepipeline create-pipeline`."
              : "No pipeline matches the filter.",
          )
        : h(
            "table",
            { class: "overview" },
            h("caption", { class: "sr-only" }, "Pipelines in every region"),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Pipeline", "Region", "Latest", "Revision", "Started", "Duration"].map((t) =>
                  h("th", { scope: "col" }, t),
                ),
              ),
            ),
            h(
              "tbody",
              {},
              shown.map((r) => {
                const rev = r.latest?.sourceRevisions?.[0];
                const ended = r.latest && !["InProgress", "Stopping"].includes(r.latest.status);
                return h(
                  "tr",
                  { "data-pipeline": `${r.region}/${r.name}` },
                  h("td", {}, link(`/console/pipelines/${r.region}/${encodeURIComponent(r.name)}`, r.name)),
                  h("td", {}, r.region),
                  h("td", {}, statusBadge(r.latest?.status)),
                  h(
                    "td",
                    {},
                    rev
                      ? [
                          rev.revisionSummary ? `${firstLine(rev.revisionSummary)} ` : "",
                          h("code", {}, shortId(rev.revisionId)),
                        ]
                      : "",
                  ),
                  h("td", {}, age(r.latest?.startTime)),
                  h(
                    "td",
                    {},
                    r.latest ? duration(r.latest.startTime, ended ? r.latest.lastUpdateTime : undefined) : "",
                  ),
                );
              }),
            ),
          ),
    ]);
  };
  filter.addEventListener("input", draw);
  const ticker = poll(3000, async () => {
    try {
      // One answer: every pipeline of every region with its newest execution (docs/console.md).
      const answer = await consoleRead("overview");
      rows = answer.pipelines as Row[];
      replace(problem);
      table.setAttribute("aria-busy", "false");
      draw();
    } catch (error) {
      replace(problem, errorBox(error));
    }
  });
  return ticker.stop;
};
