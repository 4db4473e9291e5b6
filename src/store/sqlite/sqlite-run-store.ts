import type Database from "better-sqlite3";
import type { ExecutionEvent } from "../../engine/events.js";
import { emptyLanes } from "../../engine/lanes.js";
import type { JobStatus } from "../../engine/statuses.js";
import { actionTypeKeyOf, executionListKey, nextDeadlineOf } from "../run-records.js";
import { assertPageLimit } from "../store-checks.js";
import type {
  AcknowledgeResult,
  ClaimRequest,
  CommitResult,
  ExecutionAppend,
  JobRecord,
  RunCommit,
  RunStore,
  Scope,
} from "../types.js";
import {
  acknowledgeDispatchedJob,
  claimJob,
  deletePipelineJobs,
  insertJob,
  type QueuedFilter,
  type QueuedJob,
  renewJobLease,
  selectExpiredLeases,
  selectJob,
  selectJobByCallbackToken,
  selectJobsHeldBy,
  selectQueued,
  selectQueuedOfType,
  timeOutOpenJobsOfRun,
  transitionJob,
} from "./job-queries.js";
import {
  countActiveExecutions,
  deleteLanes,
  deletePipelineEvents,
  deletePipelineExecutions,
  insertEvent,
  insertExecution,
  insertLanes,
  selectActiveExecutions,
  selectDueExecutions,
  selectEvents,
  selectExecution,
  selectExecutionIdByToken,
  selectExecutionPage,
  selectExecutionVersion,
  selectLanes,
  selectLanesWithPendingRollbacks,
  updateExecution,
  updateLanes,
} from "./run-queries.js";
import { toExecutionRecord, toExecutionRef, toJobRecord, toLanesRecord } from "./run-rows.js";

const OPEN: readonly JobStatus[] = ["Queued", "Dispatched", "InProgress"];

/** Thrown inside a commit transaction to roll it back; carries what commit returns. */
class Conflict {
  constructor(readonly result: CommitResult) {}
}

/**
 * RunStore in SQLite (tables of migration 0002). `commit` and `claimJobs` each run in one
 * IMMEDIATE transaction (see sqlite-pipeline-store.ts for why immediate). A commit checks each
 * precondition with the statement that writes it (an UPDATE … WHERE version = expected, an
 * INSERT … ON CONFLICT DO NOTHING): when one changes no row, a Conflict is thrown, which rolls
 * back everything the commit wrote before it and is returned as the result.
 */
export function createSqliteRunStore(db: Database.Database): RunStore {
  const commit = db.transaction((c: RunCommit): void => {
    for (const e of c.executions) appendExecution(db, c, e);
    if (c.lanes) {
      const lanes = JSON.stringify(c.lanes.lanes);
      const pending = c.lanes.lanes.pendingRollbacks.length > 0;
      const written =
        c.lanes.expectedVersion === 0
          ? insertLanes(db, c.scope, c.pipelineName, lanes, pending)
          : updateLanes(db, c.scope, c.pipelineName, c.lanes.expectedVersion, lanes, pending);
      if (!written) throw new Conflict({ ok: false, conflict: "lanes" });
    }
    for (const t of c.jobTransitions ?? []) {
      // As in the memory store: waiting for a callback, or finished, means no lease.
      const awaiting = t.to === "InProgress" && t.awaitingCallback === true;
      const clearLease = awaiting || !OPEN.includes(t.to);
      if (!transitionJob(db, t.jobId, t.from, t.to, awaiting, clearLease, c.now)) {
        throw new Conflict({ ok: false, conflict: "job" });
      }
    }
    for (const actionExecutionId of c.cancelJobsOf ?? []) timeOutOpenJobsOfRun(db, actionExecutionId, c.now);
    for (const j of c.enqueueJobs ?? []) {
      insertJob(db, {
        jobId: j.jobId,
        scope: c.scope,
        pipelineName: j.spec.pipelineName,
        actionExecutionId: j.spec.actionExecutionId,
        actionTypeKey: actionTypeKeyOf(j.spec.actionTypeId),
        dispatch: j.spec.dispatch,
        queryValue: j.spec.queryValue ?? null,
        callbackToken: j.spec.callbackToken ?? null,
        attempt: j.attempt,
        availableAt: j.spec.availableAt,
        now: c.now,
        spec: JSON.stringify(j.spec),
      });
    }
  });

  const claim = db.transaction((req: ClaimRequest): JobRecord[] => {
    const claimed: JobRecord[] = [];
    for (const candidate of claimCandidates(db, req)) {
      const row = claimJob(db, candidate.seq, {
        status: req.acknowledge ? "InProgress" : "Dispatched",
        nonce: req.newNonce(),
        workerId: req.workerId,
        leaseExpiresAt: req.now + req.leaseMs,
        now: req.now,
      });
      if (row) claimed.push(toJobRecord(row));
    }
    return claimed;
  });

  const acknowledge = db.transaction(
    (jobId: string, nonce: string, now: number, leaseMs: number): AcknowledgeResult => {
      const row = selectJob(db, jobId);
      if (!row) return { ok: false, reason: "NotFound" };
      const job = toJobRecord(row);
      // Acknowledging again with the same nonce is answered as the first time was.
      if (job.status === "InProgress" && job.nonce === nonce) return { ok: true, job };
      if (job.status !== "Dispatched") return { ok: false, reason: "InvalidState", job };
      if (job.nonce !== nonce) return { ok: false, reason: "InvalidNonce", job };
      return { ok: true, job: toJobRecord(acknowledgeDispatchedJob(db, jobId, now + leaseMs, now)!) };
    },
  );

  const removeRuns = db.transaction((scope: Scope, pipelineName: string) => {
    deletePipelineEvents(db, scope, pipelineName);
    deletePipelineExecutions(db, scope, pipelineName);
    deleteLanes(db, scope, pipelineName);
    deletePipelineJobs(db, scope, pipelineName);
  });

  return {
    async commit(c) {
      try {
        commit.immediate(c);
        return { ok: true };
      } catch (error) {
        if (error instanceof Conflict) return error.result;
        throw error;
      }
    },

    async getExecution(executionId) {
      const row = selectExecution(db, executionId);
      return row && toExecutionRecord(row);
    },

    async getExecutions(executionIds) {
      return executionIds.flatMap((id) => {
        const row = selectExecution(db, id);
        return row ? [toExecutionRecord(row)] : [];
      });
    },

    async events(executionId, afterVersion = 0) {
      return selectEvents(db, executionId, afterVersion).map((event) => JSON.parse(event) as ExecutionEvent);
    },

    async listExecutions(scope, pipelineName, { after, limit }) {
      assertPageLimit(limit, "run store");
      // One row more than asked for tells whether another page follows.
      const rows = selectExecutionPage(db, scope, pipelineName, after, limit + 1);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(toExecutionRecord),
        ...(rows.length > limit && last ? { nextAfter: last.list_key } : {}),
      };
    },

    async findByClientRequestToken(scope, pipelineName, token) {
      return selectExecutionIdByToken(db, scope, pipelineName, token);
    },

    async countActive(scope, pipelineName) {
      return countActiveExecutions(db, scope, pipelineName);
    },

    async activeExecutions(limit) {
      return selectActiveExecutions(db, limit).map(toExecutionRef);
    },

    async dueExecutions(now, limit) {
      return selectDueExecutions(db, now, limit).map(toExecutionRef);
    },

    async getLanes(scope, pipelineName) {
      const row = selectLanes(db, scope, pipelineName);
      return row
        ? toLanesRecord(row)
        : {
            scope: { accountId: scope.accountId, region: scope.region },
            pipelineName,
            version: 0,
            lanes: emptyLanes,
          };
    },

    async lanesWithPendingRollbacks(limit) {
      return selectLanesWithPendingRollbacks(db, limit).map(toLanesRecord);
    },

    async removePipelineRuns(scope, pipelineName) {
      removeRuns.immediate(scope, pipelineName);
    },

    async getJob(jobId) {
      const row = selectJob(db, jobId);
      return row && toJobRecord(row);
    },

    async claimJobs(request) {
      return claim.immediate(request);
    },

    async acknowledgeJob(jobId, nonce, now, leaseMs) {
      return acknowledge.immediate(jobId, nonce, now, leaseMs);
    },

    async renewLease(jobId, now, leaseMs) {
      return renewJobLease(db, jobId, now + leaseMs, now);
    },

    async expiredLeases(now, limit) {
      return selectExpiredLeases(db, now, limit).map(toJobRecord);
    },

    async jobByCallbackToken(token) {
      const row = selectJobByCallbackToken(db, token);
      return row && toJobRecord(row);
    },

    async jobsHeldBy(workerId) {
      return selectJobsHeldBy(db, workerId).map(toJobRecord);
    },
  };
}

/**
 * Writes one execution's new snapshot and events, or throws the Conflict that explains why not.
 * Creating inserts; appending updates the row only while it is at the expected version.
 */
function appendExecution(db: Database.Database, c: RunCommit, e: ExecutionAppend): void {
  const row = {
    executionId: e.executionId,
    scope: c.scope,
    pipelineName: c.pipelineName,
    version: e.expectedVersion + e.events.length,
    status: e.state.status,
    listKey: executionListKey(e.state.startTime, e.executionId),
    clientRequestToken: e.state.clientRequestToken ?? null,
    nextDeadline: nextDeadlineOf(e.state) ?? null,
    state: JSON.stringify(e.state),
  };
  if (e.expectedVersion === 0) {
    if (!insertExecution(db, row))
      throw new Conflict(creationConflict(db, c, e.executionId, row.clientRequestToken));
  } else if (!updateExecution(db, row, e.expectedVersion)) {
    throw new Conflict({ ok: false, conflict: "execution" });
  }
  e.events.forEach((event, i) => {
    insertEvent(db, e.executionId, e.expectedVersion + i + 1, JSON.stringify(event));
  });
}

/** Why a new execution's insert wrote nothing: the id exists, or another execution holds the token. */
function creationConflict(
  db: Database.Database,
  c: RunCommit,
  executionId: string,
  token: string | null,
): CommitResult {
  if (selectExecutionVersion(db, executionId) !== undefined || token === null)
    return { ok: false, conflict: "execution" };
  const holder = selectExecutionIdByToken(db, c.scope, c.pipelineName, token);
  return holder === undefined
    ? { ok: false, conflict: "execution" }
    : { ok: false, conflict: "clientRequestToken", existingExecutionId: holder };
}

/**
 * The jobs to claim, oldest availableAt first, ties in enqueue order. With action types, each
 * type's queued jobs come from its own index range (at most `limit` each) and the lists are
 * merged here: one `IN (…)` over the types would need a sort to restore the order.
 */
function claimCandidates(db: Database.Database, req: ClaimRequest): QueuedJob[] {
  if (req.limit < 1) return [];
  const filter: QueuedFilter = {
    dispatch: req.dispatch,
    now: req.now,
    accountId: req.scope?.accountId ?? null,
    region: req.scope?.region ?? null,
    queryValue: req.queryValue ?? null,
  };
  if (!req.actionTypeKeys) return selectQueued(db, filter, req.limit);
  return [...new Set(req.actionTypeKeys)]
    .flatMap((key) => selectQueuedOfType(db, filter, key, req.limit))
    .sort((a, b) => a.available_at - b.available_at || a.seq - b.seq)
    .slice(0, req.limit);
}
