import type Database from "better-sqlite3";
import { prefixEnd } from "../secret-versions.js";
import type {
  EcsClusterRecord,
  EcsPutResult,
  EcsServiceRecord,
  EcsStore,
  EcsTaskDefinitionRecord,
  EcsTaskRecord,
  Scope,
  TaskDefinitionQuery,
} from "../types.js";
import { prepared } from "./prepared.js";

type Doc = { document: string };
const parse = <T>(row: Doc | undefined): T | undefined => (row ? (JSON.parse(row.document) as T) : undefined);

/**
 * EcsStore in SQLite (migration 0010): one JSON document per resource. Versioned writes run in
 * IMMEDIATE transactions (see sqlite-pipeline-store.ts for why), so of two writers of the same
 * version exactly one wins; the other gets VersionConflict.
 */
export function createSqliteEcsStore(db: Database.Database): EcsStore {
  const storedVersion = (table: string, where: string, args: unknown[]) =>
    prepared<{ version: number }>(db, `SELECT version FROM ${table} WHERE ${where}`).get(...args)?.version ??
    0;

  const putCluster = db.transaction((record: EcsClusterRecord): EcsPutResult => {
    const { accountId, region } = record.scope;
    const name = record.cluster.clusterName;
    const where = "account_id = ? AND region = ? AND name = ?";
    if (storedVersion("ecs_clusters", where, [accountId, region, name]) !== record.version - 1)
      return { ok: false, reason: "VersionConflict" };
    prepared(
      db,
      `INSERT INTO ecs_clusters (account_id, region, name, version, document) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, region, name) DO UPDATE SET version = excluded.version, document = excluded.document`,
    ).run(accountId, region, name, record.version, JSON.stringify(record));
    return { ok: true };
  });

  const register = db.transaction((record: EcsTaskDefinitionRecord) => {
    const { accountId, region } = record.scope;
    const { family, revision, status } = record.taskDefinition;
    const last =
      prepared<{ last_revision: number }>(
        db,
        "SELECT last_revision FROM ecs_task_families WHERE account_id = ? AND region = ? AND family = ?",
      ).get(accountId, region, family)?.last_revision ?? 0;
    if (last !== revision - 1) return { ok: false as const, reason: "RevisionConflict" as const };
    prepared(
      db,
      `INSERT INTO ecs_task_families (account_id, region, family, last_revision) VALUES (?, ?, ?, ?)
       ON CONFLICT (account_id, region, family) DO UPDATE SET last_revision = excluded.last_revision`,
    ).run(accountId, region, family, revision);
    prepared(
      db,
      `INSERT INTO ecs_task_definitions (account_id, region, family, revision, status, document)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(accountId, region, family, revision, status, JSON.stringify(record));
    return { ok: true as const };
  });

  const putService = db.transaction((record: EcsServiceRecord): EcsPutResult => {
    const { accountId, region } = record.scope;
    const name = record.service.serviceName;
    const where = "account_id = ? AND region = ? AND cluster = ? AND name = ?";
    if (
      storedVersion("ecs_services", where, [accountId, region, record.clusterName, name]) !==
      record.version - 1
    )
      return { ok: false, reason: "VersionConflict" };
    prepared(
      db,
      `INSERT INTO ecs_services (account_id, region, cluster, name, version, status, document)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, region, cluster, name) DO UPDATE SET version = excluded.version,
         status = excluded.status, document = excluded.document`,
    ).run(
      accountId,
      region,
      record.clusterName,
      name,
      record.version,
      record.service.status,
      JSON.stringify(record),
    );
    return { ok: true };
  });

  const putTask = db.transaction((record: EcsTaskRecord): EcsPutResult => {
    const { accountId, region } = record.scope;
    const where = "account_id = ? AND region = ? AND cluster = ? AND task_id = ?";
    if (
      storedVersion("ecs_tasks", where, [accountId, region, record.clusterName, record.taskId]) !==
      record.version - 1
    )
      return { ok: false, reason: "VersionConflict" };
    prepared(
      db,
      `INSERT INTO ecs_tasks (account_id, region, cluster, task_id, service, version, created, open, document)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, region, cluster, task_id) DO UPDATE SET version = excluded.version,
         open = excluded.open, document = excluded.document`,
    ).run(
      accountId,
      region,
      record.clusterName,
      record.taskId,
      record.serviceName ?? null,
      record.version,
      record.task.createdAt,
      record.task.lastStatus === "STOPPED" ? 0 : 1,
      JSON.stringify(record),
    );
    return { ok: true };
  });

  function definitionFilter(scope: Scope, query: TaskDefinitionQuery): { where: string; args: unknown[] } {
    let where = "account_id = ? AND region = ?";
    const args: unknown[] = [scope.accountId, scope.region];
    if (query.familyPrefix !== undefined && query.familyPrefix !== "") {
      where += " AND family >= ? AND family < ?";
      args.push(query.familyPrefix, prefixEnd(query.familyPrefix));
    }
    if (query.status !== undefined) {
      where += " AND status = ?";
      args.push(query.status);
    }
    return { where, args };
  }

  return {
    async putCluster(record) {
      return putCluster.immediate(record);
    },
    async getCluster(scope, name) {
      return parse(
        prepared<Doc>(
          db,
          "SELECT document FROM ecs_clusters WHERE account_id = ? AND region = ? AND name = ?",
        ).get(scope.accountId, scope.region, name),
      );
    },
    async listClusters(scope) {
      return prepared<Doc>(
        db,
        "SELECT document FROM ecs_clusters WHERE account_id = ? AND region = ? ORDER BY name",
      )
        .all(scope.accountId, scope.region)
        .map((row) => parse<EcsClusterRecord>(row)!);
    },

    async registerTaskDefinition(record) {
      return register.immediate(record);
    },
    async updateTaskDefinition(record) {
      const { family, revision, status } = record.taskDefinition;
      return (
        prepared(
          db,
          `UPDATE ecs_task_definitions SET status = ?, document = ?
            WHERE account_id = ? AND region = ? AND family = ? AND revision = ?`,
        ).run(status, JSON.stringify(record), record.scope.accountId, record.scope.region, family, revision)
          .changes === 1
      );
    },
    async getTaskDefinition(scope, family, revision) {
      return parse(
        revision === undefined
          ? prepared<Doc>(
              db,
              `SELECT document FROM ecs_task_definitions WHERE account_id = ? AND region = ? AND family = ?
                AND status = 'ACTIVE' ORDER BY revision DESC LIMIT 1`,
            ).get(scope.accountId, scope.region, family)
          : prepared<Doc>(
              db,
              `SELECT document FROM ecs_task_definitions
                WHERE account_id = ? AND region = ? AND family = ? AND revision = ?`,
            ).get(scope.accountId, scope.region, family, revision),
      );
    },
    async lastRevision(scope, family) {
      return (
        prepared<{ last_revision: number }>(
          db,
          "SELECT last_revision FROM ecs_task_families WHERE account_id = ? AND region = ? AND family = ?",
        ).get(scope.accountId, scope.region, family)?.last_revision ?? 0
      );
    },
    async listTaskDefinitions(scope, query) {
      const { where, args } = definitionFilter(scope, query);
      return prepared<Doc>(
        db,
        `SELECT document FROM ecs_task_definitions WHERE ${where} ORDER BY family, revision`,
      )
        .all(...args)
        .map((row) => parse<EcsTaskDefinitionRecord>(row)!);
    },
    async listTaskDefinitionFamilies(scope, query) {
      const { where, args } = definitionFilter(scope, query);
      return prepared<{ family: string }>(
        db,
        `SELECT DISTINCT family FROM ecs_task_definitions WHERE ${where} ORDER BY family`,
      )
        .all(...args)
        .map((row) => row.family);
    },

    async putService(record) {
      return putService.immediate(record);
    },
    async getService(scope, clusterName, serviceName) {
      return parse(
        prepared<Doc>(
          db,
          "SELECT document FROM ecs_services WHERE account_id = ? AND region = ? AND cluster = ? AND name = ?",
        ).get(scope.accountId, scope.region, clusterName, serviceName),
      );
    },
    async listServices(scope, clusterName) {
      return prepared<Doc>(
        db,
        "SELECT document FROM ecs_services WHERE account_id = ? AND region = ? AND cluster = ? ORDER BY name",
      )
        .all(scope.accountId, scope.region, clusterName)
        .map((row) => parse<EcsServiceRecord>(row)!);
    },
    async servicesToSchedule() {
      return prepared<Doc>(db, "SELECT document FROM ecs_services WHERE status IN ('ACTIVE', 'DRAINING')")
        .all()
        .map((row) => parse<EcsServiceRecord>(row)!);
    },
    async removeService(scope, clusterName, serviceName) {
      return (
        prepared(
          db,
          "DELETE FROM ecs_services WHERE account_id = ? AND region = ? AND cluster = ? AND name = ?",
        ).run(scope.accountId, scope.region, clusterName, serviceName).changes === 1
      );
    },

    async putTask(record) {
      return putTask.immediate(record);
    },
    async getTask(scope, clusterName, taskId) {
      return parse(
        prepared<Doc>(
          db,
          "SELECT document FROM ecs_tasks WHERE account_id = ? AND region = ? AND cluster = ? AND task_id = ?",
        ).get(scope.accountId, scope.region, clusterName, taskId),
      );
    },
    async listTasks(scope, clusterName, query = {}) {
      const rows =
        query.serviceName === undefined
          ? prepared<Doc>(
              db,
              `SELECT document FROM ecs_tasks WHERE account_id = ? AND region = ? AND cluster = ?
                ORDER BY created, task_id`,
            ).all(scope.accountId, scope.region, clusterName)
          : prepared<Doc>(
              db,
              `SELECT document FROM ecs_tasks WHERE account_id = ? AND region = ? AND cluster = ? AND service = ?
                ORDER BY created, task_id`,
            ).all(scope.accountId, scope.region, clusterName, query.serviceName);
      return rows.map((row) => parse<EcsTaskRecord>(row)!);
    },
    async openTasks() {
      return prepared<Doc>(db, "SELECT document FROM ecs_tasks WHERE open = 1 ORDER BY created, task_id")
        .all()
        .map((row) => parse<EcsTaskRecord>(row)!);
    },
    async removeTask(scope, clusterName, taskId) {
      return (
        prepared(
          db,
          "DELETE FROM ecs_tasks WHERE account_id = ? AND region = ? AND cluster = ? AND task_id = ?",
        ).run(scope.accountId, scope.region, clusterName, taskId).changes === 1
      );
    },
  };
}
