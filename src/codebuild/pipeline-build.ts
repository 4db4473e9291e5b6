import type { BuildDocument, EnvironmentVariable } from "./documents.js";

/**
 * The seam between the CodeBuild pipeline action (providers/codebuild) and the build service
 * (runtime/builds): the action starts a build whose sources are its input artifacts and whose
 * artifacts become its output artifacts, then polls the build until it ends.
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
  readonly io: PipelineBuildIo;
}

export interface PipelineBuilds {
  /** Starts the build; a failure message when it cannot (no such project, ...). */
  start(
    scope: { readonly accountId: string; readonly region: string },
    request: PipelineBuildRequest,
  ): Promise<{ ok: true; build: BuildDocument } | { ok: false; message: string }>;
  get(
    scope: { readonly accountId: string; readonly region: string },
    buildId: string,
  ): Promise<BuildDocument | undefined>;
  /** Stops the build (StopBuild); resolves when it has ended. */
  stop(scope: { readonly accountId: string; readonly region: string }, buildId: string): Promise<void>;
}
