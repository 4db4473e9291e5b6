import { int, optional, string, stringMap, struct, timestamp } from "../../../lib/shape.js";
import type { JobRecord } from "../../../store/types.js";
import { fromFailure } from "../../errors.js";
import { defineOperation } from "../../operation.js";
import type { CodePipelineDeps } from "../deps.js";
import { renderJobData } from "../render-job.js";
import { actionTypeId, uuid } from "../shapes.js";

/** The custom-action job-worker protocol (spec §8.2), over the runtime's job worker service. */

function renderJob(deps: CodePipelineDeps, job: JobRecord) {
  return {
    id: job.jobId,
    data: renderJobData(job, deps.jobCredentials.forJob(job.jobId)),
    accountId: job.scope.accountId,
  };
}

export const pollForJobs = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "PollForJobs",
    input: struct({
      actionTypeId,
      maxBatchSize: optional(int({ min: 1 })),
      queryParam: optional(
        stringMap({ maxEntries: 1, key: { min: 1, max: 50 }, value: { min: 1, max: 50 } }),
      ),
    }),
    async handle(input, ctx) {
      const result = await deps.jobWorkers.pollForJobs(ctx.scope, {
        actionTypeId: input.actionTypeId,
        ...(input.maxBatchSize === undefined ? {} : { maxBatchSize: input.maxBatchSize }),
        ...(input.queryParam ? { queryParam: input.queryParam } : {}),
        workerId: `jobWorker:${ctx.principal}`,
      });
      if (!result.ok) throw fromFailure(result.error);
      return { jobs: result.value.map((job) => ({ ...renderJob(deps, job), nonce: job.nonce })) };
    },
  });

export const acknowledgeJob = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "AcknowledgeJob",
    input: struct({ jobId: uuid, nonce: string({ min: 1, max: 50 }) }),
    async handle(input, ctx) {
      const result = await deps.jobWorkers.acknowledgeJob(ctx.scope, input.jobId, input.nonce);
      if (!result.ok) throw fromFailure(result.error);
      return { status: result.value.status };
    },
  });

export const getJobDetails = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "GetJobDetails",
    input: struct({ jobId: uuid }),
    async handle(input, ctx) {
      const result = await deps.jobWorkers.getJobDetails(ctx.scope, input.jobId);
      if (!result.ok) throw fromFailure(result.error);
      return { jobDetails: renderJob(deps, result.value) };
    },
  });

export const putJobSuccessResult = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "PutJobSuccessResult",
    input: struct({
      jobId: uuid,
      currentRevision: optional(
        struct({
          revision: string({ min: 1, max: 1500 }),
          changeIdentifier: string({ min: 1, max: 100 }),
          created: optional(timestamp()),
          revisionSummary: optional(string({ min: 1, max: 2048 })),
        }),
      ),
      continuationToken: optional(string({ min: 1, max: 2048 })),
      executionDetails: optional(
        struct({
          summary: optional(string({ min: 1, max: 2048 })),
          externalExecutionId: optional(string({ min: 1, max: 1500 })),
          percentComplete: optional(int({ min: 0, max: 100 })),
        }),
      ),
      outputVariables: optional(stringMap()),
    }),
    async handle(input, ctx) {
      const r = input.currentRevision;
      const result = await deps.jobWorkers.putJobSuccessResult(ctx.scope, input.jobId, {
        ...(r
          ? {
              currentRevision: {
                revision: r.revision,
                changeIdentifier: r.changeIdentifier,
                ...(r.created === undefined ? {} : { created: r.created }),
                ...(r.revisionSummary === undefined ? {} : { revisionSummary: r.revisionSummary }),
              },
            }
          : {}),
        ...(input.continuationToken === undefined ? {} : { continuationToken: input.continuationToken }),
        ...(input.executionDetails ? { executionDetails: input.executionDetails } : {}),
        ...(input.outputVariables ? { outputVariables: input.outputVariables } : {}),
      });
      if (!result.ok) throw fromFailure(result.error);
      return {};
    },
  });

export const putJobFailureResult = (deps: CodePipelineDeps) =>
  defineOperation({
    name: "PutJobFailureResult",
    input: struct({
      jobId: uuid,
      failureDetails: struct({
        type: string({
          enum: [
            "JobFailed",
            "ConfigurationError",
            "PermissionError",
            "RevisionOutOfSync",
            "RevisionUnavailable",
            "SystemUnavailable",
          ] as const,
        }),
        message: string({ min: 1, max: 5000 }),
        externalExecutionId: optional(string({ min: 1, max: 1500 })),
      }),
    }),
    async handle(input, ctx) {
      const result = await deps.jobWorkers.putJobFailureResult(ctx.scope, input.jobId, input.failureDetails);
      if (!result.ok) throw fromFailure(result.error);
      return {};
    },
  });
