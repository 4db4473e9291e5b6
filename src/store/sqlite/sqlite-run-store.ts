import type Database from "better-sqlite3";
import type { ExecutionEvent } from "../../engine/events.js";
import { emptyLanes } from "../../engine/lanes.js";
import type { JobStatus } from "../../engine/statuses.js";
import { actionTypeKeyOf, executionListKey, nextDeadlineOf } from "../run-records.js";
import { assertPageLimit } from "../store-checks.js";
import type { CommitResult, ExecutionAppend, RunCommit, RunStore, Scope } from "../types.js";
import { deletePipelineJobs, insertJob, timeOutOpenJobsOfRun, transitionJob } from "./job-queries.js";
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
  selectLatestExecutions,
  updateExecution,
  updateLanes,
} from "./run-queries.js";
import { toExecutionRecord, toExecutionRef, toLanesRecord } from "./run-rows.js";

const OPEN: readonly JobStatus[] = ["Queued", "Dispatched", "InProgress"];

/** Thrown inside a commit transaction to roll it back; carries what commit returns. */
class Conflict {
  constructor(readonly result: CommitResult) {}
}

/**
 * RunStore in SQLite (tables of migration 0002; action jobs in the work queue's table of 0009,
 * whose reads and claims are sqlite-work-queue.ts). `commit` runs in one IMMEDIATE transaction (see sqlite-pipeline-store.ts for why immediate). A commit checks each
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

    async latestExecutions(scope) {
      return selectLatestExecutions(db, scope).map(toExecutionRecord);
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
