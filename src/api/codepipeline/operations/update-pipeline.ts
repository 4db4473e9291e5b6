import { anyJson, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { warningMember } from "../render.js";

export const updatePipeline = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "UpdatePipeline",
    input: struct({ pipeline: anyJson() }),
    async handle(input, ctx) {
      const result = await deps.definitions.update(ctx.scope, input.pipeline, ctx.now);
      if (!result.ok) throw fromFailure(result.error);
      return { pipeline: result.value.view.declaration, ...warningMember(result.value.warnings) };
    },
  });
