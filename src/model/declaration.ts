/**
 * The pipeline declaration: CodePipeline's `PipelineDeclaration` as the user wrote it, with AWS's
 * member names verbatim (botocore codepipeline 2015-07-09). This is representation 1 of 3; the
 * engine compiles it into a plan and never reads user JSON again.
 */

export const ActionCategory = {
  Source: "Source",
  Build: "Build",
  Deploy: "Deploy",
  Test: "Test",
  Invoke: "Invoke",
  Approval: "Approval",
  Compute: "Compute",
} as const;
export type ActionCategory = (typeof ActionCategory)[keyof typeof ActionCategory];

export const ActionOwner = { AWS: "AWS", ThirdParty: "ThirdParty", Custom: "Custom" } as const;
export type ActionOwner = (typeof ActionOwner)[keyof typeof ActionOwner];

export const PipelineType = { V1: "V1", V2: "V2" } as const;
export type PipelineType = (typeof PipelineType)[keyof typeof PipelineType];

export const ExecutionMode = { QUEUED: "QUEUED", SUPERSEDED: "SUPERSEDED", PARALLEL: "PARALLEL" } as const;
export type ExecutionMode = (typeof ExecutionMode)[keyof typeof ExecutionMode];

export const ConditionResult = { ROLLBACK: "ROLLBACK", FAIL: "FAIL", RETRY: "RETRY", SKIP: "SKIP" } as const;
export type ConditionResult = (typeof ConditionResult)[keyof typeof ConditionResult];

export const StageRetryMode = { FAILED_ACTIONS: "FAILED_ACTIONS", ALL_ACTIONS: "ALL_ACTIONS" } as const;
export type StageRetryMode = (typeof StageRetryMode)[keyof typeof StageRetryMode];

export const GitPullRequestEventType = { OPEN: "OPEN", UPDATED: "UPDATED", CLOSED: "CLOSED" } as const;
export type GitPullRequestEventType = (typeof GitPullRequestEventType)[keyof typeof GitPullRequestEventType];

export interface ActionTypeId {
  category: ActionCategory;
  owner: ActionOwner;
  provider: string;
  version: string;
}

export interface EncryptionKey {
  id: string;
  type: "KMS";
}

export interface ArtifactStore {
  type: "S3";
  location: string;
  encryptionKey?: EncryptionKey;
}

export interface InputArtifact {
  name: string;
}

export interface OutputArtifact {
  name: string;
  /** Commands action only: globs of the files packed into the artifact. */
  files?: string[];
}

export interface EnvironmentVariable {
  name: string;
  value: string;
  type?: "PLAINTEXT" | "SECRETS_MANAGER";
}

export interface ActionDeclaration {
  name: string;
  actionTypeId: ActionTypeId;
  /** Defaults to 1 when stored. */
  runOrder?: number;
  configuration?: Record<string, string>;
  commands?: string[];
  outputArtifacts?: OutputArtifact[];
  inputArtifacts?: InputArtifact[];
  outputVariables?: string[];
  roleArn?: string;
  region?: string;
  namespace?: string;
  timeoutInMinutes?: number;
  environmentVariables?: EnvironmentVariable[];
}

export interface RuleTypeId {
  category: "Rule";
  owner?: "AWS";
  provider: string;
  version?: string;
}

export interface RuleDeclaration {
  name: string;
  ruleTypeId: RuleTypeId;
  configuration?: Record<string, string>;
  commands?: string[];
  inputArtifacts?: InputArtifact[];
  roleArn?: string;
  region?: string;
  timeoutInMinutes?: number;
}

export interface Condition {
  result?: ConditionResult;
  rules?: RuleDeclaration[];
}

export interface BlockerDeclaration {
  name: string;
  type: "Schedule";
}

export interface BeforeEntryConditions {
  conditions: Condition[];
}

export interface SuccessConditions {
  conditions: Condition[];
}

export interface FailureConditions {
  result?: ConditionResult;
  retryConfiguration?: { retryMode?: StageRetryMode };
  conditions?: Condition[];
}

export interface StageDeclaration {
  name: string;
  blockers?: BlockerDeclaration[];
  actions: ActionDeclaration[];
  onFailure?: FailureConditions;
  onSuccess?: SuccessConditions;
  beforeEntry?: BeforeEntryConditions;
}

export interface PipelineVariableDeclaration {
  name: string;
  defaultValue?: string;
  description?: string;
}

export interface GitFilePathFilterCriteria {
  includes?: string[];
  excludes?: string[];
}

export interface GitPushFilter {
  tags?: GitFilePathFilterCriteria;
  branches?: GitFilePathFilterCriteria;
  filePaths?: GitFilePathFilterCriteria;
}

export interface GitPullRequestFilter {
  events?: GitPullRequestEventType[];
  branches?: GitFilePathFilterCriteria;
  filePaths?: GitFilePathFilterCriteria;
}

export interface GitConfiguration {
  sourceActionName: string;
  push?: GitPushFilter[];
  pullRequest?: GitPullRequestFilter[];
}

export interface PipelineTriggerDeclaration {
  providerType: "CodeStarSourceConnection";
  gitConfiguration: GitConfiguration;
}

export interface PipelineDeclaration {
  name: string;
  roleArn: string;
  artifactStore?: ArtifactStore;
  artifactStores?: Record<string, ArtifactStore>;
  stages: StageDeclaration[];
  /** Server-assigned; ignored on input. */
  version?: number;
  executionMode?: ExecutionMode;
  pipelineType?: PipelineType;
  variables?: PipelineVariableDeclaration[];
  triggers?: PipelineTriggerDeclaration[];
}

export interface Tag {
  key: string;
  value: string;
}
