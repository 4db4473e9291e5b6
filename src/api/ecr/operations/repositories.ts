import { bool, int, list, optional, string, struct } from "../../../lib/shape.js";
import { REPOSITORY_NAME_PATTERN } from "../../../registry/names.js";
import { defineOperation } from "../../operation.js";
import { decodeNextToken, encodeNextToken } from "../../pagination.js";
import type { EcrDeps } from "../deps.js";
import { ecrErrors } from "../errors.js";
import { renderRepository } from "../render.js";
import { checkTags, tagList } from "./tags.js";

export const repositoryName = string({ min: 2, max: 256, pattern: REPOSITORY_NAME_PATTERN });
export const registryId = optional(string({ pattern: "[0-9]{12}" }));
const mutability = string({ enum: ["MUTABLE", "IMMUTABLE"] as const });

/** CreateRepository: tag mutability, scan-on-push and encryption settings are kept as given. */
export const createRepository = (deps: EcrDeps) =>
  defineOperation({
    name: "CreateRepository",
    input: struct({
      registryId,
      repositoryName,
      tags: optional(tagList),
      imageTagMutability: optional(mutability),
      imageScanningConfiguration: optional(struct({ scanOnPush: optional(bool()) })),
      encryptionConfiguration: optional(
        struct({
          encryptionType: string({ enum: ["AES256", "KMS"] as const }),
          kmsKey: optional(string({ min: 1, max: 2048 })),
        }),
      ),
    }),
    async handle(input, ctx) {
      const scope = deps.registryScope;
      const tags = checkTags(input.tags ?? []);
      const record = {
        scope,
        name: input.repositoryName,
        created: ctx.now,
        imageTagMutability: input.imageTagMutability ?? "MUTABLE",
        scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false,
        encryptionType: input.encryptionConfiguration?.encryptionType ?? "AES256",
        ...(input.encryptionConfiguration?.kmsKey === undefined
          ? {}
          : { kmsKey: input.encryptionConfiguration.kmsKey }),
      } as const;
      const created = await deps.store.createRepository(record);
      if (!created.ok) throw ecrErrors.repositoryExists(scope, input.repositoryName);
      const rendered = renderRepository(deps, record);
      if (tags.length > 0) await deps.tags.put(rendered.repositoryArn, tags);
      return { repository: rendered };
    },
  });

/** DescribeRepositories: named ones (any missing one fails the call, as in ECR), or a page of all. */
export const describeRepositories = (deps: EcrDeps) =>
  defineOperation({
    name: "DescribeRepositories",
    input: struct({
      registryId,
      repositoryNames: optional(list(repositoryName, { min: 1, max: 100 })),
      nextToken: optional(string()),
      maxResults: optional(int({ min: 1, max: 1000 })),
    }),
    async handle(input) {
      const scope = deps.registryScope;
      if (input.repositoryNames) {
        if (input.nextToken !== undefined || input.maxResults !== undefined)
          throw ecrErrors.invalid(
            "Invalid parameter: nextToken and maxResults cannot be used with repositoryNames",
          );
        const repositories = [];
        for (const name of input.repositoryNames) {
          const found = await deps.store.getRepository(scope, name);
          if (!found) throw ecrErrors.repositoryNotFound(scope, name);
          repositories.push(renderRepository(deps, found));
        }
        return { repositories };
      }
      const after = decodeNextToken("ecr:DescribeRepositories", input.nextToken);
      const page = await deps.store.listRepositories(scope, {
        limit: input.maxResults ?? 100,
        ...(after === undefined ? {} : { after }),
      });
      return {
        repositories: page.items.map((r) => renderRepository(deps, r)),
        ...(page.nextAfter === undefined
          ? {}
          : { nextToken: encodeNextToken("ecr:DescribeRepositories", page.nextAfter) }),
      };
    },
  });

/** DeleteRepository: RepositoryNotEmptyException while it holds images, unless `force`. */
export const deleteRepository = (deps: EcrDeps) =>
  defineOperation({
    name: "DeleteRepository",
    input: struct({ registryId, repositoryName, force: optional(bool()) }),
    async handle(input) {
      const scope = deps.registryScope;
      const deleted = await deps.store.deleteRepository(scope, input.repositoryName, input.force ?? false);
      if (!deleted.ok && deleted.reason === "NotFound")
        throw ecrErrors.repositoryNotFound(scope, input.repositoryName);
      if (!deleted.ok) {
        throw ecrErrors.notEmpty(scope, input.repositoryName);
      }
      const rendered = renderRepository(deps, deleted.record);
      await deps.tags.put(rendered.repositoryArn, []);
      return { repository: rendered };
    },
  });

export const putImageTagMutability = (deps: EcrDeps) =>
  defineOperation({
    name: "PutImageTagMutability",
    input: struct({ registryId, repositoryName, imageTagMutability: mutability }),
    async handle(input) {
      const scope = deps.registryScope;
      const found = await deps.store.getRepository(scope, input.repositoryName);
      if (!found) throw ecrErrors.repositoryNotFound(scope, input.repositoryName);
      await deps.store.updateRepository({ ...found, imageTagMutability: input.imageTagMutability });
      return {
        registryId: scope.accountId,
        repositoryName: input.repositoryName,
        imageTagMutability: input.imageTagMutability,
      };
    },
  });

export const putImageScanningConfiguration = (deps: EcrDeps) =>
  defineOperation({
    name: "PutImageScanningConfiguration",
    input: struct({
      registryId,
      repositoryName,
      imageScanningConfiguration: struct({ scanOnPush: optional(bool()) }),
    }),
    async handle(input) {
      const scope = deps.registryScope;
      const found = await deps.store.getRepository(scope, input.repositoryName);
      if (!found) throw ecrErrors.repositoryNotFound(scope, input.repositoryName);
      const scanOnPush = input.imageScanningConfiguration.scanOnPush ?? false;
      await deps.store.updateRepository({ ...found, scanOnPush });
      return {
        registryId: scope.accountId,
        repositoryName: input.repositoryName,
        imageScanningConfiguration: { scanOnPush },
      };
    },
  });

export const describeRegistry = (deps: EcrDeps) =>
  defineOperation({
    name: "DescribeRegistry",
    input: struct({}),
    async handle() {
      return { registryId: deps.registryScope.accountId, replicationConfiguration: { rules: [] } };
    },
  });
