import { assertPageLimit } from "../store-checks.js";
import type { ConnectionRecord, ConnectionStore } from "../types.js";
import { frozenCopy } from "./frozen-copy.js";
import { scopeKey } from "./scope-key.js";

/** ConnectionStore in memory: frozen copies, listed in creation order (then id), like SQLite. */
export function createMemoryConnectionStore(checkOpen: () => void): ConnectionStore {
  const byKey = new Map<string, ConnectionRecord>();
  const keyOf = (scope: ConnectionRecord["scope"], id: string) => `${scopeKey(scope)}/${id}`;
  const order = (r: ConnectionRecord) => `${String(r.created).padStart(15, "0")}:${r.connectionId}`;
  return {
    async create(record) {
      checkOpen();
      const key = keyOf(record.scope, record.connectionId);
      if (byKey.has(key)) return { ok: false, reason: "NameInUse" };
      byKey.set(key, frozenCopy(record));
      return { ok: true };
    },
    async get(scope, id) {
      checkOpen();
      return byKey.get(keyOf(scope, id));
    },
    async list(scope, { after, limit }) {
      checkOpen();
      assertPageLimit(limit);
      const all = [...byKey.values()]
        .filter((r) => scopeKey(r.scope) === scopeKey(scope) && (after === undefined || order(r) > after))
        .sort((a, b) => (order(a) < order(b) ? -1 : 1));
      const items = all.slice(0, limit);
      const last = items.at(-1);
      return all.length > limit && last ? { items, nextAfter: order(last) } : { items };
    },
    async remove(scope, id) {
      checkOpen();
      return byKey.delete(keyOf(scope, id));
    },
  };
}
