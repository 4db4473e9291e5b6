import { actionTypeKey } from "../../model/action-types/action-type.js";
import type { ActionTypeId } from "../../model/declaration.js";
import type { ActionTypeStore, CustomActionTypeRecord } from "../types.js";
import { compareByteOrder } from "./compare-byte-order.js";
import { frozenCopy } from "./frozen-copy.js";
import { scopeKey } from "./scope-key.js";

/** The order `list` promises: category, provider, version, then owner, each in byte order. */
function compareIds(a: ActionTypeId, b: ActionTypeId): number {
  return (
    compareByteOrder(a.category, b.category) ||
    compareByteOrder(a.provider, b.provider) ||
    compareByteOrder(a.version, b.version) ||
    compareByteOrder(a.owner, b.owner)
  );
}

/** Custom action types in Maps: scope → action type key → record. */
export function createMemoryActionTypeStore(checkOpen: () => void): ActionTypeStore {
  const records = new Map<string, CustomActionTypeRecord>();
  const keyOf = (scope: CustomActionTypeRecord["scope"], id: ActionTypeId) =>
    `${scopeKey(scope)}/${actionTypeKey(id)}`;

  return {
    async create(record) {
      checkOpen();
      const key = keyOf(record.scope, record.spec.id);
      const existing = records.get(key);
      if (existing && existing.deleted === undefined) return { ok: false, reason: "NameInUse" };
      const { deleted: _cleared, ...live } = record;
      records.set(key, frozenCopy(live));
      return { ok: true };
    },

    async get(scope, id) {
      checkOpen();
      return records.get(keyOf(scope, id));
    },

    async list(scope) {
      checkOpen();
      const prefix = `${scopeKey(scope)}/`;
      return [...records]
        .filter(([key]) => key.startsWith(prefix))
        .map(([, record]) => record)
        .sort((a, b) => compareIds(a.spec.id, b.spec.id));
    },

    async markDeleted(scope, id, when) {
      checkOpen();
      const key = keyOf(scope, id);
      const existing = records.get(key);
      if (!existing || existing.deleted !== undefined) return false;
      records.set(key, frozenCopy({ ...existing, deleted: when }));
      return true;
    },
  };
}
