import { list, string, struct } from "../../../lib/shape.js";
import type { Tag } from "../../../model/declaration.js";
import { repositoryOfArn } from "../../../registry/names.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { EcrDeps } from "../deps.js";
import { ecrErrors } from "../errors.js";

export const tagList = list(struct({ Key: string(), Value: string() }));

/** ECR's tag rules: keys 1-128 characters, values up to 256, no `aws:` prefix, at most 50. */
export function checkTags(tags: readonly { Key: string; Value: string }[]): Tag[] {
  for (const t of tags) {
    if (
      t.Key.length < 1 ||
      t.Key.length > 128 ||
      t.Value.length > 256 ||
      t.Key.toLowerCase().startsWith("aws:")
    ) {
      throw apiError(
        "InvalidTagParameterException",
        `The tag '${t.Key.slice(0, 128)}' is invalid: keys are 1-128 characters, values at most 256, and 'aws:' is reserved`,
      );
    }
  }
  if (new Set(tags.map((t) => t.Key)).size > 50)
    throw apiError("TooManyTagsException", "A repository can have at most 50 tags");
  return tags.map((t) => ({ key: t.Key, value: t.Value }));
}

async function repositoryArnOf(deps: EcrDeps, arn: string): Promise<string> {
  const scope = deps.registryScope;
  const name = repositoryOfArn(scope, arn);
  if (name === undefined)
    throw ecrErrors.invalid(
      `Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN ${arn}'`,
    );
  if (!(await deps.store.getRepository(scope, name))) throw ecrErrors.repositoryNotFound(scope, name);
  return arn;
}

export const tagResource = (deps: EcrDeps) =>
  defineOperation({
    name: "TagResource",
    input: struct({ resourceArn: string(), tags: tagList }),
    async handle(input) {
      const arn = await repositoryArnOf(deps, input.resourceArn);
      const added = checkTags(input.tags);
      const merged = new Map((await deps.tags.get(arn)).map((t) => [t.key, t.value]));
      for (const t of added) merged.set(t.key, t.value);
      if (merged.size > 50) throw apiError("TooManyTagsException", "A repository can have at most 50 tags");
      await deps.tags.put(
        arn,
        [...merged].map(([key, value]) => ({ key, value })),
      );
      return {};
    },
  });

export const untagResource = (deps: EcrDeps) =>
  defineOperation({
    name: "UntagResource",
    input: struct({ resourceArn: string(), tagKeys: list(string()) }),
    async handle(input) {
      const arn = await repositoryArnOf(deps, input.resourceArn);
      const drop = new Set(input.tagKeys);
      await deps.tags.put(
        arn,
        (await deps.tags.get(arn)).filter((t) => !drop.has(t.key)),
      );
      return {};
    },
  });

export const listTagsForResource = (deps: EcrDeps) =>
  defineOperation({
    name: "ListTagsForResource",
    input: struct({ resourceArn: string() }),
    async handle(input) {
      const arn = await repositoryArnOf(deps, input.resourceArn);
      return { tags: (await deps.tags.get(arn)).map((t) => ({ Key: t.key, Value: t.value })) };
    },
  });
