import { string, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { pipelineName, stageName, uuid } from "../shapes.js";

export const retryStageExecution = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "RetryStageExecution",
    input: struct({
      pipelineName,
      stageName,
      pipelineExecutionId: uuid,
      retryMode: string({ enum: ["FAILED_ACTIONS", "ALL_ACTIONS"] as const }),
    }),
    async handle(input, ctx) {
      const result = await deps.executions.retryStage(
        ctx.scope,
        input.pipelineName,
        input.pipelineExecutionId,
        input.stageName,
        input.retryMode,
      );
      if (!result.ok) throw fromFailure(result.error);
      return { pipelineExecutionId: result.value.executionId };
    },
  });
