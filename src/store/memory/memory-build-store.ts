import { assertAfterSeq, assertLogContinues, buildListKey } from "../build-records.js";
import type {
  BuildLogLine,
  BuildProjectRecord,
  BuildRecord,
  BuildStore,
  BuildTokenRecord,
  ReportRecord,
} from "../build-store-types.js";
import { assertPageLimit } from "../store-checks.js";
import type { Scope } from "../types.js";
import { compareByteOrder } from "./compare-byte-order.js";
import { frozenCopy } from "./frozen-copy.js";
import { scopeKey } from "./scope-key.js";

/**
 * BuildStore in memory: frozen copies in Maps keyed by scope and name (or id, or ARN). Lists sort
 * on every call, in the byte order SQLite's indexes give (compareByteOrder, build-records.ts).
 * A build's log is an array whose line `i` has seq `i + 1`, so a read is one slice.
 */
export function createMemoryBuildStore(checkOpen: () => void): BuildStore {
  const projects = new Map<string, BuildProjectRecord>();
  const counters = new Map<string, number>();
  const builds = new Map<string, BuildRecord>();
  const logs = new Map<string, BuildLogLine[]>();
  const reports = new Map<string, ReportRecord>();
  const tokens = new Map<string, BuildTokenRecord>();
  // scopeKey is JSON ending in `]`, so the part after it cannot blur into the scope.
  const keyOf = (scope: Scope, id: string) => `${scopeKey(scope)}${id}`;

  return {
    async createProject(record) {
      checkOpen();
      const key = keyOf(record.scope, record.name);
      if (projects.has(key)) return { ok: false, reason: "NameInUse" };
      projects.set(key, frozenCopy(record));
      return { ok: true };
    },
    async replaceProject(record) {
      checkOpen();
      const key = keyOf(record.scope, record.name);
      if (!projects.has(key)) return { ok: false, reason: "NotFound" };
      projects.set(key, frozenCopy(record));
      return { ok: true };
    },
    async getProject(scope, name) {
      checkOpen();
      return projects.get(keyOf(scope, name));
    },
    async listProjects(scope) {
      checkOpen();
      const wanted = scopeKey(scope);
      return [...projects.values()]
        .filter((r) => scopeKey(r.scope) === wanted)
        .sort((a, b) => compareByteOrder(a.name, b.name));
    },
    async deleteProject(scope, name) {
      checkOpen();
      const key = keyOf(scope, name);
      counters.delete(key);
      return projects.delete(key);
    },
    async nextBuildNumber(scope, projectName) {
      checkOpen();
      const key = keyOf(scope, projectName);
      const next = (counters.get(key) ?? 0) + 1;
      counters.set(key, next);
      return next;
    },

    async putBuildToken(scope, record) {
      checkOpen();
      tokens.set(keyOf(scope, record.token), frozenCopy(record));
    },

    async findBuildToken(scope, token) {
      checkOpen();
      return tokens.get(keyOf(scope, token));
    },

    async putBuild(record) {
      checkOpen();
      buildListKey(record.document.startTime, record.document.id); // the same check SQLite makes
      builds.set(keyOf(record.scope, record.document.id), frozenCopy(record));
    },
    async getBuild(scope, id) {
      checkOpen();
      return builds.get(keyOf(scope, id));
    },
    async listBuildIds(scope, { projectName, order, after, limit }) {
      checkOpen();
      assertPageLimit(limit, "build store");
      const wanted = scopeKey(scope);
      const direction = order === "ASCENDING" ? 1 : -1;
      const all = [...builds.values()]
        .filter(
          (r) =>
            scopeKey(r.scope) === wanted &&
            (projectName === undefined || r.document.projectName === projectName),
        )
        .map((r) => ({ id: r.document.id, key: buildListKey(r.document.startTime, r.document.id) }))
        .filter((b) => after === undefined || compareByteOrder(b.key, after) * direction > 0)
        .sort((a, b) => compareByteOrder(a.key, b.key) * direction);
      const page = all.slice(0, limit);
      const last = page.at(-1);
      const items = page.map((b) => b.id);
      return all.length > limit && last ? { items, nextAfter: last.key } : { items };
    },
    async unfinishedBuilds() {
      checkOpen();
      return [...builds.values()].filter((r) => !r.document.buildComplete);
    },

    async appendLog(scope, buildId, lines) {
      checkOpen();
      const key = keyOf(scope, buildId);
      const log = logs.get(key) ?? [];
      assertLogContinues(buildId, log.length, lines);
      if (lines.length === 0) return;
      log.push(...lines.map((line) => Object.freeze({ seq: line.seq, text: line.text })));
      logs.set(key, log);
    },
    async readLog(scope, buildId, afterSeq, limit) {
      checkOpen();
      assertAfterSeq(afterSeq);
      assertPageLimit(limit, "build store");
      return (logs.get(keyOf(scope, buildId)) ?? []).slice(afterSeq, afterSeq + limit);
    },

    async putReport(record) {
      checkOpen();
      reports.set(keyOf(record.scope, record.document.arn), frozenCopy(record));
    },
    async getReport(scope, arn) {
      checkOpen();
      return reports.get(keyOf(scope, arn));
    },
  };
}
