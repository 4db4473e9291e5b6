import type { Shape, ShapeProblem } from "../lib/shape.js";
import type { ApiError } from "./errors.js";
import type { RequestContext } from "./request-context.js";

/**
 * One AWS operation. `input` checks the request body (AWS's constraint messages come from it);
 * `handle` does the work and returns the output shape's JSON (timestamps already as epoch
 * seconds) or throws ApiError for an expected failure. Anything else thrown is a bug or an
 * infrastructure failure and becomes InternalFailure without leaking details.
 */
export interface Operation<I = unknown, O = unknown> {
  readonly name: string;
  readonly input: Shape<I>;
  handle(input: I, context: RequestContext): Promise<O>;
}

export function defineOperation<I, O>(op: Operation<I, O>): Operation<I, O> {
  return op;
}

/** A JSON 1.1 service: every operation answers `POST /` with `X-Amz-Target: <targetPrefix>.<name>`. */
export interface JsonService {
  readonly targetPrefix: string;
  /** The SigV4 signing name (`codepipeline`, `codebuild`, ...), used to route unsigned-target requests. */
  readonly signingName: string;
  // biome-ignore lint/suspicious/noExplicitAny: operations of different input/output types share one table.
  readonly operations: readonly Operation<any, any>[];
  /** AWS JSON 1.0 or 1.1 (the response's content type); 1.1 unless said. */
  readonly jsonVersion?: "1.0" | "1.1";
  /** Real operations of the service that Pipewright does not implement yet: answered with a clear error. */
  readonly notImplemented: readonly string[];
  /** The service's own answer to constraint problems (ECR: InvalidParameterException); default ValidationException. */
  readonly constraintError?: (problems: readonly ShapeProblem[]) => ApiError | undefined;
}
