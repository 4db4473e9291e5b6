import type { JobStatus } from "../engine/statuses.js";
import type { JobSpec } from "../engine/world.js";
import type { Scope } from "./common-types.js";

// The work queue: every unit of work any worker may claim, in one durable table. Contract rules
// common to every store: common-types.ts.
//
// Two families of jobs share it:
//  - action jobs follow CodePipeline's job protocol (Queued, Dispatched, AcknowledgeJob with a
//    nonce, InProgress, a parked wait for a callback). They are enqueued and ended by
//    RunStore.commit, in the same transaction as the run state that asks for them, so an action
//    never runs without a job nor a job without its action;
//  - tasks of every other kind (CodeBuild builds now; ECS tasks and function invocations next)
//    follow a plain lifecycle and are enqueued on their own:
//
//      enqueue --> Queued --claimTasks--> InProgress --complete--> Succeeded
//                    ^  |                   |  |  \--fail (no retry left)--> Failed
//                    |  |                   |  \--cancel: cancelRequested, the worker stops--> Cancelled
//                    |  \--cancel----------------------------------------------------------> Cancelled
//                    +-- fail with retryAfterMs (attempts left), or rescue after a lost lease
//
// Operations are small and named, one statement or transaction each (graphile-worker's
// getJobs/completeJobs/failJobs, River's unique jobs and rescuer: docs/architecture.md).

/** One offer of an action run's work. A lost job is not reused: it ends TimedOut and a new one (same idempotency key) is offered. */
export interface JobRecord {
  readonly jobId: string;
  readonly scope: Scope;
  readonly spec: JobSpec;
  readonly status: JobStatus;
  /** 1 for the first offer of this step, +1 for each re-offer after a lost lease. */
  readonly attempt: number;
  /** Set when claimed; AcknowledgeJob must quote it. */
  readonly nonce?: string;
  readonly workerId?: string;
  /** While Dispatched or InProgress and not awaiting a callback: when the claim lapses. */
  readonly leaseExpiresAt?: number;
  /** InProgress and waiting for an API call (an approval), not for a worker: no lease. */
  readonly awaitingCallback: boolean;
  readonly created: number;
  readonly updated: number;
}

/** `category/owner/provider/version`: how jobs are filtered by action type. */
export type ActionTypeKey = string;

export interface ClaimRequest {
  readonly now: number;
  readonly workerId: string;
  readonly leaseMs: number;
  readonly limit: number;
  readonly dispatch: "provider" | "jobWorker";
  /** Only jobs of these action types (keys); absent means any type of that dispatch, empty means none. */
  readonly actionTypeKeys?: readonly ActionTypeKey[];
  /** Only jobs of this scope (PollForJobs); absent means every scope (the in-process worker). */
  readonly scope?: Scope;
  /** PollForJobs' queryParam: only jobs whose queryable property has this value. */
  readonly queryValue?: string;
  /** Claim straight into InProgress (the in-process worker acknowledges its own claims). */
  readonly acknowledge: boolean;
  /** A fresh nonce per claimed job. */
  readonly newNonce: () => string;
}

export type AcknowledgeResult =
  | { readonly ok: true; readonly job: JobRecord }
  | {
      readonly ok: false;
      readonly reason: "NotFound" | "InvalidNonce" | "InvalidState";
      readonly job?: JobRecord;
    };

export type TaskStatus = "Queued" | "InProgress" | "Succeeded" | "Failed" | "Cancelled";

/** A task: a unit of work of a kind other than a pipeline action (a build). */
export interface TaskRecord<P = unknown> {
  readonly taskId: string;
  /** What the task is (`build`); a worker claims the kinds it can run. */
  readonly kind: string;
  /** At most one unfinished task of a kind has a given key (the build id): enqueue is idempotent. */
  readonly key: string;
  readonly scope: Scope;
  /** JSON data the worker needs; the queue never looks inside. */
  readonly payload: P;
  readonly status: TaskStatus;
  /** How many times it was claimed. */
  readonly attempt: number;
  /** Claims allowed before a failure or a lost lease ends it Failed. */
  readonly maxAttempts: number;
  /** Lower runs first; ties in availableAt, then enqueue order. */
  readonly priority: number;
  /** Not claimed before this (a retry's backoff). */
  readonly availableAt: number;
  readonly workerId?: string;
  /** While InProgress: when the claim lapses unless the worker heartbeats. */
  readonly leaseExpiresAt?: number;
  /** Cancel was asked of an InProgress task: its worker sees it at its next heartbeat. */
  readonly cancelRequested: boolean;
  readonly lastError?: string;
  readonly created: number;
  readonly updated: number;
}

export interface NewTask<P = unknown> {
  readonly taskId: string;
  readonly kind: string;
  readonly key: string;
  readonly scope: Scope;
  readonly payload: P;
  readonly maxAttempts?: number;
  readonly priority?: number;
  readonly availableAt?: number;
}

export type EnqueueResult<P = unknown> =
  | { readonly ok: true; readonly task: TaskRecord<P> }
  /** An unfinished task of the kind already has the key: it is the one to use. */
  | { readonly ok: false; readonly existing: TaskRecord<P> };

export interface TaskClaim {
  readonly now: number;
  readonly workerId: string;
  readonly leaseMs: number;
  /** How many more tasks of each kind this worker can take now (its free capacity). */
  readonly capacity: Readonly<Record<string, number>>;
}

/** What a heartbeat learns: whether the worker still holds the task, and whether to stop. */
export type Heartbeat =
  | { readonly held: true; readonly cancelRequested: boolean }
  | { readonly held: false; readonly status?: TaskStatus };

/**
 * The queue. Contract (checked by store/contract/work-queue.contract.ts on every store):
 *  - Claims never hand one job or task to two claimers: each moves out of Queued exactly once
 *    per claim, under the store's single writer (SQLite) or row locks that skip rows already
 *    taken (PostgreSQL, `FOR UPDATE SKIP LOCKED`). Claim order: action jobs by availableAt then
 *    enqueue order; tasks by priority, availableAt, then enqueue order; never before availableAt.
 *  - Only the worker that holds a task (its workerId, InProgress) may heartbeat, complete or fail
 *    it; a call from anyone else changes nothing and answers false / not held.
 *  - A completed, failed or cancelled task is never claimed again.
 *  - `rescue` applies only to a task whose lease has lapsed at `now` (its worker is presumed
 *    dead); a heartbeat in between wins.
 *  - Clock values come from the caller; the queue never reads the time.
 */
export interface WorkQueue {
  // --- action jobs (enqueued and ended by RunStore.commit) -----------------------------------
  getJob(jobId: string): Promise<JobRecord | undefined>;
  claimJobs(request: ClaimRequest): Promise<JobRecord[]>;
  /** Dispatched -> InProgress when `nonce` matches; renews the lease to `now + leaseMs`. */
  acknowledgeJob(jobId: string, nonce: string, now: number, leaseMs: number): Promise<AcknowledgeResult>;
  /**
   * Extends the lease of a Dispatched or InProgress job; false when the job is not in one of those
   * or waits for a callback (such a job has no lease).
   */
  renewLease(jobId: string, now: number, leaseMs: number): Promise<boolean>;
  /** Dispatched or InProgress jobs (not awaiting a callback) whose lease expired at or before `now`. */
  expiredLeases(now: number, limit: number): Promise<JobRecord[]>;
  /** The latest job (whatever its status) of the approval with this token. */
  jobByCallbackToken(token: string): Promise<JobRecord | undefined>;
  /**
   * Jobs of one worker that are still Dispatched or InProgress, except those waiting for a callback
   * (nothing of theirs runs in the worker): the in-process worker's recovery.
   */
  jobsHeldBy(workerId: string): Promise<JobRecord[]>;
  /** The newest unfinished (Queued, Dispatched, InProgress) job of an action run, if any. */
  openJobOf(actionExecutionId: string): Promise<JobRecord | undefined>;

  // --- tasks ------------------------------------------------------------------------------------
  /** Adds a Queued task, unless an unfinished task of its kind has its key (then: that one). */
  enqueue<P>(task: NewTask<P>, now: number): Promise<EnqueueResult<P>>;
  getTask<P = unknown>(taskId: string): Promise<TaskRecord<P> | undefined>;
  /** The newest task of a kind with this key, finished or not. */
  findTask<P = unknown>(kind: string, key: string): Promise<TaskRecord<P> | undefined>;
  /** Claims up to `capacity[kind]` Queued tasks of each kind: InProgress, attempt + 1, leased. */
  claimTasks(claim: TaskClaim): Promise<TaskRecord[]>;
  /** Renews the lease of a task this worker holds, and tells it whether cancel was asked. */
  heartbeat(taskId: string, workerId: string, now: number, leaseMs: number): Promise<Heartbeat>;
  /** InProgress -> Succeeded, only by its worker. */
  complete(taskId: string, workerId: string, now: number): Promise<boolean>;
  /**
   * InProgress -> Queued again after `retryAfterMs` when attempts are left and a retry is asked,
   * else -> Failed (Cancelled when cancel had been asked); only by its worker. Undefined when the
   * worker does not hold it.
   */
  fail(
    taskId: string,
    workerId: string,
    now: number,
    error: string,
    retryAfterMs?: number,
  ): Promise<TaskStatus | undefined>;
  /**
   * Queued -> Cancelled at once; InProgress -> cancelRequested (the worker stops and fails it).
   * Answers the status after the call; undefined when there is no such unfinished task.
   */
  cancel(taskId: string, now: number): Promise<TaskStatus | undefined>;
  /** InProgress tasks whose lease lapsed at or before `now` (their worker is presumed dead). */
  expiredTasks(now: number, limit: number): Promise<TaskRecord[]>;
  /** InProgress tasks held by a worker (its recovery after a restart). */
  tasksHeldBy(workerId: string): Promise<TaskRecord[]>;
  /**
   * A lost task (lease lapsed at `now`, or `heldBy` a worker known to be gone) -> Queued (to run
   * again) or Failed (with `error`). False when it is no longer InProgress under a lapsed lease.
   */
  rescue(
    taskId: string,
    now: number,
    to: "Queued" | "Failed",
    error: string,
    heldBy?: string,
  ): Promise<boolean>;
  /** Unfinished (Queued or InProgress) tasks of a kind, oldest first, at most `limit`. */
  openTasks(kind: string, limit: number): Promise<TaskRecord[]>;
}
