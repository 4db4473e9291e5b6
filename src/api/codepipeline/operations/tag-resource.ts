import { list, string, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { resourceArn, tagList } from "../shapes.js";

export const tagResource = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "TagResource",
    input: struct({ resourceArn, tags: tagList }),
    async handle(input, ctx) {
      const result = await deps.definitions.tagResource(ctx.scope, input.resourceArn, input.tags);
      if (!result.ok) throw fromFailure(result.error);
      return {};
    },
  });

export const untagResource = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "UntagResource",
    input: struct({ resourceArn, tagKeys: list(string({ min: 1, max: 128 }), { max: 50 }) }),
    async handle(input, ctx) {
      const result = await deps.definitions.untagResource(ctx.scope, input.resourceArn, input.tagKeys);
      if (!result.ok) throw fromFailure(result.error);
      return {};
    },
  });
