import type Database from "better-sqlite3";
import type { Scope } from "../types.js";
import { prepared } from "./prepared.js";

/*
 * One function per statement over the run tables of migration 0002 (executions, their events,
 * lanes). Job statements are in job-queries.ts. JSON columns travel as text: callers stringify
 * on the way in and parse on the way out.
 */

export interface ExecutionRow {
  execution_id: string;
  account_id: string;
  region: string;
  pipeline_name: string;
  version: number;
  state: string;
}

/** What a commit writes for one execution; the derived columns come from run-records.ts. */
export interface ExecutionWrite {
  executionId: string;
  scope: Scope;
  pipelineName: string;
  version: number;
  status: string;
  listKey: string;
  clientRequestToken: string | null;
  nextDeadline: number | null;
  state: string;
}

export interface ExecutionRef {
  account_id: string;
  region: string;
  pipeline_name: string;
  execution_id: string;
}

export interface LanesRow {
  account_id: string;
  region: string;
  pipeline_name: string;
  version: number;
  lanes: string;
}

const EXECUTION_COLUMNS = "execution_id, account_id, region, pipeline_name, version, state";

/** False when the id or the client request token is taken (nothing is written then). */
export function insertExecution(db: Database.Database, row: ExecutionWrite): boolean {
  return (
    prepared(
      db,
      `INSERT INTO executions
         (execution_id, account_id, region, pipeline_name, version, status, list_key,
          client_request_token, next_deadline, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ).run(
      row.executionId,
      row.scope.accountId,
      row.scope.region,
      row.pipelineName,
      row.version,
      row.status,
      row.listKey,
      row.clientRequestToken,
      row.nextDeadline,
      row.state,
    ).changes === 1
  );
}

/**
 * Replaces the snapshot when the stored version is `expectedVersion`; false otherwise. Only the
 * columns that can change are set, so the listing and token indexes are left alone.
 */
export function updateExecution(
  db: Database.Database,
  row: ExecutionWrite,
  expectedVersion: number,
): boolean {
  return (
    prepared(
      db,
      `UPDATE executions SET version = ?, status = ?, next_deadline = ?, state = ?
        WHERE execution_id = ? AND version = ?`,
    ).run(row.version, row.status, row.nextDeadline, row.state, row.executionId, expectedVersion).changes ===
    1
  );
}

export function selectExecutionVersion(db: Database.Database, executionId: string): number | undefined {
  return prepared<{ version: number }>(db, "SELECT version FROM executions WHERE execution_id = ?").get(
    executionId,
  )?.version;
}

export function selectExecution(db: Database.Database, executionId: string): ExecutionRow | undefined {
  return prepared<ExecutionRow>(db, `SELECT ${EXECUTION_COLUMNS} FROM executions WHERE execution_id = ?`).get(
    executionId,
  );
}

export function insertEvent(db: Database.Database, executionId: string, seq: number, event: string): void {
  prepared(db, "INSERT INTO execution_events (execution_id, seq, event) VALUES (?, ?, ?)").run(
    executionId,
    seq,
    event,
  );
}

export function selectEvents(db: Database.Database, executionId: string, afterSeq: number): string[] {
  return prepared<{ event: string }>(
    db,
    "SELECT event FROM execution_events WHERE execution_id = ? AND seq > ? ORDER BY seq",
  )
    .all(executionId, afterSeq)
    .map((row) => row.event);
}

/**
 * Up to `limit` executions of a pipeline, newest first, whose list keys sort before `before`
 * (from the newest when undefined): a backward walk of executions_by_pipeline.
 */
export function selectExecutionPage(
  db: Database.Database,
  scope: Scope,
  pipelineName: string,
  before: string | undefined,
  limit: number,
): (ExecutionRow & { list_key: string })[] {
  if (before === undefined) {
    return prepared<ExecutionRow & { list_key: string }>(
      db,
      `SELECT ${EXECUTION_COLUMNS}, list_key FROM executions
        WHERE account_id = ? AND region = ? AND pipeline_name = ?
        ORDER BY list_key DESC
        LIMIT ?`,
    ).all(scope.accountId, scope.region, pipelineName, limit);
  }
  return prepared<ExecutionRow & { list_key: string }>(
    db,
    `SELECT ${EXECUTION_COLUMNS}, list_key FROM executions
      WHERE account_id = ? AND region = ? AND pipeline_name = ? AND list_key < ?
      ORDER BY list_key DESC
      LIMIT ?`,
  ).all(scope.accountId, scope.region, pipelineName, before, limit);
}

/**
 * Each pipeline's newest execution in the scope: SQLite takes a bare column of a MAX() group from
 * the row holding the maximum, so this is one walk of executions_by_pipeline.
 */
export function selectLatestExecutions(db: Database.Database, scope: Scope): ExecutionRow[] {
  return prepared<ExecutionRow & { list_key: string }>(
    db,
    `SELECT ${EXECUTION_COLUMNS}, MAX(list_key) AS list_key FROM executions
      WHERE account_id = ? AND region = ?
      GROUP BY pipeline_name`,
  ).all(scope.accountId, scope.region);
}

export function selectExecutionIdByToken(
  db: Database.Database,
  scope: Scope,
  pipelineName: string,
  token: string,
): string | undefined {
  return prepared<{ execution_id: string }>(
    db,
    `SELECT execution_id FROM executions
      WHERE account_id = ? AND region = ? AND pipeline_name = ? AND client_request_token = ?`,
  ).get(scope.accountId, scope.region, pipelineName, token)?.execution_id;
}

/** The status list must match executions_active's WHERE term for term, or the index is not used. */
export function countActiveExecutions(db: Database.Database, scope: Scope, pipelineName: string): number {
  return prepared<{ count: number }>(
    db,
    `SELECT count(*) AS count FROM executions
      WHERE status IN ('InProgress', 'Stopping') AND account_id = ? AND region = ? AND pipeline_name = ?`,
  ).get(scope.accountId, scope.region, pipelineName)!.count;
}

export function selectActiveExecutions(db: Database.Database, limit: number): ExecutionRef[] {
  return prepared<ExecutionRef>(
    db,
    `SELECT account_id, region, pipeline_name, execution_id FROM executions
      WHERE status IN ('InProgress', 'Stopping')
      LIMIT ?`,
  ).all(limit);
}

/** Earliest deadline first. */
export function selectDueExecutions(db: Database.Database, now: number, limit: number): ExecutionRef[] {
  return prepared<ExecutionRef>(
    db,
    `SELECT account_id, region, pipeline_name, execution_id FROM executions
      WHERE next_deadline <= ?
      ORDER BY next_deadline
      LIMIT ?`,
  ).all(now, limit);
}

export function selectLanes(db: Database.Database, scope: Scope, pipelineName: string): LanesRow | undefined {
  return prepared<LanesRow>(
    db,
    `SELECT account_id, region, pipeline_name, version, lanes FROM pipeline_lanes
      WHERE account_id = ? AND region = ? AND pipeline_name = ?`,
  ).get(scope.accountId, scope.region, pipelineName);
}

/** Version 1 of a pipeline's lanes; false when the pipeline already has lanes. */
export function insertLanes(
  db: Database.Database,
  scope: Scope,
  pipelineName: string,
  lanes: string,
  pendingRollbacks: boolean,
): boolean {
  return (
    prepared(
      db,
      `INSERT INTO pipeline_lanes (account_id, region, pipeline_name, version, lanes, has_pending_rollbacks)
       VALUES (?, ?, ?, 1, ?, ?)
       ON CONFLICT DO NOTHING`,
    ).run(scope.accountId, scope.region, pipelineName, lanes, pendingRollbacks ? 1 : 0).changes === 1
  );
}

/** Moves the lanes from `expectedVersion` to the next; false when they were not at `expectedVersion`. */
export function updateLanes(
  db: Database.Database,
  scope: Scope,
  pipelineName: string,
  expectedVersion: number,
  lanes: string,
  pendingRollbacks: boolean,
): boolean {
  return (
    prepared(
      db,
      `UPDATE pipeline_lanes SET version = version + 1, lanes = ?, has_pending_rollbacks = ?
        WHERE account_id = ? AND region = ? AND pipeline_name = ? AND version = ?`,
    ).run(lanes, pendingRollbacks ? 1 : 0, scope.accountId, scope.region, pipelineName, expectedVersion)
      .changes === 1
  );
}

export function selectLanesWithPendingRollbacks(db: Database.Database, limit: number): LanesRow[] {
  return prepared<LanesRow>(
    db,
    `SELECT account_id, region, pipeline_name, version, lanes FROM pipeline_lanes
      WHERE has_pending_rollbacks = 1
      LIMIT ?`,
  ).all(limit);
}

/** Delete a pipeline's events before its executions: events reference their execution. */
export function deletePipelineEvents(db: Database.Database, scope: Scope, pipelineName: string): void {
  prepared(
    db,
    `DELETE FROM execution_events WHERE execution_id IN
       (SELECT execution_id FROM executions WHERE account_id = ? AND region = ? AND pipeline_name = ?)`,
  ).run(scope.accountId, scope.region, pipelineName);
}

export function deletePipelineExecutions(db: Database.Database, scope: Scope, pipelineName: string): void {
  prepared(db, "DELETE FROM executions WHERE account_id = ? AND region = ? AND pipeline_name = ?").run(
    scope.accountId,
    scope.region,
    pipelineName,
  );
}

export function deleteLanes(db: Database.Database, scope: Scope, pipelineName: string): void {
  prepared(db, "DELETE FROM pipeline_lanes WHERE account_id = ? AND region = ? AND pipeline_name = ?").run(
    scope.accountId,
    scope.region,
    pipelineName,
  );
}
