import type { PipelineDeclaration } from "../../model/declaration.js";
import { assertFirstVersion, assertPageLimit, withVersion } from "../store-checks.js";
import type { Page, PipelineRecord, PipelineStore, PipelineSummaryRecord, Scope } from "../types.js";
import { compareByteOrder } from "./compare-byte-order.js";
import { frozenCopy } from "./frozen-copy.js";
import { scopeKey } from "./scope-key.js";

/**
 * Pipelines in Maps: scope → name → every version, oldest first (index `version - 1`). Each
 * method runs to completion without awaiting, so it is atomic on its own; `checkOpen` throws
 * once the stores are closed.
 */
export function createMemoryPipelineStore(checkOpen: () => void): PipelineStore {
  const scopes = new Map<string, Map<string, PipelineRecord[]>>();

  const none: ReadonlyMap<string, PipelineRecord[]> = new Map();

  /** The scope's pipelines; reads never add an entry for a scope that has none. */
  function pipelinesOf(scope: Scope): ReadonlyMap<string, PipelineRecord[]> {
    return scopes.get(scopeKey(scope)) ?? none;
  }

  function writablePipelinesOf(scope: Scope): Map<string, PipelineRecord[]> {
    const key = scopeKey(scope);
    let pipelines = scopes.get(key);
    if (!pipelines) {
      pipelines = new Map();
      scopes.set(key, pipelines);
    }
    return pipelines;
  }

  function summaryOf(record: PipelineRecord): PipelineSummaryRecord {
    const { pipelineType, executionMode } = record.declaration;
    return {
      name: record.name,
      version: record.version,
      created: record.created,
      updated: record.updated,
      ...(pipelineType === undefined ? {} : { pipelineType }),
      ...(executionMode === undefined ? {} : { executionMode }),
    };
  }

  return {
    async create(record) {
      checkOpen();
      assertFirstVersion(record);
      const pipelines = writablePipelinesOf(record.scope);
      if (pipelines.has(record.name)) return { ok: false, reason: "NameInUse" };
      pipelines.set(record.name, [
        frozenCopy({ ...record, declaration: withVersion(record.declaration, 1) }),
      ]);
      return { ok: true };
    },

    async update(
      scope: Scope,
      name: string,
      expectedVersion: number,
      declaration: PipelineDeclaration,
      updated: number,
    ) {
      checkOpen();
      const versions = pipelinesOf(scope).get(name);
      const current = versions?.at(-1);
      if (!versions || !current) return { ok: false, reason: "NotFound" };
      if (current.version !== expectedVersion) return { ok: false, reason: "VersionConflict" };
      const version = expectedVersion + 1;
      const record = frozenCopy<PipelineRecord>({
        scope: current.scope,
        name,
        version,
        declaration: withVersion(declaration, version),
        created: current.created,
        updated,
      });
      versions.push(record);
      return { ok: true, record };
    },

    async get(scope, name, version) {
      checkOpen();
      const versions = pipelinesOf(scope).get(name);
      return version === undefined ? versions?.at(-1) : versions?.[version - 1];
    },

    async currentVersion(scope, name) {
      checkOpen();
      return pipelinesOf(scope).get(name)?.at(-1)?.version;
    },

    async list(scope, options): Promise<Page<PipelineSummaryRecord>> {
      checkOpen();
      assertPageLimit(options.limit);
      const { after, limit } = options;
      const pipelines = pipelinesOf(scope);
      // Sorting on every call is O(n log n), but at AWS's quota of 1,000 pipelines per region a
      // page takes about 0.2 ms (measured), and it keeps writes trivial.
      const names = [...pipelines.keys()]
        .filter((name) => after === undefined || compareByteOrder(name, after) > 0)
        .sort(compareByteOrder);
      const page = names.slice(0, limit);
      const items = page.map((name) => summaryOf(pipelines.get(name)!.at(-1)!));
      const last = page.at(-1);
      return names.length > limit && last !== undefined ? { items, nextAfter: last } : { items };
    },

    async remove(scope, name) {
      checkOpen();
      return scopes.get(scopeKey(scope))?.delete(name) ?? false;
    },

    async count(scope) {
      checkOpen();
      return pipelinesOf(scope).size;
    },

    async scopes() {
      checkOpen();
      const found: Scope[] = [];
      for (const versions of [...scopes.values()].flatMap((m) => [...m.values()].slice(0, 1))) {
        const scope = versions.at(-1)?.scope;
        if (scope) found.push({ accountId: scope.accountId, region: scope.region });
      }
      return found.sort(
        (a, b) => compareByteOrder(a.accountId, b.accountId) || compareByteOrder(a.region, b.region),
      );
    },
  };
}
