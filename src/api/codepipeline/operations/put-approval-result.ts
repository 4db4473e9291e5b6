import { string, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { epochSeconds } from "../../pagination.js";
import type { CodePipelineDeps } from "../deps.js";
import { actionName, pipelineName, stageName, uuid } from "../shapes.js";

export const putApprovalResult = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "PutApprovalResult",
    input: struct({
      pipelineName,
      stageName,
      actionName,
      result: struct({
        summary: string({ min: 0, max: 512 }),
        status: string({ enum: ["Approved", "Rejected"] as const }),
      }),
      token: uuid,
    }),
    async handle(input, ctx) {
      const result = await deps.jobResults.putApprovalResult(ctx.scope, {
        pipelineName: input.pipelineName,
        stageName: input.stageName,
        actionName: input.actionName,
        token: input.token,
        status: input.result.status,
        summary: input.result.summary,
        by: ctx.principal,
      });
      if (!result.ok) throw fromFailure(result.error);
      return { approvedAt: epochSeconds(result.value.approvedAt) };
    },
  });
