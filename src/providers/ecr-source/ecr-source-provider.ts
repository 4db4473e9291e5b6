import { PassThrough } from "node:stream";
import type { ActionTypeId } from "../../model/declaration.js";
import { ecrSourceVariables, imageDetailJson } from "../../registry/image-detail.js";
import { writeZip } from "../../zip/index.js";
import type { ActionProvider } from "../types.js";

/** The action types this provider runs. */
export const ECR_SOURCE_ACTION_TYPES: readonly ActionTypeId[] = [
  { category: "Source", owner: "AWS", provider: "ECR", version: "1" },
];

/** An image as the ECR source reads it (main/ adapts the registry store). */
export interface SourceImage {
  readonly digest: string;
  readonly tags: readonly string[];
  readonly size: number;
  readonly pushedAt: number;
}

export interface SourceImageReader {
  /** The image a tag names now, or the image of a digest; undefined when the repository lacks it. */
  find(
    scope: { accountId: string; region: string },
    repositoryName: string,
    reference: { tag: string } | { digest: string },
  ): Promise<SourceImage | undefined>;
  /** `host:port/<name>`, the repositoryUri the registry answers to. */
  repositoryUri(repositoryName: string): string;
}

/**
 * Source/AWS/ECR/1: the image a push of `ImageTag` (default `latest`) named, or the digest a
 * trigger or a sourceRevisions IMAGE_DIGEST override names. The output artifact is a zip with
 * `imageDetail.json` as AWS's action writes it (digest-pinned ImageURI), and the output
 * variables are RegistryId, RepositoryName, ImageTag, ImageDigest and ImageURI. The revision is
 * the image digest.
 */
export function createEcrSourceProvider(images: SourceImageReader): ActionProvider {
  return {
    actionTypeIds: ECR_SOURCE_ACTION_TYPES,
    async start(ctx) {
      const name = ctx.configuration.RepositoryName ?? "";
      const tag = ctx.configuration.ImageTag || "latest";
      const scope = { accountId: ctx.accountId, region: ctx.region };
      const override = ctx.job.sourceRevision;
      if (override && override.revisionType !== "IMAGE_DIGEST") {
        return {
          kind: "failed",
          failure: {
            type: "ConfigurationError",
            message: `sourceRevisions type ${override.revisionType} does not apply to an ECR source; use IMAGE_DIGEST`,
          },
        };
      }
      const reference = override ? { digest: override.revisionValue } : { tag };
      const image = await images.find(scope, name, reference);
      if (!image) {
        return {
          kind: "failed",
          failure: {
            type: "RevisionUnavailable",
            message: override
              ? `The image ${override.revisionValue} does not exist in repository '${name}'`
              : `The image tag '${tag}' does not exist in repository '${name}'; push it, or fix RepositoryName/ImageTag`,
          },
        };
      }
      const detail = {
        registryId: ctx.accountId,
        repositoryName: name,
        repositoryUri: images.repositoryUri(name),
        digest: image.digest,
        tags: image.tags,
        size: image.size,
        pushedAt: image.pushedAt,
      };
      const output = ctx.outputArtifacts[0];
      if (output) await ctx.artifacts.write(output, await zipOf(imageDetailJson(detail)), "application/zip");
      return {
        kind: "succeeded",
        outputVariables: ecrSourceVariables(detail, tag),
        summary: `${detail.repositoryUri}@${image.digest}`,
        currentRevision: {
          revision: image.digest,
          changeIdentifier: image.digest,
          created: image.pushedAt,
          revisionSummary: `${name}:${tag} (${image.digest})`,
        },
      };
    },
  };
}

async function zipOf(imageDetail: string): Promise<Uint8Array> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  await writeZip(
    [{ name: "imageDetail.json", source: { kind: "data", data: Buffer.from(imageDetail) } }],
    out,
  );
  return Buffer.concat(chunks);
}
