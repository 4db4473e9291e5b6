import type { ExecutionEvent } from "../engine/events.js";
import type { ExecutionState } from "../engine/execution-state.js";
import type { PipelineLanes } from "../engine/lanes.js";
import type { JobStatus } from "../engine/statuses.js";
import type { JobSpec } from "../engine/world.js";
import type { Page, Scope } from "./common-types.js";

// Executions, lanes and jobs: one pipeline's run state, changed together by RunStore.commit. Contract rules common to every store: common-types.ts.
/** One execution as stored: the snapshot of its state after `version` events. */
export interface ExecutionRecord {
  readonly scope: Scope;
  readonly pipelineName: string;
  readonly executionId: string;
  /** How many events the execution has; the snapshot is the fold of exactly these. */
  readonly version: number;
  readonly state: ExecutionState;
}

/** A pipeline's lanes (transitions, stage locks, waiting executions) with its version. */
export interface LanesRecord {
  readonly scope: Scope;
  readonly pipelineName: string;
  /** 0 for a pipeline that has never run (the store returns `emptyLanes` then). */
  readonly version: number;
  readonly lanes: PipelineLanes;
}

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

export interface ExecutionAppend {
  readonly executionId: string;
  /** The version the caller loaded; 0 creates the execution (its first event is ExecutionStarted). */
  readonly expectedVersion: number;
  readonly events: readonly ExecutionEvent[];
  /** The state after the events (the new snapshot). */
  readonly state: ExecutionState;
}

export interface JobTransition {
  readonly jobId: string;
  /** The transition applies only if the job is in one of these; otherwise the commit conflicts. */
  readonly from: readonly JobStatus[];
  readonly to: JobStatus;
  /** With `to: InProgress`: the job now waits for an API call; its lease is cleared. */
  readonly awaitingCallback?: boolean;
}

/**
 * Everything one decision changes, applied atomically: all or nothing. Optimistic concurrency:
 * each execution's and the lanes' expected version must still be current, and each job
 * transition's `from` must hold, else nothing is written and the conflict is reported.
 */
export interface RunCommit {
  readonly scope: Scope;
  readonly pipelineName: string;
  readonly executions: readonly ExecutionAppend[];
  readonly lanes?: { readonly expectedVersion: number; readonly lanes: PipelineLanes };
  readonly enqueueJobs?: readonly {
    readonly jobId: string;
    readonly spec: JobSpec;
    readonly attempt: number;
  }[];
  readonly jobTransitions?: readonly JobTransition[];
  /** Ends every open (Queued, Dispatched, InProgress) job of these action runs as TimedOut. */
  readonly cancelJobsOf?: readonly string[];
  /** The commit's time: job `created`/`updated`. */
  readonly now: number;
}

export type CommitResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly conflict: "execution" | "lanes" | "job" | "clientRequestToken";
      /** For clientRequestToken conflicts: the execution that already holds the token. */
      readonly existingExecutionId?: string;
    };

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

/**
 * Executions (event histories with snapshots), lanes and jobs of every pipeline. Contract
 * (checked by store/contract/run-store.contract.ts):
 *  - `commit` is atomic and optimistic (see RunCommit); a conflict changes nothing.
 *  - Events are append-only; `events(id)` returns them in order, and folding them gives the
 *    stored snapshot (the runtime checks this in the crash test).
 *  - `claimJobs` never hands one job to two claimers: each claimed job moves from Queued to
 *    Dispatched (or InProgress) exactly once, oldest `availableAt` first, and only once
 *    `availableAt <= now`.
 *  - Clock values come from the caller; the store never reads the time.
 *  - `getExecutions` and the sweeps (`activeExecutions`, `dueExecutions`, `lanesWithPendingRollbacks`,
 *    `expiredLeases`, `jobsHeldBy`) promise no order.
 */
export interface RunStore {
  commit(commit: RunCommit): Promise<CommitResult>;
  getExecution(executionId: string): Promise<ExecutionRecord | undefined>;
  getExecutions(executionIds: readonly string[]): Promise<ExecutionRecord[]>;
  /** Events after `afterVersion` (default 0: all), in order. */
  events(executionId: string, afterVersion?: number): Promise<ExecutionEvent[]>;
  /**
   * A pipeline's executions, newest first (startTime descending, then executionId descending).
   * `after` is the `nextAfter` of the previous page.
   */
  listExecutions(
    scope: Scope,
    pipelineName: string,
    options: { after?: string; limit: number },
  ): Promise<Page<ExecutionRecord>>;
  findByClientRequestToken(scope: Scope, pipelineName: string, token: string): Promise<string | undefined>;
  /** Executions that are not finished (InProgress or Stopping). */
  countActive(scope: Scope, pipelineName: string): Promise<number>;
  /** Unfinished executions of every pipeline (the recovery sweep), at most `limit`. */
  activeExecutions(limit: number): Promise<{ scope: Scope; pipelineName: string; executionId: string }[]>;
  /** Unfinished executions whose next deadline (an action timeout) is at or before `now`. */
  dueExecutions(
    now: number,
    limit: number,
  ): Promise<{ scope: Scope; pipelineName: string; executionId: string }[]>;
  getLanes(scope: Scope, pipelineName: string): Promise<LanesRecord>;
  /** Pipelines whose lanes hold pending rollbacks. */
  lanesWithPendingRollbacks(limit: number): Promise<LanesRecord[]>;
  /** Forgets a deleted pipeline's executions, events, lanes and jobs. */
  removePipelineRuns(scope: Scope, pipelineName: string): Promise<void>;

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
}
