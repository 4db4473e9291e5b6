import type { ProjectArtifacts } from "../../codebuild/documents.js";
import type { PipelineBuildLink } from "../../codebuild/pipeline-build.js";

/** The work-queue kind of CodeBuild builds. */
export const BUILD_TASK = "build";

/** What a build task carries: everything a worker anywhere needs besides the stored build. */
export interface BuildTaskPayload {
  readonly buildId: string;
  /** Where the project (or StartBuild's overrides) wants artifacts stored. */
  readonly artifacts: { readonly primary: ProjectArtifacts; readonly secondary: readonly ProjectArtifacts[] };
  /** The project's tags when the build started (`pipewright:executor` picks the executor). */
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  /** Set for builds a pipeline action started. */
  readonly pipeline?: PipelineBuildLink;
}
