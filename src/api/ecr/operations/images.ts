import { int, list, optional, string, struct } from "../../../lib/shape.js";
import { isDigest, isTag } from "../../../registry/names.js";
import type { ImageRecord, ImageReference } from "../../../store/registry-store-types.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { decodeNextToken, encodeNextToken } from "../../pagination.js";
import type { EcrDeps } from "../deps.js";
import { ecrErrors } from "../errors.js";
import { imageIdText, renderImageDetail } from "../render.js";
import { registryId, repositoryName } from "./repositories.js";

const imageId = struct({ imageDigest: optional(string()), imageTag: optional(string({ min: 1, max: 300 })) });
const imageIds = list(imageId, { min: 1, max: 100 });
const tagStatus = optional(
  struct({ tagStatus: optional(string({ enum: ["TAGGED", "UNTAGGED", "ANY"] as const })) }),
);
type ImageId = { imageDigest?: string; imageTag?: string };

async function mustExist(deps: EcrDeps, name: string) {
  const found = await deps.store.getRepository(deps.registryScope, name);
  if (!found) throw ecrErrors.repositoryNotFound(deps.registryScope, name);
  return found;
}

/**
 * Finds the image an ImageIdentifier names, or the ImageFailure ECR reports: a digest and a tag
 * together must name the same image.
 */
export async function resolveImageId(
  deps: EcrDeps,
  name: string,
  id: ImageId,
): Promise<
  { image: ImageRecord } | { failure: { imageId: ImageId; failureCode: string; failureReason: string } }
> {
  const fail = (failureCode: string, failureReason: string) => ({
    failure: { imageId: id, failureCode, failureReason },
  });
  if (id.imageDigest === undefined && id.imageTag === undefined)
    return fail("MissingDigestAndTag", "Invalid request parameters: both tag and digest cannot be null");
  if (id.imageDigest !== undefined && !isDigest(id.imageDigest))
    return fail(
      "InvalidImageDigest",
      "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
    );
  if (id.imageTag !== undefined && !isTag(id.imageTag)) return fail("InvalidImageTag", "Invalid image tag");
  const reference: ImageReference =
    id.imageDigest !== undefined ? { digest: id.imageDigest } : { tag: id.imageTag as string };
  const image = await deps.store.getImage(deps.registryScope, name, reference);
  if (!image) return fail("ImageNotFound", "Requested image not found");
  if (id.imageTag !== undefined && id.imageDigest !== undefined && !image.tags.includes(id.imageTag))
    return fail(
      "ImageTagDoesNotMatchDigest",
      "Invalid request parameters: given tag does not map to the given digest",
    );
  return { image };
}

export const listImages = (deps: EcrDeps) =>
  defineOperation({
    name: "ListImages",
    input: struct({
      registryId,
      repositoryName,
      nextToken: optional(string()),
      maxResults: optional(int({ min: 1, max: 1000 })),
      filter: tagStatus,
    }),
    async handle(input) {
      await mustExist(deps, input.repositoryName);
      const kind = `ecr:ListImages:${input.repositoryName}`;
      const after = decodeNextToken(kind, input.nextToken);
      const page = await deps.store.listImages(deps.registryScope, input.repositoryName, {
        limit: input.maxResults ?? 100,
        tagStatus: input.filter?.tagStatus ?? "ANY",
        ...(after === undefined ? {} : { after }),
      });
      // One ImageIdentifier per tag, and one without a tag for an untagged image (as ECR lists them).
      const ids = page.items.flatMap((i) =>
        i.tags.length === 0
          ? [{ imageDigest: i.digest }]
          : i.tags.map((t) => ({ imageDigest: i.digest, imageTag: t })),
      );
      return {
        imageIds: ids,
        ...(page.nextAfter === undefined ? {} : { nextToken: encodeNextToken(kind, page.nextAfter) }),
      };
    },
  });

export const describeImages = (deps: EcrDeps) =>
  defineOperation({
    name: "DescribeImages",
    input: struct({
      registryId,
      repositoryName,
      imageIds: optional(imageIds),
      nextToken: optional(string()),
      maxResults: optional(int({ min: 1, max: 1000 })),
      filter: tagStatus,
    }),
    async handle(input) {
      await mustExist(deps, input.repositoryName);
      const registry = deps.registryScope.accountId;
      if (input.imageIds) {
        const imageDetails = [];
        for (const id of input.imageIds) {
          const found = await resolveImageId(deps, input.repositoryName, id);
          if ("failure" in found) {
            if (found.failure.failureCode !== "ImageNotFound")
              throw ecrErrors.invalid(found.failure.failureReason);
            throw apiError(
              "ImageNotFoundException",
              `The image with imageId ${imageIdText(id)} does not exist within the repository with name '${input.repositoryName}' in the registry with id '${registry}'`,
            );
          }
          imageDetails.push(renderImageDetail(registry, found.image));
        }
        return { imageDetails };
      }
      const kind = `ecr:DescribeImages:${input.repositoryName}`;
      const after = decodeNextToken(kind, input.nextToken);
      const page = await deps.store.listImages(deps.registryScope, input.repositoryName, {
        limit: input.maxResults ?? 100,
        tagStatus: input.filter?.tagStatus ?? "ANY",
        ...(after === undefined ? {} : { after }),
      });
      return {
        imageDetails: page.items.map((i) => renderImageDetail(registry, i)),
        ...(page.nextAfter === undefined ? {} : { nextToken: encodeNextToken(kind, page.nextAfter) }),
      };
    },
  });

export const batchGetImage = (deps: EcrDeps) =>
  defineOperation({
    name: "BatchGetImage",
    input: struct({
      registryId,
      repositoryName,
      imageIds,
      acceptedMediaTypes: optional(list(string(), { min: 1, max: 100 })),
    }),
    async handle(input) {
      await mustExist(deps, input.repositoryName);
      const images = [];
      const failures = [];
      for (const id of input.imageIds) {
        const found = await resolveImageId(deps, input.repositoryName, id);
        if ("failure" in found) {
          failures.push(found.failure);
          continue;
        }
        const manifest = await deps.store.getManifest(deps.registryScope, input.repositoryName, {
          digest: found.image.digest,
        });
        if (!manifest) continue;
        if (input.acceptedMediaTypes && !input.acceptedMediaTypes.includes(manifest.mediaType)) {
          failures.push({
            imageId: id,
            failureCode: "UnsupportedImageType",
            failureReason: "The image's media type is not accepted",
          });
          continue;
        }
        images.push({
          registryId: deps.registryScope.accountId,
          repositoryName: input.repositoryName,
          imageId: {
            imageDigest: manifest.digest,
            ...(id.imageTag === undefined ? {} : { imageTag: id.imageTag }),
          },
          imageManifest: new TextDecoder().decode(manifest.body),
          imageManifestMediaType: manifest.mediaType,
        });
      }
      return { images, failures };
    },
  });

/** BatchDeleteImage: by digest the image and its tags; by tag the tag, and the image with its last tag. */
export const batchDeleteImage = (deps: EcrDeps) =>
  defineOperation({
    name: "BatchDeleteImage",
    input: struct({ registryId, repositoryName, imageIds }),
    async handle(input) {
      await mustExist(deps, input.repositoryName);
      const deleted = [];
      const failures = [];
      const scope = deps.registryScope;
      for (const id of input.imageIds) {
        const found = await resolveImageId(deps, input.repositoryName, id);
        if ("failure" in found) {
          failures.push(found.failure);
          continue;
        }
        if (id.imageDigest === undefined && id.imageTag !== undefined) {
          await deps.store.removeTag(scope, input.repositoryName, id.imageTag);
          deleted.push({ imageDigest: found.image.digest, imageTag: id.imageTag });
          continue;
        }
        const result = await deps.store.deleteImage(scope, input.repositoryName, found.image.digest);
        if (result === "ReferencedByIndex") {
          failures.push({
            imageId: id,
            failureCode: "ImageReferencedByManifestList",
            failureReason: "Requested image is referenced by a manifest list",
          });
          continue;
        }
        if (result === "Deleted") {
          deleted.push(
            ...(found.image.tags.length === 0
              ? [{ imageDigest: found.image.digest }]
              : found.image.tags.map((t) => ({ imageDigest: found.image.digest, imageTag: t }))),
          );
        }
      }
      return { imageIds: deleted, failures };
    },
  });

export const batchCheckLayerAvailability = (deps: EcrDeps) =>
  defineOperation({
    name: "BatchCheckLayerAvailability",
    input: struct({ registryId, repositoryName, layerDigests: list(string(), { min: 1, max: 100 }) }),
    async handle(input) {
      await mustExist(deps, input.repositoryName);
      const layers = [];
      const failures = [];
      for (const digest of input.layerDigests) {
        const stat = isDigest(digest)
          ? await deps.store.statBlob(deps.registryScope, input.repositoryName, digest)
          : undefined;
        if (!isDigest(digest))
          failures.push({
            layerDigest: digest,
            failureCode: "InvalidLayerDigest",
            failureReason: "Invalid layer digest",
          });
        else if (!stat)
          failures.push({
            layerDigest: digest,
            failureCode: "MissingLayerDigest",
            failureReason: "Could not find layer",
          });
        else
          layers.push({
            layerDigest: digest,
            layerAvailability: "AVAILABLE",
            layerSize: stat.size,
            mediaType: "application/octet-stream",
          });
      }
      return { layers, failures };
    },
  });
