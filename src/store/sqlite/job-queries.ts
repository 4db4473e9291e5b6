import type Database from "better-sqlite3";
import type { Scope } from "../types.js";
import { prepared } from "./prepared.js";

/*
 * One function per statement over the action jobs of the work queue (table work_jobs of
 * migration 0009, kind 'action'; tasks are in task-queries.ts). Statements that filter by status
 * repeat the WHERE terms of the partial index they rely on word for word: SQLite uses a partial
 * index only when the query's WHERE contains each of the index's terms.
 */

/** A row of `work_jobs` (an action job) as the store reads it (the columns a JobRecord is built from). */
export interface JobRow {
  job_id: string;
  account_id: string;
  region: string;
  status: string;
  attempt: number;
  nonce: string | null;
  worker_id: string | null;
  lease_expires_at: number | null;
  awaiting_callback: number;
  created: number;
  updated: number;
  spec: string;
}

export interface NewJobRow {
  jobId: string;
  scope: Scope;
  pipelineName: string;
  actionExecutionId: string;
  actionTypeKey: string;
  dispatch: string;
  queryValue: string | null;
  callbackToken: string | null;
  attempt: number;
  availableAt: number;
  now: number;
  spec: string;
}

/** What claimJobs filters queued jobs by besides the action type. Null means "any". */
export interface QueuedFilter {
  dispatch: string;
  now: number;
  accountId: string | null;
  region: string | null;
  queryValue: string | null;
}

/** A claim candidate: enough to merge several candidate lists into claim order. */
export interface QueuedJob {
  seq: number;
  available_at: number;
}

const JOB_COLUMNS =
  "job_id, account_id, region, status, attempt, nonce, worker_id, lease_expires_at, awaiting_callback, created, updated, spec";

/** Inserted Queued; seq (the rowid) records the enqueue order. */
export function insertJob(db: Database.Database, row: NewJobRow): void {
  prepared(
    db,
    `INSERT INTO work_jobs
       (job_id, kind, account_id, region, pipeline_name, group_id, queue, dispatch,
        query_value, callback_token, status, attempt, awaiting_callback, available_at, created, updated, spec)
     VALUES (?, 'action', ?, ?, ?, ?, ?, ?, ?, ?, 'Queued', ?, 0, ?, ?, ?, ?)`,
  ).run(
    row.jobId,
    row.scope.accountId,
    row.scope.region,
    row.pipelineName,
    row.actionExecutionId,
    row.actionTypeKey,
    row.dispatch,
    row.queryValue,
    row.callbackToken,
    row.attempt,
    row.availableAt,
    row.now,
    row.now,
    row.spec,
  );
}

export function selectJob(db: Database.Database, jobId: string): JobRow | undefined {
  return prepared<JobRow>(
    db,
    `SELECT ${JOB_COLUMNS} FROM work_jobs WHERE job_id = ? AND kind = 'action'`,
  ).get(jobId);
}

/**
 * Moves a job to `to` when its status is one of `from`; false otherwise. `from` is passed as one
 * string, `|A|B|`, so that any number of statuses share one prepared statement.
 */
export function transitionJob(
  db: Database.Database,
  jobId: string,
  from: readonly string[],
  to: string,
  awaitingCallback: boolean,
  clearLease: boolean,
  now: number,
): boolean {
  return (
    prepared(
      db,
      `UPDATE work_jobs
          SET status = ?, awaiting_callback = ?,
              lease_expires_at = CASE WHEN ? = 1 THEN NULL ELSE lease_expires_at END, updated = ?
        WHERE job_id = ? AND kind = 'action' AND instr(?, '|' || status || '|') > 0`,
    ).run(to, awaitingCallback ? 1 : 0, clearLease ? 1 : 0, now, jobId, `|${from.join("|")}|`).changes === 1
  );
}

/** Ends every open job of one action run as TimedOut. */
export function timeOutOpenJobsOfRun(db: Database.Database, actionExecutionId: string, now: number): void {
  prepared(
    db,
    `UPDATE work_jobs SET status = 'TimedOut', lease_expires_at = NULL, awaiting_callback = 0, updated = ?
      WHERE group_id = ? AND kind = 'action' AND status IN ('Queued', 'Dispatched', 'InProgress')`,
  ).run(now, actionExecutionId);
}

/** Up to `limit` claimable jobs of one action type, in claim order (work_jobs_queued_by_type). */
export function selectQueuedOfType(
  db: Database.Database,
  filter: QueuedFilter,
  actionTypeKey: string,
  limit: number,
): QueuedJob[] {
  return prepared<QueuedJob>(
    db,
    `SELECT seq, available_at FROM work_jobs
      WHERE status = 'Queued' AND kind = 'action' AND dispatch = ? AND queue = ? AND available_at <= ?
        AND (? IS NULL OR (account_id = ? AND region = ?))
        AND (? IS NULL OR query_value = ?)
      ORDER BY available_at, seq
      LIMIT ?`,
  ).all(
    filter.dispatch,
    actionTypeKey,
    filter.now,
    filter.accountId,
    filter.accountId,
    filter.region,
    filter.queryValue,
    filter.queryValue,
    limit,
  );
}

/** Up to `limit` claimable jobs of any action type, in claim order (work_jobs_queued). */
export function selectQueued(db: Database.Database, filter: QueuedFilter, limit: number): QueuedJob[] {
  return prepared<QueuedJob>(
    db,
    `SELECT seq, available_at FROM work_jobs
      WHERE status = 'Queued' AND kind = 'action' AND dispatch = ? AND available_at <= ?
        AND (? IS NULL OR (account_id = ? AND region = ?))
        AND (? IS NULL OR query_value = ?)
      ORDER BY available_at, seq
      LIMIT ?`,
  ).all(
    filter.dispatch,
    filter.now,
    filter.accountId,
    filter.accountId,
    filter.region,
    filter.queryValue,
    filter.queryValue,
    limit,
  );
}

/** Hands a queued job to a worker; undefined when it is no longer queued. */
export function claimJob(
  db: Database.Database,
  seq: number,
  claim: { status: string; nonce: string; workerId: string; leaseExpiresAt: number; now: number },
): JobRow | undefined {
  return prepared<JobRow>(
    db,
    `UPDATE work_jobs SET status = ?, nonce = ?, worker_id = ?, lease_expires_at = ?, updated = ?
      WHERE seq = ? AND status = 'Queued' AND kind = 'action'
      RETURNING ${JOB_COLUMNS}`,
  ).get(claim.status, claim.nonce, claim.workerId, claim.leaseExpiresAt, claim.now, seq);
}

/** Dispatched -> InProgress with a fresh lease (the caller has checked the nonce). */
export function acknowledgeDispatchedJob(
  db: Database.Database,
  jobId: string,
  leaseExpiresAt: number,
  now: number,
): JobRow | undefined {
  return prepared<JobRow>(
    db,
    `UPDATE work_jobs SET status = 'InProgress', lease_expires_at = ?, updated = ?
      WHERE job_id = ? AND status = 'Dispatched' AND kind = 'action'
      RETURNING ${JOB_COLUMNS}`,
  ).get(leaseExpiresAt, now, jobId);
}

/** False when the job is not under a lease (not Dispatched or InProgress, or awaiting a callback). */
export function renewJobLease(
  db: Database.Database,
  jobId: string,
  leaseExpiresAt: number,
  now: number,
): boolean {
  return (
    prepared(
      db,
      `UPDATE work_jobs SET lease_expires_at = ?, updated = ?
        WHERE job_id = ? AND status IN ('Dispatched', 'InProgress') AND awaiting_callback = 0 AND kind = 'action'`,
    ).run(leaseExpiresAt, now, jobId).changes === 1
  );
}

/** Earliest lapsed lease first (work_jobs_leased). */
export function selectExpiredLeases(db: Database.Database, now: number, limit: number): JobRow[] {
  return prepared<JobRow>(
    db,
    `SELECT ${JOB_COLUMNS} FROM work_jobs
      WHERE status IN ('Dispatched', 'InProgress') AND awaiting_callback = 0 AND lease_expires_at <= ?
        AND kind = 'action'
      ORDER BY lease_expires_at
      LIMIT ?`,
  ).all(now, limit);
}

/** The newest job with the token: latest `created`, then latest enqueued. */
export function selectJobByCallbackToken(db: Database.Database, token: string): JobRow | undefined {
  return prepared<JobRow>(
    db,
    `SELECT ${JOB_COLUMNS} FROM work_jobs
      WHERE callback_token = ? AND kind = 'action'
      ORDER BY created DESC, seq DESC
      LIMIT 1`,
  ).get(token);
}

export function selectJobsHeldBy(db: Database.Database, workerId: string): JobRow[] {
  return prepared<JobRow>(
    db,
    `SELECT ${JOB_COLUMNS} FROM work_jobs
      WHERE worker_id = ? AND status IN ('Dispatched', 'InProgress') AND awaiting_callback = 0
        AND kind = 'action'
      ORDER BY seq`,
  ).all(workerId);
}

export function deletePipelineJobs(db: Database.Database, scope: Scope, pipelineName: string): void {
  prepared(
    db,
    "DELETE FROM work_jobs WHERE account_id = ? AND region = ? AND pipeline_name = ? AND pipeline_name IS NOT NULL",
  ).run(scope.accountId, scope.region, pipelineName);
}

/** The newest unfinished job of an action run (work_jobs_by_group). */
export function selectOpenJobOf(db: Database.Database, actionExecutionId: string): JobRow | undefined {
  return prepared<JobRow>(
    db,
    `SELECT ${JOB_COLUMNS} FROM work_jobs
      WHERE group_id = ? AND kind = 'action' AND status IN ('Queued', 'Dispatched', 'InProgress')
      ORDER BY seq DESC
      LIMIT 1`,
  ).get(actionExecutionId);
}
