import type { ServiceFailure } from "../model/exceptions.js";
import type { ExecutionState, SourceRevisionOverride } from "./execution-state.js";
import { laneOf, type PipelineLanes } from "./lanes.js";
import type { ExecutionPlan, StagePlan } from "./plan.js";
import { isTerminalExecution } from "./statuses.js";
import type { ChangeBuilder } from "./world.js";

/**
 * The preconditions of the control operations, each AWS's exception and message (spec §4.4,
 * §5.5, §5.11): one place for every check the runtime makes before it records a command. Pure:
 * the runtime passes the plan, the lanes and what it counted.
 */

/** AWS's cap on unfinished executions of a QUEUED or PARALLEL pipeline (spec §4.4). */
export const MAX_ACTIVE_EXECUTIONS = 50;

/** StartPipelineExecution: source revisions must name source actions; QUEUED and PARALLEL are capped. */
export function checkStart(
  plan: ExecutionPlan,
  request: {
    readonly sourceRevisions?: readonly SourceRevisionOverride[];
    readonly activeExecutions: number;
  },
): ServiceFailure | undefined {
  const sourceActions = plan.stages[0]?.actions.map((a) => a.name) ?? [];
  for (const r of request.sourceRevisions ?? []) {
    if (!sourceActions.includes(r.actionName)) {
      return {
        type: "ValidationException",
        message: `sourceRevisions names action '${r.actionName}', which is not a source action of pipeline '${plan.pipelineName}' (${sourceActions.join(", ")})`,
      };
    }
  }
  if (plan.executionMode !== "SUPERSEDED" && request.activeExecutions >= MAX_ACTIVE_EXECUTIONS) {
    return {
      type: "ConcurrentPipelineExecutionsLimitExceededException",
      message: `Pipeline '${plan.pipelineName}' already has ${MAX_ACTIVE_EXECUTIONS} executions in progress, the limit for ${plan.executionMode} mode; wait for some to finish or stop them`,
    };
  }
  return undefined;
}

/**
 * Enable/DisableStageTransition: the stage whose inbound transition changes (`Outbound` of
 * stage N is the inbound of stage N+1), or AWS's refusal.
 */
export function transitionTarget(
  plan: ExecutionPlan,
  request: { readonly stageName: string; readonly transitionType: "Inbound" | "Outbound" },
):
  | { readonly ok: true; readonly stage: StagePlan }
  | { readonly ok: false; readonly failure: ServiceFailure } {
  const index = plan.stages.findIndex((s) => s.name === request.stageName);
  if (index < 0) {
    return {
      ok: false,
      failure: {
        type: "StageNotFoundException",
        message: `Stage '${request.stageName}' does not exist in pipeline '${plan.pipelineName}'`,
      },
    };
  }
  const target = request.transitionType === "Inbound" ? plan.stages[index] : plan.stages[index + 1];
  if (!target || target.index === 0) {
    return {
      ok: false,
      failure: {
        type: "ValidationException",
        message:
          request.transitionType === "Inbound"
            ? `Stage '${request.stageName}' is the first stage, which has no inbound transition`
            : `Stage '${request.stageName}' is the last stage, which has no outbound transition`,
      },
    };
  }
  return { ok: true, stage: target };
}

/**
 * OverrideStageCondition. Conditions Pipewright can evaluate (VariableCheck) are decided the
 * moment they are checked, so none is ever in progress waiting to be overridden: after AWS's
 * checks this always refuses with ConditionNotOverridableException, saying so.
 */
export function checkOverrideStageCondition(
  plan: ExecutionPlan,
  lanes: PipelineLanes,
  request: {
    readonly stageName: string;
    readonly executionId: string;
    readonly conditionType: "BEFORE_ENTRY" | "ON_SUCCESS";
  },
): ServiceFailure {
  const stage = plan.stages.find((s) => s.name === request.stageName);
  if (!stage) {
    return {
      type: "StageNotFoundException",
      message: `Stage '${request.stageName}' does not exist in pipeline '${plan.pipelineName}'`,
    };
  }
  if (lanes.stages[request.stageName]?.latestExecutionId !== request.executionId) {
    return {
      type: "NotLatestPipelineExecutionException",
      message: `Execution ${request.executionId} is not the latest execution in stage '${request.stageName}'`,
    };
  }
  const kind = request.conditionType === "BEFORE_ENTRY" ? "beforeEntry" : "onSuccess";
  return {
    type: "ConditionNotOverridableException",
    message: stage[kind]
      ? `The ${request.conditionType} condition of stage '${request.stageName}' is not in progress: Pipewright evaluates its rules the moment they are checked, so there is nothing to override`
      : `Stage '${request.stageName}' has no ${request.conditionType} condition`,
  };
}

/** Checks RollbackStage's preconditions (spec §5.11): a V2, non-PARALLEL pipeline, a target that succeeded there, a stage at rest. */
export function checkRollback(
  plan: ExecutionPlan,
  stageName: string,
  target: ExecutionState | undefined,
  change: ChangeBuilder,
): ServiceFailure | undefined {
  if (plan.pipelineType !== "V2") {
    return unable(`Pipeline '${plan.pipelineName}' is a V1 pipeline; stage rollback needs a V2 pipeline`);
  }
  const stage = plan.stages.find((s) => s.name === stageName);
  if (!stage) return stageNotFound(plan, stageName);
  if (plan.executionMode === "PARALLEL") {
    return unable(`Pipeline '${plan.pipelineName}' runs in PARALLEL mode, which does not support rollback`);
  }
  if (stage.index === 0)
    return unable(`Stage '${stageName}' is the source stage, which cannot be rolled back`);
  if (!target || target.pipelineName !== plan.pipelineName) {
    return {
      type: "PipelineExecutionNotFoundException",
      message: `Pipeline execution '${target?.executionId ?? "?"}' was not found for pipeline '${plan.pipelineName}'`,
    };
  }
  if (target.executionType === "ROLLBACK") {
    return unable(`Execution ${target.executionId} is itself a rollback and cannot be a rollback target`);
  }
  if (target.stages[stageName]?.status !== "Succeeded") {
    return unable(
      `Execution ${target.executionId} did not succeed in stage '${stageName}', so it cannot be a rollback target`,
    );
  }
  if (target.pipelineVersion !== plan.pipelineVersion) {
    return {
      type: "PipelineExecutionOutdatedException",
      message: `Execution ${target.executionId} ran on pipeline version ${target.pipelineVersion}, not the current version ${plan.pipelineVersion}; roll back to an execution of the current version`,
    };
  }
  const lane = laneOf(change.currentLanes, stageName);
  const running =
    lane.occupant ??
    (lane.latestExecutionId && change.has(lane.latestExecutionId) ? lane.latestExecutionId : undefined);
  if (
    running &&
    change.has(running) &&
    change.state(running).inStage &&
    !isTerminalExecution(change.state(running).status)
  ) {
    return unable(
      `Stage '${stageName}' is running execution ${running}; wait for it to finish or stop it first`,
    );
  }
  return undefined;
}

function unable(message: string): ServiceFailure {
  return { type: "UnableToRollbackStageException", message };
}

export function stageNotFound(plan: ExecutionPlan, stageName: string): ServiceFailure {
  return {
    type: "StageNotFoundException",
    message: `Stage '${stageName}' does not exist in pipeline '${plan.pipelineName}' (version ${plan.pipelineVersion})`,
  };
}
