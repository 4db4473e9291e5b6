import { assertPageLimit } from "../store-checks.js";
import type { FunctionRecord, FunctionStore } from "../types.js";
import { compareByteOrder } from "./compare-byte-order.js";
import { frozenCopy } from "./frozen-copy.js";
import { scopeKey } from "./scope-key.js";

interface Stored {
  readonly record: FunctionRecord;
  readonly code: Uint8Array;
}

/** Functions in Maps: scope → name → record and code. Each method runs without awaiting, so it is atomic. */
export function createMemoryFunctionStore(checkOpen: () => void): FunctionStore {
  const scopes = new Map<string, Map<string, Stored>>();
  const functionsOf = (scope: FunctionRecord["scope"]) => scopes.get(scopeKey(scope));

  return {
    async create(record, code) {
      checkOpen();
      if (record.revision !== 1)
        throw new Error(`function store: create takes revision 1, got ${record.revision}`);
      const key = scopeKey(record.scope);
      let functions = scopes.get(key);
      if (functions?.has(record.functionName)) return { ok: false, reason: "NameInUse" };
      if (!functions) {
        functions = new Map();
        scopes.set(key, functions);
      }
      functions.set(record.functionName, { record: frozenCopy(record), code: new Uint8Array(code) });
      return { ok: true };
    },

    async get(scope, name) {
      checkOpen();
      return functionsOf(scope)?.get(name)?.record;
    },

    async getCode(scope, name) {
      checkOpen();
      const code = functionsOf(scope)?.get(name)?.code;
      return code && new Uint8Array(code);
    },

    async update(record, code) {
      checkOpen();
      const functions = functionsOf(record.scope);
      const current = functions?.get(record.functionName);
      if (!functions || !current) return { ok: false, reason: "NotFound" };
      if (current.record.revision !== record.revision - 1) return { ok: false, reason: "RevisionConflict" };
      functions.set(record.functionName, {
        record: frozenCopy(record),
        code: code ? new Uint8Array(code) : current.code,
      });
      return { ok: true };
    },

    async list(scope, { after, limit }) {
      checkOpen();
      assertPageLimit(limit, "function store");
      const names = [...(functionsOf(scope)?.keys() ?? [])]
        .filter((name) => after === undefined || compareByteOrder(name, after) > 0)
        .sort(compareByteOrder);
      const page = names.slice(0, limit);
      const items = page.map((name) => functionsOf(scope)!.get(name)!.record);
      return names.length > limit ? { items, nextAfter: page.at(-1)! } : { items };
    },

    async remove(scope, name) {
      checkOpen();
      return functionsOf(scope)?.delete(name) ?? false;
    },
  };
}
