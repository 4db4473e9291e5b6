import { executionOrderKey } from "../../../engine/ordering.js";
import { optional, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { decodeNextToken, encodeNextToken } from "../../pagination.js";
import type { CodePipelineDeps } from "../deps.js";
import { renderExecutionSummary } from "../render-execution.js";
import { maxResults100, nextToken, pipelineName, stageName } from "../shapes.js";

/** Newest first, 100 per page unless maxResults says otherwise. */
export const listPipelineExecutions = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "ListPipelineExecutions",
    input: struct({
      pipelineName,
      maxResults: maxResults100,
      filter: optional(struct({ succeededInStage: optional(struct({ stageName: optional(stageName) })) })),
      nextToken,
    }),
    async handle(input, ctx) {
      const view = await deps.definitions.get(ctx.scope, input.pipelineName);
      if (!view.ok) throw fromFailure(view.error);
      const limit = input.maxResults ?? 100;
      const stage = input.filter?.succeededInStage?.stageName;
      let after = decodeNextToken("ListPipelineExecutions", input.nextToken);
      const items = [];
      let more = true;
      // With a filter, pages of the store are scanned until the answer's page is full.
      while (items.length < limit && more) {
        const page = await deps.runs.listExecutions(ctx.scope, input.pipelineName, {
          ...(after === undefined ? {} : { after }),
          limit: stage ? 100 : limit - items.length,
        });
        for (const [i, r] of page.items.entries()) {
          if (stage && r.state.stages[stage]?.status !== "Succeeded") continue;
          items.push(r);
          if (items.length === limit) {
            more = page.nextAfter !== undefined || i < page.items.length - 1;
            after = executionOrderKey(r.state.startTime, r.executionId);
            break;
          }
        }
        if (items.length < limit) {
          more = page.nextAfter !== undefined;
          after = page.nextAfter;
        }
      }
      return {
        pipelineExecutionSummaries: items.map((r) => renderExecutionSummary(r.state)),
        ...(more && after !== undefined
          ? { nextToken: encodeNextToken("ListPipelineExecutions", after) }
          : {}),
      };
    },
  });
