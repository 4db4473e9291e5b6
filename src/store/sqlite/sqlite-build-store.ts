import type Database from "better-sqlite3";
import type { BuildDocument, ProjectDocument, ReportDocument } from "../../codebuild/documents.js";
import { assertAfterSeq, assertLogContinues, buildIdOfListKey, buildListKey } from "../build-records.js";
import type { BuildLogLine, BuildProjectRecord, BuildRecord, BuildStore } from "../build-store-types.js";
import { assertPageLimit } from "../store-checks.js";
import type { Scope } from "../types.js";
import {
  deleteCounter,
  deleteProjectRow,
  incrementCounter,
  insertLogLine,
  insertProject,
  type NewProjectRow,
  type ProjectRow,
  selectBuild,
  selectBuildKeys,
  selectBuildToken,
  selectLastLogSeq,
  selectLogLines,
  selectProject,
  selectProjects,
  selectReport,
  selectUnfinishedBuilds,
  updateProject,
  upsertBuild,
  upsertBuildToken,
  upsertReport,
} from "./build-queries.js";

/**
 * BuildStore in SQLite (migration 0007). Most methods are one statement; `nextBuildNumber` is
 * one upsert with RETURNING, so taking a number is atomic across connections and processes.
 * `appendLog` and `deleteProject` run in IMMEDIATE transactions (see sqlite-pipeline-store.ts
 * for why IMMEDIATE): an append reads the last seq and writes its lines under one write lock,
 * and a seq that does not follow on throws inside it, which rolls the whole batch back.
 */
export function createSqliteBuildStore(db: Database.Database): BuildStore {
  const removeProject = db.transaction((scope: Scope, name: string): boolean => {
    deleteCounter(db, scope, name);
    return deleteProjectRow(db, scope, name) === 1;
  });

  const append = db.transaction((scope: Scope, buildId: string, lines: readonly BuildLogLine[]) => {
    assertLogContinues(buildId, selectLastLogSeq(db, scope, buildId), lines);
    for (const line of lines) insertLogLine(db, scope, buildId, line);
  });

  return {
    async createProject(record) {
      return insertProject(db, projectRow(record)) === 1 ? { ok: true } : { ok: false, reason: "NameInUse" };
    },
    async replaceProject(record) {
      return updateProject(db, projectRow(record)) === 1 ? { ok: true } : { ok: false, reason: "NotFound" };
    },
    async getProject(scope, name) {
      const row = selectProject(db, scope, name);
      return row && toProjectRecord(scope, row);
    },
    async listProjects(scope) {
      return selectProjects(db, scope).map((row) => toProjectRecord(scope, row));
    },
    async deleteProject(scope, name) {
      return removeProject.immediate(scope, name);
    },
    async nextBuildNumber(scope, projectName) {
      return incrementCounter(db, scope, projectName);
    },

    async putBuildToken(scope, record) {
      upsertBuildToken(db, scope, record);
    },

    async findBuildToken(scope, token) {
      const row = selectBuildToken(db, scope, token);
      return row && { token, buildId: row.build_id, projectName: row.project_name, expires: row.expires };
    },

    async putBuild(record) {
      const { document } = record;
      upsertBuild(db, {
        scope: record.scope,
        buildId: document.id,
        projectName: document.projectName,
        listKey: buildListKey(document.startTime, document.id),
        complete: document.buildComplete,
        document: JSON.stringify(document),
      });
    },
    async getBuild(scope, id) {
      const document = selectBuild(db, scope, id);
      return document === undefined ? undefined : { scope: copyScope(scope), document: parseBuild(document) };
    },
    async listBuildIds(scope, { projectName, order, after, limit }) {
      assertPageLimit(limit, "build store");
      // One key more than asked for tells whether another page follows.
      const keys = selectBuildKeys(db, scope, {
        projectName,
        descending: order === "DESCENDING",
        after,
        limit: limit + 1,
      });
      const page = keys.slice(0, limit);
      const items = page.map(buildIdOfListKey);
      return keys.length > limit ? { items, nextAfter: page.at(-1)! } : { items };
    },
    async unfinishedBuilds() {
      return selectUnfinishedBuilds(db).map(
        (row): BuildRecord => ({
          scope: { accountId: row.account_id, region: row.region },
          document: parseBuild(row.document),
        }),
      );
    },

    async appendLog(scope, buildId, lines) {
      append.immediate(scope, buildId, lines);
    },
    async readLog(scope, buildId, afterSeq, limit) {
      assertAfterSeq(afterSeq);
      assertPageLimit(limit, "build store");
      return selectLogLines(db, scope, buildId, afterSeq, limit);
    },

    async putReport(record) {
      upsertReport(db, record.scope, record.document.arn, JSON.stringify(record.document));
    },
    async getReport(scope, arn) {
      const document = selectReport(db, scope, arn);
      return document === undefined
        ? undefined
        : { scope: copyScope(scope), document: JSON.parse(document) as ReportDocument };
    },
  };
}

function projectRow(record: BuildProjectRecord): NewProjectRow {
  return {
    scope: record.scope,
    name: record.name,
    created: record.created,
    last_modified: record.lastModified,
    document: JSON.stringify(record.document),
  };
}

function toProjectRecord(scope: Scope, row: ProjectRow): BuildProjectRecord {
  return {
    scope: copyScope(scope),
    name: row.name,
    document: JSON.parse(row.document) as ProjectDocument,
    created: row.created,
    lastModified: row.last_modified,
  };
}

const parseBuild = (document: string) => JSON.parse(document) as BuildDocument;

/** Records never share an object with the caller's arguments. */
const copyScope = (scope: Scope): Scope => ({ accountId: scope.accountId, region: scope.region });
