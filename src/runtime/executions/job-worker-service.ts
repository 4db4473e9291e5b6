import type { CurrentRevision } from "../../engine/execution-state.js";
import type { Clock } from "../../lib/clock.js";
import { err, ok, type Result } from "../../lib/result.js";
import { actionTypeKey } from "../../model/action-types/action-type.js";
import type { ActionTypeId } from "../../model/declaration.js";
import type { ServiceFailure } from "../../model/exceptions.js";
import type { FailureDetails } from "../../model/failure.js";
import type { JobRecord, Scope, Stores } from "../../store/types.js";
import { type JobResults, jobNotFound } from "./job-results.js";

export interface JobWorkerServiceDeps {
  readonly stores: Stores;
  readonly jobResults: JobResults;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly dispatchLeaseMs: number;
  readonly jobLeaseMs?: number;
  /** Opens sealed secret configuration for the worker (runtime/secrets/configuration-sealer.ts). */
  readonly openConfiguration?: (configuration: Readonly<Record<string, string>>) => Record<string, string>;
}

/**
 * The custom-action job-worker protocol (spec §8): PollForJobs, AcknowledgeJob, GetJobDetails,
 * PutJobSuccessResult and PutJobFailureResult, over the same job table the in-process worker
 * claims from. Jobs are visible only in the scope that owns them.
 */
export function createJobWorkerService(deps: JobWorkerServiceDeps) {
  const { queue, actionTypes } = deps.stores;

  async function jobIn(scope: Scope, jobId: string): Promise<Result<JobRecord, ServiceFailure>> {
    const job = await queue.getJob(jobId);
    if (!job || job.scope.accountId !== scope.accountId || job.scope.region !== scope.region)
      return err(jobNotFound(jobId));
    return ok(job);
  }

  /** The job as its worker gets it: the one place secret configuration is shown (AWS's rule). */
  function forWorker(job: JobRecord): JobRecord {
    const open = deps.openConfiguration;
    return open ? { ...job, spec: { ...job.spec, configuration: open(job.spec.configuration) } } : job;
  }

  async function ensureArtifactBuckets(job: JobRecord): Promise<void> {
    const buckets = new Set(job.spec.outputArtifacts.map((a) => a.bucket));
    for (const name of buckets) {
      if (await deps.stores.objects.getBucket(name)) continue;
      await deps.stores.objects.createBucket({ scope: job.scope, name, created: deps.clock.now() });
    }
  }

  /** How long an acknowledged job is held: the configured lease, or until its action times out. */
  const heldFor = (job: JobRecord, now: number) => deps.jobLeaseMs ?? Math.max(1, job.spec.timeoutAt - now);

  return {
    async pollForJobs(
      scope: Scope,
      request: {
        actionTypeId: ActionTypeId;
        maxBatchSize?: number;
        queryParam?: Record<string, string>;
        workerId: string;
      },
    ): Promise<Result<JobRecord[], ServiceFailure>> {
      const id = request.actionTypeId;
      const describe = `ActionType (Category: '${id.category}', Provider: '${id.provider}', Owner: '${id.owner}', Version: '${id.version}')`;
      const custom = id.owner === "Custom" ? await actionTypes.get(scope, id) : undefined;
      if (!custom || custom.deleted !== undefined) {
        return err({
          type: "ActionTypeNotFoundException",
          message:
            id.owner === "Custom"
              ? `${describe} does not exist in this account and region`
              : `${describe}: PollForJobs serves custom action types only (owner Custom)`,
        });
      }
      const entries = Object.entries(request.queryParam ?? {});
      const queryable = custom.spec.actionConfigurationProperties.find((p) => p.queryable);
      if (entries.length > 1)
        return err({ type: "ValidationException", message: "queryParam can hold at most one entry" });
      const [entry] = entries;
      if (entry && entry[0] !== queryable?.name) {
        return err({
          type: "ValidationException",
          message: queryable
            ? `queryParam key '${entry[0]}' is not the action type's queryable property '${queryable.name}'`
            : `queryParam key '${entry[0]}' cannot be used: the action type has no queryable property`,
        });
      }
      const jobs = await queue.claimJobs({
        now: deps.clock.now(),
        workerId: request.workerId,
        leaseMs: deps.dispatchLeaseMs,
        limit: request.maxBatchSize ?? 1,
        dispatch: "jobWorker",
        actionTypeKeys: [actionTypeKey(id)],
        scope,
        ...(entry ? { queryValue: entry[1] } : {}),
        acknowledge: false,
        newNonce: deps.newId,
      });
      // A worker writes its outputs with PutObject; the artifact bucket exists by then, as
      // Pipewright's own providers make it on their first write (AWS needs it made beforehand).
      for (const job of jobs) await ensureArtifactBuckets(job);
      return ok(jobs.map(forWorker));
    },

    async acknowledgeJob(
      scope: Scope,
      jobId: string,
      nonce: string,
    ): Promise<Result<{ status: string }, ServiceFailure>> {
      const found = await jobIn(scope, jobId);
      if (!found.ok) return found;
      const now = deps.clock.now();
      const result = await queue.acknowledgeJob(jobId, nonce, now, heldFor(found.value, now));
      if (result.ok) return ok({ status: result.job.status });
      if (result.reason === "NotFound") return err(jobNotFound(jobId));
      if (result.reason === "InvalidState" && result.job?.nonce === nonce)
        return ok({ status: result.job.status });
      return err({
        type: "InvalidNonceException",
        message: `The nonce does not match job ${jobId}: it was not returned with this job by PollForJobs, or the job was offered to another worker`,
      });
    },

    /** GetJobDetails; also a sign of life that keeps an acknowledged job's lease. */
    async getJobDetails(scope: Scope, jobId: string): Promise<Result<JobRecord, ServiceFailure>> {
      const found = await jobIn(scope, jobId);
      if (found.ok && found.value.status === "InProgress" && !found.value.awaitingCallback) {
        const now = deps.clock.now();
        await queue.renewLease(jobId, now, heldFor(found.value, now));
      }
      return found.ok ? ok(forWorker(found.value)) : found;
    },

    async putJobSuccessResult(
      scope: Scope,
      jobId: string,
      result: {
        currentRevision?: CurrentRevision;
        continuationToken?: string;
        executionDetails?: { summary?: string; externalExecutionId?: string; percentComplete?: number };
        outputVariables?: Record<string, string>;
      },
    ): Promise<Result<void, ServiceFailure>> {
      const found = await jobIn(scope, jobId);
      if (!found.ok) return found;
      const details = result.executionDetails ?? {};
      if (result.continuationToken !== undefined) {
        if (result.outputVariables && Object.keys(result.outputVariables).length > 0) {
          return err({
            type: "ValidationException",
            message:
              "outputVariables can only be sent in the final PutJobSuccessResult, the one without a continuationToken",
          });
        }
        return deps.jobResults.completeJob(jobId, {
          kind: "inProgress",
          continuationToken: result.continuationToken,
          ...(details.summary === undefined ? {} : { summary: details.summary }),
          ...(details.percentComplete === undefined ? {} : { percentComplete: details.percentComplete }),
          ...(details.externalExecutionId === undefined
            ? {}
            : { externalExecutionId: details.externalExecutionId }),
        });
      }
      return deps.jobResults.completeJob(jobId, {
        kind: "succeeded",
        ...(result.outputVariables ? { outputVariables: result.outputVariables } : {}),
        ...(details.summary === undefined ? {} : { summary: details.summary }),
        ...(details.externalExecutionId === undefined
          ? {}
          : { externalExecutionId: details.externalExecutionId }),
        ...(result.currentRevision ? { currentRevision: result.currentRevision } : {}),
      });
    },

    async putJobFailureResult(
      scope: Scope,
      jobId: string,
      failure: FailureDetails,
    ): Promise<Result<void, ServiceFailure>> {
      const found = await jobIn(scope, jobId);
      if (!found.ok) return found;
      return deps.jobResults.completeJob(jobId, { kind: "failed", failure });
    },
  };
}

export type JobWorkerService = ReturnType<typeof createJobWorkerService>;
