import { struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { pipelineName, stageName, uuid } from "../shapes.js";

export const rollbackStage = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "RollbackStage",
    input: struct({ pipelineName, stageName, targetPipelineExecutionId: uuid }),
    async handle(input, ctx) {
      const result = await deps.executions.rollbackStage(
        ctx.scope,
        input.pipelineName,
        input.stageName,
        input.targetPipelineExecutionId,
        ctx.principal,
      );
      if (!result.ok) throw fromFailure(result.error);
      return { pipelineExecutionId: result.value.executionId };
    },
  });
