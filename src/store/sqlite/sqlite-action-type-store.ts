import type Database from "better-sqlite3";
import type { ActionTypeSpec } from "../../model/action-types/action-type.js";
import type { ActionTypeStore, CustomActionTypeRecord, Scope } from "../types.js";
import {
  type ActionTypeRow,
  markActionTypeDeleted,
  selectActionType,
  selectActionTypes,
  upsertActionType,
} from "./action-type-queries.js";

/** Custom action types in SQLite. Each method is one statement, so each is atomic by itself. */
export function createSqliteActionTypeStore(db: Database.Database): ActionTypeStore {
  return {
    async create(record) {
      const stored = upsertActionType(
        db,
        record.scope,
        record.spec.id,
        JSON.stringify(record.spec),
        record.created,
      );
      return stored ? { ok: true } : { ok: false, reason: "NameInUse" };
    },

    async get(scope, id) {
      const row = selectActionType(db, scope, id);
      return row && toRecord(scope, row);
    },

    async list(scope) {
      return selectActionTypes(db, scope).map((row) => toRecord(scope, row));
    },

    async markDeleted(scope, id, when) {
      return markActionTypeDeleted(db, scope, id, when);
    },
  };
}

function toRecord(scope: Scope, row: ActionTypeRow): CustomActionTypeRecord {
  return {
    scope: { accountId: scope.accountId, region: scope.region },
    spec: JSON.parse(row.spec) as ActionTypeSpec,
    created: row.created,
    ...(row.deleted === null ? {} : { deleted: row.deleted }),
  };
}
