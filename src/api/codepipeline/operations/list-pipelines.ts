import { int, optional, struct } from "../../../lib/shape.js";
import { defineOperation } from "../../operation.js";
import { decodeNextToken, encodeNextToken, epochSeconds } from "../../pagination.js";
import type { CodePipelineDeps } from "../deps.js";
import { nextToken } from "../shapes.js";

/** Without maxResults a page holds 100 pipelines; the CLI follows nextToken on its own. */
const DEFAULT_PAGE = 100;

export const listPipelines = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "ListPipelines",
    input: struct({ nextToken, maxResults: optional(int({ min: 1, max: 1000 })) }),
    async handle(input, ctx) {
      const after = decodeNextToken("ListPipelines", input.nextToken);
      const page = await deps.definitions.list(ctx.scope, after, input.maxResults ?? DEFAULT_PAGE);
      return {
        pipelines: page.items.map((p) => ({
          name: p.name,
          version: p.version,
          ...(p.pipelineType ? { pipelineType: p.pipelineType } : {}),
          ...(p.executionMode ? { executionMode: p.executionMode } : {}),
          created: epochSeconds(p.created),
          updated: epochSeconds(p.updated),
        })),
        ...(page.nextAfter === undefined
          ? {}
          : { nextToken: encodeNextToken("ListPipelines", page.nextAfter) }),
      };
    },
  });
