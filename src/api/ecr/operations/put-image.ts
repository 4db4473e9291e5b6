import { createHash } from "node:crypto";
import { list, optional, string, struct } from "../../../lib/shape.js";
import { parseLifecyclePolicy } from "../../../registry/lifecycle-policy.js";
import { parseManifest } from "../../../registry/parse-manifest.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { epochSeconds } from "../../pagination.js";
import type { EcrDeps } from "../deps.js";
import { ecrErrors } from "../errors.js";
import { registryId, repositoryName } from "./repositories.js";

/**
 * PutImage: stores a manifest (and tag) whose blobs the repository already has, with the same
 * checks and the same push hook as a `docker push` of a manifest.
 */
export const putImage = (deps: EcrDeps) =>
  defineOperation({
    name: "PutImage",
    input: struct({
      registryId,
      repositoryName,
      imageManifest: string({ min: 1, max: 4194304 }),
      imageManifestMediaType: optional(string()),
      imageTag: optional(string({ min: 1, max: 300 })),
      imageDigest: optional(string()),
    }),
    async handle(input, ctx) {
      const scope = deps.registryScope;
      const name = input.repositoryName;
      if (!(await deps.store.getRepository(scope, name))) throw ecrErrors.repositoryNotFound(scope, name);
      const body = new TextEncoder().encode(input.imageManifest);
      const parsed = parseManifest(body, input.imageManifestMediaType ?? "");
      if (!parsed.ok)
        throw ecrErrors.invalid(
          `Invalid parameter at 'imageManifest' failed to satisfy constraint: '${parsed.error.message}'`,
        );
      const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
      if (input.imageDigest !== undefined && input.imageDigest !== digest) {
        throw apiError(
          "ImageDigestDoesNotMatchException",
          `The digest of the manifest is ${digest}, not the imageDigest given (${input.imageDigest})`,
        );
      }
      const existing = await deps.store.getImage(scope, name, { digest });
      if (existing && (input.imageTag === undefined || existing.tags.includes(input.imageTag))) {
        throw apiError(
          "ImageAlreadyExistsException",
          `Image with digest '${digest}'${input.imageTag === undefined ? "" : ` and tag '${input.imageTag}'`} already exists in the repository with name '${name}' in registry with id '${scope.accountId}'`,
        );
      }
      const stored = await deps.store.putManifest({
        scope,
        repositoryName: name,
        digest,
        mediaType: parsed.value.mediaType,
        ...(parsed.value.artifactMediaType === undefined
          ? {}
          : { artifactMediaType: parsed.value.artifactMediaType }),
        body,
        blobs: parsed.value.blobs,
        manifests: parsed.value.manifests,
        ...(input.imageTag === undefined ? {} : { tag: input.imageTag }),
        now: ctx.now,
      });
      if (!stored.ok) {
        switch (stored.reason) {
          case "RepositoryNotFound":
            throw ecrErrors.repositoryNotFound(scope, name);
          case "BlobsUnknown":
            throw apiError(
              "LayersNotFoundException",
              `Layers with digests [${stored.digests.join(", ")}] not found in the repository`,
            );
          case "ManifestsUnknown":
            throw apiError(
              "ReferencedImagesNotFoundException",
              `Manifests with digests [${stored.digests.join(", ")}] referenced by the index are not in the repository`,
            );
          case "TagImmutable":
            throw ecrErrors.tagImmutable(name, input.imageTag ?? "");
        }
      }
      if (input.imageTag !== undefined) {
        await deps.onImagePushed({
          scope,
          repositoryName: name,
          tag: input.imageTag,
          digest,
          mediaType: parsed.value.mediaType,
        });
      }
      return {
        image: {
          registryId: scope.accountId,
          repositoryName: name,
          imageId: {
            imageDigest: digest,
            ...(input.imageTag === undefined ? {} : { imageTag: input.imageTag }),
          },
          imageManifest: input.imageManifest,
          imageManifestMediaType: parsed.value.mediaType,
        },
      };
    },
  });

/** GetAuthorizationToken: `AWS:<password>` in base64, valid 12 hours, for this server's registry. */
export const getAuthorizationToken = (deps: EcrDeps) =>
  defineOperation({
    name: "GetAuthorizationToken",
    input: struct({ registryIds: optional(list(string({ pattern: "[0-9]{12}" }), { min: 1, max: 10 })) }),
    async handle(_input, ctx) {
      const expiresAt = ctx.now + 12 * 3600 * 1000;
      const password = deps.tokens.issue(ctx.principal, expiresAt);
      return {
        authorizationData: [
          {
            authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"),
            expiresAt: epochSeconds(expiresAt),
            proxyEndpoint: `http://${deps.registryHost()}`,
          },
        ],
      };
    },
  });

const policyText = string({ min: 100, max: 30720 });

/** PutLifecyclePolicy: checked, stored on the repository and applied at once (then after every push). */
export const putLifecyclePolicy = (deps: EcrDeps) =>
  defineOperation({
    name: "PutLifecyclePolicy",
    input: struct({ registryId, repositoryName, lifecyclePolicyText: policyText }),
    async handle(input, ctx) {
      const scope = deps.registryScope;
      const found = await deps.store.getRepository(scope, input.repositoryName);
      if (!found) throw ecrErrors.repositoryNotFound(scope, input.repositoryName);
      const parsed = parseLifecyclePolicy(input.lifecyclePolicyText);
      if (!parsed.ok) {
        throw ecrErrors.invalid(
          `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${parsed.error}'`,
        );
      }
      await deps.store.updateRepository({
        ...found,
        lifecyclePolicy: { text: input.lifecyclePolicyText, updated: ctx.now },
      });
      await deps.applyLifecyclePolicy(scope, input.repositoryName);
      return {
        registryId: scope.accountId,
        repositoryName: input.repositoryName,
        lifecyclePolicyText: input.lifecyclePolicyText,
      };
    },
  });

function lifecycleOperation(name: "GetLifecyclePolicy" | "DeleteLifecyclePolicy", deps: EcrDeps) {
  return defineOperation({
    name,
    input: struct({ registryId, repositoryName }),
    async handle(input) {
      const scope = deps.registryScope;
      const found = await deps.store.getRepository(scope, input.repositoryName);
      if (!found) throw ecrErrors.repositoryNotFound(scope, input.repositoryName);
      const policy = found.lifecyclePolicy;
      if (!policy) {
        throw apiError(
          "LifecyclePolicyNotFoundException",
          `Lifecycle policy does not exist for the repository with name '${input.repositoryName}' in the registry with id '${scope.accountId}'`,
        );
      }
      if (name === "DeleteLifecyclePolicy") {
        const { lifecyclePolicy: _gone, ...rest } = found;
        await deps.store.updateRepository(rest);
      }
      return {
        registryId: scope.accountId,
        repositoryName: input.repositoryName,
        lifecyclePolicyText: policy.text,
        lastEvaluatedAt: epochSeconds(found.lifecycleEvaluatedAt ?? policy.updated),
      };
    },
  });
}

export const getLifecyclePolicy = (deps: EcrDeps) => lifecycleOperation("GetLifecyclePolicy", deps);
export const deleteLifecyclePolicy = (deps: EcrDeps) => lifecycleOperation("DeleteLifecyclePolicy", deps);
