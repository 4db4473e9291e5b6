import { createReadStream } from "node:fs";
import type { PipelineArtifact, PipelineSourceInfo } from "../codebuild/pipeline-build.js";
import type { Clock } from "../lib/clock.js";
import type { PipelineArtifactIo } from "../runtime/builds/ports.js";
import { createArtifactAccess } from "../runtime/executions/artifact-access.js";
import type { ObjectStore, Scope } from "../store/types.js";
import { extractZip } from "../zip/index.js";

/** A CODEBUILD_CLONE_REF artifact (docs/sources.md): where to clone and which commit. */
export interface CloneReference {
  readonly cloneUrl: string;
  readonly branch?: string;
  readonly commitId: string;
}

/**
 * Pipeline builds' artifacts in the object store: an input is unzipped into its directory, or
 * cloned with its history when it is a CODEBUILD_CLONE_REF (so the build has `.git`); an output
 * is the zip the build made.
 */
export function createPipelineArtifactIo(deps: {
  readonly objects: ObjectStore;
  readonly clock: Clock;
  /** Clones the repository with its history into `dir` and checks out the commit on the branch. */
  readonly clone: (scope: Scope, reference: CloneReference, dir: string) => Promise<void>;
}): PipelineArtifactIo {
  return {
    async download(scope, artifact, dir): Promise<PipelineSourceInfo> {
      const bytes = await createArtifactAccess(deps.objects, scope, deps.clock).read(locationOf(artifact));
      const reference = cloneReferenceOf(bytes);
      if (reference) {
        await deps.clone(scope, reference, dir);
        return {
          resolvedSourceVersion: reference.commitId,
          sourceVersion: reference.commitId,
          sourceRepoUrl: reference.cloneUrl,
        };
      }
      try {
        await extractZip(bytes, dir, { allowSymlinks: true });
      } catch (error) {
        throw new Error(`cannot unzip input artifact ${artifact.name}: ${(error as Error).message}`);
      }
      return {
        sourceVersion: `arn:aws:s3:::${artifact.bucket}/${artifact.key}`,
        ...(artifact.revision === undefined ? {} : { resolvedSourceVersion: artifact.revision }),
      };
    },
    async deliver(scope, artifact, produced) {
      await createArtifactAccess(deps.objects, scope, deps.clock).write(
        locationOf(artifact),
        createReadStream(produced.zipPath),
        "application/zip",
      );
      return `arn:aws:s3:::${artifact.bucket}/${artifact.key}`;
    },
  };
}

function locationOf(a: PipelineArtifact) {
  return {
    name: a.name,
    bucket: a.bucket,
    key: a.key,
    ...(a.revision === undefined ? {} : { revision: a.revision }),
  };
}

function cloneReferenceOf(bytes: Uint8Array): CloneReference | undefined {
  if (bytes.length > 64 * 1024 || bytes[0] !== 0x7b /* { */) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    if (
      value.type !== "CODEBUILD_CLONE_REF" ||
      typeof value.cloneUrl !== "string" ||
      typeof value.commitId !== "string"
    ) {
      return undefined;
    }
    return {
      cloneUrl: value.cloneUrl,
      commitId: value.commitId,
      ...(typeof value.branch === "string" ? { branch: value.branch } : {}),
    };
  } catch {
    return undefined;
  }
}
