import { list, optional, string, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { pipelineName } from "../shapes.js";

export const startPipelineExecution = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "StartPipelineExecution",
    input: struct({
      name: pipelineName,
      variables: optional(
        list(
          struct({
            name: string({ min: 1, max: 128, pattern: "[A-Za-z0-9@\\-_]+" }),
            value: string({ min: 1, max: 1000 }),
          }),
          { min: 1, max: 50 },
        ),
      ),
      clientRequestToken: optional(string({ min: 1, max: 128, pattern: "^[a-zA-Z0-9-]+$" })),
      sourceRevisions: optional(
        list(
          struct({
            actionName: string({ min: 1, max: 100, pattern: "[A-Za-z0-9.@\\-_]+" }),
            revisionType: string({
              enum: ["COMMIT_ID", "IMAGE_DIGEST", "S3_OBJECT_VERSION_ID", "S3_OBJECT_KEY"] as const,
            }),
            revisionValue: string({ min: 1, max: 1500 }),
          }),
          { max: 50 },
        ),
      ),
    }),
    async handle(input, ctx) {
      const result = await deps.executions.startExecution(ctx.scope, input.name, {
        trigger: { triggerType: "StartPipelineExecution", triggerDetail: ctx.principal },
        ...(input.variables ? { variables: input.variables } : {}),
        ...(input.sourceRevisions ? { sourceRevisions: input.sourceRevisions } : {}),
        ...(input.clientRequestToken ? { clientRequestToken: input.clientRequestToken } : {}),
      });
      if (!result.ok) throw fromFailure(result.error);
      return { pipelineExecutionId: result.value.executionId };
    },
  });
