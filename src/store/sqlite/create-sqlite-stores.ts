import { dirname, join, resolve } from "node:path";
import type Database from "better-sqlite3";
import type { Stores } from "../types.js";
import { openSqliteDatabase } from "./open-sqlite-database.js";
import { createSqliteActionTypeStore } from "./sqlite-action-type-store.js";
import { createSqliteObjectStore } from "./sqlite-object-store.js";
import { createSqlitePipelineStore } from "./sqlite-pipeline-store.js";
import { createSqliteRunStore } from "./sqlite-run-store.js";
import { createSqliteTagStore } from "./sqlite-tag-store.js";

/**
 * Stores in one SQLite file (created if missing; its directory must exist), through one
 * connection. Opening migrates the schema and throws when the file cannot be used (see
 * open-sqlite-database.ts and migrate.ts). better-sqlite3 is synchronous, so each method does
 * its work before returning its promise: a resolved promise means the transaction committed to
 * the WAL. Several processes may open the same file; SQLite's locks serialise their writes.
 * Object bodies are files in `objects/` beside the database (sqlite/blob-files.ts).
 */
export function createSqliteStores(options: { file: string }): Stores {
  return createSqliteStoresOn(openSqliteDatabase(options.file));
}

/**
 * Stores over an already opened, migrated connection; `close` closes it. Object bodies live in
 * `blobDir`, by default the `objects` directory next to the database file.
 */
export function createSqliteStoresOn(db: Database.Database, options: { blobDir?: string } = {}): Stores {
  return {
    pipelines: createSqlitePipelineStore(db),
    actionTypes: createSqliteActionTypeStore(db),
    tags: createSqliteTagStore(db),
    runs: createSqliteRunStore(db),
    objects: createSqliteObjectStore(db, options.blobDir ?? defaultBlobDir(db)),
    async close() {
      // better-sqlite3's close is idempotent; later calls on the stores throw "The database
      // connection is not open", which the async methods turn into rejections.
      db.close();
    },
  };
}

/** `<directory of the database>/objects`; an in-memory database has no directory to offer. */
function defaultBlobDir(db: Database.Database): string {
  if (db.memory)
    throw new Error("sqlite stores: an in-memory database needs an explicit blobDir for object bodies");
  return join(dirname(resolve(db.name)), "objects");
}
