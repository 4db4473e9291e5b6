import type { ActionRun, ArtifactLocation, ExecutionState } from "../../engine/execution-state.js";
import { MASK } from "../../model/secrets.js";
import { epochSeconds } from "../pagination.js";

/**
 * Executions in CodePipeline's wire shapes (botocore codepipeline 2015-07-09): epoch-second
 * timestamps, unset members omitted, secret configuration values masked.
 */

export type SecretKeys = (run: ActionRun) => ReadonlySet<string>;

function masked(
  config: Readonly<Record<string, string>>,
  secrets: ReadonlySet<string>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, secrets.has(k) ? MASK : v]));
}

function s3location(a: ArtifactLocation) {
  return { name: a.name, s3location: { bucket: a.bucket, key: a.key } };
}

/** `ActionExecution` (GetPipelineState's actionStates[].latestExecution). */
export function renderActionExecution(run: ActionRun, options: { showToken: boolean }) {
  return {
    actionExecutionId: run.actionExecutionId,
    status: run.status,
    ...(run.summary === undefined ? {} : { summary: run.summary }),
    lastStatusChange: epochSeconds(run.lastUpdateTime),
    ...(run.token && options.showToken && run.status === "InProgress" ? { token: run.token } : {}),
    ...(run.updatedBy ? { lastUpdatedBy: run.updatedBy } : {}),
    ...(run.externalExecutionId ? { externalExecutionId: run.externalExecutionId } : {}),
    ...(run.externalExecutionUrl ? { externalExecutionUrl: run.externalExecutionUrl } : {}),
    ...(run.percentComplete === undefined ? {} : { percentComplete: run.percentComplete }),
    ...(run.errorDetails ? { errorDetails: run.errorDetails } : {}),
  };
}

/** `ActionExecutionDetail` (ListActionExecutions). */
export function renderActionExecutionDetail(
  state: ExecutionState,
  run: ActionRun,
  secrets: ReadonlySet<string>,
) {
  // PARALLEL pipelines do not show approval tokens in GetPipelineState; AWS hands them out here
  // as the externalExecutionId instead (model documentation of PutApprovalResult).
  const externalId =
    run.externalExecutionId ?? (run.token && run.status === "InProgress" ? run.token : undefined);
  return {
    pipelineExecutionId: state.executionId,
    actionExecutionId: run.actionExecutionId,
    pipelineVersion: state.pipelineVersion,
    stageName: run.stageName,
    actionName: run.actionName,
    startTime: epochSeconds(run.startTime),
    lastUpdateTime: epochSeconds(run.lastUpdateTime),
    ...(run.updatedBy ? { updatedBy: run.updatedBy } : {}),
    status: run.status,
    input: {
      actionTypeId: run.actionTypeId,
      configuration: masked(run.configuration, secrets),
      resolvedConfiguration: masked(run.resolvedConfiguration, secrets),
      ...(run.roleArn ? { roleArn: run.roleArn } : {}),
      ...(run.region ? { region: run.region } : {}),
      inputArtifacts: run.inputArtifacts.map(s3location),
      ...(run.namespace ? { namespace: run.namespace } : {}),
    },
    output: {
      outputArtifacts: run.status === "Succeeded" ? run.outputArtifacts.map(s3location) : [],
      executionResult: {
        ...(externalId ? { externalExecutionId: externalId } : {}),
        ...(run.summary === undefined ? {} : { externalExecutionSummary: run.summary }),
        ...(run.externalExecutionUrl ? { externalExecutionUrl: run.externalExecutionUrl } : {}),
        ...(run.errorDetails ? { errorDetails: run.errorDetails } : {}),
      },
      outputVariables: run.outputVariables ?? {},
    },
  };
}

function rollbackMetadata(state: ExecutionState) {
  return state.rollback
    ? { rollbackMetadata: { rollbackTargetPipelineExecutionId: state.rollback.targetExecutionId } }
    : {};
}

/** `PipelineExecution` (GetPipelineExecution). */
export function renderPipelineExecution(state: ExecutionState) {
  return {
    pipelineName: state.pipelineName,
    pipelineVersion: state.pipelineVersion,
    pipelineExecutionId: state.executionId,
    status: state.status,
    ...(state.statusSummary ? { statusSummary: state.statusSummary } : {}),
    artifactRevisions: state.artifactRevisions.map((r) => ({
      name: r.name,
      revisionId: r.revisionId,
      ...(r.revisionChangeIdentifier ? { revisionChangeIdentifier: r.revisionChangeIdentifier } : {}),
      ...(r.revisionSummary ? { revisionSummary: r.revisionSummary } : {}),
      ...(r.created === undefined ? {} : { created: epochSeconds(r.created) }),
      ...(r.revisionUrl ? { revisionUrl: r.revisionUrl } : {}),
    })),
    variables: state.variables.map((v) => ({ name: v.name, resolvedValue: v.resolvedValue })),
    trigger: state.trigger,
    executionMode: state.executionMode,
    executionType: state.executionType,
    ...rollbackMetadata(state),
  };
}

/** `PipelineExecutionSummary` (ListPipelineExecutions). */
export function renderExecutionSummary(state: ExecutionState) {
  return {
    pipelineExecutionId: state.executionId,
    status: state.status,
    ...(state.statusSummary ? { statusSummary: state.statusSummary } : {}),
    startTime: epochSeconds(state.startTime),
    lastUpdateTime: epochSeconds(state.lastUpdateTime),
    sourceRevisions: state.artifactRevisions.map((r) => ({
      actionName: r.actionName,
      revisionId: r.revisionId,
      ...(r.revisionSummary ? { revisionSummary: r.revisionSummary } : {}),
      ...(r.revisionUrl ? { revisionUrl: r.revisionUrl } : {}),
    })),
    trigger: state.trigger,
    ...(state.stop?.reason ? { stopTrigger: { reason: state.stop.reason } } : {}),
    executionMode: state.executionMode,
    executionType: state.executionType,
    ...rollbackMetadata(state),
  };
}

/** The latest run of an action in an execution (a retry may have reset the stage's pointer). */
export function latestRun(
  state: ExecutionState,
  stageName: string,
  actionName: string,
): ActionRun | undefined {
  const id = state.stages[stageName]?.actions[actionName];
  if (id) return state.actionRuns.find((r) => r.actionExecutionId === id);
  for (let i = state.actionRuns.length - 1; i >= 0; i--) {
    const r = state.actionRuns[i]!;
    if (r.stageName === stageName && r.actionName === actionName) return r;
  }
  return undefined;
}
