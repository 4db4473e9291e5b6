import type Database from "better-sqlite3";
import type { ActionTypeId } from "../../model/declaration.js";
import type { Scope } from "../types.js";
import { prepared } from "./prepared.js";

export interface ActionTypeRow {
  spec: string;
  created: number;
  deleted: number | null;
}

/**
 * Inserts the type, or revives it when a deleted row has its id (replacing spec and created and
 * clearing deleted). Returns false, writing nothing, when a live type has the id: the upsert's
 * WHERE leaves a live row alone, so `changes` is 0.
 */
export function upsertActionType(
  db: Database.Database,
  scope: Scope,
  id: ActionTypeId,
  spec: string,
  created: number,
): boolean {
  return (
    prepared(
      db,
      `INSERT INTO custom_action_types
         (account_id, region, category, provider, version, owner, spec, created, deleted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT (account_id, region, category, provider, version, owner) DO UPDATE
          SET spec = excluded.spec, created = excluded.created, deleted = NULL
        WHERE custom_action_types.deleted IS NOT NULL`,
    ).run(scope.accountId, scope.region, id.category, id.provider, id.version, id.owner, spec, created)
      .changes === 1
  );
}

export function selectActionType(
  db: Database.Database,
  scope: Scope,
  id: ActionTypeId,
): ActionTypeRow | undefined {
  return prepared<ActionTypeRow>(
    db,
    `SELECT spec, created, deleted
       FROM custom_action_types
      WHERE account_id = ? AND region = ? AND category = ? AND provider = ? AND version = ? AND owner = ?`,
  ).get(scope.accountId, scope.region, id.category, id.provider, id.version, id.owner);
}

/** Every type of the scope, deleted ones included, in primary-key order (no sort needed). */
export function selectActionTypes(db: Database.Database, scope: Scope): ActionTypeRow[] {
  return prepared<ActionTypeRow>(
    db,
    `SELECT spec, created, deleted
       FROM custom_action_types
      WHERE account_id = ? AND region = ?
      ORDER BY category, provider, version, owner`,
  ).all(scope.accountId, scope.region);
}

/** False when no live type has the id. */
export function markActionTypeDeleted(
  db: Database.Database,
  scope: Scope,
  id: ActionTypeId,
  when: number,
): boolean {
  return (
    prepared(
      db,
      `UPDATE custom_action_types SET deleted = ?
        WHERE account_id = ? AND region = ? AND category = ? AND provider = ? AND version = ? AND owner = ?
          AND deleted IS NULL`,
    ).run(when, scope.accountId, scope.region, id.category, id.provider, id.version, id.owner).changes === 1
  );
}
