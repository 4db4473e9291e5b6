import type { ServiceFailure } from "../model/exceptions.js";
import type { ActionOutcome } from "./outcome.js";
import type { JobStatus } from "./statuses.js";

/**
 * The job's side of every decision (the action's side is commands.ts): which job changes a
 * result, an approval or a lost lease makes, and when a job refuses one. Pure: the runtime
 * (runtime/executions/job-results.ts) loads the job and the execution, calls these, and commits
 * the change with the events in one transaction.
 *
 * Job lifecycle (docs/lifecycle.md):
 *
 *   Queued --claim--> Dispatched --AcknowledgeJob--> InProgress --result--> Succeeded | Failed
 *                 \--claim (in-process worker)-----> InProgress --park-->   InProgress (awaiting a callback, no lease)
 *   Dispatched | InProgress --lease lapsed--> TimedOut (and the step offered again, or the action fails)
 */

/** A job's state as the decisions need it. */
export interface JobView {
  readonly jobId: string;
  readonly status: JobStatus;
  readonly attempt: number;
  /** An approval's job (it has a callback token): only PutApprovalResult answers it. */
  readonly approval: boolean;
  readonly awaitingCallback: boolean;
}

/** The job change a decision makes; applied only if the job is still in one of `from`. */
export interface JobChange {
  readonly jobId: string;
  readonly from: readonly JobStatus[];
  readonly to: JobStatus;
  /** With `to: InProgress`: the job now waits for news from elsewhere; its lease is cleared. */
  readonly awaitingCallback?: boolean;
}

/**
 * A result for a job (PutJobSuccessResult / PutJobFailureResult: `by: "api"`; the in-process
 * worker's report: `by: "worker"`). Only an InProgress job takes one. An approval's job takes
 * only the worker's parking (awaitingCallback); PutApprovalResult answers it. A parked job is
 * finished by the same call that finishes any other.
 */
export function decideJobResult(
  job: JobView,
  outcome: ActionOutcome,
  by: "api" | "worker",
):
  | { readonly ok: true; readonly change: JobChange }
  | { readonly ok: false; readonly failure: ServiceFailure } {
  if (
    job.status !== "InProgress" ||
    (job.approval && (by === "api" || outcome.kind !== "awaitingCallback"))
  ) {
    return { ok: false, failure: notInProgress(job) };
  }
  const to: JobStatus =
    outcome.kind === "failed" ? "Failed" : outcome.kind === "awaitingCallback" ? "InProgress" : "Succeeded";
  return {
    ok: true,
    change: {
      jobId: job.jobId,
      from: ["InProgress"],
      to,
      ...(outcome.kind === "awaitingCallback" ? { awaitingCallback: true } : {}),
    },
  };
}

/** PutApprovalResult's job change: the approval's job ends with the answer, from any open status. */
export function decideApprovalJob(jobId: string, status: "Approved" | "Rejected"): JobChange {
  return {
    jobId,
    from: ["Queued", "Dispatched", "InProgress"],
    to: status === "Approved" ? "Succeeded" : "Failed",
  };
}

export type ReofferDecision =
  /** The action moved on (finished, abandoned, another step): the lost job just ends. */
  | { readonly kind: "dropped"; readonly change: JobChange }
  /** Offers used up: the job ends and the action fails with `failure`. */
  | {
      readonly kind: "failed";
      readonly change: JobChange;
      readonly failure: { type: "JobFailed"; message: string };
    }
  /** The same step is offered again under a new job id, as attempt `attempt`. */
  | { readonly kind: "reoffered"; readonly change: JobChange; readonly attempt: number };

/**
 * A job whose worker is gone. `lease`: its lease lapsed; the offer counts, and after
 * `maxAttempts` offers the action fails. `restart`: the worker was this node's in-process worker
 * and a restart ended it; the step is offered again without using up an offer.
 */
export function decideReoffer(
  job: JobView,
  run: { readonly status: string; readonly jobStep: number } | undefined,
  step: number,
  why: "lease" | "restart",
  maxAttempts: number,
): ReofferDecision {
  const change: JobChange = { jobId: job.jobId, from: ["Dispatched", "InProgress"], to: "TimedOut" };
  if (run?.status !== "InProgress" || run.jobStep !== step) return { kind: "dropped", change };
  if (why === "lease" && job.attempt >= maxAttempts) {
    return {
      kind: "failed",
      change,
      failure: {
        type: "JobFailed",
        message: `No job worker completed the job: it was offered ${job.attempt} time(s) and each worker stopped reporting before its lease ran out`,
      },
    };
  }
  return { kind: "reoffered", change, attempt: why === "lease" ? job.attempt + 1 : job.attempt };
}

/** Why a job takes no result now, in AWS's InvalidJobStateException. */
export function notInProgress(job: JobView, why?: string): ServiceFailure {
  const reason =
    why ??
    (job.status === "Dispatched"
      ? "it has not been acknowledged; call AcknowledgeJob with its nonce first"
      : job.status === "Queued"
        ? "it has not been claimed by a worker"
        : job.approval
          ? "it is a manual approval, which PutApprovalResult answers"
          : job.status === "TimedOut"
            ? "it timed out (its lease ran out, its action timed out, or the execution was stopped and abandoned)"
            : `it already ended ${job.status}`);
  return { type: "InvalidJobStateException", message: `Job ${job.jobId} is ${job.status}: ${reason}` };
}
