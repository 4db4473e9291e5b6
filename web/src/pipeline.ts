import { type Json, pipeline } from "./api.js";
import { age, duration, firstLine, h, link, replace, shortId, statusBadge } from "./dom.js";
import { liveConnected, onPipelineChange } from "./live.js";
import { act, ask, errorBox, poll, redraw, type View } from "./ui.js";

const REASON = "[a-zA-Z0-9!@ \\(\\)\\.\\*\\?\\-]+";

/**
 * One pipeline: stages as columns of action cards, the transitions between them, the execution
 * history and the controls. Polls GetPipelineState and ListPipelineExecutions every second.
 */
export const pipelineView: View = (main, [region = "", encodedName = ""]) => {
  const name = decodeURIComponent(encodedName);
  document.title = `${name} · Pipewright`;
  const status = h("div", { id: "action-status", role: "status", "aria-live": "polite" });
  const stagesEl = h("div", { class: "stages", id: "stages" }, h("p", {}, "Loading…"));
  const historyEl = h("div", { id: "history" });
  const problem = h("div");
  const base = `/console/pipelines/${region}/${encodeURIComponent(name)}`;
  let declaration: Json | undefined;
  let recent: Json[] = [];
  const refresh = { now: () => {} };
  const run = (what: string, operation: string, input: Record<string, unknown>) =>
    act(status, what, async () => {
      await pipeline(operation, region, { pipelineName: name, ...input });
      refresh.now();
    });

  replace(
    main,
    h("p", {}, link("/console/", "Pipelines"), ` / ${region}`),
    h("h1", {}, name),
    h(
      "div",
      { class: "toolbar" },
      h(
        "button",
        {
          id: "release",
          "data-key": "release",
          onclick: () =>
            act(status, "Release change", async () => {
              await pipeline("StartPipelineExecution", region, { name });
              refresh.now();
            }),
        },
        "Release change",
      ),
      status,
    ),
    problem,
    h("h2", {}, "Stages"),
    stagesEl,
    h("h2", {}, "Execution history"),
    historyEl,
  );

  const providerOf = (stage: string, action: string): Json =>
    declaration?.stages?.find((s: Json) => s.name === stage)?.actions?.find((a: Json) => a.name === action)
      ?.actionTypeId;

  function actionCard(stage: Json, action: Json): HTMLElement {
    const e = action.latestExecution ?? {};
    const type = providerOf(stage.stageName, action.actionName);
    const key = `${stage.stageName}/${action.actionName}`;
    const approval = type?.provider === "Manual" && e.status === "InProgress" && e.token;
    const build = type?.provider === "CodeBuild" && e.externalExecutionId;
    return h(
      "div",
      { class: "action", "data-action": key },
      h("div", { class: "name" }, action.actionName, " ", statusBadge(e.status)),
      h(
        "div",
        { class: "meta" },
        type ? `${type.owner}/${type.provider}` : "",
        e.lastStatusChange ? ` · ${age(e.lastStatusChange)}` : "",
      ),
      action.currentRevision?.revisionId
        ? h("div", { class: "meta" }, "Revision ", h("code", {}, shortId(action.currentRevision.revisionId)))
        : null,
      e.summary ? h("div", { class: "meta" }, firstLine(e.summary)) : null,
      approval ? approvalFor(stage, action.actionName) : null,
      e.errorDetails?.message ? h("div", { class: "meta" }, `Error: ${e.errorDetails.message}`) : null,
      build
        ? h(
            "div",
            {},
            link(
              `/console/builds/${region}/${encodeURIComponent(e.externalExecutionId)}`,
              "Build details and log",
            ),
          )
        : null,
      e.actionExecutionId && stage.latestExecution?.pipelineExecutionId
        ? h(
            "div",
            {},
            // data-key: a redraw (every status change) keeps the keyboard focus on it.
            h(
              "a",
              {
                href: `/console/pipelines/${region}/${encodeURIComponent(name)}/executions/${stage.latestExecution.pipelineExecutionId}/actions/${e.actionExecutionId}`,
                "data-route": "1",
                "data-key": `details:${key}`,
              },
              "Details",
              h("span", { class: "sr-only" }, ` of ${action.actionName}`),
            ),
          )
        : null,
      approval
        ? h(
            "div",
            { class: "buttons" },
            h(
              "button",
              {
                "data-key": `review:${key}`,
                onclick: async () => {
                  const answer = await ask(
                    `Review ${action.actionName}`,
                    [{ name: "comment", label: "Comment", kind: "textarea" }],
                    [
                      { value: "Approved", label: "Approve" },
                      { value: "Rejected", label: "Reject", danger: true },
                    ],
                  );
                  if (!answer) return;
                  await run(answer.button === "Approved" ? "Approve" : "Reject", "PutApprovalResult", {
                    stageName: stage.stageName,
                    actionName: action.actionName,
                    token: e.token,
                    result: { status: answer.button, summary: answer.values.comment || answer.button },
                  });
                },
              },
              "Approve or reject",
            ),
          )
        : null,
    );
  }

  /** Which revision a pending approval is for (its execution's source revisions) and its CustomData. */
  function approvalFor(stage: Json, actionName: string): HTMLElement {
    const executionId = stage.latestExecution?.pipelineExecutionId;
    const revisions: Json[] =
      recent.find((x) => x.pipelineExecutionId === executionId)?.sourceRevisions ?? [];
    const action = declaration?.stages
      ?.find((s: Json) => s.name === stage.stageName)
      ?.actions?.find((a: Json) => a.name === actionName);
    const custom = action?.configuration?.CustomData;
    return h(
      "div",
      { class: "meta", "data-approval-for": executionId ?? "" },
      custom ? h("div", {}, custom) : null,
      revisions.length
        ? revisions.map((r) =>
            h(
              "div",
              {},
              `For ${r.actionName}: `,
              r.revisionSummary ? `${firstLine(r.revisionSummary)} ` : "",
              h("code", {}, shortId(r.revisionId)),
            ),
          )
        : h("div", {}, "For execution ", h("code", {}, shortId(executionId))),
    );
  }

  function transition(stage: Json): HTMLElement {
    const t = stage.inboundTransitionState ?? { enabled: true };
    const key = `transition:${stage.stageName}`;
    return h(
      "div",
      { class: `transition${t.enabled ? "" : " disabled"}`, "data-transition": stage.stageName },
      h("span", { "aria-hidden": "true" }, t.enabled ? "→" : "⛔"),
      t.enabled
        ? h("span", { class: "sr-only" }, `Transition into ${stage.stageName} enabled`)
        : h("span", {}, `Disabled${t.disabledReason ? `: ${t.disabledReason}` : ""}`),
      t.enabled
        ? h(
            "button",
            {
              class: "secondary",
              "data-key": key,
              "aria-label": `Disable transition into ${stage.stageName}`,
              onclick: async () => {
                const answer = await ask(
                  `Disable the transition into ${stage.stageName}`,
                  [
                    {
                      name: "reason",
                      label: "Reason",
                      kind: "text",
                      required: true,
                      pattern: REASON,
                      hint: "Letters, digits, spaces and !@().*?- only (AWS's rule).",
                    },
                  ],
                  [{ value: "disable", label: "Disable transition" }],
                );
                if (answer)
                  await run("Disable transition", "DisableStageTransition", {
                    stageName: stage.stageName,
                    transitionType: "Inbound",
                    reason: answer.values.reason,
                  });
              },
            },
            "Disable",
          )
        : h(
            "button",
            {
              class: "secondary",
              "data-key": key,
              "aria-label": `Enable transition into ${stage.stageName}`,
              onclick: () =>
                run("Enable transition", "EnableStageTransition", {
                  stageName: stage.stageName,
                  transitionType: "Inbound",
                }),
            },
            "Enable",
          ),
    );
  }

  function stageColumn(stage: Json): HTMLElement {
    const latest = stage.latestExecution;
    return h(
      "section",
      { class: "stage", "aria-label": `Stage ${stage.stageName}`, "data-stage": stage.stageName },
      h("h3", {}, stage.stageName, statusBadge(latest?.status)),
      latest?.pipelineExecutionId
        ? h("div", { class: "meta muted" }, "Execution ", h("code", {}, shortId(latest.pipelineExecutionId)))
        : null,
      (stage.actionStates ?? []).map((a: Json) => actionCard(stage, a)),
      latest?.status === "Failed"
        ? h(
            "button",
            {
              "data-key": `retry:${stage.stageName}`,
              onclick: () =>
                run("Retry failed actions", "RetryStageExecution", {
                  stageName: stage.stageName,
                  pipelineExecutionId: latest.pipelineExecutionId,
                  retryMode: "FAILED_ACTIONS",
                }),
            },
            "Retry failed actions",
          )
        : null,
    );
  }

  function history(executions: Json[]): HTMLElement {
    if (executions.length === 0) return h("p", {}, "No executions yet: press Release change.");
    return h(
      "table",
      {},
      h("caption", { class: "sr-only" }, "Executions, newest first"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["Execution", "Status", "Mode", "Trigger", "Revision", "Started", "Duration", ""].map((t) =>
            h("th", { scope: "col" }, t),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        executions.map((x) => {
          const rev = x.sourceRevisions?.[0];
          const running = x.status === "InProgress";
          return h(
            "tr",
            { "data-execution": x.pipelineExecutionId },
            h(
              "td",
              {},
              link(
                `${base}/executions/${x.pipelineExecutionId}`,
                h("code", {}, shortId(x.pipelineExecutionId)),
              ),
            ),
            h(
              "td",
              {},
              statusBadge(x.status),
              x.statusSummary ? h("div", { class: "meta muted" }, x.statusSummary) : null,
            ),
            h("td", {}, [x.executionMode, x.executionType].filter(Boolean).join(" · ")),
            h("td", {}, x.trigger?.triggerType ?? ""),
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
            h("td", {}, age(x.startTime)),
            h(
              "td",
              {},
              duration(x.startTime, running || x.status === "Stopping" ? undefined : x.lastUpdateTime),
            ),
            h(
              "td",
              {},
              running
                ? h(
                    "button",
                    {
                      class: "danger",
                      "data-key": `stop:${x.pipelineExecutionId}`,
                      "aria-label": `Stop execution ${shortId(x.pipelineExecutionId)}`,
                      onclick: async () => {
                        const answer = await ask(
                          `Stop execution ${shortId(x.pipelineExecutionId)}`,
                          [{ name: "reason", label: "Reason (optional)", kind: "text" }],
                          [
                            { value: "finish", label: "Stop and wait" },
                            { value: "abandon", label: "Stop and abandon", danger: true },
                          ],
                        );
                        if (answer)
                          await run("Stop", "StopPipelineExecution", {
                            pipelineExecutionId: x.pipelineExecutionId,
                            abandon: answer.button === "abandon",
                            ...(answer.values.reason ? { reason: answer.values.reason } : {}),
                          });
                      },
                    },
                    "Stop",
                  )
                : null,
            ),
          );
        }),
      ),
    );
  }

  let last = 0;
  const ticker = poll(1000, async (forced) => {
    // With live events, a full refetch happens on each event and every 5 s as a fallback.
    if (!forced && liveConnected() && Date.now() - last < 5000) return;
    last = Date.now();
    try {
      if (!declaration) declaration = (await pipeline("GetPipeline", region, { name })).pipeline;
      const [state, executions] = await Promise.all([
        pipeline("GetPipelineState", region, { name }),
        pipeline("ListPipelineExecutions", region, { pipelineName: name, maxResults: 20 }),
      ]);
      if (state.pipelineVersion !== declaration?.version)
        declaration = (await pipeline("GetPipeline", region, { name })).pipeline;
      recent = executions.pipelineExecutionSummaries ?? [];
      const stages: Json[] = state.stageStates ?? [];
      const minute = Math.floor(Date.now() / 1000);
      redraw(stagesEl, JSON.stringify([stages, minute]), () =>
        stages.flatMap((s, i) => (i === 0 ? [stageColumn(s)] : [transition(s), stageColumn(s)])),
      );
      const list: Json[] = executions.pipelineExecutionSummaries ?? [];
      redraw(historyEl, JSON.stringify([list, minute]), () => [history(list)]);
      replace(problem);
    } catch (error) {
      replace(problem, errorBox(error));
    }
  });
  refresh.now = ticker.now;
  const unsubscribe = onPipelineChange((r, p) => {
    if (r === region && p === name) ticker.now();
  });
  return () => {
    unsubscribe();
    ticker.stop();
  };
};
