import type Database from "better-sqlite3";
import type { BuildLogLine } from "../build-store-types.js";
import type { Scope } from "../types.js";
import { prepared } from "./prepared.js";

/** The statements of the build store (migration 0007), one small function each. */

export interface ProjectRow {
  name: string;
  created: number;
  last_modified: number;
  document: string;
}

export interface NewProjectRow extends ProjectRow {
  scope: Scope;
}

export interface NewBuildRow {
  scope: Scope;
  buildId: string;
  projectName: string;
  listKey: string;
  complete: boolean;
  document: string;
}

export interface ScopedDocumentRow {
  account_id: string;
  region: string;
  document: string;
}

// ---- projects and counters --------------------------------------------------------------------

/** 1 when inserted, 0 when the scope has a project of that name. */
export function insertProject(db: Database.Database, row: NewProjectRow): number {
  return prepared(
    db,
    `INSERT INTO build_projects (account_id, region, name, created, last_modified, document)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(row.scope.accountId, row.scope.region, row.name, row.created, row.last_modified, row.document)
    .changes;
}

/** 1 when replaced, 0 when there is no such project. */
export function updateProject(db: Database.Database, row: NewProjectRow): number {
  return prepared(
    db,
    `UPDATE build_projects SET created = ?, last_modified = ?, document = ?
      WHERE account_id = ? AND region = ? AND name = ?`,
  ).run(row.created, row.last_modified, row.document, row.scope.accountId, row.scope.region, row.name)
    .changes;
}

export function selectProject(db: Database.Database, scope: Scope, name: string): ProjectRow | undefined {
  return prepared<ProjectRow>(
    db,
    `SELECT name, created, last_modified, document FROM build_projects
      WHERE account_id = ? AND region = ? AND name = ?`,
  ).get(scope.accountId, scope.region, name);
}

/** The scope's projects in name order (the primary key's). */
export function selectProjects(db: Database.Database, scope: Scope): ProjectRow[] {
  return prepared<ProjectRow>(
    db,
    `SELECT name, created, last_modified, document FROM build_projects
      WHERE account_id = ? AND region = ? ORDER BY name`,
  ).all(scope.accountId, scope.region);
}

export function deleteProjectRow(db: Database.Database, scope: Scope, name: string): number {
  return prepared(db, "DELETE FROM build_projects WHERE account_id = ? AND region = ? AND name = ?").run(
    scope.accountId,
    scope.region,
    name,
  ).changes;
}

export function deleteCounter(db: Database.Database, scope: Scope, projectName: string): void {
  prepared(db, "DELETE FROM build_counters WHERE account_id = ? AND region = ? AND project_name = ?").run(
    scope.accountId,
    scope.region,
    projectName,
  );
}

/**
 * Takes the project's next build number in one statement: it holds the write lock from the
 * read of the old number to the write of the new one, so no two callers (in any process) get
 * the same number.
 */
export function incrementCounter(db: Database.Database, scope: Scope, projectName: string): number {
  const row = prepared<{ last_number: number }>(
    db,
    `INSERT INTO build_counters (account_id, region, project_name, last_number) VALUES (?, ?, ?, 1)
     ON CONFLICT (account_id, region, project_name) DO UPDATE SET last_number = last_number + 1
     RETURNING last_number`,
  ).get(scope.accountId, scope.region, projectName);
  if (!row) throw new Error(`build store: taking a build number of '${projectName}' returned no row`);
  return row.last_number;
}

// ---- builds -----------------------------------------------------------------------------------

export function upsertBuild(db: Database.Database, row: NewBuildRow): void {
  prepared(
    db,
    `INSERT INTO builds (account_id, region, build_id, project_name, list_key, complete, document)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, region, build_id) DO UPDATE SET
       project_name = excluded.project_name, list_key = excluded.list_key,
       complete = excluded.complete, document = excluded.document`,
  ).run(
    row.scope.accountId,
    row.scope.region,
    row.buildId,
    row.projectName,
    row.listKey,
    row.complete ? 1 : 0,
    row.document,
  );
}

export function selectBuild(db: Database.Database, scope: Scope, buildId: string): string | undefined {
  return prepared<{ document: string }>(
    db,
    "SELECT document FROM builds WHERE account_id = ? AND region = ? AND build_id = ?",
  ).get(scope.accountId, scope.region, buildId)?.document;
}

/**
 * Up to `limit` list keys of the scope's (or one project's) builds after `after`, in key order
 * or its reverse: one range of `builds_by_list_key` or `builds_by_project`, read from the index
 * alone. Each combination of project, order and `after` is its own prepared statement.
 */
export function selectBuildKeys(
  db: Database.Database,
  scope: Scope,
  query: { projectName?: string; descending: boolean; after?: string; limit: number },
): string[] {
  const { projectName, descending, after, limit } = query;
  const sql = [
    "SELECT list_key FROM builds WHERE account_id = ? AND region = ?",
    projectName === undefined ? "" : " AND project_name = ?",
    after === undefined ? "" : descending ? " AND list_key < ?" : " AND list_key > ?",
    descending ? " ORDER BY list_key DESC" : " ORDER BY list_key",
    " LIMIT ?",
  ].join("");
  const parameters: unknown[] = [scope.accountId, scope.region];
  if (projectName !== undefined) parameters.push(projectName);
  if (after !== undefined) parameters.push(after);
  parameters.push(limit);
  return prepared<{ list_key: string }>(db, sql)
    .all(...parameters)
    .map((row) => row.list_key);
}

/** Through the partial index `builds_unfinished`, whose WHERE this repeats word for word. */
export function selectUnfinishedBuilds(db: Database.Database): ScopedDocumentRow[] {
  return prepared<ScopedDocumentRow>(
    db,
    "SELECT account_id, region, document FROM builds WHERE complete = 0",
  ).all();
}

// ---- logs -------------------------------------------------------------------------------------

/** The build's last seq, 0 when it has no lines. */
export function selectLastLogSeq(db: Database.Database, scope: Scope, buildId: string): number {
  const row = prepared<{ seq: number }>(
    db,
    `SELECT seq FROM build_log_lines WHERE account_id = ? AND region = ? AND build_id = ?
      ORDER BY seq DESC LIMIT 1`,
  ).get(scope.accountId, scope.region, buildId);
  return row?.seq ?? 0;
}

export function insertLogLine(
  db: Database.Database,
  scope: Scope,
  buildId: string,
  line: BuildLogLine,
): void {
  prepared(
    db,
    "INSERT INTO build_log_lines (account_id, region, build_id, seq, text) VALUES (?, ?, ?, ?, ?)",
  ).run(scope.accountId, scope.region, buildId, line.seq, line.text);
}

export function selectLogLines(
  db: Database.Database,
  scope: Scope,
  buildId: string,
  afterSeq: number,
  limit: number,
): BuildLogLine[] {
  return prepared<BuildLogLine>(
    db,
    `SELECT seq, text FROM build_log_lines WHERE account_id = ? AND region = ? AND build_id = ? AND seq > ?
      ORDER BY seq LIMIT ?`,
  ).all(scope.accountId, scope.region, buildId, afterSeq, limit);
}

// ---- reports ----------------------------------------------------------------------------------

export function upsertReport(db: Database.Database, scope: Scope, arn: string, document: string): void {
  prepared(
    db,
    `INSERT INTO build_reports (account_id, region, arn, document) VALUES (?, ?, ?, ?)
     ON CONFLICT (account_id, region, arn) DO UPDATE SET document = excluded.document`,
  ).run(scope.accountId, scope.region, arn, document);
}

export function selectReport(db: Database.Database, scope: Scope, arn: string): string | undefined {
  return prepared<{ document: string }>(
    db,
    "SELECT document FROM build_reports WHERE account_id = ? AND region = ? AND arn = ?",
  ).get(scope.accountId, scope.region, arn)?.document;
}

/** A StartBuild token (table build_tokens of migration 0009), replacing an earlier use. */
export function upsertBuildToken(
  db: Database.Database,
  scope: Scope,
  token: { token: string; buildId: string; projectName: string; expires: number },
): void {
  prepared(
    db,
    `INSERT INTO build_tokens (account_id, region, token, build_id, project_name, expires)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, region, token)
     DO UPDATE SET build_id = excluded.build_id, project_name = excluded.project_name, expires = excluded.expires`,
  ).run(scope.accountId, scope.region, token.token, token.buildId, token.projectName, token.expires);
}

export function selectBuildToken(
  db: Database.Database,
  scope: Scope,
  token: string,
): { build_id: string; project_name: string; expires: number } | undefined {
  return prepared<{ build_id: string; project_name: string; expires: number }>(
    db,
    "SELECT build_id, project_name, expires FROM build_tokens WHERE account_id = ? AND region = ? AND token = ?",
  ).get(scope.accountId, scope.region, token);
}
