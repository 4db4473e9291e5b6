import type { ServiceFailure } from "../../model/exceptions.js";
import type { ValidationIssue } from "../../model/validation-issue.js";

/**
 * The API's answer to a declaration with errors: AWS's exception type and message for the first
 * error (constraint clauses are joined the way AWS joins them), plus every issue in
 * `validationIssues` so a client sees all problems at once.
 */
export function validationFailure(issues: readonly ValidationIssue[]): ServiceFailure | undefined {
  const errors = issues.filter((i) => i.severity === "error");
  const first = errors[0];
  if (!first) return undefined;
  const message = first.exception === "ValidationException" ? joinConstraintClauses(errors) : first.message;
  return {
    type: first.exception,
    message,
    details: {
      validationIssues: issues.map(({ path, code, message, severity }) => ({
        path,
        code,
        message,
        severity,
      })),
    },
  };
}

function joinConstraintClauses(errors: readonly ValidationIssue[]): string {
  const clauses = errors.filter((e) => e.exception === "ValidationException").map((e) => e.message);
  return `${clauses.length} validation error${clauses.length === 1 ? "" : "s"} detected: ${clauses.join("; ")}`;
}
