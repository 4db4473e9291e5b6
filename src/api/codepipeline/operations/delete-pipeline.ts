import { struct } from "../../../lib/shape.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { pipelineName } from "../shapes.js";

export const deletePipeline = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "DeletePipeline",
    input: struct({ name: pipelineName }),
    async handle(input, ctx) {
      await deps.definitions.remove(ctx.scope, input.name);
      return {};
    },
  });
