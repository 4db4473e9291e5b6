import { type Json, pipeline } from "./api.js";
import { duration, h, link, replace, statusBadge } from "./dom.js";
import { liveConnected, onPipelineChange } from "./live.js";
import { errorBox, poll, redraw, type View } from "./ui.js";

/** One execution's action runs (ListActionExecutions): summaries, errors, output variables, builds. */
export const executionView: View = (main, [region = "", encodedName = "", executionId = ""]) => {
  const name = decodeURIComponent(encodedName);
  document.title = `${name} ${executionId.slice(0, 8)} · Pipewright`;
  const body = h("div", { id: "actions" }, h("p", {}, "Loading…"));
  const head = h("div");
  replace(
    main,
    h(
      "p",
      {},
      link("/console/", "Pipelines"),
      " / ",
      link(`/console/pipelines/${region}/${encodeURIComponent(name)}`, name),
    ),
    h("h1", {}, "Execution ", h("code", {}, executionId)),
    head,
    body,
  );
  let last = 0;
  const ticker = poll(1000, async (forced) => {
    // With live events, a full refetch happens on each event and every 5 s as a fallback.
    if (!forced && liveConnected() && Date.now() - last < 5000) return;
    last = Date.now();
    try {
      const [x, actions] = await Promise.all([
        pipeline("GetPipelineExecution", region, { pipelineName: name, pipelineExecutionId: executionId }),
        pipeline("ListActionExecutions", region, {
          pipelineName: name,
          filter: { pipelineExecutionId: executionId },
        }),
      ]);
      const e = x.pipelineExecution ?? {};
      redraw(head, JSON.stringify(e), () => [
        h(
          "p",
          {},
          statusBadge(e.status),
          " ",
          e.statusSummary ?? "",
          e.executionMode ? ` · mode ${e.executionMode}` : "",
        ),
        (e.artifactRevisions ?? []).map((r: Json) =>
          h(
            "p",
            { class: "muted" },
            `${r.name}: `,
            h("code", {}, r.revisionId ?? ""),
            r.revisionSummary ? ` ${r.revisionSummary}` : "",
          ),
        ),
      ]);
      const list: Json[] = (actions.actionExecutionDetails ?? []).slice().reverse();
      redraw(body, JSON.stringify(list), () => [
        list.length === 0
          ? h("p", {}, "No action has run yet.")
          : h(
              "table",
              {},
              h("caption", { class: "sr-only" }, "Action runs, oldest first"),
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ["Stage", "Action", "Status", "Duration", "Details"].map((t) =>
                    h("th", { scope: "col" }, t),
                  ),
                ),
              ),
              h(
                "tbody",
                {},
                list.map((a) => {
                  const result = a.output?.executionResult ?? {};
                  const build = a.input?.actionTypeId?.provider === "CodeBuild" && result.externalExecutionId;
                  const vars = Object.entries(a.output?.outputVariables ?? {});
                  return h(
                    "tr",
                    {},
                    h("td", {}, a.stageName),
                    h(
                      "td",
                      {},
                      a.actionName,
                      h(
                        "div",
                        { class: "meta muted" },
                        `${a.input?.actionTypeId?.owner ?? ""}/${a.input?.actionTypeId?.provider ?? ""}`,
                      ),
                    ),
                    h("td", {}, statusBadge(a.status)),
                    h(
                      "td",
                      {},
                      duration(a.startTime, a.status === "InProgress" ? undefined : a.lastUpdateTime),
                    ),
                    h(
                      "td",
                      {},
                      result.externalExecutionSummary ? h("div", {}, result.externalExecutionSummary) : null,
                      result.errorDetails?.message
                        ? h("div", {}, `Error: ${result.errorDetails.message}`)
                        : null,
                      vars.length
                        ? h("div", { class: "meta" }, vars.map(([k, v]) => `${k}=${v}`).join(", "))
                        : null,
                      build
                        ? link(
                            `/console/builds/${region}/${encodeURIComponent(result.externalExecutionId)}`,
                            "Build details and log",
                          )
                        : null,
                      h(
                        "div",
                        {},
                        link(
                          `/console/pipelines/${region}/${encodeURIComponent(name)}/executions/${executionId}/actions/${a.actionExecutionId}`,
                          `Details of ${a.actionName}`,
                        ),
                      ),
                    ),
                  );
                }),
              ),
            ),
      ]);
    } catch (error) {
      replace(head, errorBox(error));
    }
  });
  const unsubscribe = onPipelineChange((r, p) => {
    if (r === region && p === name) ticker.now();
  });
  return () => {
    unsubscribe();
    ticker.stop();
  };
};
