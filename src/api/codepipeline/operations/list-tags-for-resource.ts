import { int, optional, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { nextToken, resourceArn } from "../shapes.js";

/** AWS returns every tag (at most 50) in one page; nextToken is accepted and never issued. */
export const listTagsForResource = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "ListTagsForResource",
    input: struct({ resourceArn, nextToken, maxResults: optional(int({ min: 1, max: 100 })) }),
    async handle(input, ctx) {
      const result = await deps.definitions.listTags(ctx.scope, input.resourceArn);
      if (!result.ok) throw fromFailure(result.error);
      return { tags: result.value };
    },
  });
