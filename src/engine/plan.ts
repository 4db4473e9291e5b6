import type {
  ActionTypeId,
  ConditionResult,
  EncryptionKey,
  EnvironmentVariable,
  ExecutionMode,
  PipelineTriggerDeclaration,
  PipelineType,
  PipelineVariableDeclaration,
  StageRetryMode,
} from "../model/declaration.js";

/**
 * The execution plan: a pipeline version compiled once into what the engine needs (STYLE §1.1,
 * representation 2 of 3). Serialisable, never mutated, never re-read from user JSON. The runtime
 * caches one per pipeline version; an execution keeps the plan of the version it started on.
 */
export interface ExecutionPlan {
  readonly pipelineName: string;
  readonly pipelineVersion: number;
  readonly pipelineType: PipelineType;
  readonly executionMode: ExecutionMode;
  /** The artifact store bucket for the pipeline's region (artifactStore.location). */
  readonly artifactBucket: string;
  readonly encryptionKey?: EncryptionKey;
  readonly variables: readonly PipelineVariableDeclaration[];
  /** V2 triggers, as declared (engine/source-triggers.ts reads them). */
  readonly triggers: readonly PipelineTriggerDeclaration[];
  readonly stages: readonly StagePlan[];
}

export interface StagePlan {
  readonly name: string;
  readonly index: number;
  /** Declaration order (GetPipelineState lists actions in this order). */
  readonly actions: readonly ActionPlan[];
  /** The distinct runOrder values, ascending: the groups run in this order. */
  readonly runOrders: readonly number[];
  readonly beforeEntry?: ConditionPlan;
  readonly onSuccess?: ConditionPlan;
  readonly onFailure?: FailurePlan;
}

export interface ConditionPlan {
  readonly result: ConditionResult;
  readonly rules: readonly RulePlan[];
}

export interface RulePlan {
  readonly name: string;
  readonly provider: string;
  readonly configuration: Readonly<Record<string, string>>;
}

export interface FailurePlan {
  /** RETRY, ROLLBACK or FAIL; absent means FAIL. */
  readonly result?: ConditionResult;
  readonly retryMode: StageRetryMode;
  /** With a condition, the result engages only when the condition fails (AWS's rule). */
  readonly condition?: ConditionPlan;
}

/**
 * How an action's jobs are served:
 *  - `provider`: a provider inside Pipewright claims the job (built-in types, approvals);
 *  - `jobWorker`: an external worker claims it with PollForJobs (custom action types);
 *  - `unavailable`: nothing can run it; the action fails at once with a ConfigurationError.
 */
export type Dispatch = "provider" | "jobWorker" | "unavailable";

export interface ActionPlan {
  readonly name: string;
  readonly stageName: string;
  readonly actionTypeId: ActionTypeId;
  readonly runOrder: number;
  readonly configuration: Readonly<Record<string, string>>;
  readonly inputArtifacts: readonly string[];
  readonly outputArtifacts: readonly { readonly name: string; readonly files?: readonly string[] }[];
  readonly namespace?: string;
  readonly region?: string;
  readonly roleArn?: string;
  readonly commands?: readonly string[];
  readonly outputVariables?: readonly string[];
  readonly environmentVariables?: readonly EnvironmentVariable[];
  readonly timeoutMs: number;
  readonly dispatch: Dispatch;
  /** Why `dispatch` is `unavailable`: the action's failure message. */
  readonly unavailableReason?: string;
  /** Configuration keys whose values are secret: masked everywhere but in job data. */
  readonly secretKeys: readonly string[];
  /** The custom type's queryable property, which PollForJobs' queryParam filters on. */
  readonly queryableKey?: string;
}

export function stagePlan(plan: ExecutionPlan, name: string): StagePlan | undefined {
  return plan.stages.find((s) => s.name === name);
}

export function actionPlan(
  plan: ExecutionPlan,
  stageName: string,
  actionName: string,
): ActionPlan | undefined {
  return stagePlan(plan, stageName)?.actions.find((a) => a.name === actionName);
}
