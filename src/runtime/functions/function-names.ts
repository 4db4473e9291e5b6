import { err, ok, type Result } from "../../lib/result.js";
import type { Scope } from "../../store/types.js";
import { failure, type LambdaFailure } from "./lambda-failure.js";

const NAME = /^[a-zA-Z0-9_-]{1,64}$/u;
// Lambda's NamespacedFunctionName: a name, a partial ARN (`123456789012:function:name`) or a
// full ARN, each with an optional `:qualifier`.
const REFERENCE =
  /^(?:arn:aws[a-zA-Z-]*:lambda:(?<region>[a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(?<account>\d{12}):)?(?:function:)?(?<name>[a-zA-Z0-9_-]+)(?::(?<qualifier>\$LATEST|[a-zA-Z0-9_-]+))?$/u;

export function functionArn(scope: Scope, name: string): string {
  return `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${name}`;
}

export function notFound(scope: Scope, name: string, qualifier?: string): LambdaFailure {
  return failure(
    "ResourceNotFoundException",
    `Function not found: ${functionArn(scope, name)}${qualifier === undefined ? "" : `:${qualifier}`}`,
  );
}

/**
 * The function a FunctionName member names in this scope. An ARN of another account or region
 * names nothing here; a qualifier other than $LATEST names a version Pipewright never publishes.
 */
export function resolveFunctionName(
  scope: Scope,
  reference: string,
  qualifier?: string,
): Result<string, LambdaFailure> {
  const match = REFERENCE.exec(reference);
  const groups = match?.groups;
  if (!groups?.name || reference.length > 170) {
    return err(
      failure(
        "ValidationException",
        `1 validation error detected: Value '${reference}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
      ),
    );
  }
  const name = groups.name;
  if (!NAME.test(name))
    return err(
      failure(
        "ValidationException",
        `Function name '${name}' must be 1 to 64 letters, digits, hyphens or underscores`,
      ),
    );
  if (
    (groups.region && groups.region !== scope.region) ||
    (groups.account && groups.account !== scope.accountId)
  )
    return err(notFound(scope, name));
  const q = qualifier ?? groups.qualifier;
  if (q !== undefined && q !== "$LATEST") return err(notFound(scope, name, q));
  return ok(name);
}

export function isFunctionName(name: string): boolean {
  return NAME.test(name);
}
