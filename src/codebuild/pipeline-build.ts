import type { BuildDocument, EnvironmentVariable } from "./documents.js";

/**
 * The seam between the CodeBuild pipeline action (providers/codebuild) and the build service
 * (runtime/builds). The action starts a build whose sources are its input artifacts and whose
 * artifacts become its output artifacts, and then waits: the build is a task in the work queue
 * like any other, and when it ends the build service reports the action's result to the job
 * the action parked (`PipelineBuildLink.jobId`). Nothing holds a job while a build runs, and
 * the link is plain data, so the build survives a restart and can run on any worker.
 */

export interface PipelineSourceInfo {
  readonly resolvedSourceVersion?: string;
  readonly sourceVersion?: string;
  readonly sourceRepoUrl?: string;
  readonly secondary?: ReadonlyMap<string, { readonly sourceVersion?: string; readonly repoUrl?: string }>;
}

/** A zip the build produced on the host. */
export interface ProducedZip {
  readonly zipPath: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly md5: string;
}

/** Where a pipeline artifact lives in the artifact store (an engine ArtifactLocation, as data). */
export interface PipelineArtifact {
  readonly name: string;
  readonly bucket: string;
  readonly key: string;
  readonly revision?: string;
}

/** Which action a pipeline build belongs to, and the artifacts it reads and writes. */
export interface PipelineBuildLink {
  /** The action's job, parked while the build runs: the build's result completes it. */
  readonly jobId: string;
  readonly actionExecutionId: string;
  /** The job step's idempotency key (`<actionExecutionId>/<step>`): one build per step. */
  readonly idempotencyKey: string;
  readonly pipelineName: string;
  /** CODEBUILD_SRC_DIR. */
  readonly primary: PipelineArtifact;
  /** Each gets CODEBUILD_SRC_DIR_<name>. */
  readonly secondary: readonly PipelineArtifact[];
  /** With several, each is a `secondary-artifacts` identifier (its name). */
  readonly outputs: readonly PipelineArtifact[];
}

/** A pipeline build's sources and outputs as the running build sees them. */
export interface PipelineBuildIo {
  /** Input artifact names other than the primary one: each gets CODEBUILD_SRC_DIR_<name>. */
  readonly secondaryInputs: readonly string[];
  /** Output artifact names; with several, each is a `secondary-artifacts` identifier. */
  readonly outputs: readonly { readonly name: string; readonly identifier?: string }[];
  /** Fills the build's source directories (DOWNLOAD_SOURCE); rejects with a message for the phase context. */
  download(dirs: { primary: string; secondary: ReadonlyMap<string, string> }): Promise<PipelineSourceInfo>;
  /** Stores the zip of output `name`; resolves with its location (an S3 ARN). */
  deliver(name: string, produced: ProducedZip): Promise<string>;
}

export interface PipelineBuildRequest {
  readonly projectName: string;
  /** `codepipeline/<pipeline name>`. */
  readonly initiator: string;
  readonly environmentVariablesOverride: readonly EnvironmentVariable[];
  readonly buildspecOverride?: string;
  readonly link: PipelineBuildLink;
}

export interface PipelineBuilds {
  /**
   * Starts the build (one per action job: starting again for the same job returns the same
   * build); a failure message when it cannot (no such project, ...).
   */
  start(
    scope: { readonly accountId: string; readonly region: string },
    request: PipelineBuildRequest,
  ): Promise<{ ok: true; build: BuildDocument } | { ok: false; message: string }>;
  get(
    scope: { readonly accountId: string; readonly region: string },
    buildId: string,
  ): Promise<BuildDocument | undefined>;
  /** Stops the build of each of these action runs (they were abandoned or timed out), if any runs. */
  stopForActions(actionExecutionIds: readonly string[]): Promise<void>;
}
