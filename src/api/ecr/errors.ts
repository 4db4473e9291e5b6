import { awsConstraintClause, type ShapeProblem } from "../../lib/shape.js";
import type { Scope } from "../../store/types.js";
import { type ApiError, apiError } from "../errors.js";

/** ECR's own wording for its common failures. */
export const ecrErrors = {
  repositoryNotFound: (scope: Scope, name: string) =>
    apiError(
      "RepositoryNotFoundException",
      `The repository with name '${name}' does not exist in the registry with id '${scope.accountId}'`,
    ),
  repositoryExists: (scope: Scope, name: string) =>
    apiError(
      "RepositoryAlreadyExistsException",
      `The repository with name '${name}' already exists in the registry with id '${scope.accountId}'`,
    ),
  notEmpty: (scope: Scope, name: string) =>
    apiError(
      "RepositoryNotEmptyException",
      `The repository with name '${name}' in registry with id '${scope.accountId}' cannot be deleted because it still contains images`,
    ),
  tagImmutable: (name: string, tag: string) =>
    apiError(
      "ImageTagAlreadyExistsException",
      `The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable.`,
    ),
  invalid: (message: string) => apiError("InvalidParameterException", message),
};

/**
 * ECR answers constraint problems as InvalidParameterException, in its own words ("Invalid
 * parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression
 * ...'"), not as the ValidationException other JSON services use.
 */
export function ecrConstraintError(problems: readonly ShapeProblem[]): ApiError | undefined {
  const first = problems.find((p) => p.kind === "constraint");
  if (!first) return undefined;
  const clause = first.message
    .replace(
      /^Member must satisfy regular expression pattern: (.*)$/u,
      "must satisfy regular expression '$1'",
    )
    .replace(/^Member must not be null$/u, "must not be null")
    .replace(/^Member must (.*)$/u, "must $1");
  const where = first.awsPath || first.jsonPath;
  return first.message.startsWith("Member must")
    ? apiError(
        "InvalidParameterException",
        `Invalid parameter at '${where}' failed to satisfy constraint: '${clause}'`,
      )
    : apiError("InvalidParameterException", awsConstraintClause(first));
}
