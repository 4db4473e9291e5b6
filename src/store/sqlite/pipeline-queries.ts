import type Database from "better-sqlite3";
import type { Scope } from "../types.js";
import { prepared } from "./prepared.js";

/** A row of `pipelines`, as stored. */
export interface PipelineRow {
  name: string;
  version: number;
  declaration: string;
  created: number;
  updated: number;
}

export interface PipelineSummaryRow {
  name: string;
  version: number;
  created: number;
  updated: number;
  pipeline_type: string | null;
  execution_mode: string | null;
}

export interface NewPipelineRow {
  scope: Scope;
  name: string;
  version: number;
  declaration: string;
  pipelineType: string | null;
  executionMode: string | null;
  created: number;
  updated: number;
}

export function selectCurrentPipeline(
  db: Database.Database,
  scope: Scope,
  name: string,
): PipelineRow | undefined {
  return prepared<PipelineRow>(
    db,
    `SELECT p.name, p.version, p.declaration, p.created, p.updated
       FROM current_pipelines c
       JOIN pipelines p USING (account_id, region, name, version)
      WHERE c.account_id = ? AND c.region = ? AND c.name = ?`,
  ).get(scope.accountId, scope.region, name);
}

export function selectPipelineVersion(
  db: Database.Database,
  scope: Scope,
  name: string,
  version: number,
): PipelineRow | undefined {
  return prepared<PipelineRow>(
    db,
    `SELECT name, version, declaration, created, updated
       FROM pipelines
      WHERE account_id = ? AND region = ? AND name = ? AND version = ?`,
  ).get(scope.accountId, scope.region, name, version);
}

/** The current version and the creation time, without reading the declaration. */
export function selectCurrentVersion(
  db: Database.Database,
  scope: Scope,
  name: string,
): { version: number; created: number } | undefined {
  return prepared<{ version: number; created: number }>(
    db,
    `SELECT p.version, p.created
       FROM current_pipelines c
       JOIN pipelines p USING (account_id, region, name, version)
      WHERE c.account_id = ? AND c.region = ? AND c.name = ?`,
  ).get(scope.accountId, scope.region, name);
}

export function insertPipelineVersion(db: Database.Database, row: NewPipelineRow): void {
  prepared(
    db,
    `INSERT INTO pipelines
       (account_id, region, name, version, declaration, pipeline_type, execution_mode, created, updated)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.scope.accountId,
    row.scope.region,
    row.name,
    row.version,
    row.declaration,
    row.pipelineType,
    row.executionMode,
    row.created,
    row.updated,
  );
}

export function insertCurrentPipeline(
  db: Database.Database,
  scope: Scope,
  name: string,
  version: number,
): void {
  prepared(db, "INSERT INTO current_pipelines (account_id, region, name, version) VALUES (?, ?, ?, ?)").run(
    scope.accountId,
    scope.region,
    name,
    version,
  );
}

/** Moves the current version from `from` to `to`; false when it was not `from`. */
export function advanceCurrentPipeline(
  db: Database.Database,
  scope: Scope,
  name: string,
  from: number,
  to: number,
): boolean {
  return (
    prepared(
      db,
      `UPDATE current_pipelines SET version = ?
        WHERE account_id = ? AND region = ? AND name = ? AND version = ?`,
    ).run(to, scope.accountId, scope.region, name, from).changes === 1
  );
}

/** False when there was no such pipeline. */
export function deleteCurrentPipeline(db: Database.Database, scope: Scope, name: string): boolean {
  return (
    prepared(db, "DELETE FROM current_pipelines WHERE account_id = ? AND region = ? AND name = ?").run(
      scope.accountId,
      scope.region,
      name,
    ).changes === 1
  );
}

export function deletePipelineVersions(db: Database.Database, scope: Scope, name: string): void {
  prepared(db, "DELETE FROM pipelines WHERE account_id = ? AND region = ? AND name = ?").run(
    scope.accountId,
    scope.region,
    name,
  );
}

/**
 * Up to `limit` current versions whose names sort after `after` (from the first when undefined),
 * in name order. Both forms walk current_pipelines' primary key from the starting name and
 * stop after `limit` rows, then fetch each version row by its primary key: no scan, no sort.
 */
export function selectPipelinePage(
  db: Database.Database,
  scope: Scope,
  after: string | undefined,
  limit: number,
): PipelineSummaryRow[] {
  if (after === undefined) {
    return prepared<PipelineSummaryRow>(
      db,
      `SELECT p.name, p.version, p.created, p.updated, p.pipeline_type, p.execution_mode
         FROM current_pipelines c
         JOIN pipelines p USING (account_id, region, name, version)
        WHERE c.account_id = ? AND c.region = ?
        ORDER BY c.name
        LIMIT ?`,
    ).all(scope.accountId, scope.region, limit);
  }
  return prepared<PipelineSummaryRow>(
    db,
    `SELECT p.name, p.version, p.created, p.updated, p.pipeline_type, p.execution_mode
       FROM current_pipelines c
       JOIN pipelines p USING (account_id, region, name, version)
      WHERE c.account_id = ? AND c.region = ? AND c.name > ?
      ORDER BY c.name
      LIMIT ?`,
  ).all(scope.accountId, scope.region, after, limit);
}

export function countPipelines(db: Database.Database, scope: Scope): number {
  return prepared<{ count: number }>(
    db,
    "SELECT count(*) AS count FROM current_pipelines WHERE account_id = ? AND region = ?",
  ).get(scope.accountId, scope.region)!.count;
}

/**
 * The first scope after (`accountId`, `region`) that holds a pipeline: one primary-key seek,
 * so walking every scope costs one seek per scope rather than a scan of every pipeline.
 */
export function selectNextScope(db: Database.Database, after: Scope): Scope | undefined {
  const row = prepared<{ account_id: string; region: string }>(
    db,
    `SELECT account_id, region FROM current_pipelines
      WHERE (account_id, region) > (?, ?)
      ORDER BY account_id, region LIMIT 1`,
  ).get(after.accountId, after.region);
  return row ? { accountId: row.account_id, region: row.region } : undefined;
}
