import { prunedVersions, restagedVersions } from "../secret-versions.js";
import { assertPageLimit } from "../store-checks.js";
import type {
  Scope,
  SecretRecord,
  SecretStore,
  SecretVersionRecord,
  SecretVersionSummary,
} from "../types.js";
import { compareByteOrder } from "./compare-byte-order.js";
import { frozenCopy } from "./frozen-copy.js";
import { scopeKey } from "./scope-key.js";

interface Entry {
  record: SecretRecord;
  /** Oldest first. */
  versions: SecretVersionRecord[];
}

/**
 * Secrets in a Map keyed by scope and name, each with its versions, oldest first. Each method
 * runs to completion without awaiting, so it is atomic on its own.
 */
export function createMemorySecretStore(checkOpen: () => void): SecretStore {
  const entries = new Map<string, Entry>();
  const keyOf = (scope: Scope, name: string) => `${scopeKey(scope)}/${name}`;
  const summary = (v: SecretVersionRecord): SecretVersionSummary => ({
    versionId: v.versionId,
    stages: v.stages,
    created: v.created,
  });

  return {
    async create(record, firstVersion) {
      checkOpen();
      const key = keyOf(record.scope, record.name);
      if (entries.has(key)) return { ok: false, reason: "NameInUse" };
      entries.set(key, {
        record: frozenCopy(record),
        versions: firstVersion ? [frozenCopy(firstVersion)] : [],
      });
      return { ok: true };
    },

    async get(scope, name) {
      checkOpen();
      return entries.get(keyOf(scope, name))?.record;
    },

    async versions(scope, name) {
      checkOpen();
      return (entries.get(keyOf(scope, name))?.versions ?? []).map(summary);
    },

    async getVersion(scope, name, versionId) {
      checkOpen();
      return entries.get(keyOf(scope, name))?.versions.find((v) => v.versionId === versionId);
    },

    async addVersion(scope, name, version, now) {
      checkOpen();
      const entry = entries.get(keyOf(scope, name));
      if (!entry) return { ok: false, reason: "NotFound" };
      if (entry.record.deletionDate !== undefined) return { ok: false, reason: "MarkedForDeletion" };
      const existing = entry.versions.find((v) => v.versionId === version.versionId);
      if (existing) return { ok: false, reason: "VersionExists", existing };
      const changes = restagedVersions(entry.versions, version.stages);
      let versions = [
        ...entry.versions.map((v) => {
          const stages = changes.get(v.versionId);
          return stages ? frozenCopy({ ...v, stages }) : v;
        }),
        frozenCopy(version),
      ];
      const dropped = new Set(prunedVersions(versions));
      versions = versions.filter((v) => !dropped.has(v.versionId));
      entry.versions = versions;
      entry.record = frozenCopy({ ...entry.record, lastChanged: now });
      return { ok: true, versions: versions.map(summary) };
    },

    async scheduleDeletion(scope, name, deletionDate, now) {
      checkOpen();
      const entry = entries.get(keyOf(scope, name));
      if (!entry) return { ok: false, reason: "NotFound" };
      if (entry.record.deletionDate !== undefined) return { ok: false, reason: "MarkedForDeletion" };
      entry.record = frozenCopy({ ...entry.record, deletionDate, lastChanged: now });
      return { ok: true, record: entry.record };
    },

    async cancelDeletion(scope, name, now) {
      checkOpen();
      const entry = entries.get(keyOf(scope, name));
      if (!entry) return undefined;
      if (entry.record.deletionDate === undefined) return entry.record;
      const { deletionDate: _, ...rest } = entry.record;
      entry.record = frozenCopy({ ...rest, lastChanged: now });
      return entry.record;
    },

    async remove(scope, name) {
      checkOpen();
      return entries.delete(keyOf(scope, name));
    },

    async list(scope, { after, limit }) {
      checkOpen();
      assertPageLimit(limit, "secret store");
      const all = [...entries.values()]
        .map((e) => e.record)
        .filter(
          (r) =>
            scopeKey(r.scope) === scopeKey(scope) &&
            (after === undefined || compareByteOrder(r.name, after) > 0),
        )
        .sort((a, b) => compareByteOrder(a.name, b.name));
      const items = all.slice(0, limit);
      return all.length > limit ? { items, nextAfter: items.at(-1)!.name } : { items };
    },
  };
}
