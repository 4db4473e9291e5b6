import { anyJson, optional, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { warningMember } from "../render.js";
import { tagList } from "../shapes.js";

export const createPipeline = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "CreatePipeline",
    // The declaration is read by the model so that every problem gets a path and a rule code.
    input: struct({ pipeline: anyJson(), tags: optional(tagList) }),
    async handle(input, ctx) {
      const result = await deps.definitions.create(ctx.scope, input.pipeline, input.tags ?? [], ctx.now);
      if (!result.ok) throw fromFailure(result.error);
      if (deps.startOnCreate) {
        // AWS runs a new pipeline once; if that start fails (it cannot, short of a storage
        // failure), the pipeline is still created, so the error is not the caller's.
        await deps.executions.startExecution(ctx.scope, result.value.view.record.name, {
          trigger: { triggerType: "CreatePipeline", triggerDetail: ctx.principal },
        });
      }
      return {
        pipeline: result.value.view.declaration,
        ...(input.tags === undefined ? {} : { tags: result.value.tags }),
        ...warningMember(result.value.warnings),
      };
    },
  });
