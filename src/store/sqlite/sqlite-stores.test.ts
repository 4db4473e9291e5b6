import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeStoreContract } from "../store.contract.js";
import type { Stores } from "../types.js";
import { createSqliteStores } from "./create-sqlite-stores.js";

describeStoreContract("sqlite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pipewright-store-"));
  const file = join(dir, "pipewright.db");
  let stores: Stores = createSqliteStores({ file });
  return {
    stores,
    async reopen() {
      await stores.close();
      stores = createSqliteStores({ file });
      return stores;
    },
    async cleanup() {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
