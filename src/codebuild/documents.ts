import type { BuildPhaseType, BuildStatus } from "../buildspec/build-phases.js";
import type { TestCase, TestReportSummary } from "../buildspec/report-types.js";

/**
 * CodeBuild's resources as Pipewright keeps them: the API's shapes (botocore's codebuild
 * 2016-10-06 model) with times in epoch milliseconds (the API renders seconds). Fields the API
 * accepts but Pipewright does not act on are kept verbatim so BatchGet* shows them back.
 */

export type SourceType =
  | "CODECOMMIT"
  | "CODEPIPELINE"
  | "GITHUB"
  | "GITLAB"
  | "GITLAB_SELF_MANAGED"
  | "S3"
  | "BITBUCKET"
  | "GITHUB_ENTERPRISE"
  | "NO_SOURCE";

export interface ProjectSource {
  readonly type: SourceType;
  readonly location?: string;
  readonly buildspec?: string;
  readonly gitCloneDepth?: number;
  readonly sourceIdentifier?: string;
  readonly [extra: string]: unknown;
}

export interface ProjectArtifacts {
  readonly type: "CODEPIPELINE" | "S3" | "NO_ARTIFACTS";
  readonly location?: string;
  readonly path?: string;
  readonly namespaceType?: "NONE" | "BUILD_ID";
  readonly name?: string;
  readonly packaging?: "NONE" | "ZIP";
  readonly overrideArtifactName?: boolean;
  readonly artifactIdentifier?: string;
  readonly [extra: string]: unknown;
}

export interface EnvironmentVariable {
  readonly name: string;
  readonly value: string;
  readonly type: "PLAINTEXT" | "PARAMETER_STORE" | "SECRETS_MANAGER";
}

export interface ProjectEnvironment {
  readonly type: string;
  readonly image: string;
  readonly computeType: string;
  readonly environmentVariables: readonly EnvironmentVariable[];
  readonly privilegedMode: boolean;
  readonly [extra: string]: unknown;
}

export interface ProjectCache {
  readonly type: "NO_CACHE" | "S3" | "LOCAL";
  readonly location?: string;
  readonly modes?: readonly string[];
}

export interface ProjectDocument {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly source: ProjectSource;
  readonly secondarySources: readonly ProjectSource[];
  readonly sourceVersion?: string;
  readonly secondarySourceVersions: readonly {
    readonly sourceIdentifier: string;
    readonly sourceVersion: string;
  }[];
  readonly artifacts: ProjectArtifacts;
  readonly secondaryArtifacts: readonly ProjectArtifacts[];
  readonly cache: ProjectCache;
  readonly environment: ProjectEnvironment;
  readonly serviceRole?: string;
  readonly timeoutInMinutes: number;
  readonly queuedTimeoutInMinutes: number;
  readonly encryptionKey?: string;
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  /** Other Project fields given to CreateProject/UpdateProject, shown back as given. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** One phase as the API shows it (`BuildPhase`). */
export interface PhaseRecord {
  readonly phaseType: BuildPhaseType;
  readonly phaseStatus?: BuildStatus;
  readonly startTime: number;
  readonly endTime?: number;
  readonly durationInSeconds?: number;
  readonly contexts: readonly { readonly statusCode: string; readonly message: string }[];
}

export interface BuildArtifactsDocument {
  readonly location?: string;
  readonly sha256sum?: string;
  readonly md5sum?: string;
  readonly overrideArtifactName?: boolean;
  readonly artifactIdentifier?: string;
}

/** A build (`Build` of the API). */
export interface BuildDocument {
  readonly id: string;
  readonly arn: string;
  readonly buildNumber: number;
  readonly projectName: string;
  readonly startTime: number;
  readonly endTime?: number;
  readonly currentPhase: BuildPhaseType;
  readonly buildStatus: BuildStatus;
  readonly buildComplete: boolean;
  readonly initiator: string;
  readonly sourceVersion?: string;
  readonly resolvedSourceVersion?: string;
  readonly phases: readonly PhaseRecord[];
  readonly source: ProjectSource;
  readonly secondarySources: readonly ProjectSource[];
  readonly secondarySourceVersions: readonly {
    readonly sourceIdentifier: string;
    readonly sourceVersion: string;
  }[];
  readonly artifacts?: BuildArtifactsDocument;
  readonly secondaryArtifacts: readonly BuildArtifactsDocument[];
  readonly cache: ProjectCache;
  readonly environment: ProjectEnvironment;
  readonly serviceRole?: string;
  readonly logs: {
    readonly groupName: string;
    readonly streamName: string;
    readonly deepLink: string;
  };
  readonly timeoutInMinutes: number;
  readonly queuedTimeoutInMinutes: number;
  readonly exportedEnvironmentVariables: readonly { readonly name: string; readonly value: string }[];
  readonly reportArns: readonly string[];
  readonly encryptionKey?: string;
}

/** A report (`Report` of the API) with its test cases. */
export interface ReportDocument {
  readonly arn: string;
  readonly type: "TEST" | "CODE_COVERAGE";
  readonly name: string;
  readonly reportGroupArn: string;
  /** The build's ARN. */
  readonly executionId: string;
  readonly status: "GENERATING" | "SUCCEEDED" | "FAILED" | "INCOMPLETE" | "DELETING";
  readonly created: number;
  readonly expired: number;
  readonly truncated: boolean;
  readonly testSummary: TestReportSummary;
  readonly cases: readonly TestCase[];
}
