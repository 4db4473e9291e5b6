import type Database from "better-sqlite3";
import { assertPageLimit } from "../store-checks.js";
import type { ConnectionRecord, ConnectionStore, Scope } from "../types.js";
import { prepared } from "./prepared.js";

const listKey = (r: ConnectionRecord) => `${String(r.created).padStart(15, "0")}:${r.connectionId}`;

/** ConnectionStore in SQLite (migration 0005): one JSON record per connection. */
export function createSqliteConnectionStore(db: Database.Database): ConnectionStore {
  const parse = (row: { record: string } | undefined) =>
    row ? (JSON.parse(row.record) as ConnectionRecord) : undefined;
  return {
    async create(record) {
      const changes = prepared(
        db,
        `INSERT INTO connections (account_id, region, connection_id, list_key, record) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ).run(
        record.scope.accountId,
        record.scope.region,
        record.connectionId,
        listKey(record),
        JSON.stringify(record),
      ).changes;
      return changes === 1 ? { ok: true } : { ok: false, reason: "NameInUse" };
    },
    async get(scope, id) {
      return parse(
        prepared<{ record: string }>(
          db,
          "SELECT record FROM connections WHERE account_id = ? AND region = ? AND connection_id = ?",
        ).get(scope.accountId, scope.region, id),
      );
    },
    async list(scope: Scope, { after, limit }) {
      assertPageLimit(limit);
      const rows = prepared<{ record: string; list_key: string }>(
        db,
        `SELECT record, list_key FROM connections
          WHERE account_id = ? AND region = ? AND list_key > ?
          ORDER BY list_key LIMIT ?`,
      ).all(scope.accountId, scope.region, after ?? "", limit + 1);
      const items = rows.slice(0, limit).map((r) => parse(r)!);
      return rows.length > limit ? { items, nextAfter: rows[limit - 1]!.list_key } : { items };
    },
    async remove(scope, id) {
      return (
        prepared(db, "DELETE FROM connections WHERE account_id = ? AND region = ? AND connection_id = ?").run(
          scope.accountId,
          scope.region,
          id,
        ).changes === 1
      );
    },
  };
}
