import { type Json, pipeline, regions } from "./api.js";
import { age, duration, h, link, replace, shortId, statusBadge } from "./dom.js";
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
      // Every region at once; each region's pages in order.
      const perRegion = await Promise.all(
        (await regions()).map(async (region) => {
          const found: Row[] = [];
          let nextToken: string | undefined;
          do {
            const page = await pipeline("ListPipelines", region, nextToken ? { nextToken } : {});
            for (const p of page.pipelines ?? []) found.push({ region, name: p.name });
            nextToken = page.nextToken;
          } while (nextToken);
          return found;
        }),
      );
      const next: Row[] = perRegion.flat();
      if (rows.length === 0) {
        // First paint: the names at once, the latest executions as they arrive.
        rows = next;
        table.setAttribute("aria-busy", "false");
        draw();
      }
      await Promise.all(
        next.map(async (row) => {
          const page = await pipeline("ListPipelineExecutions", row.region, {
            pipelineName: row.name,
            maxResults: 1,
          });
          row.latest = page.pipelineExecutionSummaries?.[0];
        }),
      );
      rows = next;
      replace(problem);
      table.setAttribute("aria-busy", "false");
      draw();
    } catch (error) {
      replace(problem, errorBox(error));
    }
  });
  return ticker.stop;
};

export function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}
