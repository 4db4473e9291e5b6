import type { ArtifactLocation } from "../engine/execution-state.js";
import type { ActionOutcome } from "../engine/outcome.js";
import type { JobSpec } from "../engine/world.js";
import type { Clock } from "../lib/clock.js";
import { type ActionTypeSpec, actionTypeKey } from "../model/action-types/action-type.js";
import type { ActionTypeId } from "../model/declaration.js";

/**
 * The provider SPI: how Pipewright runs an action type itself. A provider is handed one job at
 * a time by the in-process worker (runtime/components/provider-worker.ts), which claimed it from
 * the same job table external workers poll. Contract:
 *
 *  - `start(ctx)` does the work for job step 0 and returns its outcome. It must be idempotent
 *    per `ctx.idempotencyKey`: after a crash the same job is offered again (a new job id, the
 *    same key), and doing the work twice is the provider's bug, not the runtime's. Providers
 *    with side effects keep a record keyed by it (see test-fake/).
 *  - An action that fails is an outcome (`{kind: "failed"}`), never a throw. A throw means the
 *    provider itself broke; the worker records it as a SystemUnavailable failure.
 *  - Long work returns `{kind: "inProgress", continuationToken, pollAfterMs}`; the runtime then
 *    offers a continuation job and calls `poll(ctx)` with `ctx.continuationToken`. Nothing is
 *    lost across a restart: the token is stored with the job.
 *  - Work that waits for a person or another system returns `{kind: "awaitingCallback"}`; the
 *    matching API call (PutApprovalResult) finishes the action.
 *  - `ctx.signal` aborts when the action is abandoned or times out; stop promptly.
 *  - Calls for different jobs may run concurrently; a provider holds no per-job state in memory
 *    that it cannot rebuild from the context.
 */
export interface ActionProvider {
  /** The action types this provider runs (CodeBuild runs Build/CodeBuild and Test/CodeBuild). */
  readonly actionTypeIds: readonly ActionTypeId[];
  /**
   * Specs of types AWS's catalogue lacks (test-fake's), so pipelines can use them; AWS's own
   * types are already in model/action-types.
   */
  readonly specs?: readonly ActionTypeSpec[];
  start(ctx: ActionContext): Promise<ActionOutcome>;
  /** Required when `start` can return inProgress. */
  poll?(ctx: ActionContext): Promise<ActionOutcome>;
  /**
   * The engine abandoned these action runs (StopPipelineExecution with abandon) or they timed
   * out: stop work they left running between polls, such as a build (best effort, never throws).
   */
  cancel?(actionExecutionIds: readonly string[]): void;
}

/** Everything a provider learns about the job it runs. */
export interface ActionContext {
  readonly jobId: string;
  /** `<actionExecutionId>/<step>`: the same for every offer of this step. */
  readonly idempotencyKey: string;
  /** 1 for the first offer, +1 for each re-offer after a lost lease. */
  readonly attempt: number;
  readonly job: JobSpec;
  readonly accountId: string;
  readonly region: string;
  /** Resolved configuration, secrets included. */
  readonly configuration: Readonly<Record<string, string>>;
  readonly continuationToken?: string;
  readonly inputArtifacts: readonly ArtifactLocation[];
  readonly outputArtifacts: readonly ArtifactLocation[];
  readonly artifacts: ArtifactAccess;
  readonly log: ActionLog;
  readonly signal: AbortSignal;
  readonly clock: Clock;
}

/** Reading inputs and writing outputs in the artifact store (S3-style objects). */
export interface ArtifactAccess {
  read(location: ArtifactLocation): Promise<Uint8Array>;
  /** Stores an artifact; a stream is written as it arrives (source archives can be large). */
  write(
    location: ArtifactLocation,
    body: Uint8Array | AsyncIterable<Uint8Array>,
    contentType?: string,
  ): Promise<void>;
}

/** Lines of an action's log, streamed as they happen (secrets must already be masked). */
export interface ActionLog {
  write(line: string): void;
}

/** Providers by action type; also tells the planner which types Pipewright can run. */
export interface ProviderRegistry {
  find(id: ActionTypeId): ActionProvider | undefined;
  /** Every type some provider runs, as `category/owner/provider/version` keys. */
  keys(): string[];
  /** Every provider, once each. */
  providers(): readonly ActionProvider[];
}

export function createProviderRegistry(providers: readonly ActionProvider[]): ProviderRegistry {
  const byKey = new Map<string, ActionProvider>();
  for (const p of providers) {
    for (const id of p.actionTypeIds) {
      const key = actionTypeKey(id);
      if (byKey.has(key)) throw new Error(`two providers claim action type ${key}`);
      byKey.set(key, p);
    }
  }
  return {
    find: (id) => byKey.get(actionTypeKey(id)),
    keys: () => [...byKey.keys()],
    providers: () => providers,
  };
}
