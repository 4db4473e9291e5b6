import type { ExecutionEvent, ExecutionStarted } from "./events.js";
import type { ActionRun, ExecutionState, StageRun } from "./execution-state.js";
import { ActionExecutionStatus, PipelineExecutionStatus, StageExecutionStatus } from "./statuses.js";

/**
 * Folds one event into the state. Pure and total over valid histories: an event that cannot
 * apply (an unknown action execution, a second ExecutionStarted) is a broken invariant and throws,
 * because a history that does not replay is a bug, not an outcome.
 */
export function applyEvent(state: ExecutionState | undefined, event: ExecutionEvent): ExecutionState {
  if (event.type === "ExecutionStarted") {
    if (state) throw new Error(`illegal history: execution ${state.executionId} started twice`);
    return started(event);
  }
  if (!state) throw new Error(`illegal history: ${event.type} before ExecutionStarted`);
  const handler = handlers[event.type] as (s: ExecutionState, e: ExecutionEvent) => ExecutionState;
  return { ...handler(state, event), lastUpdateTime: event.at };
}

/** Rebuilds an execution's state from its whole history. */
export function replay(events: readonly ExecutionEvent[]): ExecutionState {
  let state: ExecutionState | undefined;
  for (const event of events) state = applyEvent(state, event);
  if (!state) throw new Error("illegal history: no events");
  return state;
}

type Handlers = {
  [T in Exclude<ExecutionEvent["type"], "ExecutionStarted">]: (
    state: ExecutionState,
    event: Extract<ExecutionEvent, { type: T }>,
  ) => ExecutionState;
};

const handlers: Handlers = {
  StageEntered(state, e) {
    const previous = state.stages[e.stageName];
    const stage: StageRun = {
      name: e.stageName,
      status: StageExecutionStatus.InProgress,
      enteredAt: e.at,
      lastUpdateTime: e.at,
      actions: {},
      autoStageRetryAttempt: previous?.autoStageRetryAttempt ?? 0,
      manualStageRetryAttempt: previous?.manualStageRetryAttempt ?? 0,
      conditions: {},
    };
    return { ...withStage(state, stage), inStage: true };
  },

  ActionStarted(state, e) {
    if (state.actionRuns.some((r) => r.actionExecutionId === e.run.actionExecutionId)) {
      throw new Error(`illegal history: action execution ${e.run.actionExecutionId} started twice`);
    }
    const run: ActionRun = {
      ...e.run,
      status: ActionExecutionStatus.InProgress,
      lastUpdateTime: e.at,
      jobStep: 0,
    };
    const stage = stageOf(state, run.stageName);
    return {
      ...withStage(state, {
        ...stage,
        lastUpdateTime: e.at,
        actions: { ...stage.actions, [run.actionName]: run.actionExecutionId },
      }),
      actionRuns: [...state.actionRuns, run],
    };
  },

  ActionProgressed(state, e) {
    return updateRun(state, e.actionExecutionId, e.at, (run) => ({
      ...run,
      ...(e.jobStep === undefined ? {} : { jobStep: e.jobStep }),
      ...(e.summary === undefined ? {} : { summary: e.summary }),
      ...(e.percentComplete === undefined ? {} : { percentComplete: e.percentComplete }),
      ...(e.externalExecutionId === undefined ? {} : { externalExecutionId: e.externalExecutionId }),
      ...(e.externalExecutionUrl === undefined ? {} : { externalExecutionUrl: e.externalExecutionUrl }),
    }));
  },

  ActionSucceeded(state, e) {
    const next = updateRun(state, e.actionExecutionId, e.at, (run) => ({
      ...run,
      status: ActionExecutionStatus.Succeeded,
      outputVariables: e.outputVariables,
      ...(e.summary === undefined ? {} : { summary: e.summary }),
      ...(e.externalExecutionId === undefined ? {} : { externalExecutionId: e.externalExecutionId }),
      ...(e.externalExecutionUrl === undefined ? {} : { externalExecutionUrl: e.externalExecutionUrl }),
      ...(e.currentRevision === undefined ? {} : { currentRevision: e.currentRevision }),
      ...(e.updatedBy === undefined ? {} : { updatedBy: e.updatedBy }),
    }));
    const run = findRun(next, e.actionExecutionId);
    const revision = e.currentRevision;
    const outputs = run.outputArtifacts.map((a) => (revision ? { ...a, revision: revision.revision } : a));
    const artifacts = { ...next.artifacts };
    for (const a of outputs) artifacts[a.name] = a;
    const artifactRevisions = revision
      ? [
          ...next.artifactRevisions.filter((r) => r.actionName !== run.actionName),
          ...outputs.map((a) => ({
            name: a.name,
            actionName: run.actionName,
            revisionId: revision.revision,
            ...(revision.changeIdentifier ? { revisionChangeIdentifier: revision.changeIdentifier } : {}),
            ...(revision.revisionSummary ? { revisionSummary: revision.revisionSummary } : {}),
            ...(revision.revisionUrl ? { revisionUrl: revision.revisionUrl } : {}),
            ...(revision.created === undefined ? {} : { created: revision.created }),
          })),
        ]
      : next.artifactRevisions;
    const namespaces = run.namespace
      ? { ...next.namespaces, [run.namespace]: e.outputVariables }
      : next.namespaces;
    return { ...next, artifacts, artifactRevisions, namespaces };
  },

  ActionFailed(state, e) {
    return updateRun(state, e.actionExecutionId, e.at, (run) => ({
      ...run,
      status: ActionExecutionStatus.Failed,
      errorDetails: e.errorDetails,
      ...(e.summary === undefined ? {} : { summary: e.summary }),
      ...(e.externalExecutionId === undefined ? {} : { externalExecutionId: e.externalExecutionId }),
      ...(e.updatedBy === undefined ? {} : { updatedBy: e.updatedBy }),
    }));
  },

  ActionAbandoned(state, e) {
    return updateRun(state, e.actionExecutionId, e.at, (run) => ({
      ...run,
      status: ActionExecutionStatus.Abandoned,
    }));
  },

  ConditionEvaluated(state, e) {
    const stage = stageOf(state, e.stageName);
    return withStage(state, {
      ...stage,
      lastUpdateTime: e.at,
      conditions: { ...stage.conditions, [e.kind]: e.condition },
    });
  },

  StopRequested(state, e) {
    const stop = {
      abandon: e.abandon,
      requestedAt: e.at,
      ...(e.reason === undefined ? {} : { reason: e.reason }),
    };
    const stageName = currentStageName(state);
    const stage = state.inStage && stageName ? state.stages[stageName] : undefined;
    const next = { ...state, status: PipelineExecutionStatus.Stopping, stop };
    return stage
      ? withStage(next, { ...stage, status: StageExecutionStatus.Stopping, lastUpdateTime: e.at })
      : next;
  },

  StageRetried(state, e) {
    const stage = stageOf(state, e.stageName);
    const keep =
      e.retryMode === "ALL_ACTIONS"
        ? {}
        : Object.fromEntries(
            Object.entries(stage.actions).filter(([, id]) => {
              const status = findRun(state, id).status;
              return (
                status === ActionExecutionStatus.Succeeded || status === ActionExecutionStatus.InProgress
              );
            }),
          );
    const automated = e.trigger === "AutomatedStageRetry";
    const { stop: _stop, statusSummary: _summary, ...rest } = state;
    const { summary: _stageSummary, ...stageRest } = stage;
    return {
      ...withStage(rest as ExecutionState, {
        ...stageRest,
        status: StageExecutionStatus.InProgress,
        lastUpdateTime: e.at,
        actions: keep,
        // A retried stage checks its success and failure conditions again; entry was already granted.
        conditions: stage.conditions.beforeEntry ? { beforeEntry: stage.conditions.beforeEntry } : {},
        autoStageRetryAttempt: stage.autoStageRetryAttempt + (automated ? 1 : 0),
        manualStageRetryAttempt: stage.manualStageRetryAttempt + (automated ? 0 : 1),
        latestRetryTrigger: e.trigger,
      }),
      status: PipelineExecutionStatus.InProgress,
      stageIndex: state.stageIndex,
      inStage: true,
    };
  },

  StageCompleted(state, e) {
    const stage = stageOf(state, e.stageName);
    const advanced = e.status === "Succeeded" || e.status === "Skipped";
    return {
      ...withStage(state, {
        ...stage,
        status: e.status,
        lastUpdateTime: e.at,
        ...(e.summary === undefined ? {} : { summary: e.summary }),
      }),
      inStage: false,
      stageIndex: advanced ? state.stageIndex + 1 : state.stageIndex,
    };
  },

  ExecutionCompleted(state, e) {
    return {
      ...state,
      status: e.status,
      ...(e.summary === undefined ? {} : { statusSummary: e.summary }),
    };
  },
};

function started(e: ExecutionStarted): ExecutionState {
  return {
    schemaVersion: 1,
    executionId: e.executionId,
    pipelineName: e.pipelineName,
    pipelineVersion: e.pipelineVersion,
    executionMode: e.executionMode,
    executionType: e.executionType,
    status: PipelineExecutionStatus.InProgress,
    trigger: e.trigger,
    startTime: e.at,
    lastUpdateTime: e.at,
    variables: e.variables,
    sourceRevisions: e.sourceRevisions,
    ...(e.clientRequestToken ? { clientRequestToken: e.clientRequestToken } : {}),
    ...(e.rollback
      ? { rollback: { targetExecutionId: e.rollback.targetExecutionId, stageName: e.rollback.stageName } }
      : {}),
    stageIndex: e.stageIndex,
    inStage: false,
    stages: {},
    actionRuns: [],
    artifacts: e.rollback?.artifacts ?? {},
    namespaces: e.rollback?.namespaces ?? {},
    artifactRevisions: [],
  };
}

/** The stage the execution is in or waiting for, by name; undefined after the last stage. */
export function currentStageName(state: ExecutionState): string | undefined {
  return Object.values(state.stages).find((s) => s.status === "InProgress" || s.status === "Stopping")?.name;
}

export function findRun(state: ExecutionState, actionExecutionId: string): ActionRun {
  const run = state.actionRuns.find((r) => r.actionExecutionId === actionExecutionId);
  if (!run)
    throw new Error(`illegal history: no action execution ${actionExecutionId} in ${state.executionId}`);
  return run;
}

function stageOf(state: ExecutionState, name: string): StageRun {
  const stage = state.stages[name];
  if (!stage) throw new Error(`illegal history: stage ${name} was never entered by ${state.executionId}`);
  return stage;
}

function withStage(state: ExecutionState, stage: StageRun): ExecutionState {
  return { ...state, stages: { ...state.stages, [stage.name]: stage } };
}

function updateRun(
  state: ExecutionState,
  actionExecutionId: string,
  at: number,
  change: (run: ActionRun) => ActionRun,
): ExecutionState {
  findRun(state, actionExecutionId);
  return {
    ...state,
    actionRuns: state.actionRuns.map((r) =>
      r.actionExecutionId === actionExecutionId ? { ...change(r), lastUpdateTime: at } : r,
    ),
  };
}
