import {
  listKeyOf,
  parseDateKey,
  type RepositoryListOptions,
  type RepositoryMetadata,
} from "../repositories/repository-metadata.js";
import type { RepositoryRecord, Scope } from "../types.js";
import { compareByteOrder } from "./compare-byte-order.js";
import { frozenCopy } from "./frozen-copy.js";
import { scopeKey } from "./scope-key.js";

/**
 * Repository records in a Map (scope → name → record), kept as frozen copies. Listing sorts the
 * scope's records on every call: fine for the numbers tests create.
 */
export function createMemoryRepositoryMetadata(checkOpen: () => void): RepositoryMetadata {
  const scopes = new Map<string, Map<string, RepositoryRecord>>();
  const ids = new Set<string>();
  const recordsOf = (scope: Scope) => scopes.get(scopeKey(scope));

  return {
    checkOpen,

    async insert(record) {
      checkOpen();
      if (ids.has(record.repositoryId)) {
        throw new Error(`repository store: repository id ${record.repositoryId} is already in use`);
      }
      const key = scopeKey(record.scope);
      const records = scopes.get(key) ?? new Map<string, RepositoryRecord>();
      if (records.has(record.name)) return { ok: false, reason: "NameInUse" };
      records.set(record.name, frozenCopy(record));
      scopes.set(key, records);
      ids.add(record.repositoryId);
      return { ok: true };
    },

    async get(scope, name) {
      checkOpen();
      return recordsOf(scope)?.get(name);
    },

    async list(scope, options) {
      checkOpen();
      const order = comparator(options);
      const sorted = [...(recordsOf(scope)?.values() ?? [])].sort(order);
      const start =
        options.after === undefined ? 0 : sorted.findIndex((r) => order(r, afterProbe(options)) > 0);
      const page = start < 0 ? [] : sorted.slice(start, start + options.limit + 1);
      const items = page.slice(0, options.limit);
      const last = items.at(-1);
      return page.length > options.limit && last
        ? { items, nextAfter: listKeyOf(last, options.sortBy) }
        : { items };
    },

    async delete(scope, name, repositoryId) {
      checkOpen();
      const records = recordsOf(scope);
      const record = records?.get(name);
      if (!records || record?.repositoryId !== repositoryId) return undefined;
      records.delete(name);
      ids.delete(repositoryId);
      return record;
    },

    async recordPush(scope, name, repositoryId, change) {
      checkOpen();
      const records = recordsOf(scope);
      const record = records?.get(name);
      if (!records || record?.repositoryId !== repositoryId) return undefined;
      const updated = frozenCopy({ ...record, ...change });
      records.set(name, updated);
      return updated;
    },
  };
}

/** A record standing for the `after` position, compared with the same order as the listing. */
function afterProbe(options: RepositoryListOptions): RepositoryRecord {
  const after = options.after!;
  const position =
    options.sortBy === "lastModifiedDate" ? parseDateKey(after) : { lastModified: 0, name: after };
  return { ...position, scope: { accountId: "", region: "" }, repositoryId: "", created: 0 };
}

/** Name byte order, or lastModified then name; reversed when descending (as SQLite's DESC walk). */
function comparator(options: RepositoryListOptions): (a: RepositoryRecord, b: RepositoryRecord) => number {
  const sign = options.descending ? -1 : 1;
  if (options.sortBy === "lastModifiedDate") {
    return (a, b) => sign * (a.lastModified - b.lastModified || compareByteOrder(a.name, b.name));
  }
  return (a, b) => sign * compareByteOrder(a.name, b.name);
}
