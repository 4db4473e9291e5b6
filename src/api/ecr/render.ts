import { repositoryArn, repositoryUri } from "../../registry/names.js";
import type { ImageRecord, RegistryRepositoryRecord } from "../../store/registry-store-types.js";
import { epochSeconds } from "../pagination.js";
import type { EcrDeps } from "./deps.js";

/** ECR's Repository shape. */
export function renderRepository(deps: EcrDeps, r: RegistryRepositoryRecord) {
  return {
    repositoryArn: repositoryArn(r.scope, r.name),
    registryId: r.scope.accountId,
    repositoryName: r.name,
    repositoryUri: repositoryUri(deps.registryHost(), r.name),
    createdAt: epochSeconds(r.created),
    imageTagMutability: r.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: r.scanOnPush },
    encryptionConfiguration: {
      encryptionType: r.encryptionType,
      ...(r.kmsKey === undefined ? {} : { kmsKey: r.kmsKey }),
    },
  };
}

/** ECR's ImageDetail shape (imageTags left out for an untagged image, as ECR does). */
export function renderImageDetail(registryId: string, image: ImageRecord) {
  return {
    registryId,
    repositoryName: image.repositoryName,
    imageDigest: image.digest,
    ...(image.tags.length > 0 ? { imageTags: [...image.tags] } : {}),
    imageSizeInBytes: image.size,
    imagePushedAt: epochSeconds(image.pushedAt),
    imageManifestMediaType: image.mediaType,
    ...(image.artifactMediaType === undefined ? {} : { artifactMediaType: image.artifactMediaType }),
  };
}

export function imageIdText(id: { imageDigest?: string; imageTag?: string }): string {
  const parts = [
    ...(id.imageDigest === undefined ? [] : [`imageDigest:'${id.imageDigest}'`]),
    ...(id.imageTag === undefined ? [] : [`imageTag:'${id.imageTag}'`]),
  ];
  return `{${parts.join(", ")}}`;
}
