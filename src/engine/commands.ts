import type { StageRetryMode } from "../model/declaration.js";
import type { ServiceFailure } from "../model/exceptions.js";
import { findRun } from "./apply-event.js";
import type { ExecutionStarted } from "./events.js";
import type { ExecutionState, ResolvedVariable, SourceRevisionOverride, Trigger } from "./execution-state.js";
import { jobSpecFor, resolveExtras } from "./job-spec.js";
import { laneOf, withLane } from "./lanes.js";
import { type ActionOutcome, MAX_OUTPUT_VARIABLES_BYTES, outputVariablesBytes } from "./outcome.js";
import { actionPlan, type ExecutionPlan } from "./plan.js";
import { stageNotFound } from "./preconditions.js";
import { isTerminalExecution } from "./statuses.js";
import type { ChangeBuilder, DecisionContext } from "./world.js";

/**
 * The engine's inputs: what users, workers and the clock ask of executions. Each checks its
 * preconditions against the world (answering with AWS's exception when one fails) and records
 * the resulting events on `change`; the caller then runs `advance` and commits. Pure.
 */

export interface StartRequest {
  readonly executionId: string;
  readonly plan: ExecutionPlan;
  readonly trigger: Trigger;
  readonly variables: readonly ResolvedVariable[];
  readonly sourceRevisions?: readonly SourceRevisionOverride[];
  readonly clientRequestToken?: string;
}

export function startExecution(change: ChangeBuilder, request: StartRequest, ctx: DecisionContext): void {
  const { plan } = request;
  change.record(request.executionId, {
    v: 1,
    at: ctx.now,
    type: "ExecutionStarted",
    executionId: request.executionId,
    pipelineName: plan.pipelineName,
    pipelineVersion: plan.pipelineVersion,
    executionMode: plan.executionMode,
    executionType: "STANDARD",
    trigger: request.trigger,
    variables: request.variables,
    sourceRevisions: request.sourceRevisions ?? [],
    ...(request.clientRequestToken ? { clientRequestToken: request.clientRequestToken } : {}),
    stageIndex: 0,
  });
}

/**
 * Pipeline-level variables for a new execution: each declared variable's default, overridden by
 * the start request. An undeclared name, or a declared one left without any value, is refused.
 */
export function resolveStartVariables(
  plan: ExecutionPlan,
  overrides: readonly { name: string; value: string }[],
): { ok: true; value: ResolvedVariable[] } | { ok: false; error: ServiceFailure } {
  const declared = new Map(plan.variables.map((v) => [v.name, v]));
  const given = new Map<string, string>();
  for (const o of overrides) {
    if (!declared.has(o.name)) {
      return invalid(
        `Variable '${o.name}' is not declared by pipeline '${plan.pipelineName}'${declared.size ? `; declared variables: ${[...declared.keys()].join(", ")}` : "; it declares no variables"}`,
      );
    }
    if (given.has(o.name)) return invalid(`Variable '${o.name}' is given more than once`);
    given.set(o.name, o.value);
  }
  const out: ResolvedVariable[] = [];
  for (const v of plan.variables) {
    const value = given.get(v.name) ?? v.defaultValue;
    if (value === undefined) {
      return invalid(
        `Variable '${v.name}' has no default value, so StartPipelineExecution must give it a value`,
      );
    }
    out.push({ name: v.name, resolvedValue: value });
  }
  return { ok: true, value: out };
}

function invalid(message: string): { ok: false; error: ServiceFailure } {
  return { ok: false, error: { type: "ValidationException", message } };
}

/** A ROLLBACK execution that re-runs one stage with the target's artifacts and variables. */
export function startRollback(
  change: ChangeBuilder,
  request: {
    executionId: string;
    plan: ExecutionPlan;
    stageName: string;
    target: ExecutionState;
    trigger: Trigger;
  },
  ctx: DecisionContext,
): void {
  const { plan, target } = request;
  const index = plan.stages.findIndex((s) => s.name === request.stageName);
  const event: ExecutionStarted = {
    v: 1,
    at: ctx.now,
    type: "ExecutionStarted",
    executionId: request.executionId,
    pipelineName: plan.pipelineName,
    pipelineVersion: plan.pipelineVersion,
    executionMode: plan.executionMode,
    executionType: "ROLLBACK",
    trigger: request.trigger,
    variables: target.variables,
    sourceRevisions: [],
    stageIndex: index,
    rollback: {
      targetExecutionId: target.executionId,
      stageName: request.stageName,
      artifacts: target.artifacts,
      namespaces: target.namespaces,
    },
  };
  change.record(request.executionId, event);
}

/** StopPipelineExecution (spec §5.6). */
export function requestStop(
  change: ChangeBuilder,
  executionId: string,
  request: { abandon: boolean; reason?: string },
  ctx: DecisionContext,
): ServiceFailure | undefined {
  const state = change.state(executionId);
  if (isTerminalExecution(state.status)) {
    return {
      type: "PipelineExecutionNotStoppableException",
      message: `Pipeline execution ${executionId} is ${state.status}; only an InProgress or Stopping execution can be stopped`,
    };
  }
  if (state.status === "Stopping" && (state.stop?.abandon || !request.abandon)) {
    return {
      type: "DuplicatedStopRequestException",
      message: state.stop?.abandon
        ? `Pipeline execution ${executionId} is already being stopped and abandoned`
        : `Pipeline execution ${executionId} is already stopping and waiting for its actions; you can still stop and abandon it`,
    };
  }
  change.record(executionId, {
    v: 1,
    at: ctx.now,
    type: "StopRequested",
    abandon: request.abandon,
    ...(request.reason === undefined ? {} : { reason: request.reason }),
  });
  return undefined;
}

/** RetryStageExecution (spec §5.7): only the stage's latest execution, only with something to retry. */
export function requestRetry(
  change: ChangeBuilder,
  request: { executionId: string; stageName: string; retryMode: StageRetryMode; currentPlan: ExecutionPlan },
  ctx: DecisionContext,
): ServiceFailure | undefined {
  const { executionId, stageName, retryMode, currentPlan } = request;
  if (!currentPlan.stages.some((s) => s.name === stageName)) return stageNotFound(currentPlan, stageName);
  const lane = laneOf(change.currentLanes, stageName);
  if (lane.latestExecutionId !== executionId || !change.has(executionId)) {
    return {
      type: "NotLatestPipelineExecutionException",
      message: `Execution ${executionId} is not the latest execution in stage '${stageName}'${lane.latestExecutionId ? `; the latest is ${lane.latestExecutionId}` : ""}`,
    };
  }
  const state = change.state(executionId);
  const notRetryable = (why: string): ServiceFailure => ({
    type: "StageNotRetryableException",
    message: `Stage '${stageName}' of execution ${executionId} cannot be retried: ${why}`,
  });
  if (state.pipelineVersion !== currentPlan.pipelineVersion) {
    return notRetryable(
      `the pipeline changed since the execution started (version ${state.pipelineVersion}, now ${currentPlan.pipelineVersion})`,
    );
  }
  const stage = state.stages[stageName];
  if (!stage) return notRetryable("the execution never entered it");
  if (state.status === "Stopping") return notRetryable("the execution is stopping");
  if (stage.status === "Skipped") return notRetryable("it was skipped by its entry condition");
  const runs = Object.values(stage.actions).map((id) => findRun(state, id));
  const failed = runs.filter((r) => r.status === "Failed" || r.status === "Abandoned");
  const running = runs.filter((r) => r.status === "InProgress");
  if (stage.status === "Succeeded") return notRetryable("it succeeded");
  if (stage.status === "InProgress" && failed.length === 0) return notRetryable("no action in it has failed");
  if (stage.status !== "InProgress" && stage.status !== "Failed" && stage.status !== "Stopped") {
    return notRetryable(`it is ${stage.status}`);
  }
  if (retryMode === "ALL_ACTIONS" && running.length > 0) {
    return notRetryable(
      `actions ${running.map((r) => `'${r.actionName}'`).join(", ")} are still in progress; use FAILED_ACTIONS or wait`,
    );
  }
  if (stage.status === "Failed" && failed.length === 0 && retryMode === "FAILED_ACTIONS") {
    return notRetryable("it failed on a condition, not an action; use ALL_ACTIONS");
  }
  change.record(executionId, {
    v: 1,
    at: ctx.now,
    type: "StageRetried",
    stageName,
    retryMode,
    trigger: "ManualStageRetry",
  });
  return undefined;
}

/**
 * Records what a job of an action run came to. Returns false, recording nothing, when the run
 * is no longer waiting for that step (it finished, was abandoned or timed out, or the job is a
 * stale step): late news is dropped, as AWS refuses late job results.
 */
export function recordOutcome(
  change: ChangeBuilder,
  request: { executionId: string; actionExecutionId: string; step: number; outcome: ActionOutcome },
  ctx: DecisionContext,
): { ok: true; applied: boolean } | { ok: false; error: ServiceFailure } {
  const { executionId, actionExecutionId, step, outcome } = request;
  const state = change.state(executionId);
  const run = state.actionRuns.find((r) => r.actionExecutionId === actionExecutionId);
  if (run?.status !== "InProgress" || run.jobStep !== step) return { ok: true, applied: false };
  const at = ctx.now;
  switch (outcome.kind) {
    case "succeeded": {
      const vars = outcome.outputVariables ?? {};
      if (outputVariablesBytes(vars) > MAX_OUTPUT_VARIABLES_BYTES) {
        return {
          ok: false,
          error: {
            type: "OutputVariablesSizeExceededException",
            message: `Output variables of action '${run.actionName}' take ${outputVariablesBytes(vars)} bytes; the limit is ${MAX_OUTPUT_VARIABLES_BYTES}`,
          },
        };
      }
      change.record(executionId, {
        v: 1,
        at,
        type: "ActionSucceeded",
        actionExecutionId,
        outputVariables: vars,
        ...pick(outcome, [
          "summary",
          "externalExecutionId",
          "externalExecutionUrl",
          "currentRevision",
          "updatedBy",
        ]),
      });
      return { ok: true, applied: true };
    }
    case "failed":
      change.record(executionId, {
        v: 1,
        at,
        type: "ActionFailed",
        actionExecutionId,
        errorDetails: { code: outcome.failure.type, message: outcome.failure.message },
        ...pick(outcome, ["summary", "updatedBy"]),
        ...(outcome.failure.externalExecutionId
          ? { externalExecutionId: outcome.failure.externalExecutionId }
          : {}),
      });
      return { ok: true, applied: true };
    case "inProgress": {
      const plan = ctx.planFor(state);
      const action = actionPlan(plan, run.stageName, run.actionName);
      if (!action) throw new Error(`action ${run.stageName}/${run.actionName} is missing from its own plan`);
      change.record(executionId, {
        v: 1,
        at,
        type: "ActionProgressed",
        actionExecutionId,
        jobStep: step + 1,
        ...pick(outcome, ["summary", "percentComplete", "externalExecutionId", "externalExecutionUrl"]),
      });
      const extras = resolveExtras(state, action);
      if (!extras.ok) throw new Error(`action ${run.actionName} resolved at start but not at continuation`);
      const next = findRun(change.state(executionId), actionExecutionId);
      change.effect({
        type: "EnqueueJob",
        job: jobSpecFor(change.state(executionId), plan, action, next, step + 1, extras.value, {
          availableAt: at + (outcome.pollAfterMs ?? 0),
          continuationToken: outcome.continuationToken,
        }),
      });
      return { ok: true, applied: true };
    }
    case "awaitingCallback": {
      const noted = pick(outcome, ["summary", "externalExecutionId", "externalExecutionUrl"]);
      if (Object.keys(noted).length > 0) {
        change.record(executionId, { v: 1, at, type: "ActionProgressed", actionExecutionId, ...noted });
      }
      return { ok: true, applied: true };
    }
  }
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out;
}

/**
 * PutApprovalResult (spec §5.8): the token must be the open request's; answering twice is
 * ApprovalAlreadyCompletedException. Approved succeeds the action, Rejected fails it.
 */
export function recordApproval(
  change: ChangeBuilder,
  request: {
    executionId: string;
    actionExecutionId: string;
    token: string;
    status: "Approved" | "Rejected";
    summary: string;
    by: string;
  },
  ctx: DecisionContext,
): ServiceFailure | undefined {
  const state = change.state(request.executionId);
  const run = state.actionRuns.find((r) => r.actionExecutionId === request.actionExecutionId);
  if (!run || run.token !== request.token) {
    return {
      type: "InvalidApprovalTokenException",
      message: `The approval token ${request.token} is not valid for this action`,
    };
  }
  if (run.status !== "InProgress") {
    return {
      type: "ApprovalAlreadyCompletedException",
      message: `The approval request for action '${run.actionName}' is already ${run.status === "Succeeded" ? "approved" : "completed"} (${run.status})`,
    };
  }
  const outcome: ActionOutcome =
    request.status === "Approved"
      ? { kind: "succeeded", summary: request.summary, updatedBy: request.by }
      : {
          kind: "failed",
          failure: {
            type: "JobFailed",
            message: `Rejected by ${request.by}${request.summary ? `: ${request.summary}` : ""}`,
          },
          summary: request.summary,
          updatedBy: request.by,
        };
  const recorded = recordOutcome(change, { ...request, step: run.jobStep, outcome }, ctx);
  return recorded.ok ? undefined : recorded.error;
}

/** Enable/DisableStageTransition; `Outbound` of stage N is the inbound of stage N+1. */
export function setTransition(
  change: ChangeBuilder,
  request: { stageName: string; enabled: boolean; reason?: string; by: string },
  ctx: DecisionContext,
): void {
  change.setLanes(
    withLane(change.currentLanes, request.stageName, (lane) => ({
      ...lane,
      transition: {
        enabled: request.enabled,
        lastChangedBy: request.by,
        lastChangedAt: ctx.now,
        ...(request.enabled || request.reason === undefined ? {} : { disabledReason: request.reason }),
      },
    })),
  );
}

/** The next time something must happen to this execution without outside news (a timeout). */
export function nextDeadline(state: ExecutionState): number | undefined {
  if (isTerminalExecution(state.status)) return undefined;
  let next: number | undefined;
  for (const run of state.actionRuns) {
    if (run.status === "InProgress" && (next === undefined || run.timeoutAt < next)) next = run.timeoutAt;
  }
  return next;
}
