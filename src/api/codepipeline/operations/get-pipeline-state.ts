import { struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { executionsNamedBy, renderPipelineState } from "../pipeline-state.js";
import { pipelineName } from "../shapes.js";

export const getPipelineState = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "GetPipelineState",
    input: struct({ name: pipelineName }),
    async handle(input, ctx) {
      const view = await deps.definitions.get(ctx.scope, input.name);
      if (!view.ok) throw fromFailure(view.error);
      const lanes = await deps.runs.getLanes(ctx.scope, input.name);
      const records = await deps.runs.getExecutions(executionsNamedBy(lanes));
      const catalog = await deps.actionTypes.catalogFor(ctx.scope);
      return renderPipelineState(
        view.value,
        lanes,
        new Map(records.map((r) => [r.executionId, r.state])),
        catalog,
      );
    },
  });
