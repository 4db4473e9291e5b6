import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ActionTypeSpec } from "../../model/action-types/action-type.js";
import type { Stores } from "../types.js";
import { createSqliteStoresOn } from "./create-sqlite-stores.js";
import { openSqliteDatabase } from "./open-sqlite-database.js";
import { preparedSql } from "./prepared.js";

const scope = { accountId: "111111111111", region: "us-east-1" };
const spec: ActionTypeSpec = {
  id: { category: "Build", owner: "Custom", provider: "Builder", version: "1" },
  actionConfigurationProperties: [],
  inputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
  outputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
  executable: false,
};

/** Calls every method, so that every query the stores use gets prepared. */
async function exercise(stores: Stores): Promise<void> {
  const declaration = { name: "app", roleArn: "arn:aws:iam::1:role/r", stages: [] };
  await stores.pipelines.create({ scope, name: "app", version: 1, declaration, created: 0, updated: 0 });
  await stores.pipelines.update(scope, "app", 1, declaration, 1);
  await stores.pipelines.get(scope, "app");
  await stores.pipelines.get(scope, "app", 1);
  await stores.pipelines.list(scope, { limit: 10 });
  await stores.pipelines.list(scope, { after: "a", limit: 10 });
  await stores.pipelines.count(scope);
  await stores.pipelines.remove(scope, "app");
  await stores.actionTypes.create({ scope, spec, created: 0 });
  await stores.actionTypes.get(scope, spec.id);
  await stores.actionTypes.list(scope);
  await stores.actionTypes.markDeleted(scope, spec.id, 1);
  await stores.tags.put("arn", [{ key: "k", value: "v" }]);
  await stores.tags.get("arn");
}

describe("sqlite query plans", () => {
  it("answers every query the stores prepare through a primary key, without a scan or a sort", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pipewright-plans-"));
    const db = openSqliteDatabase(join(dir, "pipewright.db"));
    try {
      await exercise(createSqliteStoresOn(db));
      const statements = preparedSql(db);
      expect(statements.length).toBeGreaterThanOrEqual(17);
      for (const sql of statements) {
        const parameters = Array.from(sql.matchAll(/\?/g), () => null);
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[])
          .map((row) => row.detail)
          .join("; ");
        // A table scan (SCAN) or a sort (TEMP B-TREE) would make list cost grow with the number of
        // pipelines instead of the page size. Inserts have no plan at all.
        expect({ sql, plan }).toEqual({ sql, plan: expect.not.stringMatching(/\bSCAN\b|TEMP B-TREE/) });
        if (!/^\s*INSERT/.test(sql))
          expect({ sql, plan }).toEqual({ sql, plan: expect.stringMatching(/PRIMARY KEY|INDEX/) });
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
