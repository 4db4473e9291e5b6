import type Database from "better-sqlite3";
import { MAX_PARAMETER_VERSIONS, prefixEnd } from "../secret-versions.js";
import { assertPageLimit } from "../store-checks.js";
import type { ParameterPutResult, ParameterRecord, ParameterStore, Scope } from "../types.js";
import { prepared } from "./prepared.js";

const CURRENT = `SELECT p.record FROM current_parameters c
  JOIN parameters p USING (account_id, region, name, version)`;

/**
 * ParameterStore in SQLite (migration 0006): one JSON record per kept version, and
 * `current_parameters` naming the current one. `put` runs in an IMMEDIATE transaction (see
 * sqlite-pipeline-store.ts for why), so two writers never both see version N and both write N + 1.
 */
export function createSqliteParameterStore(db: Database.Database): ParameterStore {
  const parse = (row: { record: string } | undefined) =>
    row ? (JSON.parse(row.record) as ParameterRecord) : undefined;

  const put = db.transaction((record: ParameterRecord): ParameterPutResult => {
    const { accountId, region } = record.scope;
    const current = prepared<{ version: number }>(
      db,
      "SELECT version FROM current_parameters WHERE account_id = ? AND region = ? AND name = ?",
    ).get(accountId, region, record.name);
    if ((current?.version ?? 0) !== record.version - 1) return { ok: false, reason: "VersionConflict" };
    prepared(
      db,
      "INSERT INTO parameters (account_id, region, name, version, record) VALUES (?, ?, ?, ?, ?)",
    ).run(accountId, region, record.name, record.version, JSON.stringify(record));
    prepared(
      db,
      `INSERT INTO current_parameters (account_id, region, name, version) VALUES (?, ?, ?, ?)
       ON CONFLICT (account_id, region, name) DO UPDATE SET version = excluded.version`,
    ).run(accountId, region, record.name, record.version);
    if (record.version > MAX_PARAMETER_VERSIONS) {
      prepared(
        db,
        "DELETE FROM parameters WHERE account_id = ? AND region = ? AND name = ? AND version <= ?",
      ).run(accountId, region, record.name, record.version - MAX_PARAMETER_VERSIONS);
    }
    return { ok: true };
  });

  const remove = db.transaction((scope: Scope, name: string): boolean => {
    const removed = prepared(
      db,
      "DELETE FROM current_parameters WHERE account_id = ? AND region = ? AND name = ?",
    ).run(scope.accountId, scope.region, name).changes;
    prepared(db, "DELETE FROM parameters WHERE account_id = ? AND region = ? AND name = ?").run(
      scope.accountId,
      scope.region,
      name,
    );
    return removed === 1;
  });

  return {
    async put(record) {
      return put.immediate(record);
    },

    async get(scope, name, version) {
      return parse(
        version === undefined
          ? prepared<{ record: string }>(
              db,
              `${CURRENT} WHERE c.account_id = ? AND c.region = ? AND c.name = ?`,
            ).get(scope.accountId, scope.region, name)
          : prepared<{ record: string }>(
              db,
              "SELECT record FROM parameters WHERE account_id = ? AND region = ? AND name = ? AND version = ?",
            ).get(scope.accountId, scope.region, name, version),
      );
    },

    async history(scope, name) {
      return prepared<{ record: string }>(
        db,
        `SELECT record FROM parameters WHERE account_id = ? AND region = ? AND name = ?
          ORDER BY version`,
      )
        .all(scope.accountId, scope.region, name)
        .map((row) => parse(row)!);
    },

    async list(scope, { after, prefix, limit }) {
      assertPageLimit(limit, "parameter store");
      // One row more than asked for tells whether another page follows. Names compare in
      // BINARY collation (byte order); a prefix is the range [prefix, prefixEnd(prefix)).
      const rows =
        prefix === undefined || prefix === ""
          ? prepared<{ record: string }>(
              db,
              `${CURRENT} WHERE c.account_id = ? AND c.region = ? AND c.name > ?
                ORDER BY c.name LIMIT ?`,
            ).all(scope.accountId, scope.region, after ?? "", limit + 1)
          : prepared<{ record: string }>(
              db,
              `${CURRENT} WHERE c.account_id = ? AND c.region = ? AND c.name >= ? AND c.name > ?
                AND c.name < ? ORDER BY c.name LIMIT ?`,
            ).all(scope.accountId, scope.region, prefix, after ?? "", prefixEnd(prefix), limit + 1);
      const items = rows.slice(0, limit).map((row) => parse(row)!);
      return rows.length > limit ? { items, nextAfter: items.at(-1)!.name } : { items };
    },

    async remove(scope, name) {
      return remove.immediate(scope, name);
    },
  };
}
