import type Database from "better-sqlite3";
import { listKeyOf, parseDateKey, type RepositoryMetadata } from "../repositories/repository-metadata.js";
import {
  deleteRepository,
  insertRepository,
  type RepositoryPosition,
  selectRepository,
  selectRepositoryPage,
  toRepositoryRecord,
  updatePushed,
} from "./repository-queries.js";

/**
 * Repository records in the `repositories` table (migration 0004). Every method is one
 * statement, so each is atomic without a transaction of its own.
 */
export function createSqliteRepositoryMetadata(db: Database.Database): RepositoryMetadata {
  return {
    checkOpen() {
      if (!db.open) throw new TypeError("The database connection is not open");
    },

    async insert(record) {
      return insertRepository(db, record) ? { ok: true } : { ok: false, reason: "NameInUse" };
    },

    async get(scope, name) {
      const row = selectRepository(db, scope, name);
      return row && toRepositoryRecord(row);
    },

    async list(scope, options) {
      const sortBy = options.sortBy ?? "repositoryName";
      const position: RepositoryPosition =
        sortBy === "repositoryName"
          ? { sortBy, ...(options.after === undefined ? {} : { name: options.after }) }
          : { sortBy, ...(options.after === undefined ? {} : parseDateKey(options.after)) };
      // One row more than asked for tells whether another page follows.
      const rows = selectRepositoryPage(db, scope, position, options.descending ?? false, options.limit + 1);
      const items = rows.slice(0, options.limit).map(toRepositoryRecord);
      const last = items.at(-1);
      return rows.length > options.limit && last ? { items, nextAfter: listKeyOf(last, sortBy) } : { items };
    },

    async delete(scope, name, repositoryId) {
      const row = deleteRepository(db, scope, name, repositoryId);
      return row && toRepositoryRecord(row);
    },

    async recordPush(scope, name, repositoryId, change) {
      const row = updatePushed(
        db,
        scope,
        name,
        repositoryId,
        change.lastModified,
        change.defaultBranch ?? null,
      );
      return row && toRepositoryRecord(row);
    },
  };
}
