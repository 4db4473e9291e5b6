import type { ActionRun, ExecutionState } from "../../../engine/execution-state.js";
import { executionOrderKey } from "../../../engine/ordering.js";
import { optional, struct } from "../../../lib/shape.js";
import { executionNotFound } from "../../../runtime/executions/orchestrator.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import { decodeNextToken, encodeNextToken } from "../../pagination.js";
import type { CodePipelineDeps } from "../deps.js";
import { renderActionExecutionDetail } from "../render-execution.js";
import { maxResults100, nextToken, pipelineName, uuid } from "../shapes.js";

/**
 * Action executions newest first: within an execution by start time, across executions
 * newest execution first. The token remembers the execution and how many of its runs were sent.
 */
export const listActionExecutions = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "ListActionExecutions",
    input: struct({
      pipelineName,
      filter: optional(struct({ pipelineExecutionId: optional(uuid) })),
      maxResults: maxResults100,
      nextToken,
    }),
    async handle(input, ctx) {
      const view = await deps.definitions.get(ctx.scope, input.pipelineName);
      if (!view.ok) throw fromFailure(view.error);
      const catalog = await deps.actionTypes.catalogFor(ctx.scope);
      const secrets = (run: ActionRun) =>
        new Set(
          (catalog.find(run.actionTypeId)?.actionConfigurationProperties ?? [])
            .filter((p) => p.secret)
            .map((p) => p.name),
        );
      const limit = input.maxResults ?? 100;
      const cursor = decodeCursor(decodeNextToken("ListActionExecutions", input.nextToken));
      const rows: ReturnType<typeof renderActionExecutionDetail>[] = [];
      let next: string | undefined;
      const take = (state: ExecutionState, skip: number, key: string): boolean => {
        const runs = [...state.actionRuns].reverse();
        for (let i = skip; i < runs.length; i++) {
          if (rows.length === limit) {
            next = `${i}|${key}`;
            return false;
          }
          const run = runs[i]!;
          rows.push(renderActionExecutionDetail(state, run, secrets(run)));
        }
        return true;
      };
      const only = input.filter?.pipelineExecutionId;
      if (only) {
        const record = await deps.runs.getExecution(only);
        if (
          !record ||
          record.pipelineName !== input.pipelineName ||
          record.scope.region !== ctx.scope.region
        ) {
          throw fromFailure(executionNotFound(input.pipelineName, only));
        }
        take(record.state, cursor?.skip ?? 0, only);
      } else {
        // Start at the cursor's execution itself: its list key plus a character no key contains.
        let after = cursor ? `${cursor.key}\uffff` : undefined;
        let skip = cursor?.skip ?? 0;
        outer: while (true) {
          const page = await deps.runs.listExecutions(ctx.scope, input.pipelineName, {
            ...(after === undefined ? {} : { after }),
            limit: 50,
          });
          for (const r of page.items) {
            const key = executionOrderKey(r.state.startTime, r.executionId);
            if (!take(r.state, skip, key)) break outer;
            skip = 0;
          }
          if (page.nextAfter === undefined) break;
          after = page.nextAfter;
        }
      }
      return {
        actionExecutionDetails: rows,
        ...(next ? { nextToken: encodeNextToken("ListActionExecutions", next) } : {}),
      };
    },
  });

function decodeCursor(text: string | undefined): { skip: number; key: string } | undefined {
  if (text === undefined) return undefined;
  const bar = text.indexOf("|");
  return { skip: Number(text.slice(0, bar)), key: text.slice(bar + 1) };
}
