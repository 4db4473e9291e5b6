import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeFunctionStoreContract } from "../contract/function-store.contract.js";
import { createMemoryStores } from "../memory/create-memory-stores.js";
import type { OpenedStores } from "../store.contract.js";
import { createSqliteStoresOn } from "./create-sqlite-stores.js";
import { migrate } from "./migrate.js";
import { migrations } from "./migrations/index.js";

// The function store's contract on both implementations, on its own.
function openSqlite(): OpenedStores {
  const dir = mkdtempSync(join(tmpdir(), "pipewright-functions-"));
  const db = new Database(join(dir, "pipewright.db"));
  db.pragma("journal_mode = WAL");
  migrate(db, migrations);
  const stores = createSqliteStoresOn(db);
  return {
    stores,
    async cleanup() {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

for (const [name, open] of [
  [
    "memory",
    (): OpenedStores => {
      const stores = createMemoryStores();
      return { stores, cleanup: () => stores.close() };
    },
  ],
  ["sqlite", openSqlite],
] as const) {
  describe(`${name} function store`, () => {
    let opened: OpenedStores | undefined;
    beforeEach(() => {
      opened = open();
    });
    afterEach(async () => {
      await opened?.cleanup();
    });
    describeFunctionStoreContract(() => {
      if (!opened) throw new Error("no stores open");
      return opened;
    });
  });
}

describe("migration 0011", () => {
  it("is numbered 11 and creates the functions table", () => {
    const entry = migrations.find((m) => m.name === "0011-functions");
    expect(entry?.version).toBe(11);
    const db = new Database(":memory:");
    migrate(db, migrations);
    const columns = db.prepare("SELECT name FROM pragma_table_info('functions')").all() as { name: string }[];
    expect(columns.map((c) => c.name)).toEqual([
      "account_id",
      "region",
      "name",
      "revision",
      "record",
      "code",
    ]);
    db.close();
  });
});
