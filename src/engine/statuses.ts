/**
 * CodePipeline's status and type strings, verbatim (botocore codepipeline 2015-07-09). Each
 * value's comment says what it means here.
 */

export const PipelineExecutionStatus = {
  /** Running: entering stages, running actions, or waiting at an inbound transition. */
  InProgress: "InProgress",
  /** A stop was requested; in-progress actions are finishing (stop) or being abandoned. */
  Stopping: "Stopping",
  /** The stop completed. The stopped stage can be retried. */
  Stopped: "Stopped",
  /** Every stage succeeded (or was skipped). */
  Succeeded: "Succeeded",
  /** A newer execution overtook this one while it waited between stages (SUPERSEDED mode). */
  Superseded: "Superseded",
  /** A stage failed. The failed stage stays retryable until a newer execution enters it. */
  Failed: "Failed",
  /** AWS: the definition changed before the execution finished. Pipewright lets executions finish on the version they started with, so it never sets this (docs/lifecycle.md). */
  Cancelled: "Cancelled",
} as const;
export type PipelineExecutionStatus = (typeof PipelineExecutionStatus)[keyof typeof PipelineExecutionStatus];

export const StageExecutionStatus = {
  InProgress: "InProgress",
  Stopping: "Stopping",
  Stopped: "Stopped",
  Succeeded: "Succeeded",
  Failed: "Failed",
  /** A beforeEntry condition with result SKIP failed: the stage's actions did not run. */
  Skipped: "Skipped",
  Cancelled: "Cancelled",
} as const;
export type StageExecutionStatus = (typeof StageExecutionStatus)[keyof typeof StageExecutionStatus];

export const ActionExecutionStatus = {
  InProgress: "InProgress",
  /** Left behind by stop-and-abandon; whatever the provider was doing may go on. */
  Abandoned: "Abandoned",
  Succeeded: "Succeeded",
  Failed: "Failed",
} as const;
export type ActionExecutionStatus = (typeof ActionExecutionStatus)[keyof typeof ActionExecutionStatus];

/** JobStatus: one offer of an action's work to a worker (in-process or external). */
export const JobStatus = {
  Created: "Created",
  /** Waiting to be claimed (PollForJobs, or the in-process worker). */
  Queued: "Queued",
  /** Claimed by a worker that has not acknowledged it yet; the lease runs. */
  Dispatched: "Dispatched",
  /** Acknowledged; the worker reports the result with PutJob*Result. */
  InProgress: "InProgress",
  /** The lease or the action's timeout ran out, or the action was abandoned; late results are refused. */
  TimedOut: "TimedOut",
  Succeeded: "Succeeded",
  Failed: "Failed",
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

export const TriggerType = {
  CreatePipeline: "CreatePipeline",
  StartPipelineExecution: "StartPipelineExecution",
  PollForSourceChanges: "PollForSourceChanges",
  Webhook: "Webhook",
  CloudWatchEvent: "CloudWatchEvent",
  PutActionRevision: "PutActionRevision",
  WebhookV2: "WebhookV2",
  ManualRollback: "ManualRollback",
  AutomatedRollback: "AutomatedRollback",
} as const;
export type TriggerType = (typeof TriggerType)[keyof typeof TriggerType];

export const ExecutionType = { STANDARD: "STANDARD", ROLLBACK: "ROLLBACK" } as const;
export type ExecutionType = (typeof ExecutionType)[keyof typeof ExecutionType];

export const RetryTrigger = {
  AutomatedStageRetry: "AutomatedStageRetry",
  ManualStageRetry: "ManualStageRetry",
} as const;
export type RetryTrigger = (typeof RetryTrigger)[keyof typeof RetryTrigger];

export const ConditionExecutionStatus = {
  InProgress: "InProgress",
  Failed: "Failed",
  Errored: "Errored",
  Succeeded: "Succeeded",
  Cancelled: "Cancelled",
  Abandoned: "Abandoned",
  Overridden: "Overridden",
} as const;
export type ConditionExecutionStatus =
  (typeof ConditionExecutionStatus)[keyof typeof ConditionExecutionStatus];

export const RuleExecutionStatus = {
  InProgress: "InProgress",
  Abandoned: "Abandoned",
  Succeeded: "Succeeded",
  Failed: "Failed",
} as const;
export type RuleExecutionStatus = (typeof RuleExecutionStatus)[keyof typeof RuleExecutionStatus];

const terminalExecution: ReadonlySet<string> = new Set([
  PipelineExecutionStatus.Stopped,
  PipelineExecutionStatus.Succeeded,
  PipelineExecutionStatus.Superseded,
  PipelineExecutionStatus.Failed,
  PipelineExecutionStatus.Cancelled,
]);

/** Whether nothing more happens to the execution unless a user retries a stage. */
export function isTerminalExecution(status: PipelineExecutionStatus): boolean {
  return terminalExecution.has(status);
}
