import type Database from "better-sqlite3";
import type { TaskStatus } from "../queue-types.js";
import type { Scope } from "../types.js";
import { prepared } from "./prepared.js";

/*
 * One function per statement over the tasks of the work queue (table work_jobs of migration
 * 0009, every kind but 'action'). As in job-queries.ts, statements repeat the WHERE terms of the
 * partial index they use word for word.
 */

export interface TaskRow {
  seq: number;
  job_id: string;
  kind: string;
  unique_key: string;
  account_id: string;
  region: string;
  status: TaskStatus;
  attempt: number;
  max_attempts: number;
  priority: number;
  available_at: number;
  worker_id: string | null;
  lease_expires_at: number | null;
  cancel_requested: number;
  last_error: string | null;
  created: number;
  updated: number;
  spec: string;
}

const TASK_COLUMNS =
  "seq, job_id, kind, unique_key, account_id, region, status, attempt, max_attempts, priority, available_at, worker_id, lease_expires_at, cancel_requested, last_error, created, updated, spec";

export interface NewTaskRow {
  taskId: string;
  kind: string;
  key: string;
  scope: Scope;
  maxAttempts: number;
  priority: number;
  availableAt: number;
  now: number;
  payload: string;
}

/** Inserted Queued; false when an unfinished task of the kind holds the key (work_jobs_unique_open). */
export function insertTask(db: Database.Database, row: NewTaskRow): boolean {
  return (
    prepared(
      db,
      `INSERT INTO work_jobs
         (job_id, kind, queue, account_id, region, group_id, unique_key, status, attempt,
          max_attempts, priority, awaiting_callback, available_at, created, updated, spec)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'Queued', 0, ?, ?, 0, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ).run(
      row.taskId,
      row.kind,
      row.kind,
      row.scope.accountId,
      row.scope.region,
      row.key,
      row.key,
      row.maxAttempts,
      row.priority,
      row.availableAt,
      row.now,
      row.now,
      row.payload,
    ).changes === 1
  );
}

export function selectTask(db: Database.Database, taskId: string): TaskRow | undefined {
  return prepared<TaskRow>(
    db,
    `SELECT ${TASK_COLUMNS} FROM work_jobs WHERE job_id = ? AND kind <> 'action'`,
  ).get(taskId);
}

/** The newest task of a kind with the key (work_jobs_by_key). */
export function selectTaskByKey(db: Database.Database, kind: string, key: string): TaskRow | undefined {
  return prepared<TaskRow>(
    db,
    `SELECT ${TASK_COLUMNS} FROM work_jobs
      WHERE kind = ? AND unique_key = ? AND unique_key IS NOT NULL
      ORDER BY seq DESC LIMIT 1`,
  ).get(kind, key);
}

/** Up to `limit` claimable tasks of a kind, in claim order (work_jobs_tasks_queued). */
export function selectQueuedTasks(
  db: Database.Database,
  kind: string,
  now: number,
  limit: number,
): TaskRow[] {
  return prepared<TaskRow>(
    db,
    `SELECT ${TASK_COLUMNS} FROM work_jobs
      WHERE status = 'Queued' AND kind <> 'action' AND queue = ? AND available_at <= ?
      ORDER BY priority, available_at, seq
      LIMIT ?`,
  ).all(kind, now, limit);
}

export function claimTask(
  db: Database.Database,
  seq: number,
  claim: { workerId: string; leaseExpiresAt: number; now: number },
): TaskRow | undefined {
  return prepared<TaskRow>(
    db,
    `UPDATE work_jobs
        SET status = 'InProgress', attempt = attempt + 1, worker_id = ?, lease_expires_at = ?, updated = ?
      WHERE seq = ? AND status = 'Queued'
      RETURNING ${TASK_COLUMNS}`,
  ).get(claim.workerId, claim.leaseExpiresAt, claim.now, seq);
}

/** Renews the lease of a task its worker holds; the row (for its cancel flag) or undefined. */
export function renewTaskLease(
  db: Database.Database,
  taskId: string,
  workerId: string,
  leaseExpiresAt: number,
  now: number,
): TaskRow | undefined {
  return prepared<TaskRow>(
    db,
    `UPDATE work_jobs SET lease_expires_at = ?, updated = ?
      WHERE job_id = ? AND worker_id = ? AND status = 'InProgress' AND kind <> 'action'
      RETURNING ${TASK_COLUMNS}`,
  ).get(leaseExpiresAt, now, taskId, workerId);
}

/** Ends a task its worker holds: Succeeded, Failed or Cancelled, with no lease. */
export function finishTask(
  db: Database.Database,
  taskId: string,
  workerId: string | null,
  to: TaskStatus,
  error: string | null,
  now: number,
): boolean {
  return (
    prepared(
      db,
      `UPDATE work_jobs
          SET status = ?, last_error = COALESCE(?, last_error), lease_expires_at = NULL, updated = ?
        WHERE job_id = ? AND status = 'InProgress' AND kind <> 'action' AND (? IS NULL OR worker_id = ?)`,
    ).run(to, error, now, taskId, workerId, workerId).changes === 1
  );
}

/** Back to Queued (a retry or a rescue), not before `availableAt`. */
export function requeueTask(
  db: Database.Database,
  taskId: string,
  workerId: string | null,
  availableAt: number,
  error: string,
  now: number,
): boolean {
  return (
    prepared(
      db,
      `UPDATE work_jobs
          SET status = 'Queued', worker_id = NULL, lease_expires_at = NULL, last_error = ?,
              available_at = ?, updated = ?
        WHERE job_id = ? AND status = 'InProgress' AND kind <> 'action' AND (? IS NULL OR worker_id = ?)`,
    ).run(error, availableAt, now, taskId, workerId, workerId).changes === 1
  );
}

export function cancelQueuedTask(db: Database.Database, taskId: string, now: number): boolean {
  return (
    prepared(
      db,
      `UPDATE work_jobs SET status = 'Cancelled', updated = ?
        WHERE job_id = ? AND status = 'Queued' AND kind <> 'action'`,
    ).run(now, taskId).changes === 1
  );
}

export function requestTaskCancel(db: Database.Database, taskId: string, now: number): boolean {
  return (
    prepared(
      db,
      `UPDATE work_jobs SET cancel_requested = 1, updated = ?
        WHERE job_id = ? AND status = 'InProgress' AND kind <> 'action'`,
    ).run(now, taskId).changes === 1
  );
}

/** Tasks whose lease lapsed (work_jobs_leased), earliest first. */
export function selectExpiredTasks(db: Database.Database, now: number, limit: number): TaskRow[] {
  return prepared<TaskRow>(
    db,
    `SELECT ${TASK_COLUMNS} FROM work_jobs
      WHERE status IN ('Dispatched', 'InProgress') AND awaiting_callback = 0 AND lease_expires_at <= ?
        AND kind <> 'action'
      ORDER BY lease_expires_at
      LIMIT ?`,
  ).all(now, limit);
}

/** Tasks a worker holds (work_jobs_held). */
export function selectTasksHeldBy(db: Database.Database, workerId: string): TaskRow[] {
  return prepared<TaskRow>(
    db,
    `SELECT ${TASK_COLUMNS} FROM work_jobs
      WHERE worker_id = ? AND status IN ('Dispatched', 'InProgress') AND awaiting_callback = 0
        AND kind <> 'action'
      ORDER BY seq`,
  ).all(workerId);
}

/** A lost task, guarded: still InProgress and its lease lapsed at `now`, or held by `heldBy`. */
export function rescueTask(
  db: Database.Database,
  taskId: string,
  now: number,
  to: "Queued" | "Failed",
  error: string,
  heldBy: string | null,
): boolean {
  return (
    prepared(
      db,
      `UPDATE work_jobs
          SET status = ?, worker_id = CASE WHEN ? = 'Queued' THEN NULL ELSE worker_id END,
              lease_expires_at = NULL, last_error = ?, available_at = CASE WHEN ? = 'Queued' THEN ? ELSE available_at END,
              updated = ?
        WHERE job_id = ? AND status = 'InProgress' AND kind <> 'action'
          AND (lease_expires_at <= ? OR (? IS NOT NULL AND worker_id = ?))`,
    ).run(to, to, error, to, now, now, taskId, now, heldBy, heldBy).changes === 1
  );
}

/** Unfinished tasks of a kind, oldest first (work_jobs_open_tasks). */
export function selectOpenTasks(db: Database.Database, kind: string, limit: number): TaskRow[] {
  return prepared<TaskRow>(
    db,
    `SELECT ${TASK_COLUMNS} FROM work_jobs
      WHERE kind = ? AND status IN ('Queued', 'InProgress') AND kind <> 'action'
      ORDER BY seq
      LIMIT ?`,
  ).all(kind, limit);
}
