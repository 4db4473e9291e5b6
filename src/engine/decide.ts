import { findRun } from "./apply-event.js";
import { evaluateCondition } from "./conditions.js";
import type { ActionRun, ArtifactLocation, ErrorDetails, ExecutionState } from "./execution-state.js";
import { jobSpecFor, resolveExtras } from "./job-spec.js";
import { laneOf } from "./lanes.js";
import type { ActionPlan, ExecutionPlan, StagePlan } from "./plan.js";
import { isTerminalExecution } from "./statuses.js";
import { resolveMap } from "./variables.js";
import type { ChangeBuilder, DecisionContext } from "./world.js";

/**
 * Moves one execution forward inside its current stage as far as it can go right now, recording
 * events and effects on `change`. Returns whether anything was recorded. Entering stages is not
 * done here: admission depends on other executions and lives in admit.ts.
 *
 * Within a stage (spec §5.2): run-order groups run in ascending order, every action of a group
 * at once; the next group starts when every action of the current one succeeded. After a
 * failure nothing new starts, running actions finish, then the stage fails (onFailure decides
 * what follows). A stop starts nothing new either; stop-and-abandon abandons running actions.
 */
export function decideExecution(change: ChangeBuilder, executionId: string, ctx: DecisionContext): boolean {
  const state = change.state(executionId);
  if (isTerminalExecution(state.status)) return false;
  const plan = ctx.planFor(state);
  if (!state.inStage) return decideBetweenStages(change, state, plan, ctx);
  const stage = plan.stages[state.stageIndex];
  if (!stage)
    throw new Error(`execution ${executionId} is in stage ${state.stageIndex}, which its plan lacks`);
  return decideInStage(change, executionId, plan, stage, ctx);
}

function decideBetweenStages(
  change: ChangeBuilder,
  state: ExecutionState,
  plan: ExecutionPlan,
  ctx: DecisionContext,
): boolean {
  const id = state.executionId;
  const rollbackDone = state.rollback !== undefined && state.stages[state.rollback.stageName] !== undefined;
  if (rollbackDone || state.stageIndex >= plan.stages.length) {
    change.record(id, { v: 1, at: ctx.now, type: "ExecutionCompleted", status: "Succeeded" });
    return true;
  }
  if (state.status === "Stopping") {
    const next = plan.stages[state.stageIndex]?.name;
    change.record(id, {
      v: 1,
      at: ctx.now,
      type: "ExecutionCompleted",
      status: "Stopped",
      summary: `Stopped while waiting to enter stage '${next}'${state.stop?.reason ? `: ${state.stop.reason}` : ""}`,
    });
    return true;
  }
  return false;
}

function decideInStage(
  change: ChangeBuilder,
  id: string,
  plan: ExecutionPlan,
  stage: StagePlan,
  ctx: DecisionContext,
): boolean {
  let recorded = false;
  let state = change.state(id);
  const run = state.stages[stage.name];
  if (!run) throw new Error(`execution ${id} is in stage ${stage.name} without having entered it`);

  if (stage.beforeEntry && !run.conditions.beforeEntry) {
    const condition = evaluateCondition(state, stage.beforeEntry, ctx.now, ctx.newId);
    change.record(id, {
      v: 1,
      at: ctx.now,
      type: "ConditionEvaluated",
      stageName: stage.name,
      kind: "beforeEntry",
      condition,
    });
    if (condition.status !== "Succeeded") {
      const skip = stage.beforeEntry.result === "SKIP";
      complete(
        change,
        id,
        plan,
        stage,
        skip ? "Skipped" : "Failed",
        `Entry condition failed: ${condition.summary}`,
        ctx,
      );
      return true;
    }
    recorded = true;
  }

  recorded = endOverdueOrAbandoned(change, id, stage, ctx) || recorded;
  state = change.state(id);
  const latest = () => latestRuns(change.state(id), stage);
  const failed = () => latest().some((r) => r?.status === "Failed" || r?.status === "Abandoned");

  if (!state.stop && !failed()) {
    const group = currentGroup(stage, latest());
    for (const action of group) {
      if (!latest()[stage.actions.indexOf(action)]) {
        startAction(change, id, plan, action, ctx);
        recorded = true;
      }
    }
  }

  const runs = latest();
  if (runs.some((r) => r?.status === "InProgress")) return recorded;
  state = change.state(id);
  if (state.stop) {
    const allDone = runs.every((r) => r?.status === "Succeeded");
    complete(change, id, plan, stage, allDone ? "Succeeded" : "Stopped", stopSummary(state), ctx, "Stopped");
    return true;
  }
  if (failed()) {
    onStageFailure(change, id, plan, stage, runs, ctx);
    return true;
  }
  if (runs.every((r) => r?.status === "Succeeded")) {
    onStageSuccess(change, id, plan, stage, ctx);
    return true;
  }
  return recorded;
}

/** Each action's latest run in this execution and stage attempt, in declaration order. */
function latestRuns(state: ExecutionState, stage: StagePlan): (ActionRun | undefined)[] {
  const run = state.stages[stage.name];
  return stage.actions.map((a) => {
    const id = run?.actions[a.name];
    return id ? findRun(state, id) : undefined;
  });
}

/** The actions of the first run-order group that has not fully succeeded (empty when all have). */
function currentGroup(stage: StagePlan, runs: (ActionRun | undefined)[]): ActionPlan[] {
  for (const order of stage.runOrders) {
    const group = stage.actions.filter((a) => a.runOrder === order);
    if (group.some((a) => runs[stage.actions.indexOf(a)]?.status !== "Succeeded")) return group;
  }
  return [];
}

function endOverdueOrAbandoned(
  change: ChangeBuilder,
  id: string,
  stage: StagePlan,
  ctx: DecisionContext,
): boolean {
  const state = change.state(id);
  let recorded = false;
  for (const run of latestRuns(state, stage)) {
    if (run?.status !== "InProgress") continue;
    if (state.stop?.abandon) {
      change.record(id, {
        v: 1,
        at: ctx.now,
        type: "ActionAbandoned",
        actionExecutionId: run.actionExecutionId,
      });
      change.effect({
        type: "CancelJobs",
        actionExecutionId: run.actionExecutionId,
        reason: "Abandoned by StopPipelineExecution",
      });
      recorded = true;
    } else if (run.timeoutAt <= ctx.now) {
      const minutes = Math.round((run.timeoutAt - run.startTime) / 60_000);
      const errorDetails: ErrorDetails = {
        code: "TimedOut",
        message:
          run.actionTypeId.category === "Approval"
            ? `The approval was not answered within its timeout of ${minutes} minute(s)`
            : `The action did not complete within its timeout of ${minutes} minute(s)`,
      };
      change.record(id, {
        v: 1,
        at: ctx.now,
        type: "ActionFailed",
        actionExecutionId: run.actionExecutionId,
        errorDetails,
      });
      change.effect({
        type: "CancelJobs",
        actionExecutionId: run.actionExecutionId,
        reason: "The action timed out",
      });
      recorded = true;
    }
  }
  return recorded;
}

/** Object keys like AWS's: `<first 20 chars of pipeline>/<first 10 chars of artifact>/<7 chars>`. */
export function artifactKey(pipelineName: string, artifactName: string, id: string): string {
  return `${pipelineName.slice(0, 20)}/${artifactName.slice(0, 10)}/${id.replace(/-/gu, "").slice(0, 7)}`;
}

function startAction(
  change: ChangeBuilder,
  id: string,
  plan: ExecutionPlan,
  action: ActionPlan,
  ctx: DecisionContext,
): void {
  const state = change.state(id);
  const actionExecutionId = ctx.newId();
  const inputs: ArtifactLocation[] = [];
  let problem: ErrorDetails | undefined;
  for (const name of action.inputArtifacts) {
    const found = state.artifacts[name];
    if (found) inputs.push(found);
    else
      problem ??= {
        code: "ConfigurationError",
        message: `Input artifact '${name}' was not produced in this execution (was the stage that makes it skipped?)`,
      };
  }
  const outputs = action.outputArtifacts.map((o) => ({
    name: o.name,
    bucket: plan.artifactBucket,
    key: artifactKey(plan.pipelineName, o.name, ctx.newId()),
  }));
  const resolved = resolveMap(state, action.configuration);
  if (!resolved.ok) {
    problem ??= {
      code: "ConfigurationError",
      message: `Action configuration '${resolved.key}' of action '${action.name}' refers to ${resolved.reference}, which cannot be resolved: ${resolved.reason}`,
    };
  }
  const resolvedConfiguration = resolved.ok ? resolved.value : { ...action.configuration };
  const extras = resolveExtras(state, action);
  if (!extras.ok) problem ??= { code: "ConfigurationError", message: extras.message };
  if (action.dispatch === "unavailable") {
    problem ??= {
      code: "ConfigurationError",
      message: action.unavailableReason ?? "Pipewright cannot run this action",
    };
  }
  const token = action.actionTypeId.category === "Approval" ? ctx.newId() : undefined;
  const timeoutAt = ctx.now + action.timeoutMs;
  change.record(id, {
    v: 1,
    at: ctx.now,
    type: "ActionStarted",
    run: {
      actionExecutionId,
      stageName: action.stageName,
      actionName: action.name,
      actionTypeId: action.actionTypeId,
      startTime: ctx.now,
      timeoutAt,
      configuration: action.configuration,
      resolvedConfiguration,
      ...(action.namespace ? { namespace: action.namespace } : {}),
      ...(action.region ? { region: action.region } : {}),
      ...(action.roleArn ? { roleArn: action.roleArn } : {}),
      inputArtifacts: inputs,
      outputArtifacts: outputs,
      ...(token ? { token } : {}),
    },
  });
  if (problem || action.dispatch === "unavailable" || !extras.ok) {
    change.record(id, {
      v: 1,
      at: ctx.now,
      type: "ActionFailed",
      actionExecutionId,
      errorDetails: problem ?? { code: "ConfigurationError", message: "Pipewright cannot run this action" },
    });
    return;
  }
  const run = findRun(change.state(id), actionExecutionId);
  change.effect({
    type: "EnqueueJob",
    job: jobSpecFor(state, plan, action, run, 0, extras.value, { availableAt: ctx.now }),
  });
}

function onStageSuccess(
  change: ChangeBuilder,
  id: string,
  plan: ExecutionPlan,
  stage: StagePlan,
  ctx: DecisionContext,
): void {
  const state = change.state(id);
  if (stage.onSuccess && !state.stages[stage.name]?.conditions.onSuccess) {
    const condition = evaluateCondition(state, stage.onSuccess, ctx.now, ctx.newId);
    change.record(id, {
      v: 1,
      at: ctx.now,
      type: "ConditionEvaluated",
      stageName: stage.name,
      kind: "onSuccess",
      condition,
    });
    if (condition.status !== "Succeeded") {
      const summary = `Success condition failed: ${condition.summary}`;
      complete(change, id, plan, stage, "Failed", summary, ctx);
      if (stage.onSuccess.result === "ROLLBACK") requestRollback(change, id, plan, stage);
      return;
    }
  }
  complete(change, id, plan, stage, "Succeeded", undefined, ctx);
}

function onStageFailure(
  change: ChangeBuilder,
  id: string,
  plan: ExecutionPlan,
  stage: StagePlan,
  runs: (ActionRun | undefined)[],
  ctx: DecisionContext,
): void {
  const state = change.state(id);
  const stageRun = state.stages[stage.name];
  const failure = stage.onFailure;
  if (failure?.result === "RETRY" && !failure.condition && (stageRun?.autoStageRetryAttempt ?? 0) < 1) {
    // AWS retries a failed stage automatically once per failure of the execution in that stage.
    change.record(id, {
      v: 1,
      at: ctx.now,
      type: "StageRetried",
      stageName: stage.name,
      retryMode: failure.retryMode,
      trigger: "AutomatedStageRetry",
    });
    return;
  }
  const first = runs.find((r) => r?.status === "Failed" || r?.status === "Abandoned");
  const summary = first?.errorDetails
    ? `Action '${first.actionName}' failed: ${first.errorDetails.message}`
    : `Action '${first?.actionName}' was abandoned`;
  let rollback = failure?.result === "ROLLBACK";
  if (rollback && failure?.condition) {
    const condition = evaluateCondition(state, failure.condition, ctx.now, ctx.newId);
    change.record(id, {
      v: 1,
      at: ctx.now,
      type: "ConditionEvaluated",
      stageName: stage.name,
      kind: "onFailure",
      condition,
    });
    rollback = condition.status !== "Succeeded";
  }
  complete(change, id, plan, stage, "Failed", summary, ctx);
  if (rollback) requestRollback(change, id, plan, stage);
}

/**
 * Records the stage's end and, unless the execution moves on to another stage, the execution's
 * end too. `executionStatus` overrides the status the execution ends with (a stop).
 */
function complete(
  change: ChangeBuilder,
  id: string,
  plan: ExecutionPlan,
  stage: StagePlan,
  status: "Succeeded" | "Failed" | "Stopped" | "Skipped",
  summary: string | undefined,
  ctx: DecisionContext,
  executionStatus?: "Stopped",
): void {
  const at = ctx.now;
  change.record(id, {
    v: 1,
    at,
    type: "StageCompleted",
    stageName: stage.name,
    status,
    ...(summary ? { summary } : {}),
  });
  const state = change.state(id);
  const last = stage.index === plan.stages.length - 1 || state.rollback !== undefined;
  if (executionStatus) {
    change.record(id, {
      v: 1,
      at,
      type: "ExecutionCompleted",
      status: executionStatus,
      ...(summary ? { summary } : {}),
    });
  } else if (status === "Failed") {
    change.record(id, {
      v: 1,
      at,
      type: "ExecutionCompleted",
      status: "Failed",
      ...(summary ? { summary } : {}),
    });
  } else if (last) {
    change.record(id, { v: 1, at, type: "ExecutionCompleted", status: "Succeeded" });
  }
}

function stopSummary(state: ExecutionState): string {
  return `Stopped by StopPipelineExecution${state.stop?.abandon ? " (abandon)" : ""}${state.stop?.reason ? `: ${state.stop.reason}` : ""}`;
}

/**
 * Queues an automatic rollback of the stage to the latest STANDARD execution that succeeded in
 * it on the same pipeline version (spec §5.11). The runtime starts it after the commit.
 */
function requestRollback(change: ChangeBuilder, id: string, plan: ExecutionPlan, stage: StagePlan): void {
  const state = change.state(id);
  if (state.executionType !== "STANDARD" || plan.executionMode === "PARALLEL") return;
  const target = laneOf(change.currentLanes, stage.name).lastSucceeded;
  if (!target || target.pipelineVersion !== plan.pipelineVersion || target.executionId === id) return;
  const lanes = change.currentLanes;
  change.setLanes({
    ...lanes,
    pendingRollbacks: [
      ...lanes.pendingRollbacks,
      { stageName: stage.name, targetExecutionId: target.executionId, failedExecutionId: id },
    ],
  });
}
