import { bool, optional, string, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { pipelineName, uuid } from "../shapes.js";

export const stopPipelineExecution = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "StopPipelineExecution",
    input: struct({
      pipelineName,
      pipelineExecutionId: uuid,
      abandon: optional(bool()),
      reason: optional(string({ max: 200 })),
    }),
    async handle(input, ctx) {
      const result = await deps.executions.stopExecution(
        ctx.scope,
        input.pipelineName,
        input.pipelineExecutionId,
        {
          abandon: input.abandon ?? false,
          ...(input.reason === undefined ? {} : { reason: input.reason }),
        },
      );
      if (!result.ok) throw fromFailure(result.error);
      return { pipelineExecutionId: result.value.executionId };
    },
  });
