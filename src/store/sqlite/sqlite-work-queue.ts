import type Database from "better-sqlite3";
import type {
  AcknowledgeResult,
  ClaimRequest,
  JobRecord,
  NewTask,
  TaskClaim,
  TaskRecord,
  WorkQueue,
} from "../queue-types.js";
import {
  acknowledgeDispatchedJob,
  claimJob,
  type QueuedFilter,
  type QueuedJob,
  renewJobLease,
  selectExpiredLeases,
  selectJob,
  selectJobByCallbackToken,
  selectJobsHeldBy,
  selectOpenJobOf,
  selectQueued,
  selectQueuedOfType,
} from "./job-queries.js";
import { toJobRecord } from "./run-rows.js";
import {
  cancelQueuedTask,
  claimTask,
  finishTask,
  insertTask,
  renewTaskLease,
  requestTaskCancel,
  requeueTask,
  rescueTask,
  selectExpiredTasks,
  selectOpenTasks,
  selectQueuedTasks,
  selectTask,
  selectTaskByKey,
  selectTasksHeldBy,
  type TaskRow,
} from "./task-queries.js";

/**
 * The work queue in SQLite (table work_jobs of migration 0009). SQLite has one writer, so a
 * claim in an IMMEDIATE transaction sees no row another claimer is taking: the single writer
 * gives what `FOR UPDATE SKIP LOCKED` gives PostgreSQL (two claimers never get one row, and
 * neither waits for the other's rows). Each operation is one statement or one such transaction.
 */
export function createSqliteWorkQueue(db: Database.Database): WorkQueue {
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

  const enqueue = db.transaction((task: NewTask, now: number) => {
    const inserted = insertTask(db, {
      taskId: task.taskId,
      kind: task.kind,
      key: task.key,
      scope: task.scope,
      maxAttempts: task.maxAttempts ?? 1,
      priority: task.priority ?? 0,
      availableAt: task.availableAt ?? now,
      now,
      payload: JSON.stringify(task.payload),
    });
    const row = inserted ? selectTask(db, task.taskId) : selectTaskByKey(db, task.kind, task.key);
    return { inserted, row: row! };
  });

  const claimTasks = db.transaction((req: TaskClaim): TaskRecord[] => {
    const claimed: TaskRecord[] = [];
    for (const [kind, capacity] of Object.entries(req.capacity)) {
      if (capacity < 1) continue;
      for (const candidate of selectQueuedTasks(db, kind, req.now, capacity)) {
        const row = claimTask(db, candidate.seq, {
          workerId: req.workerId,
          leaseExpiresAt: req.now + req.leaseMs,
          now: req.now,
        });
        if (row) claimed.push(toTaskRecord(row));
      }
    }
    return claimed;
  });

  const fail = db.transaction(
    (taskId: string, workerId: string, now: number, error: string, retryAfterMs: number | undefined) => {
      const row = selectTask(db, taskId);
      if (row?.status !== "InProgress" || row.worker_id !== workerId) return undefined;
      if (row.cancel_requested === 1) {
        finishTask(db, taskId, workerId, "Cancelled", error, now);
        return "Cancelled" as const;
      }
      if (retryAfterMs !== undefined && row.attempt < row.max_attempts) {
        requeueTask(db, taskId, workerId, now + retryAfterMs, error, now);
        return "Queued" as const;
      }
      finishTask(db, taskId, workerId, "Failed", error, now);
      return "Failed" as const;
    },
  );

  const cancel = db.transaction((taskId: string, now: number) => {
    if (cancelQueuedTask(db, taskId, now)) return "Cancelled" as const;
    if (requestTaskCancel(db, taskId, now)) return "InProgress" as const;
    return undefined;
  });

  return {
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
    async openJobOf(actionExecutionId) {
      const row = selectOpenJobOf(db, actionExecutionId);
      return row && toJobRecord(row);
    },

    async enqueue<P>(task: NewTask<P>, now: number) {
      const { inserted, row } = enqueue.immediate(task, now);
      const record = toTaskRecord(row) as TaskRecord<P>;
      return inserted ? { ok: true as const, task: record } : { ok: false as const, existing: record };
    },
    async getTask<P>(taskId: string) {
      const row = selectTask(db, taskId);
      return row && (toTaskRecord(row) as TaskRecord<P>);
    },
    async findTask<P>(kind: string, key: string) {
      const row = selectTaskByKey(db, kind, key);
      return row && (toTaskRecord(row) as TaskRecord<P>);
    },
    async claimTasks(request) {
      return claimTasks.immediate(request);
    },
    async heartbeat(taskId, workerId, now, leaseMs) {
      const row = renewTaskLease(db, taskId, workerId, now + leaseMs, now);
      if (row) return { held: true, cancelRequested: row.cancel_requested === 1 };
      const current = selectTask(db, taskId);
      return current ? { held: false, status: current.status } : { held: false };
    },
    async complete(taskId, workerId, now) {
      return finishTask(db, taskId, workerId, "Succeeded", null, now);
    },
    async fail(taskId, workerId, now, error, retryAfterMs) {
      return fail.immediate(taskId, workerId, now, error, retryAfterMs);
    },
    async cancel(taskId, now) {
      return cancel.immediate(taskId, now);
    },
    async expiredTasks(now, limit) {
      return selectExpiredTasks(db, now, limit).map(toTaskRecord);
    },
    async tasksHeldBy(workerId) {
      return selectTasksHeldBy(db, workerId).map(toTaskRecord);
    },
    async rescue(taskId, now, to, error, heldBy) {
      return rescueTask(db, taskId, now, to, error, heldBy ?? null);
    },
    async openTasks(kind, limit) {
      return selectOpenTasks(db, kind, limit).map(toTaskRecord);
    },
  };
}

function toTaskRecord(row: TaskRow): TaskRecord {
  return {
    taskId: row.job_id,
    kind: row.kind,
    key: row.unique_key,
    scope: { accountId: row.account_id, region: row.region },
    payload: JSON.parse(row.spec) as unknown,
    status: row.status,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    priority: row.priority,
    availableAt: row.available_at,
    ...(row.worker_id === null ? {} : { workerId: row.worker_id }),
    ...(row.lease_expires_at === null ? {} : { leaseExpiresAt: row.lease_expires_at }),
    cancelRequested: row.cancel_requested === 1,
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    created: row.created,
    updated: row.updated,
  };
}

/**
 * The action jobs to claim, oldest availableAt first, ties in enqueue order. With action types,
 * each type's queued jobs come from its own index range (at most `limit` each) and the lists are
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
