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

/**
 * Executions (event histories with snapshots) and lanes of every pipeline, and the action jobs
 * they ask for (the work queue's table, queue-types.ts: enqueued and ended only here, in the
 * same transaction as the run state). Contract (checked by store/contract/run-store.contract.ts):
 *  - `commit` is atomic and optimistic (see RunCommit); a conflict changes nothing.
 *  - Events are append-only; `events(id)` returns them in order, and folding them gives the
 *    stored snapshot (the runtime checks this in the crash test).
 *  - Clock values come from the caller; the store never reads the time.
 *  - `getExecutions` and the sweeps (`activeExecutions`, `dueExecutions`, `lanesWithPendingRollbacks`)
 *    promise no order.
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
  /**
   * The newest execution (the first `listExecutions` would return) of every pipeline of the
   * scope that has one: one read for an overview of all pipelines. No order promised.
   */
  latestExecutions(scope: Scope): Promise<ExecutionRecord[]>;
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
}
