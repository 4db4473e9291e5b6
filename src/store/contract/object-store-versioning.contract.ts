import { describe, expect, it } from "vitest";
import { type CurrentStores, T0 } from "./builders.contract.js";
import { bucket, createBucket, put, text, versionsListed } from "./object-store-builders.contract.js";

export function describeObjectStoreVersioningContract(current: CurrentStores): void {
  describe("object versioning", () => {
    it("Enabled: every put is a new version, the newest is latest, and each stays readable", async () => {
      const { objects } = current().stores;
      await createBucket(objects, bucket, "Enabled");
      const v1 = await put(objects, "k", "one");
      const v2 = await put(objects, "k", "two", { metadata: { n: "2" } });
      const v3 = await put(objects, "k", "three");
      const ids = [v1.versionId, v2.versionId, v3.versionId];
      expect(new Set(ids).size).toBe(3);
      expect(ids).not.toContain("null");
      expect([v1.isLatest, v3.isLatest]).toEqual([true, true]);
      expect(await text(objects, "k")).toBe("three");
      expect(await text(objects, "k", v1.versionId)).toBe("one");
      expect(await objects.headObject(bucket, "k", v2.versionId)).toMatchObject({
        isLatest: false,
        metadata: { n: "2" },
        size: 3,
      });
      expect(await objects.headObject(bucket, "k")).toMatchObject({
        versionId: v3.versionId,
        isLatest: true,
      });
      expect(await versionsListed(objects)).toEqual([
        ["k", v3.versionId, true],
        ["k", v2.versionId, false],
        ["k", v1.versionId, false],
      ]);
    });

    it("Enabled: delete adds a delete marker; the key is gone but older versions stay readable", async () => {
      const { objects } = current().stores;
      await createBucket(objects, bucket, "Enabled");
      const v1 = await put(objects, "k", "one");
      const marker = await objects.deleteObject(bucket, "k", T0 + 50);
      expect(marker).toMatchObject({
        key: "k",
        deleteMarker: true,
        isLatest: true,
        size: 0,
        lastModified: T0 + 50,
      });
      expect(marker!.versionId).not.toBe("null");
      expect(await objects.headObject(bucket, "k")).toBeUndefined();
      expect(await objects.getObject(bucket, "k")).toBeUndefined();
      expect(await text(objects, "k", v1.versionId)).toBe("one");
      // Asked for by id, the marker itself is found, so S3's 405 can be answered.
      expect(await objects.headObject(bucket, "k", marker!.versionId)).toMatchObject({ deleteMarker: true });
      expect((await objects.listObjects(bucket, { limit: 10 })).objects).toEqual([]);
      expect(await versionsListed(objects)).toEqual([
        ["k", `marker:${marker!.versionId}`, true],
        ["k", v1.versionId, false],
      ]);
      // S3 adds a marker even for a key that never existed.
      expect(await objects.deleteObject(bucket, "never", T0)).toMatchObject({ deleteMarker: true });
    });

    it("Enabled: delete with a version id removes that version for good; removing the marker restores the key", async () => {
      const { objects } = current().stores;
      await createBucket(objects, bucket, "Enabled");
      const v1 = await put(objects, "k", "one");
      const v2 = await put(objects, "k", "two");
      const marker = (await objects.deleteObject(bucket, "k", T0 + 60))!;
      expect(await objects.deleteObject(bucket, "k", T0, v1.versionId)).toMatchObject({
        versionId: v1.versionId,
        deleteMarker: false,
        isLatest: false,
      });
      expect(await objects.getObject(bucket, "k", { versionId: v1.versionId })).toBeUndefined();
      expect(await objects.deleteObject(bucket, "k", T0, v1.versionId)).toBeUndefined();
      expect(await objects.deleteObject(bucket, "k", T0, marker.versionId)).toMatchObject({
        deleteMarker: true,
      });
      expect(await objects.headObject(bucket, "k")).toMatchObject({
        versionId: v2.versionId,
        isLatest: true,
      });
      expect(await text(objects, "k")).toBe("two");
      // Removing the latest version makes the one before it latest.
      await objects.deleteObject(bucket, "k", T0, v2.versionId);
      expect(await objects.headObject(bucket, "k")).toBeUndefined();
      expect(await versionsListed(objects)).toEqual([]);
    });

    it("keeps the null version written before versioning was enabled", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      await put(objects, "k", "before");
      await objects.setVersioning(bucket, "Enabled");
      const after = await put(objects, "k", "after");
      expect(await versionsListed(objects)).toEqual([
        ["k", after.versionId, true],
        ["k", "null", false],
      ]);
      expect(await text(objects, "k", "null")).toBe("before");
    });

    it("Suspended: puts write version null again, replacing the null version but keeping real ones", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      await put(objects, "k", "null-1");
      await objects.setVersioning(bucket, "Enabled");
      const real = await put(objects, "k", "real");
      await objects.setVersioning(bucket, "Suspended");
      const suspended = await put(objects, "k", "null-2");
      expect([suspended.versionId, suspended.isLatest]).toEqual(["null", true]);
      expect(await versionsListed(objects)).toEqual([
        ["k", "null", true],
        ["k", real.versionId, false],
      ]);
      expect(await text(objects, "k")).toBe("null-2");
      await put(objects, "k", "null-3");
      expect(await versionsListed(objects)).toEqual([
        ["k", "null", true],
        ["k", real.versionId, false],
      ]);
      expect(await text(objects, "k", real.versionId)).toBe("real");
    });

    it("Suspended: delete adds a null delete marker in place of the null version", async () => {
      const { objects } = current().stores;
      await createBucket(objects, bucket, "Enabled");
      const real = await put(objects, "k", "real");
      await objects.setVersioning(bucket, "Suspended");
      await put(objects, "k", "null");
      const marker = await objects.deleteObject(bucket, "k", T0 + 70);
      expect(marker).toMatchObject({ versionId: "null", deleteMarker: true, isLatest: true });
      expect(await versionsListed(objects)).toEqual([
        ["k", "marker:null", true],
        ["k", real.versionId, false],
      ]);
      expect(await objects.headObject(bucket, "k")).toBeUndefined();
      await objects.deleteObject(bucket, "k", T0, "null");
      expect(await text(objects, "k")).toBe("real");
    });
  });
}
