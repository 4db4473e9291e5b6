// Fixtures for the RunStore contract suite: events, snapshots folded from them with the engine's
// own applyEvent (so every stored state is one the engine could have produced), job specs and
// commits with sensible defaults.
import { expect } from "vitest";
import { applyEvent, replay } from "../../engine/apply-event.js";
import type {
  ActionStarted,
  ExecutionCompleted,
  ExecutionEvent,
  ExecutionStarted,
  StageEntered,
} from "../../engine/events.js";
import type { JobSpec } from "../../engine/world.js";
import type { ActionTypeId } from "../../model/declaration.js";
import type { ClaimRequest, ExecutionAppend, ExecutionRecord, RunCommit, RunStore, Scope } from "../types.js";
import { scope, T0 } from "./builders.contract.js";

export const pipelineName = "app";

export const buildType: ActionTypeId = {
  category: "Build",
  owner: "Custom",
  provider: "Builder",
  version: "1",
};
export const testType: ActionTypeId = { category: "Test", owner: "AWS", provider: "CodeBuild", version: "1" };

export function started(
  executionId: string,
  options: { at?: number; token?: string; pipeline?: string } = {},
): ExecutionStarted {
  return {
    v: 1,
    type: "ExecutionStarted",
    at: options.at ?? T0,
    executionId,
    pipelineName: options.pipeline ?? pipelineName,
    pipelineVersion: 1,
    executionMode: "PARALLEL",
    executionType: "STANDARD",
    trigger: { triggerType: "StartPipelineExecution", triggerDetail: "contract" },
    variables: [{ name: "Release", resolvedValue: "1.0" }],
    sourceRevisions: [],
    ...(options.token === undefined ? {} : { clientRequestToken: options.token }),
    stageIndex: 0,
  };
}

export function stageEntered(stageName: string, at = T0): StageEntered {
  return { v: 1, type: "StageEntered", at, stageName };
}

/** An action run of stage "Build" (enter the stage first), InProgress until `timeoutAt`. */
export function actionStarted(
  actionExecutionId: string,
  options: { at?: number; timeoutAt?: number; actionName?: string } = {},
): ActionStarted {
  const at = options.at ?? T0;
  return {
    v: 1,
    type: "ActionStarted",
    at,
    run: {
      actionExecutionId,
      stageName: "Build",
      actionName: options.actionName ?? actionExecutionId,
      actionTypeId: buildType,
      startTime: at,
      timeoutAt: options.timeoutAt ?? at + 3_600_000,
      configuration: { Project: "app" },
      resolvedConfiguration: { Project: "app" },
      inputArtifacts: [],
      outputArtifacts: [{ name: "BuildOutput", bucket: "artifacts", key: `app/${actionExecutionId}` }],
    },
  };
}

export function actionSucceeded(actionExecutionId: string, at = T0): ExecutionEvent {
  return { v: 1, type: "ActionSucceeded", at, actionExecutionId, outputVariables: {} };
}

export function stopRequested(at = T0): ExecutionEvent {
  return { v: 1, type: "StopRequested", at, abandon: false, reason: "contract" };
}

export function completed(status: ExecutionCompleted["status"], at = T0): ExecutionCompleted {
  return { v: 1, type: "ExecutionCompleted", at, status };
}

/** Creates an execution from its first events (ExecutionStarted first). */
export function creation(executionId: string, events: readonly ExecutionEvent[]): ExecutionAppend {
  return { executionId, expectedVersion: 0, events, state: replay(events) };
}

/** Appends events to a stored execution, expecting the version it was read at. */
export function continuation(record: ExecutionRecord, events: readonly ExecutionEvent[]): ExecutionAppend {
  return {
    executionId: record.executionId,
    expectedVersion: record.version,
    events,
    state: events.reduce(applyEvent, record.state),
  };
}

/** A commit of the contract's pipeline at T0 that changes only what `parts` names. */
export function runCommit(parts: Partial<RunCommit> = {}): RunCommit {
  return { scope, pipelineName, executions: [], now: T0, ...parts };
}

/** Commits a new execution (an ExecutionStarted, then `more`) and returns it as stored. */
export async function startExecution(
  runs: RunStore,
  executionId: string,
  options: {
    at?: number;
    token?: string;
    scope?: Scope;
    pipeline?: string;
    more?: readonly ExecutionEvent[];
  } = {},
): Promise<ExecutionRecord> {
  const events = [started(executionId, options), ...(options.more ?? [])];
  const result = await runs.commit(
    runCommit({
      scope: options.scope ?? scope,
      pipelineName: options.pipeline ?? pipelineName,
      executions: [creation(executionId, events)],
    }),
  );
  expect(result).toEqual({ ok: true });
  return (await runs.getExecution(executionId))!;
}

/** Appends events to a stored execution and returns it as stored afterwards. */
export async function appendTo(
  runs: RunStore,
  executionId: string,
  events: readonly ExecutionEvent[],
): Promise<ExecutionRecord> {
  const record = (await runs.getExecution(executionId))!;
  const result = await runs.commit(
    runCommit({
      scope: record.scope,
      pipelineName: record.pipelineName,
      executions: [continuation(record, events)],
    }),
  );
  expect(result).toEqual({ ok: true });
  return (await runs.getExecution(executionId))!;
}

export function jobSpec(
  actionExecutionId: string,
  options: Partial<
    Pick<JobSpec, "actionTypeId" | "dispatch" | "availableAt" | "queryValue" | "callbackToken">
  > & {
    pipeline?: string;
  } = {},
): JobSpec {
  const { pipeline, ...rest } = options;
  return {
    executionId: "e-jobs",
    pipelineName: pipeline ?? pipelineName,
    pipelineVersion: 1,
    stageName: "Build",
    actionName: "Compile",
    actionExecutionId,
    actionTypeId: buildType,
    dispatch: "jobWorker",
    step: 0,
    idempotencyKey: `${actionExecutionId}/0`,
    configuration: { Project: "app", Token: "secret" },
    inputArtifacts: [{ name: "SourceOutput", bucket: "artifacts", key: "app/source.zip" }],
    outputArtifacts: [],
    availableAt: T0,
    timeoutAt: T0 + 3_600_000,
    ...rest,
  };
}

/** Enqueues jobs in one commit (in the order given), each with attempt 1 unless given. */
export async function enqueue(
  runs: RunStore,
  jobs: readonly { jobId: string; spec: JobSpec; attempt?: number }[],
  options: { scope?: Scope; pipeline?: string; now?: number } = {},
): Promise<void> {
  const result = await runs.commit(
    runCommit({
      scope: options.scope ?? scope,
      pipelineName: options.pipeline ?? pipelineName,
      now: options.now ?? T0,
      enqueueJobs: jobs.map((j) => ({ jobId: j.jobId, spec: j.spec, attempt: j.attempt ?? 1 })),
    }),
  );
  expect(result).toEqual({ ok: true });
}

let nonces = 0;

/** Claims at T0 + 10 for worker "w1", 1 minute leases, any scope; nonces are unique. */
export function claimRequest(overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return {
    now: T0 + 10,
    workerId: "w1",
    leaseMs: 60_000,
    limit: 10,
    dispatch: "jobWorker",
    acknowledge: false,
    newNonce: () => `nonce-${++nonces}`,
    ...overrides,
  };
}

/** Ids of records, sorted: for results whose order the contract leaves open. */
export function idsOf(items: readonly ({ executionId: string } | { jobId: string })[]): string[] {
  return items.map((i) => ("jobId" in i ? i.jobId : i.executionId)).sort();
}
