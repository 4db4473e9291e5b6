import { string, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { pipelineName, stageName, uuid } from "../shapes.js";

export const overrideStageCondition = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "OverrideStageCondition",
    input: struct({
      pipelineName,
      stageName,
      pipelineExecutionId: uuid,
      conditionType: string({ enum: ["BEFORE_ENTRY", "ON_SUCCESS"] as const }),
    }),
    async handle(input, ctx) {
      const result = await deps.executions.overrideStageCondition(ctx.scope, input.pipelineName, {
        stageName: input.stageName,
        executionId: input.pipelineExecutionId,
        conditionType: input.conditionType,
      });
      if (!result.ok) throw fromFailure(result.error);
      return {};
    },
  });
