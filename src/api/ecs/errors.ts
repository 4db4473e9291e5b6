import { awsConstraintClause, type ShapeProblem } from "../../lib/shape.js";
import { type ApiError, apiError } from "../errors.js";

/**
 * ECS answers a request member that breaks a constraint with InvalidParameterException (a
 * missing required member is ECS's "... can not be blank." in some operations; the clause
 * here names the member either way).
 */
export function ecsConstraintError(problems: readonly ShapeProblem[]): ApiError | undefined {
  const first = problems.find((p) => p.kind === "constraint");
  if (!first) return undefined;
  const where = first.jsonPath || first.awsPath;
  if (first.message === "Member must not be null")
    return apiError("InvalidParameterException", `${where} can not be blank. Give a value for ${where}.`);
  return apiError("InvalidParameterException", awsConstraintClause(first));
}
