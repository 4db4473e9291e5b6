import type { ActionTypeId } from "../../model/declaration.js";
import type { ActionProvider } from "../types.js";

/** The action types this provider runs. */
export const S3_SOURCE_ACTION_TYPES: readonly ActionTypeId[] = [
  { category: "Source", owner: "AWS", provider: "S3", version: "1" },
];

export interface SourceObject {
  readonly versionId: string;
  /** Quoted, as S3 sends it. */
  readonly etag: string;
  readonly size: number;
  readonly lastModified: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Objects in Pipewright's S3-compatible buckets, as the S3 source reads them (main/ adapts the store). */
export interface SourceObjectReader {
  /** The latest version, or the given one; undefined when missing (or a delete marker). */
  head(bucket: string, key: string, versionId?: string): Promise<SourceObject | undefined>;
  read(bucket: string, key: string, versionId: string): AsyncIterable<Uint8Array>;
}

/**
 * Source/AWS/S3: copies the object (the latest version, or the one a trigger or a sourceRevisions
 * override names) into the output artifact byte for byte. Output variables ETag and VersionId;
 * the revision is the version id (the ETag in a bucket without versioning), and its summary the
 * object's `codepipeline-artifact-revision-summary` metadata, as in AWS.
 */
export function createS3SourceProvider(objects: SourceObjectReader): ActionProvider {
  return {
    actionTypeIds: S3_SOURCE_ACTION_TYPES,
    async start(ctx) {
      const c = ctx.configuration;
      const bucket = c.S3Bucket ?? "";
      let key = c.S3ObjectKey ?? "";
      let versionId: string | undefined;
      const override = ctx.job.sourceRevision;
      if (override?.revisionType === "S3_OBJECT_VERSION_ID") versionId = override.revisionValue;
      else if (override?.revisionType === "S3_OBJECT_KEY") {
        if (c.AllowOverrideForS3ObjectKey !== "true") {
          return {
            kind: "failed",
            failure: {
              type: "ConfigurationError",
              message:
                "sourceRevisions S3_OBJECT_KEY needs AllowOverrideForS3ObjectKey set to true on the action",
            },
          };
        }
        key = override.revisionValue;
      } else if (override) {
        return {
          kind: "failed",
          failure: {
            type: "ConfigurationError",
            message: `sourceRevisions type ${override.revisionType} does not apply to an S3 source`,
          },
        };
      }
      const object = await objects.head(bucket, key, versionId);
      if (!object) {
        return {
          kind: "failed",
          failure: {
            type: "RevisionUnavailable",
            message: `The object s3://${bucket}/${key}${versionId ? ` (version ${versionId})` : ""} does not exist; upload it or fix S3Bucket/S3ObjectKey`,
          },
        };
      }
      const output = ctx.outputArtifacts[0];
      if (output) await ctx.artifacts.write(output, objects.read(bucket, key, object.versionId));
      const revision = object.versionId === "null" ? object.etag.replace(/"/gu, "") : object.versionId;
      const summary = object.metadata["codepipeline-artifact-revision-summary"];
      return {
        kind: "succeeded",
        outputVariables: { ETag: object.etag.replace(/"/gu, ""), VersionId: object.versionId },
        summary: summary ?? `s3://${bucket}/${key}`,
        currentRevision: {
          revision,
          changeIdentifier: object.etag.replace(/"/gu, ""),
          created: object.lastModified,
          revisionSummary: summary ?? `s3://${bucket}/${key} (${object.size} bytes)`,
        },
      };
    },
  };
}
