import { recordApproval, recordOutcome } from "../../engine/commands.js";
import type { ActionOutcome } from "../../engine/outcome.js";
import type { JobStatus } from "../../engine/statuses.js";
import { err, type Result } from "../../lib/result.js";
import type { ServiceFailure } from "../../model/exceptions.js";
import type { JobRecord, Scope, WorkQueue } from "../../store/types.js";
import { pipelineNotFound } from "./orchestrator.js";
import type { PlanSource } from "./plan-source.js";
import { type TransactDeps, transact } from "./transact.js";

export interface JobResultsDeps extends TransactDeps {
  readonly plans: PlanSource;
  readonly queue: WorkQueue;
  /** How many times a step is offered before the action fails for want of a worker. */
  readonly maxJobAttempts: number;
}

/**
 * How job news reaches executions: results from workers (in-process or external), answers to
 * approvals, and re-offers of jobs whose lease lapsed. Each is one `transact`: the job's own
 * state change commits together with the events it causes.
 */
export function createJobResults(deps: JobResultsDeps) {
  return {
    /**
     * PutJobSuccessResult / PutJobFailureResult (`by: "api"`), and what the in-process worker
     * reports (`by: "worker"`). Only the worker may park an approval's job (awaitingCallback):
     * from then on it has no lease and waits for PutApprovalResult or its timeout, across any
     * number of restarts. The API never answers an approval's job (PutApprovalResult does).
     */
    async completeJob(
      jobId: string,
      outcome: ActionOutcome,
      by: "api" | "worker" = "api",
    ): Promise<Result<void, ServiceFailure>> {
      const job = await deps.queue.getJob(jobId);
      if (!job) return err(jobNotFound(jobId));
      const approval = job.spec.callbackToken !== undefined;
      if (
        job.status !== "InProgress" ||
        (approval && (by === "api" || outcome.kind !== "awaitingCallback"))
      ) {
        return err(notInProgress(job));
      }
      // A job waiting for a callback (a held or invoked action) is finished by the same call.
      const to: JobStatus =
        outcome.kind === "failed"
          ? "Failed"
          : outcome.kind === "awaitingCallback"
            ? "InProgress"
            : "Succeeded";
      return transact(deps, {
        scope: job.scope,
        pipelineName: job.spec.pipelineName,
        load: [job.spec.executionId],
        decide(change, ctx) {
          if (!change.has(job.spec.executionId))
            return { failure: notInProgress(job, "its pipeline execution no longer exists") };
          const recorded = recordOutcome(
            change,
            {
              executionId: job.spec.executionId,
              actionExecutionId: job.spec.actionExecutionId,
              step: job.spec.step,
              outcome,
            },
            ctx,
          );
          if (!recorded.ok) return { failure: recorded.error };
          if (!recorded.applied) {
            return {
              failure: notInProgress(
                job,
                "its action is no longer in progress (it was abandoned, timed out or already finished)",
              ),
            };
          }
          return {
            value: undefined,
            jobTransitions: [
              {
                jobId,
                from: ["InProgress"],
                to,
                ...(outcome.kind === "awaitingCallback" ? { awaitingCallback: true } : {}),
              },
            ],
          };
        },
      });
    },

    /** PutApprovalResult. */
    async putApprovalResult(
      scope: Scope,
      request: {
        pipelineName: string;
        stageName: string;
        actionName: string;
        token: string;
        status: "Approved" | "Rejected";
        summary: string;
        by: string;
      },
    ): Promise<Result<{ approvedAt: number }, ServiceFailure>> {
      const current = await deps.plans.current(scope, request.pipelineName);
      if (!current) return err(pipelineNotFound(scope, request.pipelineName));
      const stage = current.plan.stages.find((s) => s.name === request.stageName);
      if (!stage) {
        return err({
          type: "StageNotFoundException",
          message: `Stage '${request.stageName}' does not exist in pipeline '${request.pipelineName}'`,
        });
      }
      if (!stage.actions.some((a) => a.name === request.actionName)) {
        return err({
          type: "ActionNotFoundException",
          message: `Action '${request.actionName}' does not exist in stage '${request.stageName}' of pipeline '${request.pipelineName}'`,
        });
      }
      const job = await deps.queue.jobByCallbackToken(request.token);
      const spec = job?.spec;
      if (
        !job ||
        !spec ||
        spec.pipelineName !== request.pipelineName ||
        spec.stageName !== request.stageName ||
        spec.actionName !== request.actionName ||
        job.scope.accountId !== scope.accountId ||
        job.scope.region !== scope.region
      ) {
        return err({
          type: "InvalidApprovalTokenException",
          message: `The token ${request.token} does not belong to an approval request of action '${request.actionName}' in stage '${request.stageName}'`,
        });
      }
      return transact<{ approvedAt: number }>(deps, {
        scope,
        pipelineName: request.pipelineName,
        load: [spec.executionId],
        decide(change, ctx) {
          if (!change.has(spec.executionId)) {
            return {
              failure: {
                type: "InvalidApprovalTokenException",
                message: "The approval's execution no longer exists",
              },
            };
          }
          const failure = recordApproval(
            change,
            { ...request, executionId: spec.executionId, actionExecutionId: spec.actionExecutionId },
            ctx,
          );
          if (failure) return { failure };
          return {
            value: { approvedAt: ctx.now },
            jobTransitions: [
              {
                jobId: job.jobId,
                from: ["Queued", "Dispatched", "InProgress"],
                to: request.status === "Approved" ? "Succeeded" : "Failed",
              },
            ],
          };
        },
      });
    },

    /**
     * A job whose lease lapsed (its worker vanished): it ends TimedOut and the same step is
     * offered again under a new job id, up to `maxJobAttempts` offers; then the action fails.
     * `restart`: the job's worker was this node's in-process worker, which a restart ended; the
     * step is offered again without using up an offer (a restart says nothing about the job).
     */
    async reoffer(
      job: JobRecord,
      why: "lease" | "restart" = "lease",
    ): Promise<Result<"reoffered" | "failed" | "dropped", ServiceFailure>> {
      return transact(deps, {
        scope: job.scope,
        pipelineName: job.spec.pipelineName,
        load: [job.spec.executionId],
        decide(change, ctx) {
          const timedOut = [
            { jobId: job.jobId, from: ["Dispatched", "InProgress"] as JobStatus[], to: "TimedOut" as const },
          ];
          const state = change.has(job.spec.executionId) ? change.state(job.spec.executionId) : undefined;
          const run = state?.actionRuns.find((r) => r.actionExecutionId === job.spec.actionExecutionId);
          if (run?.status !== "InProgress" || run.jobStep !== job.spec.step) {
            return { value: "dropped" as const, jobTransitions: timedOut };
          }
          if (why === "lease" && job.attempt >= deps.maxJobAttempts) {
            recordOutcome(
              change,
              {
                executionId: job.spec.executionId,
                actionExecutionId: job.spec.actionExecutionId,
                step: job.spec.step,
                outcome: {
                  kind: "failed",
                  failure: {
                    type: "JobFailed",
                    message: `No job worker completed the job: it was offered ${job.attempt} time(s) and each worker stopped reporting before its lease ran out`,
                  },
                },
              },
              ctx,
            );
            return { value: "failed" as const, jobTransitions: timedOut };
          }
          return {
            value: "reoffered" as const,
            jobTransitions: timedOut,
            enqueue: [
              {
                spec: { ...job.spec, availableAt: ctx.now },
                attempt: why === "lease" ? job.attempt + 1 : job.attempt,
              },
            ],
          };
        },
      });
    },
  };
}

export type JobResults = ReturnType<typeof createJobResults>;

export function jobNotFound(jobId: string): ServiceFailure {
  return { type: "JobNotFoundException", message: `Job ${jobId} does not exist` };
}

function notInProgress(job: JobRecord, why?: string): ServiceFailure {
  const reason =
    why ??
    (job.status === "Dispatched"
      ? "it has not been acknowledged; call AcknowledgeJob with its nonce first"
      : job.status === "Queued"
        ? "it has not been claimed by a worker"
        : job.spec.callbackToken !== undefined
          ? "it is a manual approval, which PutApprovalResult answers"
          : job.status === "TimedOut"
            ? "it timed out (its lease ran out, its action timed out, or the execution was stopped and abandoned)"
            : `it already ended ${job.status}`);
  return { type: "InvalidJobStateException", message: `Job ${job.jobId} is ${job.status}: ${reason}` };
}
