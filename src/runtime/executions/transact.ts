import { advance } from "../../engine/advance.js";
import { executionsInLanes } from "../../engine/lanes.js";
import type { ExecutionPlan } from "../../engine/plan.js";
import { ChangeBuilder, type DecisionContext, type JobSpec } from "../../engine/world.js";
import type { Clock } from "../../lib/clock.js";
import { err, ok, type Result } from "../../lib/result.js";
import type { ServiceFailure } from "../../model/exceptions.js";
import type {
  ExecutionRecord,
  JobTransition,
  LanesRecord,
  RunCommit,
  RunStore,
  Scope,
} from "../../store/types.js";
import type { PlanSource } from "./plan-source.js";

/** What a transaction loaded: the pipeline's lanes and the executions its decision may touch. */
export interface Loaded {
  readonly lanes: LanesRecord;
  readonly records: ReadonlyMap<string, ExecutionRecord>;
}

export type Decision<T> =
  | {
      readonly value: T;
      readonly jobTransitions?: readonly JobTransition[];
      /** Jobs to offer besides those the engine's effects ask for (a re-offer after a lost lease). */
      readonly enqueue?: readonly { readonly spec: JobSpec; readonly attempt: number }[];
    }
  | { readonly failure: ServiceFailure };

/**
 * One unit of work on one pipeline's run state. `decide` records inputs on the change (engine
 * commands) and may refuse with an AWS failure, in which case nothing is written. It may run
 * several times (after a conflict), each time on freshly loaded state, so it must not have
 * side effects of its own.
 */
export interface Work<T> {
  readonly scope: Scope;
  readonly pipelineName: string;
  /** Executions to load besides those the lanes name. */
  readonly load?: readonly string[];
  /** Plans of versions no loaded execution uses yet (the current one, for a new execution). */
  readonly plans?: readonly ExecutionPlan[];
  decide(change: ChangeBuilder, ctx: DecisionContext, loaded: Loaded): Decision<T>;
  /** Called instead of failing when a new execution's clientRequestToken is already taken. */
  readonly onTokenConflict?: (existingExecutionId: string) => T;
}

/** What a committed transaction set in motion, for the runtime's hooks. */
export interface Committed {
  readonly scope: Scope;
  readonly pipelineName: string;
  readonly enqueued: readonly JobSpec[];
  readonly cancelled: readonly string[];
  readonly pendingRollbacks: number;
}

export interface TransactDeps {
  readonly runs: RunStore;
  readonly plans: PlanSource;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly lock: <T>(key: string, work: () => Promise<T>) => Promise<T>;
  readonly onCommitted: (committed: Committed) => void;
}

/** Optimistic retries before giving up; conflicts only come from other processes (the lock serialises this one). */
const MAX_ATTEMPTS = 25;

/**
 * Load, decide, advance, commit: the only way run state changes. The engine runs on the loaded
 * world; the commit carries every event, the lanes and every job change in one transaction, and
 * retries from a fresh load when another writer got there first.
 */
export function transact<T>(deps: TransactDeps, work: Work<T>): Promise<Result<T, ServiceFailure>> {
  const key = `${work.scope.accountId}/${work.scope.region}/${work.pipelineName}`;
  return deps.lock(key, async () => {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const lanes = await deps.runs.getLanes(work.scope, work.pipelineName);
      const ids = new Set([...(work.load ?? []), ...executionsInLanes(lanes.lanes)]);
      const records = new Map(
        (await deps.runs.getExecutions([...ids]))
          .filter((r) => r.pipelineName === work.pipelineName && sameScope(r.scope, work.scope))
          .map((r) => [r.executionId, r]),
      );
      const plans = new Map((work.plans ?? []).map((p) => [p.pipelineVersion, p]));
      for (const r of records.values()) {
        if (plans.has(r.state.pipelineVersion)) continue;
        const plan = await deps.plans.version(work.scope, work.pipelineName, r.state.pipelineVersion);
        if (!plan) return err(pipelineGone(work));
        plans.set(plan.pipelineVersion, plan);
      }
      // The current version decides the fate of executions waiting for a stage it no longer has.
      const currentPlan = await deps.plans.currentPlan(work.scope, work.pipelineName);
      const ctx: DecisionContext = {
        now: deps.clock.now(),
        newId: deps.newId,
        ...(currentPlan ? { currentPlan } : {}),
        planFor: (state) => {
          const plan = plans.get(state.pipelineVersion);
          if (!plan)
            throw new Error(`no plan loaded for ${work.pipelineName} version ${state.pipelineVersion}`);
          return plan;
        },
      };
      const change = new ChangeBuilder({
        lanes: lanes.lanes,
        executions: new Map([...records].map(([id, r]) => [id, r.state])),
      });
      const decision = work.decide(change, ctx, { lanes, records });
      if ("failure" in decision) return err(decision.failure);
      advance(change, ctx);
      const result = change.result();
      const enqueued = result.effects.flatMap((e) => (e.type === "EnqueueJob" ? [e.job] : []));
      const extra = decision.enqueue ?? [];
      const cancelled = result.effects.flatMap((e) => (e.type === "CancelJobs" ? [e.actionExecutionId] : []));
      const commit: RunCommit = {
        scope: work.scope,
        pipelineName: work.pipelineName,
        now: ctx.now,
        executions: [...result.events].map(([executionId, events]) => ({
          executionId,
          expectedVersion: records.get(executionId)?.version ?? 0,
          events,
          state: result.world.executions.get(executionId)!,
        })),
        // Always written: the lanes' version is the pipeline's optimistic lock, so two processes
        // deciding on the same pipeline never both commit decisions made on the same state.
        lanes: { expectedVersion: lanes.version, lanes: result.world.lanes },
        enqueueJobs: [
          ...enqueued.map((spec) => ({ jobId: deps.newId(), spec, attempt: 1 })),
          ...extra.map((j) => ({ jobId: deps.newId(), spec: j.spec, attempt: j.attempt })),
        ],
        jobTransitions: decision.jobTransitions ?? [],
        cancelJobsOf: cancelled,
      };
      const committed = await deps.runs.commit(commit);
      if (committed.ok) {
        deps.onCommitted({
          scope: work.scope,
          pipelineName: work.pipelineName,
          enqueued: [...enqueued, ...extra.map((j) => j.spec)],
          cancelled,
          pendingRollbacks: result.world.lanes.pendingRollbacks.length,
        });
        return ok(decision.value);
      }
      if (
        committed.conflict === "clientRequestToken" &&
        work.onTokenConflict &&
        committed.existingExecutionId
      ) {
        return ok(work.onTokenConflict(committed.existingExecutionId));
      }
      // Runs and lanes were current, so the job itself moved on (finished, timed out, offered
      // again) between reading it and committing: that is the caller's answer, not a race to retry.
      if (committed.conflict === "job") {
        return err({
          type: "InvalidJobStateException",
          message:
            "The job is no longer in a state that accepts this change (it finished, timed out or was offered again); get its details and retry",
        });
      }
    }
    throw new Error(
      `run state of pipeline ${work.pipelineName} kept changing under ${MAX_ATTEMPTS} attempts to commit`,
    );
  });
}

function sameScope(a: Scope, b: Scope): boolean {
  return a.accountId === b.accountId && a.region === b.region;
}

function pipelineGone(work: { scope: Scope; pipelineName: string }): ServiceFailure {
  return {
    type: "PipelineNotFoundException",
    message: `Account '${work.scope.accountId}' does not have a pipeline with name '${work.pipelineName}'`,
  };
}
