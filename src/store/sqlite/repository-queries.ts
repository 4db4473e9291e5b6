import type Database from "better-sqlite3";
import type { RepositoryRecord, Scope } from "../types.js";
import { prepared } from "./prepared.js";

/** A row of `repositories`, as stored. */
export interface RepositoryRow {
  account_id: string;
  region: string;
  name: string;
  repository_id: string;
  description: string | null;
  default_branch: string | null;
  created: number;
  last_modified: number;
}

const COLUMNS =
  "account_id, region, name, repository_id, description, default_branch, created, last_modified";

/** False when the scope already has a repository of that name; a repository id used twice throws. */
export function insertRepository(db: Database.Database, record: RepositoryRecord): boolean {
  return (
    prepared(
      db,
      `INSERT INTO repositories (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, region, name) DO NOTHING`,
    ).run(
      record.scope.accountId,
      record.scope.region,
      record.name,
      record.repositoryId,
      record.description ?? null,
      record.defaultBranch ?? null,
      record.created,
      record.lastModified,
    ).changes === 1
  );
}

export function selectRepository(
  db: Database.Database,
  scope: Scope,
  name: string,
): RepositoryRow | undefined {
  return prepared<RepositoryRow>(
    db,
    `SELECT ${COLUMNS} FROM repositories WHERE account_id = ? AND region = ? AND name = ?`,
  ).get(scope.accountId, scope.region, name);
}

export function deleteRepository(
  db: Database.Database,
  scope: Scope,
  name: string,
  repositoryId: string,
): RepositoryRow | undefined {
  return prepared<RepositoryRow>(
    db,
    `DELETE FROM repositories WHERE account_id = ? AND region = ? AND name = ? AND repository_id = ?
     RETURNING ${COLUMNS}`,
  ).get(scope.accountId, scope.region, name, repositoryId);
}

/** Moves last_modified, and default_branch when given; undefined when the repository is gone. */
export function updatePushed(
  db: Database.Database,
  scope: Scope,
  name: string,
  repositoryId: string,
  lastModified: number,
  defaultBranch: string | null,
): RepositoryRow | undefined {
  return prepared<RepositoryRow>(
    db,
    `UPDATE repositories SET last_modified = ?, default_branch = coalesce(?, default_branch)
      WHERE account_id = ? AND region = ? AND name = ? AND repository_id = ?
     RETURNING ${COLUMNS}`,
  ).get(lastModified, defaultBranch, scope.accountId, scope.region, name, repositoryId);
}

export type RepositoryPosition =
  | { readonly sortBy: "repositoryName"; readonly name?: string }
  | { readonly sortBy: "lastModifiedDate"; readonly lastModified?: number; readonly name?: string };

/**
 * Up to `limit` repositories of the scope after `position`, by name or by (last_modified, name),
 * ascending or descending. Each of the eight shapes is its own statement, so that each walks an
 * index (the primary key, or repositories_by_last_modified) from the position: no scan, no sort.
 */
export function selectRepositoryPage(
  db: Database.Database,
  scope: Scope,
  position: RepositoryPosition,
  descending: boolean,
  limit: number,
): RepositoryRow[] {
  const [cmp, dir] = descending ? ["<", "DESC"] : [">", "ASC"];
  const where = "account_id = ? AND region = ?";
  if (position.sortBy === "repositoryName") {
    const after = position.name === undefined ? "" : ` AND name ${cmp} ?`;
    const sql = `SELECT ${COLUMNS} FROM repositories WHERE ${where}${after} ORDER BY name ${dir} LIMIT ?`;
    const args = position.name === undefined ? [] : [position.name];
    return prepared<RepositoryRow>(db, sql).all(scope.accountId, scope.region, ...args, limit);
  }
  const started = position.lastModified !== undefined && position.name !== undefined;
  const after = started ? ` AND (last_modified, name) ${cmp} (?, ?)` : "";
  const sql =
    `SELECT ${COLUMNS} FROM repositories WHERE ${where}${after}` +
    ` ORDER BY last_modified ${dir}, name ${dir} LIMIT ?`;
  const args = started ? [position.lastModified, position.name] : [];
  return prepared<RepositoryRow>(db, sql).all(scope.accountId, scope.region, ...args, limit);
}

export function toRepositoryRecord(row: RepositoryRow): RepositoryRecord {
  return {
    scope: { accountId: row.account_id, region: row.region },
    repositoryId: row.repository_id,
    name: row.name,
    ...(row.description === null ? {} : { description: row.description }),
    ...(row.default_branch === null ? {} : { defaultBranch: row.default_branch }),
    created: row.created,
    lastModified: row.last_modified,
  };
}
