import type { JsonService } from "../operation.js";
import type { EcrDeps } from "./deps.js";
import { ecrConstraintError } from "./errors.js";
import { notImplemented } from "./not-implemented.js";
import {
  batchCheckLayerAvailability,
  batchDeleteImage,
  batchGetImage,
  describeImages,
  listImages,
} from "./operations/images.js";
import {
  deleteLifecyclePolicy,
  getAuthorizationToken,
  getLifecyclePolicy,
  putImage,
  putLifecyclePolicy,
} from "./operations/put-image.js";
import {
  createRepository,
  deleteRepository,
  describeRegistry,
  describeRepositories,
  putImageScanningConfiguration,
  putImageTagMutability,
} from "./operations/repositories.js";
import { listTagsForResource, tagResource, untagResource } from "./operations/tags.js";

/**
 * Amazon ECR (`AmazonEC2ContainerRegistry_V20150921`, signing name `ecr`, AWS JSON 1.1) over the
 * registry that api/registry serves at /v2/ on the same port. Constraint problems are ECR's
 * InvalidParameterException. The layer-upload operations (InitiateLayerUpload, ...) and scanning,
 * replication and policies are in `notImplemented`; docs/registry.md says what differs from ECR.
 */
export function createEcrService(deps: EcrDeps): JsonService {
  return {
    targetPrefix: "AmazonEC2ContainerRegistry_V20150921",
    signingName: "ecr",
    operations: [
      createRepository(deps),
      describeRepositories(deps),
      deleteRepository(deps),
      putImageTagMutability(deps),
      putImageScanningConfiguration(deps),
      describeRegistry(deps),
      listImages(deps),
      describeImages(deps),
      batchGetImage(deps),
      batchDeleteImage(deps),
      batchCheckLayerAvailability(deps),
      putImage(deps),
      getAuthorizationToken(deps),
      putLifecyclePolicy(deps),
      getLifecyclePolicy(deps),
      deleteLifecyclePolicy(deps),
      tagResource(deps),
      untagResource(deps),
      listTagsForResource(deps),
    ],
    notImplemented,
    constraintError: ecrConstraintError,
  };
}
