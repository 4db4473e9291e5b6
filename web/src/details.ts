import { consoleRead, type Json, lambda, pipeline } from "./api.js";
import { duration, h, link, replace, statusBadge } from "./dom.js";
import { functionFacts } from "./functions.js";
import { liveConnected, onPipelineChange } from "./live.js";
import { servicePanel } from "./services.js";
import { errorBox, facts, poll, redraw, type View } from "./ui.js";

/**
 * One action run (ListActionExecutions) with what it did: its log as its provider wrote it
 * (GET /_pipewright/console/action-logs/<id>: a Lambda invoke's function log), and by provider
 * the service it deploys (ECS: deployments, tasks, health, events), the function it invokes
 * (Lambda) or a link to its build (CodeBuild).
 */
export const actionView: View = (
  main,
  [region = "", encodedName = "", executionId = "", actionExecutionId = ""],
) => {
  const name = decodeURIComponent(encodedName);
  const executionPath = `/console/pipelines/${region}/${encodeURIComponent(name)}/executions/${executionId}`;
  document.title = `Action ${actionExecutionId.slice(0, 8)} · ${name} · Pipewright`;
  const heading = h("h1", {}, "Action");
  const about = h("div", { id: "action" }, h("p", {}, "Loading…"));
  const log = h("pre", { class: "log", id: "action-log", tabindex: 0, "aria-label": "Action log" });
  const extra = h("div", { id: "action-target" });
  replace(
    main,
    h(
      "p",
      {},
      link("/console/", "Pipelines"),
      " / ",
      link(`/console/pipelines/${region}/${encodeURIComponent(name)}`, name),
      " / ",
      link(executionPath, `execution ${executionId.slice(0, 8)}`),
    ),
    heading,
    about,
    h("h2", {}, "Log"),
    log,
    extra,
  );
  let target: { kind: string; refresh: () => Promise<void> } | undefined;
  let last = 0;
  const ticker = poll(1000, async (forced) => {
    if (!forced && liveConnected() && Date.now() - last < 2000) return;
    last = Date.now();
    try {
      const runs: Json[] = await allActionRuns(region, name, executionId);
      const a = runs.find((r) => r.actionExecutionId === actionExecutionId);
      if (!a) {
        replace(about, errorBox(new Error(`No action run ${actionExecutionId} in execution ${executionId}`)));
        return;
      }
      const type = a.input?.actionTypeId ?? {};
      const config: Record<string, string> = a.input?.configuration ?? {};
      const result = a.output?.executionResult ?? {};
      heading.textContent = `${a.stageName} / ${a.actionName}`;
      redraw(about, JSON.stringify(a), () => [
        facts([
          ["Status", statusBadge(a.status)],
          [
            "Type",
            `${type.category ?? ""} · ${type.owner ?? ""}/${type.provider ?? ""} v${type.version ?? ""}`,
          ],
          ["Duration", duration(a.startTime, a.status === "InProgress" ? undefined : a.lastUpdateTime)],
          ["Summary", result.externalExecutionSummary ?? ""],
          ["Error", result.errorDetails?.message ?? ""],
          ["External execution", result.externalExecutionId ?? ""],
          [
            "Configuration",
            Object.entries(config).map(([k, v]) => h("div", {}, h("code", {}, `${k}: ${v}`))),
          ],
        ]),
      ]);
      const kept = await consoleRead(`action-logs/${encodeURIComponent(actionExecutionId)}`).catch(
        (error: Error) => ({ missing: error.message }),
      );
      const text = kept.missing
        ? `(${kept.missing.replace(/^action-logs\/\S+: /u, "")})`
        : `${kept.truncated ? "(earlier lines dropped)\n" : ""}${(kept.lines as string[]).join("\n")}`;
      if (log.textContent !== text) log.textContent = text || "(the action has written no log lines)";
      if (!target) target = describeTarget(region, type.provider, config, result, extra);
      await target?.refresh();
    } catch (error) {
      replace(about, errorBox(error));
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

async function allActionRuns(region: string, name: string, executionId: string): Promise<Json[]> {
  const runs: Json[] = [];
  let nextToken: string | undefined;
  do {
    const page = await pipeline("ListActionExecutions", region, {
      pipelineName: name,
      filter: { pipelineExecutionId: executionId },
      ...(nextToken ? { nextToken } : {}),
    });
    runs.push(...(page.actionExecutionDetails ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return runs;
}

/** What the action acts on, by provider; undefined for providers with nothing more to show. */
function describeTarget(
  region: string,
  provider: string | undefined,
  config: Record<string, string>,
  result: Json,
  el: HTMLElement,
): { kind: string; refresh: () => Promise<void> } | undefined {
  if (provider === "ECS" && config.ServiceName) {
    const cluster = config.ClusterName || "default";
    const panel = servicePanel(region, cluster, config.ServiceName);
    replace(
      el,
      h(
        "h2",
        {},
        "Service ",
        link(
          `/console/services/${region}/${encodeURIComponent(cluster)}/${encodeURIComponent(config.ServiceName)}`,
          config.ServiceName,
        ),
        ` (cluster ${cluster})`,
      ),
      panel.el,
    );
    return { kind: "ecs", refresh: panel.refresh };
  }
  if (provider === "Lambda" && config.FunctionName) {
    const fn = config.FunctionName;
    const box = h("div", { id: "function" });
    replace(
      el,
      h("h2", {}, "Function ", link(`/console/functions/${region}/${encodeURIComponent(fn)}`, fn)),
      box,
    );
    return {
      kind: "lambda",
      refresh: async () => {
        try {
          const got = await lambda(`/${encodeURIComponent(fn)}/configuration`, region);
          redraw(box, JSON.stringify(got), () => [functionFacts(got)]);
        } catch (error) {
          replace(box, errorBox(error));
        }
      },
    };
  }
  if (provider === "CodeBuild" && result.externalExecutionId) {
    replace(
      el,
      h(
        "p",
        {},
        link(
          `/console/builds/${region}/${encodeURIComponent(result.externalExecutionId)}`,
          "Build details and log",
        ),
      ),
    );
    return { kind: "codebuild", refresh: async () => {} };
  }
  return undefined;
}
