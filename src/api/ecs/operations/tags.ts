import { list, string, struct } from "../../../lib/shape.js";
import type { Tag } from "../../../model/ecs/types.js";
import { mergeTags } from "../../../runtime/ecs/tags.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { EcsDeps } from "../deps.js";
import { tags } from "../shapes.js";

/** Refuses tags a create call may not set (reserved `aws:` keys, more than 50): the same rules as TagResource. */
export function checkTags(given: readonly Tag[] | undefined): void {
  if (!given) return;
  const merged = mergeTags([], given);
  if (!merged.ok) throw fromFailure(merged.error);
}

const resourceArn = string({ min: 1 });

export const tagResource = (deps: EcsDeps) =>
  defineOperation({
    name: "TagResource",
    input: struct({ resourceArn, tags }),
    async handle(input, { scope }) {
      const changed = await deps.tags.tag(scope, input.resourceArn, input.tags ?? []);
      if (!changed.ok) throw fromFailure(changed.error);
      return {};
    },
  });

export const untagResource = (deps: EcsDeps) =>
  defineOperation({
    name: "UntagResource",
    input: struct({ resourceArn, tagKeys: list(string({ min: 1, max: 128 }), { max: 50 }) }),
    async handle(input, { scope }) {
      const changed = await deps.tags.untag(scope, input.resourceArn, input.tagKeys);
      if (!changed.ok) throw fromFailure(changed.error);
      return {};
    },
  });

export const listTagsForResource = (deps: EcsDeps) =>
  defineOperation({
    name: "ListTagsForResource",
    input: struct({ resourceArn }),
    async handle(input, { scope }) {
      const found = await deps.tags.list(scope, input.resourceArn);
      if (!found.ok) throw fromFailure(found.error);
      return { tags: found.value };
    },
  });
