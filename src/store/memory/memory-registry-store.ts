import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import type { RegistryStore } from "../registry-store-types.js";
import { openSqliteDatabase } from "../sqlite/open-sqlite-database.js";
import { createSqliteRegistryStore } from "../sqlite/sqlite-registry-store.js";

/**
 * The registry for the memory stores: the SQLite registry store over an in-memory database, its
 * blobs in a temp directory that `close` deletes. Blobs run to gigabytes and their digests must
 * be checked as they stream, which is exactly what the file-backed code does; using it here
 * means both stores pass the contract for the same reasons. Created on first use, so tests that
 * never touch images pay nothing.
 */
export function createMemoryRegistryStore(checkOpen: () => void): {
  readonly registry: RegistryStore;
  readonly close: () => void;
} {
  let opened: { db: Database.Database; dir: string; store: RegistryStore } | undefined;
  const store = (): RegistryStore => {
    checkOpen();
    if (!opened) {
      const db = openSqliteDatabase(":memory:");
      const dir = mkdtempSync(join(tmpdir(), "pipewright-registry-"));
      opened = { db, dir, store: createSqliteRegistryStore(db, dir) };
    }
    return opened.store;
  };
  const registry = new Proxy({} as RegistryStore, {
    get:
      (_target, method: keyof RegistryStore) =>
      (...args: unknown[]) =>
        (store()[method] as (...a: unknown[]) => unknown)(...args),
  });
  return {
    registry,
    close() {
      if (!opened) return;
      opened.db.close();
      rmSync(opened.dir, { recursive: true, force: true });
    },
  };
}
