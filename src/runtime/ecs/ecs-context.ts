import type { Clock } from "../../lib/clock.js";
import { err, ok, type Result } from "../../lib/result.js";
import { clusterNameOf } from "../../model/ecs/arns.js";
import type { ServiceFailure } from "../../model/exceptions.js";
import type { EcsClusterRecord, EcsPutResult, EcsStore, Scope } from "../../store/types.js";

/** Ids the ECS services mint; main/ gives random ones, tests counters. */
export interface EcsIds {
  /** 32 lowercase hex digits (task ids, as AWS's). */
  taskId(): string;
  /** `ecs-svc/` and 19 digits. */
  deploymentId(): string;
  /** A uuid for service events and container ids. */
  uuid(): string;
}

/** What every ECS runtime service needs. */
export interface EcsContext {
  readonly store: EcsStore;
  readonly clock: Clock;
  readonly ids: EcsIds;
  /** Tells the scheduler that something changed (it reconciles now instead of at its next tick). */
  readonly wake: () => void;
}

export type EcsResult<T> = Result<T, ServiceFailure>;

export const failure = (
  type: ServiceFailure["type"],
  message: string,
): { ok: false; error: ServiceFailure } => err({ type, message });

/** The named cluster when it is ACTIVE, else ECS's ClusterNotFoundException. */
export async function activeCluster(
  ctx: EcsContext,
  scope: Scope,
  reference?: string,
): Promise<EcsResult<EcsClusterRecord>> {
  const name = clusterNameOf(reference);
  const found = await ctx.store.getCluster(scope, name);
  if (found?.cluster.status !== "ACTIVE")
    return failure(
      "ClusterNotFoundException",
      `Cluster not found. No ACTIVE cluster '${name}' in ${scope.region}; create it with CreateCluster (aws ecs create-cluster --cluster-name ${name}).`,
    );
  return ok(found);
}

const MAX_ATTEMPTS = 20;

/**
 * Read, change, write with the record's optimistic version, again on a conflict (the scheduler
 * and the API both write services and tasks). `change` returns the new record or a failure.
 */
export async function versionedChange<R extends { version: number }>(
  load: () => Promise<R | undefined>,
  change: (current: R | undefined) => EcsResult<R> | Promise<EcsResult<R>>,
  put: (record: R) => Promise<EcsPutResult>,
): Promise<EcsResult<R>> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await load();
    const next = await change(current);
    if (!next.ok) return next;
    const record = { ...next.value, version: (current?.version ?? 0) + 1 };
    if ((await put(record)).ok) return ok(record);
  }
  throw new Error(`ecs: ${MAX_ATTEMPTS} conflicting writes in a row; the store is too busy`);
}
