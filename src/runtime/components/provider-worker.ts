import type { ActionOutcome } from "../../engine/outcome.js";
import type { Clock } from "../../lib/clock.js";
import type { Logger } from "../../lib/logger.js";
import type { ActionContext, ActionLog, ArtifactAccess, ProviderRegistry } from "../../providers/types.js";
import type { JobRecord, WorkQueue } from "../../store/types.js";
import type { JobResults } from "../executions/job-results.js";
import type { Component } from "./component.js";

export interface ProviderWorkerDeps {
  readonly queue: WorkQueue;
  readonly registry: ProviderRegistry;
  readonly jobResults: JobResults;
  readonly artifactsFor: (job: JobRecord) => ArtifactAccess;
  readonly logFor: (job: JobRecord) => ActionLog;
  readonly clock: Clock;
  readonly newNonce: () => string;
  readonly logger: Logger;
  /** This process's identity on claimed jobs; recovery re-offers what a dead process held. */
  readonly workerId: string;
  readonly leaseMs: number;
  readonly concurrency: number;
  readonly intervalMs: number;
  /** Opens sealed secret configuration for the provider (runtime/secrets/configuration-sealer.ts). */
  readonly openConfiguration?: (configuration: Readonly<Record<string, string>>) => Record<string, string>;
}

export interface ProviderWorker extends Component {
  /** Resolves when every job this worker has started has been reported. */
  drain(): Promise<void>;
  /** Aborts in-flight jobs of these action runs (they were abandoned or timed out). */
  cancel(actionExecutionIds: readonly string[]): void;
}

/**
 * The in-process worker: claims jobs of the action types Pipewright's providers run, from the
 * same table external workers poll, runs them concurrently (up to `concurrency`), keeps their
 * leases alive while they run, and reports each outcome. A provider that throws is recorded as
 * a SystemUnavailable failure: the action fails visibly instead of hanging until its timeout.
 */
export function createProviderWorker(deps: ProviderWorkerDeps): ProviderWorker {
  const running = new Map<
    string,
    { controller: AbortController; actionExecutionId: string; done: Promise<void> }
  >();

  async function runJob(job: JobRecord, controller: AbortController): Promise<void> {
    const heartbeat = setInterval(
      () => {
        deps.queue.renewLease(job.jobId, deps.clock.now(), deps.leaseMs).then(
          (held) => {
            if (!held) controller.abort();
          },
          (error: unknown) =>
            deps.logger.warn("lease renewal failed", { jobId: job.jobId, error: String(error) }),
        );
      },
      Math.max(1000, deps.leaseMs / 3),
    );
    let outcome: ActionOutcome;
    try {
      outcome = await execute(job, controller.signal);
    } finally {
      clearInterval(heartbeat);
    }
    if (controller.signal.aborted) return;
    const reported = await deps.jobResults.completeJob(job.jobId, outcome, "worker");
    if (!reported.ok) {
      deps.logger.info("job result not recorded", { jobId: job.jobId, reason: reported.error.message });
    }
  }

  async function execute(job: JobRecord, signal: AbortSignal): Promise<ActionOutcome> {
    const provider = deps.registry.find(job.spec.actionTypeId);
    const name = `${job.spec.actionTypeId.category}/${job.spec.actionTypeId.provider}`;
    if (!provider) {
      return {
        kind: "failed",
        failure: { type: "ConfigurationError", message: `No provider runs ${name} in this process` },
      };
    }
    const configuration = deps.openConfiguration?.(job.spec.configuration) ?? job.spec.configuration;
    const ctx: ActionContext = {
      jobId: job.jobId,
      idempotencyKey: job.spec.idempotencyKey,
      attempt: job.attempt,
      job: { ...job.spec, configuration },
      accountId: job.scope.accountId,
      region: job.scope.region,
      configuration,
      ...(job.spec.continuationToken === undefined ? {} : { continuationToken: job.spec.continuationToken }),
      inputArtifacts: job.spec.inputArtifacts,
      outputArtifacts: job.spec.outputArtifacts,
      artifacts: deps.artifactsFor(job),
      log: deps.logFor(job),
      signal,
      clock: deps.clock,
    };
    try {
      if (job.spec.continuationToken === undefined) return await provider.start(ctx);
      if (!provider.poll) {
        return {
          kind: "failed",
          failure: {
            type: "SystemUnavailable",
            message: `Provider ${name} returned inProgress but cannot be polled`,
          },
        };
      }
      return await provider.poll(ctx);
    } catch (error) {
      deps.logger.error("provider failed", {
        jobId: job.jobId,
        provider: name,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return {
        kind: "failed",
        failure: {
          type: "SystemUnavailable",
          message: `Pipewright's ${name} provider failed: ${error instanceof Error ? error.message : String(error)}`,
        },
      };
    }
  }

  return {
    name: "provider-worker",
    intervalMs: deps.intervalMs,
    async runOnce() {
      const free = deps.concurrency - running.size;
      const keys = deps.registry.keys();
      if (free <= 0 || keys.length === 0) return 0;
      const claimed = await deps.queue.claimJobs({
        now: deps.clock.now(),
        workerId: deps.workerId,
        leaseMs: deps.leaseMs,
        limit: free,
        dispatch: "provider",
        actionTypeKeys: keys,
        acknowledge: true,
        newNonce: deps.newNonce,
      });
      for (const job of claimed) {
        const controller = new AbortController();
        const done = runJob(job, controller)
          .catch((error: unknown) => {
            deps.logger.error("reporting a job failed", {
              jobId: job.jobId,
              error: error instanceof Error ? (error.stack ?? error.message) : String(error),
            });
          })
          .finally(() => running.delete(job.jobId));
        running.set(job.jobId, { controller, actionExecutionId: job.spec.actionExecutionId, done });
      }
      return claimed.length;
    },
    async drain() {
      while (running.size > 0) await Promise.all([...running.values()].map((r) => r.done));
    },
    cancel(ids) {
      const set = new Set(ids);
      for (const r of running.values()) if (set.has(r.actionExecutionId)) r.controller.abort();
      for (const provider of deps.registry.providers()) {
        try {
          provider.cancel?.(ids);
        } catch (error) {
          deps.logger.warn("provider cancel failed", { error: String(error) });
        }
      }
    },
  };
}
