import { int, optional, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { renderMetadata } from "../render.js";
import { pipelineName } from "../shapes.js";

export const getPipeline = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "GetPipeline",
    input: struct({ name: pipelineName, version: optional(int({ min: 1 })) }),
    async handle(input, ctx) {
      const result = await deps.definitions.get(ctx.scope, input.name, input.version);
      if (!result.ok) throw fromFailure(result.error);
      return { pipeline: result.value.declaration, metadata: renderMetadata(result.value) };
    },
  });
