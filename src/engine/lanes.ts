import type { ExecutionEvent } from "./events.js";
import type { ExecutionState } from "./execution-state.js";

/**
 * Pipeline-wide run state that no single execution owns: the inbound transitions, which
 * execution holds each stage (SUPERSEDED and QUEUED lock a stage to one execution), who waits in
 * front of it, and the "latest" pointers GetPipelineState and RetryStageExecution read. Stored
 * with a version next to the executions and changed in the same transaction as their events.
 * Keyed by stage name, which stays stable across pipeline versions.
 */
export interface PipelineLanes {
  readonly stages: Readonly<Record<string, StageLane>>;
  /** Automatic rollbacks decided but not yet started (started right after the commit that decided them). */
  readonly pendingRollbacks: readonly PendingRollback[];
}

export interface StageLane {
  /** Absent: enabled and never changed. */
  readonly transition?: TransitionState;
  /** The execution holding the stage (SUPERSEDED and QUEUED only). */
  readonly occupant?: string;
  /** Executions waiting to enter, in arrival order. SUPERSEDED keeps at most one. */
  readonly waiting: readonly string[];
  /** The execution that entered the stage last: the only one RetryStageExecution accepts. */
  readonly latestExecutionId?: string;
  /** Action name -> the execution that ran it last. */
  readonly latestActions: Readonly<Record<string, string>>;
  /** The latest STANDARD execution that succeeded in the stage: automatic rollback's target. */
  readonly lastSucceeded?: { readonly executionId: string; readonly pipelineVersion: number };
}

export interface TransitionState {
  readonly enabled: boolean;
  readonly lastChangedBy: string;
  readonly lastChangedAt: number;
  readonly disabledReason?: string;
}

export interface PendingRollback {
  readonly stageName: string;
  readonly targetExecutionId: string;
  readonly failedExecutionId: string;
}

export const emptyLanes: PipelineLanes = { stages: {}, pendingRollbacks: [] };

const emptyLane: StageLane = { waiting: [], latestActions: {} };

export function laneOf(lanes: PipelineLanes, stageName: string): StageLane {
  return lanes.stages[stageName] ?? emptyLane;
}

export function withLane(
  lanes: PipelineLanes,
  stageName: string,
  change: (lane: StageLane) => StageLane,
): PipelineLanes {
  return { ...lanes, stages: { ...lanes.stages, [stageName]: change(laneOf(lanes, stageName)) } };
}

export function isTransitionEnabled(lanes: PipelineLanes, stageName: string): boolean {
  return laneOf(lanes, stageName).transition?.enabled ?? true;
}

/** Executions the lanes name (occupants and waiters): what must be loaded to decide admissions. */
export function executionsInLanes(lanes: PipelineLanes): string[] {
  const ids = new Set<string>();
  for (const lane of Object.values(lanes.stages)) {
    if (lane.occupant) ids.add(lane.occupant);
    for (const id of lane.waiting) ids.add(id);
  }
  return [...ids];
}

/**
 * Keeps the lanes in step with an execution event (after the event was applied to `state`):
 * entering takes the stage, completing releases it, finishing leaves every queue.
 */
export function updateLanes(
  lanes: PipelineLanes,
  state: ExecutionState,
  event: ExecutionEvent,
): PipelineLanes {
  const id = state.executionId;
  const locking = state.executionMode !== "PARALLEL";
  switch (event.type) {
    case "StageEntered":
    case "StageRetried":
      return withLane(lanes, event.stageName, (lane) => ({
        ...lane,
        waiting: lane.waiting.filter((w) => w !== id),
        latestExecutionId: id,
        ...(locking ? { occupant: id } : {}),
      }));
    case "ActionStarted":
      return withLane(lanes, event.run.stageName, (lane) => ({
        ...lane,
        latestActions: { ...lane.latestActions, [event.run.actionName]: id },
      }));
    case "StageCompleted":
      return withLane(lanes, event.stageName, (lane) => {
        const { occupant, ...rest } = lane;
        const released = occupant === id ? rest : lane;
        return event.status === "Succeeded" && state.executionType === "STANDARD"
          ? { ...released, lastSucceeded: { executionId: id, pipelineVersion: state.pipelineVersion } }
          : released;
      });
    case "ExecutionCompleted":
      return leaveAll(lanes, id);
    default:
      return lanes;
  }
}

/** Removes the execution from every queue and releases any stage it holds. */
export function leaveAll(lanes: PipelineLanes, executionId: string): PipelineLanes {
  let changed = false;
  const stages: Record<string, StageLane> = {};
  for (const [name, lane] of Object.entries(lanes.stages)) {
    if (lane.occupant === executionId || lane.waiting.includes(executionId)) {
      changed = true;
      const { occupant, ...rest } = lane;
      stages[name] = {
        ...(occupant === executionId ? rest : lane),
        waiting: lane.waiting.filter((w) => w !== executionId),
      };
    } else stages[name] = lane;
  }
  return changed ? { ...lanes, stages } : lanes;
}
