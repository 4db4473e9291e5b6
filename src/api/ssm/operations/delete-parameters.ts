import { list, string, struct } from "../../../lib/shape.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { SsmDeps } from "../deps.js";

const name = string({ min: 1, max: 2048 });

/** DeleteParameter: every version of one parameter; ParameterNotFound when there is none. */
export const deleteParameter = (deps: SsmDeps) =>
  defineOperation({
    name: "DeleteParameter",
    input: struct({ Name: name }),
    async handle(input, ctx) {
      const removed = await deps.parameters.remove(ctx.scope, input.Name);
      if (!removed.ok) throw fromFailure(removed.error);
      return {};
    },
  });

/** DeleteParameters: up to 10; names that do not exist come back in InvalidParameters. */
export const deleteParameters = (deps: SsmDeps) =>
  defineOperation({
    name: "DeleteParameters",
    input: struct({ Names: list(name, { min: 1, max: 10 }) }),
    async handle(input, ctx) {
      const DeletedParameters: string[] = [];
      const InvalidParameters: string[] = [];
      for (const parameter of new Set(input.Names)) {
        const removed = await deps.parameters.remove(ctx.scope, parameter);
        (removed.ok ? DeletedParameters : InvalidParameters).push(parameter);
      }
      return { DeletedParameters, InvalidParameters };
    },
  });
