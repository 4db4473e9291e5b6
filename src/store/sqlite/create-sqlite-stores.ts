import { dirname, join, resolve } from "node:path";
import type Database from "better-sqlite3";
import { RepositoryFiles } from "../repositories/repository-files.js";
import { createRepositoryStore } from "../repositories/repository-store.js";
import type { Stores } from "../types.js";
import { openSqliteDatabase } from "./open-sqlite-database.js";
import { createSqliteActionTypeStore } from "./sqlite-action-type-store.js";
import { createSqliteBuildStore } from "./sqlite-build-store.js";
import { createSqliteConnectionStore } from "./sqlite-connection-store.js";
import { createSqliteEcsStore } from "./sqlite-ecs-store.js";
import { createSqliteFunctionStore } from "./sqlite-function-store.js";
import { createSqliteObjectStore } from "./sqlite-object-store.js";
import { createSqliteParameterStore } from "./sqlite-parameter-store.js";
import { createSqlitePipelineStore } from "./sqlite-pipeline-store.js";
import { createSqliteRegistryStore } from "./sqlite-registry-store.js";
import { createSqliteRepositoryMetadata } from "./sqlite-repository-metadata.js";
import { createSqliteRunStore } from "./sqlite-run-store.js";
import { createSqliteSecretStore } from "./sqlite-secret-store.js";
import { createSqliteTagStore } from "./sqlite-tag-store.js";
import { createSqliteWorkQueue } from "./sqlite-work-queue.js";

/**
 * Stores in one SQLite file (created if missing; its directory must exist), through one
 * connection. Opening migrates the schema and throws when the file cannot be used (see
 * open-sqlite-database.ts and migrate.ts). better-sqlite3 is synchronous, so each method does
 * its work before returning its promise: a resolved promise means the transaction committed to
 * the WAL. Several processes may open the same file; SQLite's locks serialise their writes.
 * Object bodies are files in `objects/` beside the database (sqlite/blob-files.ts), hosted git
 * repositories bare directories in `repositories/` (store/repositories/repository-files.ts).
 */
export function createSqliteStores(options: { file: string }): Stores {
  return createSqliteStoresOn(openSqliteDatabase(options.file));
}

/**
 * Stores over an already opened, migrated connection; `close` closes it. Object bodies live in
 * `blobDir`, by default the `objects` directory next to the database file, repositories in
 * `repositoryDir`, by default the `repositories` directory next to it, and registry blobs in
 * `registryDir` (default `registry`).
 */
export function createSqliteStoresOn(
  db: Database.Database,
  options: { blobDir?: string; repositoryDir?: string; registryDir?: string } = {},
): Stores {
  const repositoryDir = options.repositoryDir ?? besideDatabase(db, "repositories", "repositoryDir");
  const repositoryFiles = new RepositoryFiles(() => repositoryDir);
  repositoryFiles.sweepTemp(Date.now());
  return {
    pipelines: createSqlitePipelineStore(db),
    actionTypes: createSqliteActionTypeStore(db),
    tags: createSqliteTagStore(db),
    runs: createSqliteRunStore(db),
    queue: createSqliteWorkQueue(db),
    objects: createSqliteObjectStore(db, options.blobDir ?? besideDatabase(db, "objects", "blobDir")),
    repositories: createRepositoryStore({
      metadata: createSqliteRepositoryMetadata(db),
      files: repositoryFiles,
    }),
    connections: createSqliteConnectionStore(db),
    parameters: createSqliteParameterStore(db),
    secrets: createSqliteSecretStore(db),
    builds: createSqliteBuildStore(db),
    registry: createSqliteRegistryStore(
      db,
      options.registryDir ?? besideDatabase(db, "registry", "registryDir"),
    ),
    ecs: createSqliteEcsStore(db),
    functions: createSqliteFunctionStore(db),
    async close() {
      // better-sqlite3's close is idempotent; later calls on the stores throw "The database
      // connection is not open", which the async methods turn into rejections.
      db.close();
    },
  };
}

/** `<directory of the database>/<name>`; an in-memory database has no directory to offer. */
function besideDatabase(db: Database.Database, name: string, option: string): string {
  if (db.memory) throw new Error(`sqlite stores: an in-memory database needs an explicit ${option}`);
  return join(dirname(resolve(db.name)), name);
}
