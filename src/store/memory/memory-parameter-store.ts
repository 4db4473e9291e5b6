import { MAX_PARAMETER_VERSIONS } from "../secret-versions.js";
import { assertPageLimit } from "../store-checks.js";
import type { ParameterRecord, ParameterStore, Scope } from "../types.js";
import { compareByteOrder } from "./compare-byte-order.js";
import { frozenCopy } from "./frozen-copy.js";
import { scopeKey } from "./scope-key.js";

/**
 * SSM parameters in Maps: scope → name → kept versions, oldest first. Each method runs to
 * completion without awaiting, so it is atomic on its own.
 */
export function createMemoryParameterStore(checkOpen: () => void): ParameterStore {
  const scopes = new Map<string, Map<string, ParameterRecord[]>>();
  const parametersOf = (scope: Scope) => scopes.get(scopeKey(scope));

  return {
    async put(record) {
      checkOpen();
      const key = scopeKey(record.scope);
      let parameters = scopes.get(key);
      const current = parameters?.get(record.name)?.at(-1)?.version ?? 0;
      if (record.version !== current + 1) return { ok: false, reason: "VersionConflict" };
      if (!parameters) {
        parameters = new Map();
        scopes.set(key, parameters);
      }
      const versions = [...(parameters.get(record.name) ?? []), frozenCopy(record)];
      parameters.set(record.name, versions.slice(-MAX_PARAMETER_VERSIONS));
      return { ok: true };
    },

    async get(scope, name, version) {
      checkOpen();
      const versions = parametersOf(scope)?.get(name);
      return version === undefined ? versions?.at(-1) : versions?.find((v) => v.version === version);
    },

    async history(scope, name) {
      checkOpen();
      return [...(parametersOf(scope)?.get(name) ?? [])];
    },

    async list(scope, { after, prefix, limit }) {
      checkOpen();
      assertPageLimit(limit, "parameter store");
      const names = [...(parametersOf(scope)?.keys() ?? [])]
        .filter(
          (name) =>
            (prefix === undefined || name.startsWith(prefix)) &&
            (after === undefined || compareByteOrder(name, after) > 0),
        )
        .sort(compareByteOrder);
      const page = names.slice(0, limit);
      const items = page.map((name) => parametersOf(scope)!.get(name)!.at(-1)!);
      return names.length > limit ? { items, nextAfter: page.at(-1)! } : { items };
    },

    async remove(scope, name) {
      checkOpen();
      return parametersOf(scope)?.delete(name) ?? false;
    },
  };
}
