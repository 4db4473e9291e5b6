import type Database from "better-sqlite3";
import { prunedVersions, restagedVersions } from "../secret-versions.js";
import { assertPageLimit } from "../store-checks.js";
import type {
  AddSecretVersionResult,
  CreateResult,
  ScheduleDeletionResult,
  Scope,
  SecretRecord,
  SecretStore,
  SecretVersionRecord,
  SecretVersionSummary,
} from "../types.js";
import { prepared } from "./prepared.js";

interface VersionRow {
  version_id: string;
  stages: string;
  created: number;
  sealed_string: string | null;
  sealed_binary: string | null;
}

/**
 * SecretStore in SQLite (migration 0006): a secret's metadata is one JSON record; each version is
 * a row of `secret_versions`. Writes that read first run in IMMEDIATE transactions (see
 * sqlite-pipeline-store.ts for why), so labels move atomically with the version that takes them.
 */
export function createSqliteSecretStore(db: Database.Database): SecretStore {
  const selectRecord = (scope: Scope, name: string): SecretRecord | undefined => {
    const row = prepared<{ record: string }>(
      db,
      "SELECT record FROM secrets WHERE account_id = ? AND region = ? AND name = ?",
    ).get(scope.accountId, scope.region, name);
    return row ? (JSON.parse(row.record) as SecretRecord) : undefined;
  };
  const writeRecord = (record: SecretRecord) =>
    prepared(db, "UPDATE secrets SET record = ? WHERE account_id = ? AND region = ? AND name = ?").run(
      JSON.stringify(record),
      record.scope.accountId,
      record.scope.region,
      record.name,
    );
  const selectSummaries = (scope: Scope, name: string): SecretVersionSummary[] =>
    prepared<{ version_id: string; stages: string; created: number }>(
      db,
      `SELECT version_id, stages, created FROM secret_versions INDEXED BY secret_versions_by_secret
        WHERE account_id = ? AND region = ? AND name = ? ORDER BY seq`,
    )
      .all(scope.accountId, scope.region, name)
      .map((row) => ({
        versionId: row.version_id,
        stages: JSON.parse(row.stages) as string[],
        created: row.created,
      }));
  const selectVersion = (scope: Scope, name: string, versionId: string) => {
    const row = prepared<VersionRow>(
      db,
      `SELECT version_id, stages, created, sealed_string, sealed_binary FROM secret_versions
        WHERE account_id = ? AND region = ? AND name = ? AND version_id = ?`,
    ).get(scope.accountId, scope.region, name, versionId);
    return row && toVersion(row);
  };
  const insertVersion = (scope: Scope, name: string, v: SecretVersionRecord) =>
    prepared(
      db,
      `INSERT INTO secret_versions
         (account_id, region, name, version_id, stages, created, sealed_string, sealed_binary)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      scope.accountId,
      scope.region,
      name,
      v.versionId,
      JSON.stringify(v.stages),
      v.created,
      v.sealedString ?? null,
      v.sealedBinary ?? null,
    );

  const create = db.transaction((record: SecretRecord, first?: SecretVersionRecord): CreateResult => {
    const inserted = prepared(
      db,
      `INSERT INTO secrets (account_id, region, name, record) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ).run(record.scope.accountId, record.scope.region, record.name, JSON.stringify(record)).changes;
    if (inserted !== 1) return { ok: false, reason: "NameInUse" };
    if (first) insertVersion(record.scope, record.name, first);
    return { ok: true };
  });

  const addVersion = db.transaction(
    (scope: Scope, name: string, version: SecretVersionRecord, now: number): AddSecretVersionResult => {
      const record = selectRecord(scope, name);
      if (!record) return { ok: false, reason: "NotFound" };
      if (record.deletionDate !== undefined) return { ok: false, reason: "MarkedForDeletion" };
      const existing = selectVersion(scope, name, version.versionId);
      if (existing) return { ok: false, reason: "VersionExists", existing };
      const before = selectSummaries(scope, name);
      const changes = restagedVersions(before, version.stages);
      for (const [versionId, stages] of changes) {
        prepared(
          db,
          `UPDATE secret_versions SET stages = ?
            WHERE account_id = ? AND region = ? AND name = ? AND version_id = ?`,
        ).run(JSON.stringify(stages), scope.accountId, scope.region, name, versionId);
      }
      insertVersion(scope, name, version);
      const after: SecretVersionSummary[] = [
        ...before.map((v) => ({ ...v, stages: changes.get(v.versionId) ?? v.stages })),
        { versionId: version.versionId, stages: version.stages, created: version.created },
      ];
      const dropped = new Set(prunedVersions(after));
      for (const versionId of dropped) {
        prepared(
          db,
          "DELETE FROM secret_versions WHERE account_id = ? AND region = ? AND name = ? AND version_id = ?",
        ).run(scope.accountId, scope.region, name, versionId);
      }
      writeRecord({ ...record, lastChanged: now });
      return { ok: true, versions: after.filter((v) => !dropped.has(v.versionId)) };
    },
  );

  const scheduleDeletion = db.transaction(
    (scope: Scope, name: string, deletionDate: number, now: number): ScheduleDeletionResult => {
      const record = selectRecord(scope, name);
      if (!record) return { ok: false, reason: "NotFound" };
      if (record.deletionDate !== undefined) return { ok: false, reason: "MarkedForDeletion" };
      const updated: SecretRecord = { ...record, deletionDate, lastChanged: now };
      writeRecord(updated);
      return { ok: true, record: updated };
    },
  );

  const cancelDeletion = db.transaction((scope: Scope, name: string, now: number) => {
    const record = selectRecord(scope, name);
    if (!record || record.deletionDate === undefined) return record;
    const { deletionDate: _, ...rest } = record;
    const updated: SecretRecord = { ...rest, lastChanged: now };
    writeRecord(updated);
    return updated;
  });

  const remove = db.transaction((scope: Scope, name: string): boolean => {
    const removed = prepared(db, "DELETE FROM secrets WHERE account_id = ? AND region = ? AND name = ?").run(
      scope.accountId,
      scope.region,
      name,
    ).changes;
    prepared(
      db,
      "DELETE FROM secret_versions INDEXED BY secret_versions_by_secret WHERE account_id = ? AND region = ? AND name = ?",
    ).run(scope.accountId, scope.region, name);
    return removed === 1;
  });

  return {
    async create(record, firstVersion) {
      return create.immediate(record, firstVersion);
    },
    async get(scope, name) {
      return selectRecord(scope, name);
    },
    async versions(scope, name) {
      return selectSummaries(scope, name);
    },
    async getVersion(scope, name, versionId) {
      return selectVersion(scope, name, versionId);
    },
    async addVersion(scope, name, version, now) {
      return addVersion.immediate(scope, name, version, now);
    },
    async scheduleDeletion(scope, name, deletionDate, now) {
      return scheduleDeletion.immediate(scope, name, deletionDate, now);
    },
    async cancelDeletion(scope, name, now) {
      return cancelDeletion.immediate(scope, name, now);
    },
    async remove(scope, name) {
      return remove.immediate(scope, name);
    },
    async list(scope, { after, limit }) {
      assertPageLimit(limit, "secret store");
      const rows = prepared<{ record: string }>(
        db,
        `SELECT record FROM secrets WHERE account_id = ? AND region = ? AND name > ?
          ORDER BY name LIMIT ?`,
      ).all(scope.accountId, scope.region, after ?? "", limit + 1);
      const items = rows.slice(0, limit).map((row) => JSON.parse(row.record) as SecretRecord);
      return rows.length > limit ? { items, nextAfter: items.at(-1)!.name } : { items };
    },
  };
}

function toVersion(row: VersionRow): SecretVersionRecord {
  return {
    versionId: row.version_id,
    stages: JSON.parse(row.stages) as string[],
    created: row.created,
    ...(row.sealed_string === null ? {} : { sealedString: row.sealed_string }),
    ...(row.sealed_binary === null ? {} : { sealedBinary: row.sealed_binary }),
  };
}
