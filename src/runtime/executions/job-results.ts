import { recordApproval, recordOutcome } from "../../engine/commands.js";
import {
  decideApprovalJob,
  decideJobResult,
  decideReoffer,
  type JobView,
  notInProgress,
} from "../../engine/job-decisions.js";
import type { ActionOutcome } from "../../engine/outcome.js";
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
      const decided = decideJobResult(viewOf(job), outcome, by);
      if (!decided.ok) return err(decided.failure);
      return transact(deps, {
        scope: job.scope,
        pipelineName: job.spec.pipelineName,
        load: [job.spec.executionId],
        decide(change, ctx) {
          if (!change.has(job.spec.executionId))
            return { failure: notInProgress(viewOf(job), "its pipeline execution no longer exists") };
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
                viewOf(job),
                "its action is no longer in progress (it was abandoned, timed out or already finished)",
              ),
            };
          }
          return { value: undefined, jobTransitions: [decided.change] };
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
            jobTransitions: [decideApprovalJob(job.jobId, request.status)],
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
          const state = change.has(job.spec.executionId) ? change.state(job.spec.executionId) : undefined;
          const run = state?.actionRuns.find((r) => r.actionExecutionId === job.spec.actionExecutionId);
          const decided = decideReoffer(viewOf(job), run, job.spec.step, why, deps.maxJobAttempts);
          if (decided.kind === "failed") {
            recordOutcome(
              change,
              {
                executionId: job.spec.executionId,
                actionExecutionId: job.spec.actionExecutionId,
                step: job.spec.step,
                outcome: { kind: "failed", failure: decided.failure },
              },
              ctx,
            );
          }
          return {
            value: decided.kind,
            jobTransitions: [decided.change],
            ...(decided.kind === "reoffered"
              ? { enqueue: [{ spec: { ...job.spec, availableAt: ctx.now }, attempt: decided.attempt }] }
              : {}),
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

/** What the engine's job decisions see of a stored job. */
function viewOf(job: JobRecord): JobView {
  return {
    jobId: job.jobId,
    status: job.status,
    attempt: job.attempt,
    approval: job.spec.callbackToken !== undefined,
    awaitingCallback: job.awaitingCallback,
  };
}
