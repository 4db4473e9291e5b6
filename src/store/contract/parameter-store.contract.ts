import { describe, expect, it } from "vitest";
import type { ParameterRecord } from "../types.js";
import { type CurrentStores, otherAccount, otherRegion, scope, T0 } from "./builders.contract.js";

const parameter = (name: string, version: number, extra: Partial<ParameterRecord> = {}): ParameterRecord => ({
  scope,
  name,
  version,
  type: "SecureString",
  sealedValue: `sealed-${name}-${version}`,
  keyId: "alias/aws/ssm",
  tier: "Standard",
  dataType: "text",
  tags: [],
  modified: T0 + version,
  modifiedBy: "tester",
  ...extra,
});

export function describeParameterStoreContract(current: CurrentStores): void {
  describe("parameters", () => {
    it("stores version 1, then each overwrite as the next version, every version readable", async () => {
      const { parameters } = current().stores;
      const first = parameter("/app/db", 1, { description: "db", tags: [{ Key: "team", Value: "a" }] });
      expect(await parameters.put(first)).toEqual({ ok: true });
      expect(await parameters.put(parameter("/app/db", 2, { type: "String" }))).toEqual({ ok: true });
      expect(await parameters.get(scope, "/app/db")).toEqual(parameter("/app/db", 2, { type: "String" }));
      expect(await parameters.get(scope, "/app/db", 1)).toEqual(first);
      expect(await parameters.get(scope, "/app/db", 3)).toBeUndefined();
      expect((await parameters.history(scope, "/app/db")).map((p) => p.version)).toEqual([1, 2]);
    });

    it("refuses a version that does not follow the current one, changing nothing", async () => {
      const { parameters } = current().stores;
      expect(await parameters.put(parameter("p", 2))).toEqual({ ok: false, reason: "VersionConflict" });
      expect(await parameters.get(scope, "p")).toBeUndefined();
      await parameters.put(parameter("p", 1));
      // Two writers that both read version 1: exactly one writes version 2.
      const results = await Promise.all([
        parameters.put(parameter("p", 2, { sealedValue: "a" })),
        parameters.put(parameter("p", 2, { sealedValue: "b" })),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await parameters.put(parameter("p", 1))).toEqual({ ok: false, reason: "VersionConflict" });
      expect((await parameters.get(scope, "p"))?.version).toBe(2);
    });

    it("keeps parameters of other regions and accounts apart", async () => {
      const { parameters } = current().stores;
      await parameters.put(parameter("shared", 1));
      await parameters.put(parameter("shared", 1, { scope: otherRegion, sealedValue: "west" }));
      expect((await parameters.get(otherRegion, "shared"))?.sealedValue).toBe("west");
      expect(await parameters.get(otherAccount, "shared")).toBeUndefined();
      expect(await parameters.remove(otherRegion, "shared")).toBe(true);
      expect((await parameters.get(scope, "shared"))?.sealedValue).toBe("sealed-shared-1");
    });

    it("keeps the latest 100 versions", async () => {
      const { parameters } = current().stores;
      for (let v = 1; v <= 102; v++) await parameters.put(parameter("busy", v));
      const history = await parameters.history(scope, "busy");
      expect(history).toHaveLength(100);
      expect(history[0]?.version).toBe(3);
      expect(await parameters.get(scope, "busy", 2)).toBeUndefined();
      expect((await parameters.get(scope, "busy", 3))?.version).toBe(3);
      expect((await parameters.get(scope, "busy"))?.version).toBe(102);
    });

    it("removes every version; the name then starts again at version 1", async () => {
      const { parameters } = current().stores;
      await parameters.put(parameter("gone", 1));
      await parameters.put(parameter("gone", 2));
      expect(await parameters.remove(scope, "gone")).toBe(true);
      expect(await parameters.remove(scope, "gone")).toBe(false);
      expect(await parameters.get(scope, "gone", 1)).toBeUndefined();
      expect(await parameters.history(scope, "gone")).toEqual([]);
      expect(await parameters.put(parameter("gone", 2))).toEqual({ ok: false, reason: "VersionConflict" });
      expect(await parameters.put(parameter("gone", 1))).toEqual({ ok: true });
    });

    it("lists current versions in byte order, page by page, within a prefix", async () => {
      const { parameters } = current().stores;
      for (const name of ["/b/2", "/a/1", "/a", "/a/2/deep", "/a0", "top", "/\u{1F600}", "/\uFFFD"]) {
        await parameters.put(parameter(name, 1));
      }
      await parameters.put(parameter("/a/1", 2));
      await parameters.put(parameter("/a/9", 1, { scope: otherRegion }));
      const names = async (options: { after?: string; prefix?: string; limit: number }) => {
        const page = await parameters.list(scope, options);
        return { names: page.items.map((p) => `${p.name}@${p.version}`), nextAfter: page.nextAfter };
      };
      expect(await names({ limit: 20 })).toEqual({
        names: ["/a@1", "/a/1@2", "/a/2/deep@1", "/a0@1", "/b/2@1", "/\uFFFD@1", "/\u{1F600}@1", "top@1"],
        nextAfter: undefined,
      });
      expect(await names({ prefix: "/a/", limit: 1 })).toEqual({ names: ["/a/1@2"], nextAfter: "/a/1" });
      expect(await names({ prefix: "/a/", after: "/a/1", limit: 1 })).toEqual({
        names: ["/a/2/deep@1"],
        nextAfter: undefined,
      });
      expect(await names({ after: "/b", limit: 2 })).toEqual({
        names: ["/b/2@1", "/\uFFFD@1"],
        nextAfter: "/\uFFFD",
      });
      expect(await names({ prefix: "/z", limit: 5 })).toEqual({ names: [], nextAfter: undefined });
      await expect(parameters.list(scope, { limit: 0 })).rejects.toThrow(RangeError);
    });

    it("keeps what it was given: editing the passed record later changes nothing", async () => {
      const { parameters } = current().stores;
      const record = { ...parameter("mine", 1), tags: [{ Key: "k", Value: "v" }] };
      await parameters.put(record);
      record.tags[0] = { Key: "k", Value: "changed" };
      expect((await parameters.get(scope, "mine"))?.tags).toEqual([{ Key: "k", Value: "v" }]);
    });
  });
}
