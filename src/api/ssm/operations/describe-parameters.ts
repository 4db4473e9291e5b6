import { bool, int, optional, string, struct } from "../../../lib/shape.js";
import { apiError } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { SsmDeps } from "../deps.js";
import {
  checkDescribeFilters,
  legacyFilters,
  legacyMatches,
  parameterFilters,
  recordMatches,
} from "../filters.js";
import { renderMetadata } from "../render.js";
import { decodeSsmToken, encodeSsmToken } from "../tokens.js";
import { collect } from "./get-parameters.js";

/** DescribeParameters: metadata (never values) of the scope's parameters, in name order. */
export const describeParameters = (deps: SsmDeps) =>
  defineOperation({
    name: "DescribeParameters",
    input: struct({
      Filters: optional(legacyFilters),
      ParameterFilters: optional(parameterFilters),
      MaxResults: optional(int({ min: 1, max: 50 })),
      NextToken: optional(string()),
      Shared: optional(bool()),
    }),
    async handle(input, ctx) {
      if (input.Filters && input.ParameterFilters) {
        throw apiError(
          "ValidationException",
          "You can use either Filters or ParameterFilters in a single request.",
        );
      }
      const filters = input.ParameterFilters ?? [];
      checkDescribeFilters(filters);
      // Nothing is shared between accounts here, so a request for shared parameters finds none.
      if (input.Shared) return { Parameters: [] };
      const page = await collect(
        deps,
        ctx.scope,
        { after: decodeSsmToken("DescribeParameters", input.NextToken), limit: input.MaxResults ?? 10 },
        (r) => recordMatches(r, filters) && legacyMatches(r, input.Filters ?? []),
      );
      return {
        Parameters: page.items.map(renderMetadata),
        ...(page.nextAfter === undefined
          ? {}
          : { NextToken: encodeSsmToken("DescribeParameters", page.nextAfter) }),
      };
    },
  });
