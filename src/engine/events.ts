import type { StageRetryMode } from "../model/declaration.js";
import type {
  ActionRun,
  ArtifactLocation,
  ConditionKind,
  ConditionRun,
  CurrentRevision,
  ErrorDetails,
  ResolvedVariable,
  SourceRevisionOverride,
  Trigger,
} from "./execution-state.js";
import type {
  ExecutionType,
  PipelineExecutionStatus,
  RetryTrigger,
  StageExecutionStatus,
} from "./statuses.js";

/**
 * What happened to one pipeline execution, in the past tense. Events are stored forever and
 * replayed by `replay`; each carries its schema version `v` and the time `at` (ms). Never change
 * the meaning of a stored event: add a new type or a new version instead (test/golden/ replays
 * recorded histories to catch this).
 */
export type ExecutionEvent =
  | ExecutionStarted
  | StageEntered
  | ActionStarted
  | ActionProgressed
  | ActionSucceeded
  | ActionFailed
  | ActionAbandoned
  | ConditionEvaluated
  | StopRequested
  | StageRetried
  | StageCompleted
  | ExecutionCompleted;

interface Base {
  readonly v: 1;
  readonly at: number;
}

export interface ExecutionStarted extends Base {
  readonly type: "ExecutionStarted";
  readonly executionId: string;
  readonly pipelineName: string;
  readonly pipelineVersion: number;
  readonly executionMode: string;
  readonly executionType: ExecutionType;
  readonly trigger: Trigger;
  readonly variables: readonly ResolvedVariable[];
  readonly sourceRevisions: readonly SourceRevisionOverride[];
  readonly clientRequestToken?: string;
  /** The first stage to run (0, or the rolled-back stage for ROLLBACK executions). */
  readonly stageIndex: number;
  readonly rollback?: {
    readonly targetExecutionId: string;
    readonly stageName: string;
    /** The target's artifacts and namespaces, which the rolled-back stage runs with. */
    readonly artifacts: Readonly<Record<string, ArtifactLocation>>;
    readonly namespaces: Readonly<Record<string, Readonly<Record<string, string>>>>;
  };
}

export interface StageEntered extends Base {
  readonly type: "StageEntered";
  readonly stageName: string;
}

/** An action run began: its job was enqueued in the same transaction. */
export interface ActionStarted extends Base {
  readonly type: "ActionStarted";
  readonly run: Omit<ActionRun, "status" | "lastUpdateTime" | "jobStep">;
}

/** Interim news: a continuation, a percentage, a summary, an external id. */
export interface ActionProgressed extends Base {
  readonly type: "ActionProgressed";
  readonly actionExecutionId: string;
  readonly jobStep?: number;
  readonly summary?: string;
  readonly percentComplete?: number;
  readonly externalExecutionId?: string;
  readonly externalExecutionUrl?: string;
}

export interface ActionSucceeded extends Base {
  readonly type: "ActionSucceeded";
  readonly actionExecutionId: string;
  readonly outputVariables: Readonly<Record<string, string>>;
  readonly summary?: string;
  readonly externalExecutionId?: string;
  readonly externalExecutionUrl?: string;
  readonly currentRevision?: CurrentRevision;
  readonly updatedBy?: string;
}

export interface ActionFailed extends Base {
  readonly type: "ActionFailed";
  readonly actionExecutionId: string;
  readonly errorDetails: ErrorDetails;
  readonly summary?: string;
  readonly externalExecutionId?: string;
  readonly updatedBy?: string;
}

export interface ActionAbandoned extends Base {
  readonly type: "ActionAbandoned";
  readonly actionExecutionId: string;
}

export interface ConditionEvaluated extends Base {
  readonly type: "ConditionEvaluated";
  readonly stageName: string;
  readonly kind: ConditionKind;
  readonly condition: ConditionRun;
}

export interface StopRequested extends Base {
  readonly type: "StopRequested";
  readonly abandon: boolean;
  readonly reason?: string;
}

/** A stage runs again (RetryStageExecution or onFailure RETRY); the execution is InProgress again. */
export interface StageRetried extends Base {
  readonly type: "StageRetried";
  readonly stageName: string;
  readonly retryMode: StageRetryMode;
  readonly trigger: RetryTrigger;
}

export interface StageCompleted extends Base {
  readonly type: "StageCompleted";
  readonly stageName: string;
  readonly status: Extract<StageExecutionStatus, "Succeeded" | "Failed" | "Stopped" | "Skipped">;
  readonly summary?: string;
}

export interface ExecutionCompleted extends Base {
  readonly type: "ExecutionCompleted";
  readonly status: Extract<
    PipelineExecutionStatus,
    "Succeeded" | "Failed" | "Stopped" | "Superseded" | "Cancelled"
  >;
  readonly summary?: string;
}

export type ExecutionEventType = ExecutionEvent["type"];
