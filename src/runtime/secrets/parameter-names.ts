import type { ExceptionType, ServiceFailure } from "../../model/exceptions.js";

/** AWS's limit on levels of a parameter path (`/a/b/c` has three). */
export const MAX_PARAMETER_LEVELS = 15;

/** AWS's answer to a name with characters outside `a-zA-Z0-9_.-/` or an empty path segment. */
export const PARAMETER_NAME_RULES =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

const failure = (type: ExceptionType, message: string): ServiceFailure => ({ type, message });

/**
 * The problem with a name PutParameter would store, in AWS's words, or undefined for a good one:
 * `a-zA-Z0-9_.-/` only; a name with `/` is a path that starts with `/`, has no empty level and at
 * most 15 levels; names (or a path's first level) beginning with `aws` or `ssm` in any case are
 * reserved for AWS.
 */
export function parameterNameProblem(name: string): ServiceFailure | undefined {
  if (!/^[a-zA-Z0-9_.\-/]+$/u.test(name)) return failure("ValidationException", PARAMETER_NAME_RULES);
  if (!name.includes("/")) {
    return /^(aws|ssm)/iu.test(name)
      ? failure(
          "ValidationException",
          'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
        )
      : undefined;
  }
  if (!name.startsWith("/")) {
    return failure("ValidationException", "Parameter name must be a fully qualified name.");
  }
  const levels = name.slice(1).split("/");
  if (levels.some((level) => level === "")) return failure("ValidationException", PARAMETER_NAME_RULES);
  if (/^aws/iu.test(levels[0]!)) {
    return failure("ValidationException", `No access to reserved parameter name: ${name}.`);
  }
  if (/^ssm/iu.test(levels[0]!)) return failure("ValidationException", PARAMETER_NAME_RULES);
  if (levels.length > MAX_PARAMETER_LEVELS) {
    return failure(
      "HierarchyLevelLimitExceededException",
      `A hierarchy can have a maximum of ${MAX_PARAMETER_LEVELS} levels. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html`,
    );
  }
  return undefined;
}

/**
 * Splits GetParameter's `name:selector` (a version number, or a label, which Pipewright does not
 * keep). A name has no colon, so the selector starts at the first one.
 */
export function parseParameterSelector(reference: string): {
  readonly name: string;
  readonly selector?: string;
  readonly version?: number;
} {
  const colon = reference.indexOf(":");
  if (colon < 0) return { name: reference };
  const name = reference.slice(0, colon);
  const selector = reference.slice(colon + 1);
  return /^[1-9][0-9]{0,15}$/u.test(selector)
    ? { name, selector, version: Number(selector) }
    : { name, selector };
}

/** A parameter's ARN: `arn:aws:ssm:<region>:<account>:parameter/<name without its leading />`. */
export function parameterArn(scope: { accountId: string; region: string }, name: string): string {
  return `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/${name.replace(/^\//u, "")}`;
}
