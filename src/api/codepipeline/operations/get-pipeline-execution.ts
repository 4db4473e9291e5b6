import { struct } from "../../../lib/shape.js";
import { executionNotFound } from "../../../runtime/executions/orchestrator.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { renderPipelineExecution } from "../render-execution.js";
import { pipelineName, uuid } from "../shapes.js";

export const getPipelineExecution = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "GetPipelineExecution",
    input: struct({ pipelineName, pipelineExecutionId: uuid }),
    async handle(input, ctx) {
      const view = await deps.definitions.get(ctx.scope, input.pipelineName);
      if (!view.ok) throw fromFailure(view.error);
      const record = await deps.runs.getExecution(input.pipelineExecutionId);
      if (
        !record ||
        record.pipelineName !== input.pipelineName ||
        record.scope.accountId !== ctx.scope.accountId ||
        record.scope.region !== ctx.scope.region
      ) {
        throw fromFailure(executionNotFound(input.pipelineName, input.pipelineExecutionId));
      }
      return { pipelineExecution: renderPipelineExecution(record.state) };
    },
  });
