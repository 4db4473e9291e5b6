import type { FunctionRecord, Scope } from "../../store/types.js";

/**
 * What the function service needs to run code; main/functions.ts adapts src/lambda's runner
 * and inside access (credentials, endpoints) to it.
 */
export interface FunctionExecutor {
  /** Runtimes this machine can run (python3.* only where python3 is installed). */
  supports(runtime: string): boolean;
  /** Why this zip cannot run this handler (for InvalidParameterValueException), or undefined. */
  checkCode(zip: Uint8Array, runtime: string, handler: string): Promise<string | undefined>;
  /** Runs one invocation to its end: the function's result or error is data, never a throw. */
  run(request: {
    readonly scope: Scope;
    readonly fn: FunctionRecord;
    readonly functionArn: string;
    readonly code: () => Promise<Uint8Array>;
    readonly payload: Uint8Array;
    readonly requestId: string;
    readonly signal?: AbortSignal;
  }): Promise<InvocationResult>;
  /** Ends processes kept for later invocations (a stopping server). */
  shutdown?(): void;
}

/** One invocation's end, as Lambda reports it. */
export interface InvocationResult {
  readonly payload: Uint8Array;
  readonly functionError?: "Unhandled";
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  /** START .. REPORT lines and what the function wrote. */
  readonly log: string;
  readonly durationMs: number;
}
