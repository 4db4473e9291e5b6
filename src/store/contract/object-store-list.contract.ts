import { describe, expect, it } from "vitest";
import { type CurrentStores, T0 } from "./builders.contract.js";
import { bucket, createBucket, listedKeys, put, versionsListed } from "./object-store-builders.contract.js";

// UTF-8 byte order: '-' 2D, '.' 2E, '/' 2F, '0' 30, 'B' 42, 'a' 61, U+FF21 EF BC A1, U+1F600 F0 9F 98 80
// (JavaScript's UTF-16 `<` would put the emoji before U+FF21).
const keys = ["a/b", "a-b", "a.b", "a/0", "B", "a", "\uFF21", "\u{1F600}", "a/b/c", "b"];
const sorted = ["B", "a", "a-b", "a.b", "a/0", "a/b", "a/b/c", "b", "\uFF21", "\u{1F600}"];

export function describeObjectStoreListContract(current: CurrentStores): void {
  describe("object listing", () => {
    it("lists latest objects in key byte order, with prefix, startAfter, limit and truncated", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      for (const key of keys) await put(objects, key, key);
      expect(await listedKeys(objects, { limit: 100 })).toEqual({ keys: sorted, truncated: false });
      expect(await listedKeys(objects, { limit: 3 })).toEqual({ keys: ["B", "a", "a-b"], truncated: true });
      expect(await listedKeys(objects, { limit: 10 })).toEqual({ keys: sorted, truncated: false });
      expect(await listedKeys(objects, { startAfter: "a.b", limit: 2 })).toEqual({
        keys: ["a/0", "a/b"],
        truncated: true,
      });
      expect(await listedKeys(objects, { startAfter: "a.a", limit: 100 })).toMatchObject({
        keys: sorted.slice(3),
      });
      expect(await listedKeys(objects, { prefix: "a/", limit: 100 })).toEqual({
        keys: ["a/0", "a/b", "a/b/c"],
        truncated: false,
      });
      expect(await listedKeys(objects, { prefix: "a/", startAfter: "a/0", limit: 1 })).toEqual({
        keys: ["a/b"],
        truncated: true,
      });
      expect(await listedKeys(objects, { prefix: "a/", startAfter: "a/b/c", limit: 5 })).toEqual({
        keys: [],
        truncated: false,
      });
      // A startAfter before the prefix starts at the prefix; one after every key lists nothing.
      expect((await listedKeys(objects, { prefix: "a/b", startAfter: "0", limit: 5 })).keys).toEqual([
        "a/b",
        "a/b/c",
      ]);
      expect((await listedKeys(objects, { prefix: "\uFF21", limit: 5 })).keys).toEqual(["\uFF21"]);
      expect((await listedKeys(objects, { prefix: "\u{1F600}", limit: 5 })).keys).toEqual(["\u{1F600}"]);
      expect((await listedKeys(objects, { prefix: "zz", limit: 5 })).keys).toEqual([]);
      const page = await objects.listObjects(bucket, { prefix: "a/b/", limit: 5 });
      expect(page.objects).toEqual([expect.objectContaining({ key: "a/b/c", isLatest: true, size: 5 })]);
    });

    it("skips deleted keys: deleted outright, or whose latest version is a delete marker", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      for (const key of ["a", "b", "c", "d", "e"]) await put(objects, key, key);
      await objects.deleteObject(bucket, "b", T0);
      await objects.setVersioning(bucket, "Enabled");
      await objects.deleteObject(bucket, "c", T0);
      await objects.deleteObject(bucket, "d", T0);
      await put(objects, "d", "back");
      expect(await listedKeys(objects, { limit: 100 })).toEqual({ keys: ["a", "d", "e"], truncated: false });
      expect(await listedKeys(objects, { limit: 2 })).toEqual({ keys: ["a", "d"], truncated: true });
      expect(await listedKeys(objects, { startAfter: "a", limit: 2 })).toEqual({
        keys: ["d", "e"],
        truncated: false,
      });
    });

    it("lists versions by key, newest first, with prefix, limit and the key and version markers", async () => {
      const { objects } = current().stores;
      await createBucket(objects, bucket, "Enabled");
      const x1 = await put(objects, "x", "1");
      const y1 = await put(objects, "dir/y", "1");
      const x2 = await put(objects, "x", "2");
      const xMarker = (await objects.deleteObject(bucket, "x", T0 + 5))!;
      const z1 = await put(objects, "dir/z", "1");
      const all: [string, string, boolean][] = [
        ["dir/y", y1.versionId, true],
        ["dir/z", z1.versionId, true],
        ["x", `marker:${xMarker.versionId}`, true],
        ["x", x2.versionId, false],
        ["x", x1.versionId, false],
      ];
      expect(await versionsListed(objects)).toEqual(all);
      expect(await versionsListed(objects, { limit: 3 })).toEqual(all.slice(0, 3));
      expect(await versionsListed(objects, { prefix: "dir/", limit: 10 })).toEqual(all.slice(0, 2));
      expect(await versionsListed(objects, { prefix: "x", limit: 10 })).toEqual(all.slice(2));
      expect(await versionsListed(objects, { keyMarker: "dir/y", limit: 10 })).toEqual(all.slice(1));
      expect(await versionsListed(objects, { keyMarker: "dir/", limit: 10 })).toEqual(all);
      expect(
        await versionsListed(objects, { keyMarker: "x", versionIdMarker: xMarker.versionId, limit: 10 }),
      ).toEqual(all.slice(3));
      expect(
        await versionsListed(objects, { keyMarker: "x", versionIdMarker: x2.versionId, limit: 10 }),
      ).toEqual(all.slice(4));
      expect(
        await versionsListed(objects, { keyMarker: "dir/z", versionIdMarker: z1.versionId, limit: 1 }),
      ).toEqual(all.slice(2, 3));
      expect(await versionsListed(objects, { prefix: "dir/", keyMarker: "dir/z", limit: 10 })).toEqual([]);
    });
  });
}
