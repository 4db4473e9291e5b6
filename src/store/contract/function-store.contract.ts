import { describe, expect, it } from "vitest";
import type { FunctionRecord } from "../types.js";
import { type CurrentStores, otherAccount, otherRegion, scope, T0 } from "./builders.contract.js";

export const functionRecord = (
  functionName: string,
  revision = 1,
  extra: Partial<FunctionRecord> = {},
): FunctionRecord => ({
  scope,
  functionName,
  runtime: "nodejs20.x",
  handler: "index.handler",
  role: "arn:aws:iam::111111111111:role/fn",
  description: "",
  timeout: 3,
  memorySize: 128,
  environment: { STAGE: "test" },
  codeSha256: `sha-${functionName}-${revision}`,
  codeSize: 3,
  revisionId: `rev-${revision}`,
  revision,
  lastModified: T0 + revision,
  ...extra,
});

const bytes = (...values: number[]) => new Uint8Array(values);

export function describeFunctionStoreContract(current: CurrentStores): void {
  describe("functions", () => {
    it("creates a function with its code, and refuses the name a second time", async () => {
      const { functions } = current().stores;
      expect(await functions.create(functionRecord("f"), bytes(1, 2, 3))).toEqual({ ok: true });
      expect(await functions.create(functionRecord("f", 1, { runtime: "python3.12" }), bytes(9))).toEqual({
        ok: false,
        reason: "NameInUse",
      });
      expect(await functions.get(scope, "f")).toEqual(functionRecord("f"));
      expect([...((await functions.getCode(scope, "f")) ?? [])]).toEqual([1, 2, 3]);
      expect(await functions.get(scope, "g")).toBeUndefined();
      expect(await functions.getCode(scope, "g")).toBeUndefined();
    });

    it("updates the record, and the code only when given, if the revision follows", async () => {
      const { functions } = current().stores;
      await functions.create(functionRecord("f"), bytes(1));
      expect(await functions.update(functionRecord("f", 2, { timeout: 30 }))).toEqual({ ok: true });
      expect((await functions.get(scope, "f"))?.timeout).toBe(30);
      expect([...((await functions.getCode(scope, "f")) ?? [])]).toEqual([1]);
      expect(await functions.update(functionRecord("f", 3), bytes(7, 7))).toEqual({ ok: true });
      expect([...((await functions.getCode(scope, "f")) ?? [])]).toEqual([7, 7]);
      expect(await functions.update(functionRecord("f", 3))).toEqual({
        ok: false,
        reason: "RevisionConflict",
      });
      expect(await functions.update(functionRecord("nope", 2))).toEqual({ ok: false, reason: "NotFound" });
      // Two writers of the same revision: exactly one wins.
      const results = await Promise.all([
        functions.update(functionRecord("f", 4, { handler: "a.handler" })),
        functions.update(functionRecord("f", 4, { handler: "b.handler" })),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await functions.get(scope, "f"))?.revision).toBe(4);
    });

    it("lists names in byte order, a page at a time", async () => {
      const { functions } = current().stores;
      for (const name of ["b", "a", "C", "c"]) await functions.create(functionRecord(name), bytes(0));
      const first = await functions.list(scope, { limit: 3 });
      expect(first.items.map((f) => f.functionName)).toEqual(["C", "a", "b"]);
      expect(first.nextAfter).toBe("b");
      const second = await functions.list(scope, { after: "b", limit: 3 });
      expect(second).toEqual({ items: [functionRecord("c")] });
      await expect(functions.list(scope, { limit: 0 })).rejects.toThrow(/positive integer/);
    });

    it("keeps functions of other regions and accounts apart, and removes one with its code", async () => {
      const { functions } = current().stores;
      await functions.create(functionRecord("f"), bytes(1));
      await functions.create(
        functionRecord("f", 1, { scope: otherRegion, handler: "west.handler" }),
        bytes(2),
      );
      expect((await functions.get(otherRegion, "f"))?.handler).toBe("west.handler");
      expect(await functions.get(otherAccount, "f")).toBeUndefined();
      expect((await functions.list(otherAccount, { limit: 10 })).items).toEqual([]);
      expect(await functions.remove(otherRegion, "f")).toBe(true);
      expect(await functions.remove(otherRegion, "f")).toBe(false);
      expect(await functions.getCode(otherRegion, "f")).toBeUndefined();
      expect((await functions.get(scope, "f"))?.handler).toBe("index.handler");
    });

    it("keeps no reference to what it was given", async () => {
      const { functions } = current().stores;
      const environment: Record<string, string> = { A: "1" };
      const code = bytes(5);
      await functions.create(functionRecord("f", 1, { environment }), code);
      environment.A = "changed";
      code[0] = 6;
      expect((await functions.get(scope, "f"))?.environment).toEqual({ A: "1" });
      expect([...((await functions.getCode(scope, "f")) ?? [])]).toEqual([5]);
    });
  });
}
