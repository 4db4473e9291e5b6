import type Database from "better-sqlite3";
import { assertPageLimit } from "../store-checks.js";
import type { FunctionRecord, FunctionStore, FunctionUpdateResult } from "../types.js";
import { prepared } from "./prepared.js";

/**
 * FunctionStore in SQLite (migration 0011): one row per function with its record and code.
 * `update` compares the revision in its WHERE clause, so of two writers of the same revision
 * exactly one changes the row.
 */
export function createSqliteFunctionStore(db: Database.Database): FunctionStore {
  const parse = (row: { record: string } | undefined) =>
    row ? (JSON.parse(row.record) as FunctionRecord) : undefined;

  return {
    async create(record, code) {
      if (record.revision !== 1)
        throw new Error(`function store: create takes revision 1, got ${record.revision}`);
      const { accountId, region } = record.scope;
      const changes = prepared(
        db,
        `INSERT INTO functions (account_id, region, name, revision, record, code) VALUES (?, ?, ?, 1, ?, ?)
         ON CONFLICT (account_id, region, name) DO NOTHING`,
      ).run(accountId, region, record.functionName, JSON.stringify(record), Buffer.from(code)).changes;
      return changes === 1 ? { ok: true } : { ok: false, reason: "NameInUse" };
    },

    async get(scope, name) {
      return parse(
        prepared<{ record: string }>(
          db,
          "SELECT record FROM functions WHERE account_id = ? AND region = ? AND name = ?",
        ).get(scope.accountId, scope.region, name),
      );
    },

    async getCode(scope, name) {
      const row = prepared<{ code: Buffer }>(
        db,
        "SELECT code FROM functions WHERE account_id = ? AND region = ? AND name = ?",
      ).get(scope.accountId, scope.region, name);
      return row && new Uint8Array(row.code);
    },

    async update(record, code): Promise<FunctionUpdateResult> {
      const { accountId, region } = record.scope;
      const changes =
        code === undefined
          ? prepared(
              db,
              `UPDATE functions SET revision = ?, record = ?
                WHERE account_id = ? AND region = ? AND name = ? AND revision = ?`,
            ).run(
              record.revision,
              JSON.stringify(record),
              accountId,
              region,
              record.functionName,
              record.revision - 1,
            ).changes
          : prepared(
              db,
              `UPDATE functions SET revision = ?, record = ?, code = ?
                WHERE account_id = ? AND region = ? AND name = ? AND revision = ?`,
            ).run(
              record.revision,
              JSON.stringify(record),
              Buffer.from(code),
              accountId,
              region,
              record.functionName,
              record.revision - 1,
            ).changes;
      if (changes === 1) return { ok: true };
      const exists = prepared(
        db,
        "SELECT 1 FROM functions WHERE account_id = ? AND region = ? AND name = ?",
      ).get(accountId, region, record.functionName);
      return { ok: false, reason: exists ? "RevisionConflict" : "NotFound" };
    },

    async list(scope, { after, limit }) {
      assertPageLimit(limit, "function store");
      // One row more than asked for tells whether another page follows; BINARY collation is byte order.
      const rows = prepared<{ record: string }>(
        db,
        `SELECT record FROM functions WHERE account_id = ? AND region = ? AND name > ?
          ORDER BY name LIMIT ?`,
      ).all(scope.accountId, scope.region, after ?? "", limit + 1);
      const items = rows.slice(0, limit).map((row) => parse(row)!);
      return rows.length > limit ? { items, nextAfter: items.at(-1)!.functionName } : { items };
    },

    async remove(scope, name) {
      return (
        prepared(db, "DELETE FROM functions WHERE account_id = ? AND region = ? AND name = ?").run(
          scope.accountId,
          scope.region,
          name,
        ).changes === 1
      );
    },
  };
}
