import type { ActionTypeId, StageRetryMode } from "../model/declaration.js";
import type {
  ActionExecutionStatus,
  ConditionExecutionStatus,
  ExecutionType,
  PipelineExecutionStatus,
  RetryTrigger,
  RuleExecutionStatus,
  StageExecutionStatus,
  TriggerType,
} from "./statuses.js";

/**
 * The execution state (representation 3 of 3): what `replay(events)` rebuilds. Plain data,
 * never mutated (applyEvent returns a new state). Stored as the snapshot next to the events.
 */
export interface ExecutionState {
  readonly schemaVersion: 1;
  readonly executionId: string;
  readonly pipelineName: string;
  readonly pipelineVersion: number;
  readonly executionMode: string;
  readonly executionType: ExecutionType;
  readonly status: PipelineExecutionStatus;
  readonly statusSummary?: string;
  readonly trigger: Trigger;
  readonly startTime: number;
  readonly lastUpdateTime: number;
  /** Pipeline-level variables resolved at start (defaults overridden by the start request). */
  readonly variables: readonly ResolvedVariable[];
  readonly sourceRevisions: readonly SourceRevisionOverride[];
  readonly clientRequestToken?: string;
  /** For ROLLBACK executions: the execution whose artifacts and variables are redeployed. */
  readonly rollback?: { readonly targetExecutionId: string; readonly stageName: string };
  readonly stop?: StopRequest;
  /** The stage the execution is in, or waiting to enter (index into the plan's stages). */
  readonly stageIndex: number;
  /** True from StageEntered (or a retry) until the stage completes. */
  readonly inStage: boolean;
  readonly stages: Readonly<Record<string, StageRun>>;
  /** Every action execution, in start order: ListActionExecutions' rows. */
  readonly actionRuns: readonly ActionRun[];
  /** Output artifacts produced so far, by artifact name (the latest producer wins). */
  readonly artifacts: Readonly<Record<string, ArtifactLocation>>;
  /** Output variables by namespace, for `#{Namespace.Name}` references. */
  readonly namespaces: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly artifactRevisions: readonly ArtifactRevision[];
}

export interface Trigger {
  readonly triggerType: TriggerType;
  readonly triggerDetail?: string;
}

export interface ResolvedVariable {
  readonly name: string;
  readonly resolvedValue: string;
}

export interface SourceRevisionOverride {
  readonly actionName: string;
  readonly revisionType: "COMMIT_ID" | "IMAGE_DIGEST" | "S3_OBJECT_VERSION_ID" | "S3_OBJECT_KEY";
  readonly revisionValue: string;
}

export interface StopRequest {
  readonly abandon: boolean;
  readonly reason?: string;
  readonly requestedAt: number;
}

export interface StageRun {
  readonly name: string;
  readonly status: StageExecutionStatus;
  readonly enteredAt: number;
  readonly lastUpdateTime: number;
  /** Action name -> actionExecutionId of its latest run in this execution; absent = not run (or reset by a retry). */
  readonly actions: Readonly<Record<string, string>>;
  readonly autoStageRetryAttempt: number;
  readonly manualStageRetryAttempt: number;
  readonly latestRetryTrigger?: RetryTrigger;
  readonly conditions: Readonly<Partial<Record<ConditionKind, ConditionRun>>>;
  readonly summary?: string;
}

export type ConditionKind = "beforeEntry" | "onSuccess" | "onFailure";

export interface ConditionRun {
  readonly status: ConditionExecutionStatus;
  readonly summary: string;
  readonly at: number;
  readonly rules: readonly RuleRun[];
}

export interface RuleRun {
  readonly ruleName: string;
  readonly ruleExecutionId: string;
  readonly provider: string;
  readonly status: RuleExecutionStatus;
  readonly summary: string;
  readonly configuration: Readonly<Record<string, string>>;
  readonly resolvedConfiguration: Readonly<Record<string, string>>;
}

export interface ArtifactLocation {
  readonly name: string;
  readonly bucket: string;
  readonly key: string;
  /** The source revision the artifact holds (source actions only). */
  readonly revision?: string;
}

export interface ArtifactRevision {
  readonly name: string;
  readonly actionName: string;
  readonly revisionId: string;
  readonly revisionChangeIdentifier?: string;
  readonly revisionSummary?: string;
  readonly revisionUrl?: string;
  readonly created?: number;
}

export interface ErrorDetails {
  readonly code: string;
  readonly message: string;
}

/** What a source action reports about the revision it fetched (PutJobSuccessResult.currentRevision). */
export interface CurrentRevision {
  readonly revision: string;
  readonly changeIdentifier?: string;
  readonly created?: number;
  readonly revisionSummary?: string;
  readonly revisionUrl?: string;
}

export interface ActionRun {
  readonly actionExecutionId: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly actionTypeId: ActionTypeId;
  readonly status: ActionExecutionStatus;
  readonly startTime: number;
  readonly lastUpdateTime: number;
  readonly timeoutAt: number;
  readonly configuration: Readonly<Record<string, string>>;
  readonly resolvedConfiguration: Readonly<Record<string, string>>;
  readonly namespace?: string;
  readonly region?: string;
  readonly roleArn?: string;
  readonly inputArtifacts: readonly ArtifactLocation[];
  readonly outputArtifacts: readonly ArtifactLocation[];
  readonly outputVariables?: Readonly<Record<string, string>>;
  /** How many jobs this run has used so far: the continuation step of the current job. */
  readonly jobStep: number;
  readonly summary?: string;
  readonly percentComplete?: number;
  readonly externalExecutionId?: string;
  readonly externalExecutionUrl?: string;
  readonly errorDetails?: ErrorDetails;
  /** Manual approvals: the token PutApprovalResult must quote. */
  readonly token?: string;
  readonly updatedBy?: string;
  readonly currentRevision?: CurrentRevision;
}

export interface RetryRequest {
  readonly stageName: string;
  readonly retryMode: StageRetryMode;
  readonly trigger: RetryTrigger;
}
