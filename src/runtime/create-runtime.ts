import type { TimeoutPolicy } from "../engine/timeouts.js";
import type { Clock } from "../lib/clock.js";
import { KeyedLock } from "../lib/keyed-lock.js";
import type { Logger } from "../lib/logger.js";
import type { ActionTypeCatalog } from "../model/action-types/action-type.js";
import type { ActionLog, ProviderRegistry } from "../providers/types.js";
import type { JobRecord, Scope, Stores } from "../store/types.js";
import type { Component } from "./components/component.js";
import { type ComponentHost, createComponentHost } from "./components/component.js";
import { createLeaseReaper } from "./components/lease-reaper.js";
import { createProviderWorker } from "./components/provider-worker.js";
import { recoverRuns } from "./components/recovery.js";
import { createRollbackStarter } from "./components/rollback-starter.js";
import { createSourcePoller, type SourceHeads, type WatchedConnections } from "./components/source-poller.js";
import { createTimeoutEnforcer } from "./components/timeout-enforcer.js";
import { createArtifactAccess } from "./executions/artifact-access.js";
import { createJobResults } from "./executions/job-results.js";
import { createOrchestrator } from "./executions/orchestrator.js";
import { createPlanSource } from "./executions/plan-source.js";
import type { Committed } from "./executions/transact.js";
import { createSourceEvents } from "./sources/source-events.js";

export interface RuntimeOptions {
  /** Shorter action timeouts than AWS's (engine/timeouts.ts); `{}` keeps AWS's. */
  readonly timeouts: TimeoutPolicy;
  /** This process's worker identity (stable across restarts of the same data directory). */
  readonly workerId: string;
  /** Lease of a job the in-process worker runs; renewed every third of it while the job runs. */
  readonly providerLeaseMs: number;
  readonly workerConcurrency: number;
  /** How long an external worker may hold a polled job without acknowledging it. */
  readonly dispatchLeaseMs: number;
  /**
   * How long an acknowledged external job may go without a sign of life (AcknowledgeJob,
   * GetJobDetails) before it is offered again; undefined: until the action's timeout, as in AWS.
   */
  readonly jobLeaseMs?: number;
  /** Offers of one job step before its action fails. */
  readonly maxJobAttempts: number;
  /** How often background components look for work when nothing wakes them. */
  readonly pollIntervalMs: number;
}

export const defaultRuntimeOptions: Omit<RuntimeOptions, "workerId"> = {
  timeouts: {},
  providerLeaseMs: 30_000,
  // Jobs mostly wait (on processes, containers, people); providers that need a tighter limit keep their own.
  workerConcurrency: 128,
  dispatchLeaseMs: 60_000,
  maxJobAttempts: 3,
  pollIntervalMs: 1_000,
};

/** What source change detection needs from the shell (main/sources.ts adapts stores and git). */
export interface SourceDeps {
  readonly heads: SourceHeads;
  readonly watched: WatchedConnections;
  readonly isHostedConnection: (scope: Scope, connectionId: string) => Promise<boolean>;
  /** How often polled sources and connection repositories are looked at. */
  readonly pollIntervalMs: number;
}

export interface RuntimeDeps {
  readonly stores: Stores;
  readonly registry: ProviderRegistry;
  readonly catalogFor: (scope: Scope) => Promise<ActionTypeCatalog>;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly logFor: (job: JobRecord) => ActionLog;
  readonly sources: SourceDeps;
  /** More background loops for the host to run (the build worker and its rescuer). */
  readonly components?: readonly Component[];
  /** Opens sealed secret configuration for in-process providers. */
  readonly openConfiguration?: (configuration: Readonly<Record<string, string>>) => Record<string, string>;
  /** Told after every committed change of a pipeline's run state (the web console's live updates). */
  readonly onRunChanged?: (scope: Scope, pipelineName: string) => void;
}

/**
 * Assembles the execution runtime from interfaces: orchestrator, job results, the in-process
 * worker and the background components. `main/` passes concrete stores and providers; tests pass
 * memory stores, a fake clock and the test-fake provider, and drive the components themselves.
 */
export function createRuntime(deps: RuntimeDeps, options: RuntimeOptions) {
  const { stores, clock, logger } = deps;
  const plans = createPlanSource({
    pipelines: stores.pipelines,
    catalogFor: deps.catalogFor,
    registry: deps.registry,
    timeouts: options.timeouts,
  });
  let host: ComponentHost | undefined;
  const onCommitted = (c: Committed) => {
    deps.onRunChanged?.(c.scope, c.pipelineName);
    if (c.cancelled.length > 0) worker.cancel(c.cancelled);
    if (c.enqueued.some((j) => j.dispatch === "provider")) host?.wake(worker.name);
    if (c.pendingRollbacks > 0) {
      rollbacks.queue(c.scope, c.pipelineName);
      host?.wake(rollbacks.name);
    }
  };
  const transactDeps = {
    runs: stores.runs,
    plans,
    clock,
    newId: deps.newId,
    lock: lockOf(new KeyedLock()),
    onCommitted,
  };
  const orchestrator = createOrchestrator(transactDeps);
  const jobResults = createJobResults({
    ...transactDeps,
    queue: stores.queue,
    maxJobAttempts: options.maxJobAttempts,
  });
  const worker = createProviderWorker({
    queue: stores.queue,
    registry: deps.registry,
    jobResults,
    artifactsFor: (job) => createArtifactAccess(stores.objects, job.scope, clock),
    logFor: deps.logFor,
    clock,
    newNonce: deps.newId,
    logger,
    workerId: options.workerId,
    leaseMs: options.providerLeaseMs,
    concurrency: options.workerConcurrency,
    intervalMs: options.pollIntervalMs,
    ...(deps.openConfiguration ? { openConfiguration: deps.openConfiguration } : {}),
  });
  const rollbacks = createRollbackStarter({ orchestrator, intervalMs: options.pollIntervalMs * 10 });
  const sourceEvents = createSourceEvents({
    pipelines: stores.pipelines,
    plans,
    orchestrator,
    logger,
    isHostedConnection: deps.sources.isHostedConnection,
    watched: deps.sources.watched,
  });
  const components = [
    worker,
    createLeaseReaper({ queue: stores.queue, jobResults, clock, logger, intervalMs: options.pollIntervalMs }),
    createTimeoutEnforcer({ runs: stores.runs, orchestrator, clock, intervalMs: options.pollIntervalMs }),
    rollbacks,
    createSourcePoller({
      pipelines: stores.pipelines,
      runs: stores.runs,
      plans,
      heads: deps.sources.heads,
      connections: deps.sources.watched,
      sourceEvents,
      orchestrator,
      logger,
      intervalMs: deps.sources.pollIntervalMs,
    }),
    ...(deps.components ?? []),
  ];
  return {
    plans,
    orchestrator,
    jobResults,
    worker,
    sourceEvents,
    components,
    options,
    /** What a previous process left behind carries on (start does this first). */
    recover() {
      return recoverRuns({
        runs: stores.runs,
        queue: stores.queue,
        orchestrator,
        jobResults,
        workerId: options.workerId,
        clock,
        logger,
      });
    },
    /** Runs the named component as soon as it is idle (e.g. a build was just queued). */
    wake(name: string): void {
      host?.wake(name);
    },
    /** Recovers what a previous process left, then schedules the components. */
    async start(): Promise<void> {
      await this.recover();
      host = createComponentHost(components, logger);
      host.start();
    },
    async stop(): Promise<void> {
      await host?.stop();
      await worker.drain();
    },
  };
}

export type Runtime = ReturnType<typeof createRuntime>;

/** Transactions on one pipeline run one after another in this process (see transact.ts). */
function lockOf(lock: KeyedLock) {
  return <T>(key: string, work: () => Promise<T>) => lock.run(key, work);
}
