import type Database from "better-sqlite3";
import type { PipelineDeclaration } from "../../model/declaration.js";
import { assertFirstVersion, assertPageLimit, withVersion } from "../store-checks.js";
import type {
  CreateResult,
  PipelineRecord,
  PipelineStore,
  PipelineSummaryRecord,
  Scope,
  UpdateResult,
} from "../types.js";
import {
  advanceCurrentPipeline,
  countPipelines,
  deleteCurrentPipeline,
  deletePipelineVersions,
  insertCurrentPipeline,
  insertPipelineVersion,
  type NewPipelineRow,
  type PipelineRow,
  type PipelineSummaryRow,
  selectCurrentPipeline,
  selectCurrentVersion,
  selectNextScope,
  selectPipelinePage,
  selectPipelineVersion,
} from "./pipeline-queries.js";

/**
 * Pipelines in SQLite. Writes that read first run in IMMEDIATE transactions: the write lock is
 * taken before the read, so two processes can never both see version N and both write N + 1.
 * (A DEFERRED transaction would take a read lock and try to upgrade it; when two connections do
 * that at once SQLite fails one with SQLITE_BUSY at once, without waiting for busy_timeout.)
 */
export function createSqlitePipelineStore(db: Database.Database): PipelineStore {
  const create = db.transaction((record: PipelineRecord): CreateResult => {
    if (selectCurrentVersion(db, record.scope, record.name)) return { ok: false, reason: "NameInUse" };
    insertPipelineVersion(
      db,
      newRow(record.scope, record.name, 1, record.declaration, record.created, record.updated),
    );
    insertCurrentPipeline(db, record.scope, record.name, 1);
    return { ok: true };
  });

  const update = db.transaction(
    (
      scope: Scope,
      name: string,
      expectedVersion: number,
      declaration: PipelineDeclaration,
      updated: number,
    ): UpdateResult => {
      const current = selectCurrentVersion(db, scope, name);
      if (!current) return { ok: false, reason: "NotFound" };
      if (current.version !== expectedVersion) return { ok: false, reason: "VersionConflict" };
      const row = newRow(scope, name, expectedVersion + 1, declaration, current.created, updated);
      insertPipelineVersion(db, row);
      if (!advanceCurrentPipeline(db, scope, name, expectedVersion, row.version)) {
        throw new Error(`pipeline store: current version of '${name}' moved inside a write transaction`);
      }
      return { ok: true, record: toRecord(scope, row) };
    },
  );

  const remove = db.transaction((scope: Scope, name: string): boolean => {
    if (!deleteCurrentPipeline(db, scope, name)) return false;
    deletePipelineVersions(db, scope, name);
    return true;
  });

  return {
    async create(record) {
      assertFirstVersion(record);
      return create.immediate(record);
    },

    async update(scope, name, expectedVersion, declaration, updated) {
      return update.immediate(scope, name, expectedVersion, declaration, updated);
    },

    async get(scope, name, version) {
      const row =
        version === undefined
          ? selectCurrentPipeline(db, scope, name)
          : selectPipelineVersion(db, scope, name, version);
      return row && toRecord(scope, row);
    },

    async currentVersion(scope, name) {
      return selectCurrentVersion(db, scope, name)?.version;
    },

    async list(scope, { after, limit }) {
      assertPageLimit(limit);
      // One row more than asked for tells whether another page follows.
      const rows = selectPipelinePage(db, scope, after, limit + 1);
      const items = rows.slice(0, limit).map(toSummary);
      const last = items.at(-1);
      return rows.length > limit && last ? { items, nextAfter: last.name } : { items };
    },

    async remove(scope, name) {
      return remove.immediate(scope, name);
    },

    async count(scope) {
      return countPipelines(db, scope);
    },

    async scopes() {
      const found: Scope[] = [];
      let next = selectNextScope(db, { accountId: "", region: "" });
      while (next) {
        found.push(next);
        next = selectNextScope(db, next);
      }
      return found;
    },
  };
}

function newRow(
  scope: Scope,
  name: string,
  version: number,
  declaration: PipelineDeclaration,
  created: number,
  updated: number,
): NewPipelineRow {
  return {
    scope,
    name,
    version,
    declaration: JSON.stringify(withVersion(declaration, version)),
    pipelineType: declaration.pipelineType ?? null,
    executionMode: declaration.executionMode ?? null,
    created,
    updated,
  };
}

function toRecord(scope: Scope, row: PipelineRow): PipelineRecord {
  return {
    scope: { accountId: scope.accountId, region: scope.region },
    name: row.name,
    version: row.version,
    declaration: JSON.parse(row.declaration) as PipelineDeclaration,
    created: row.created,
    updated: row.updated,
  };
}

function toSummary(row: PipelineSummaryRow): PipelineSummaryRecord {
  return {
    name: row.name,
    version: row.version,
    created: row.created,
    updated: row.updated,
    ...(row.pipeline_type === null
      ? {}
      : { pipelineType: row.pipeline_type as PipelineSummaryRecord["pipelineType"] }),
    ...(row.execution_mode === null
      ? {}
      : { executionMode: row.execution_mode as PipelineSummaryRecord["executionMode"] }),
  };
}
