import { string, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { pipelineName, stageName } from "../shapes.js";

const transitionType = string({ enum: ["Inbound", "Outbound"] as const });

export const enableStageTransition = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "EnableStageTransition",
    input: struct({ pipelineName, stageName, transitionType }),
    async handle(input, ctx) {
      const result = await deps.executions.setTransition(ctx.scope, input.pipelineName, {
        stageName: input.stageName,
        transitionType: input.transitionType,
        enabled: true,
        by: ctx.principal,
      });
      if (!result.ok) throw fromFailure(result.error);
      return {};
    },
  });

export const disableStageTransition = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "DisableStageTransition",
    input: struct({
      pipelineName,
      stageName,
      transitionType,
      reason: string({ min: 1, max: 300, pattern: "[a-zA-Z0-9!@ \\(\\)\\.\\*\\?\\-]+" }),
    }),
    async handle(input, ctx) {
      const result = await deps.executions.setTransition(ctx.scope, input.pipelineName, {
        stageName: input.stageName,
        transitionType: input.transitionType,
        enabled: false,
        reason: input.reason,
        by: ctx.principal,
      });
      if (!result.ok) throw fromFailure(result.error);
      return {};
    },
  });
