import { optional, string, stringMap, struct } from "../../../lib/shape.js";
import type { RepositoryRecord } from "../../../store/types.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { RequestContext } from "../../request-context.js";
import type { CodeCommitDeps } from "../deps.js";
import { renderRepositoryMetadata, repositoryArn } from "../render.js";
import { requireRepositoryName } from "../repository-name.js";

// CodeCommit checks names and descriptions itself and answers with its own exceptions, so the
// input shapes check only types; the handlers apply the model's constraints.
const nameOnly = struct({ repositoryName: optional(string()) });

/** The repository of that name in the request's scope, or RepositoryDoesNotExistException. */
export async function findRepository(
  deps: CodeCommitDeps,
  ctx: RequestContext,
  repositoryName: string | undefined,
): Promise<RepositoryRecord> {
  const name = requireRepositoryName(repositoryName);
  const record = await deps.repositories.get(ctx.scope, name);
  if (!record) throw apiError("RepositoryDoesNotExistException", `${name} does not exist`);
  return record;
}

export const createRepository = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "CreateRepository",
    input: struct({
      repositoryName: optional(string()),
      repositoryDescription: optional(string()),
      tags: optional(stringMap()),
    }),
    async handle(input, ctx) {
      const name = requireRepositoryName(input.repositoryName);
      const description = input.repositoryDescription;
      if (description !== undefined && [...description].length > 1000) {
        throw apiError(
          "InvalidRepositoryDescriptionException",
          "The repository description is not valid. Descriptions can be at most 1,000 characters long.",
        );
      }
      const tags = checkTags(input.tags ?? {});
      const record: RepositoryRecord = {
        scope: ctx.scope,
        repositoryId: deps.newId(),
        name,
        ...(description === undefined ? {} : { description }),
        created: ctx.now,
        lastModified: ctx.now,
      };
      const created = await deps.repositories.create(record);
      if (!created.ok)
        throw apiError("RepositoryNameExistsException", `Repository named ${name} already exists`);
      if (tags.length > 0) await deps.tags.put(repositoryArn(record), tags);
      return { repositoryMetadata: renderRepositoryMetadata(record, ctx.origin) };
    },
  });

export const getRepository = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "GetRepository",
    input: nameOnly,
    async handle(input, ctx) {
      const record = await findRepository(deps, ctx, input.repositoryName);
      return { repositoryMetadata: renderRepositoryMetadata(record, ctx.origin) };
    },
  });

/** Deleting a repository that does not exist succeeds with no repositoryId, as in CodeCommit. */
export const deleteRepository = (deps: CodeCommitDeps) =>
  defineOperation({
    name: "DeleteRepository",
    input: nameOnly,
    async handle(input, ctx) {
      const name = requireRepositoryName(input.repositoryName);
      const removed = await deps.repositories.remove(ctx.scope, name);
      if (!removed) return {};
      await deps.tags.put(repositoryArn(removed), []);
      return { repositoryId: removed.repositoryId };
    },
  });

/** CodeCommit's tag rules: keys 1-128 characters and not `aws:`, values up to 256, at most 50. */
function checkTags(tags: Record<string, string>): { key: string; value: string }[] {
  const entries = Object.entries(tags);
  if (entries.some(([key, value]) => key.length < 1 || key.length > 128 || value.length > 256)) {
    throw apiError(
      "InvalidTagsMapException",
      "The map of tags is not valid: keys must be 1 to 128 characters long and values at most 256.",
    );
  }
  if (entries.some(([key]) => key.toLowerCase().startsWith("aws:"))) {
    throw apiError(
      "InvalidSystemTagUsageException",
      "The specified tag is not valid. Key names cannot be prefixed with aws:.",
    );
  }
  if (entries.length > 50) {
    throw apiError(
      "TooManyTagsException",
      "The maximum number of tags for an AWS CodeCommit resource (50) has been exceeded.",
    );
  }
  return entries
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
