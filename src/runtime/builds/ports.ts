import type { PlatformAccess, ProducedArtifact, SourceInfo } from "../../build-agent/types.js";
import type { ProjectArtifacts, ProjectSource } from "../../codebuild/documents.js";
import type { PipelineArtifact, PipelineSourceInfo, ProducedZip } from "../../codebuild/pipeline-build.js";
import type { Scope } from "../../store/types.js";

/**
 * What the build service needs from the rest of the server; main/ adapts the stores, git and
 * zip code to these.
 */

/** Fetches a project's own source (CODECOMMIT, S3, NO_SOURCE) into a directory. */
export interface BuildSourceFetcher {
  /**
   * Fills `dir` with the source at `sourceVersion` (a branch, tag or commit for CODECOMMIT;
   * an object version id for S3; default branch / latest version when absent). Rejects with a
   * message for the phase context (no such repository, branch, bucket or object).
   */
  fetch(
    scope: Scope,
    source: ProjectSource,
    sourceVersion: string | undefined,
    dir: string,
  ): Promise<Omit<SourceInfo, "secondary">>;
}

/** Stores S3-type project artifacts in a bucket (CodeBuild's `artifacts.type: S3`). */
export interface BuildArtifactSink {
  /** Uploads the zip (packaging ZIP) or its files (NONE); resolves with the location ARN. */
  upload(
    scope: Scope,
    artifacts: ProjectArtifacts,
    build: { readonly id: string; readonly uuid: string },
    produced: ProducedArtifact,
  ): Promise<string>;
}

export type { PipelineBuildIo } from "../../codebuild/pipeline-build.js";

/**
 * A pipeline build's artifacts, read and written where the pipeline keeps them (main/ adapts
 * the object store, zip and git): inputs unzipped or, for a CODEBUILD_CLONE_REF, cloned.
 */
export interface PipelineArtifactIo {
  /** Fills `dir` with the artifact; rejects with a message for the DOWNLOAD_SOURCE phase context. */
  download(scope: Scope, artifact: PipelineArtifact, dir: string): Promise<PipelineSourceInfo>;
  /** Stores a zip the build produced as the artifact; resolves with its location (an S3 ARN). */
  deliver(scope: Scope, artifact: PipelineArtifact, produced: ProducedZip): Promise<string>;
}

/**
 * AWS access from inside builds (main/ adapts src/inside): `open` issues the build's temporary
 * credentials and says how the build reaches the server; `close` revokes them when the build ends.
 */
export interface BuildInsideAccess {
  open(scope: Scope, buildId: string, lifetimeMs: number): { platform: PlatformAccess; close(): void };
}
