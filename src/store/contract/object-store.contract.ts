import { describe, expect, it } from "vitest";
import {
  type CurrentStores,
  otherAccount,
  otherRegion,
  scope,
  T0,
  tryToMutate,
} from "./builders.contract.js";
import { describeObjectStoreBodiesContract } from "./object-store-bodies.contract.js";
import {
  bodyOf,
  bucket,
  createBucket,
  md5Etag,
  put,
  readAll,
  text,
  versionsListed,
} from "./object-store-builders.contract.js";
import { describeObjectStoreListContract } from "./object-store-list.contract.js";
import { describeObjectStoreVersioningContract } from "./object-store-versioning.contract.js";

/** ObjectStore's behaviour (types.ts states it in words): buckets, objects, versions, listing, bodies. */
export function describeObjectStoreContract(current: CurrentStores): void {
  describe("objects", () => {
    describeBucketContract(current);
    describeUnversionedContract(current);
    describeObjectStoreVersioningContract(current);
    describeObjectStoreListContract(current);
    describeObjectStoreBodiesContract(current);
  });
}

function describeBucketContract(current: CurrentStores): void {
  describe("buckets", () => {
    it("creates a bucket once: names are global, whatever the scope", async () => {
      const { objects } = current().stores;
      expect(await objects.createBucket({ scope, name: "b1", created: T0 })).toEqual({ ok: true });
      expect(await objects.createBucket({ scope, name: "b1", created: T0 + 1 })).toEqual({
        ok: false,
        reason: "NameInUse",
      });
      expect(await objects.createBucket({ scope: otherRegion, name: "b1", created: T0 })).toEqual({
        ok: false,
        reason: "NameInUse",
      });
      expect(await objects.getBucket("b1")).toEqual({ scope, name: "b1", created: T0 });
      expect(await objects.getBucket("missing")).toBeUndefined();
    });

    it("lists the buckets of one scope in byte order", async () => {
      const { objects } = current().stores;
      for (const name of ["zeta", "alpha", "Mid", "beta.x"])
        await objects.createBucket({ scope, name, created: T0 });
      await objects.createBucket({ scope: otherRegion, name: "west", created: T0 });
      await objects.createBucket({ scope: otherAccount, name: "theirs", created: T0 });
      expect((await objects.listBuckets(scope)).map((b) => b.name)).toEqual([
        "Mid",
        "alpha",
        "beta.x",
        "zeta",
      ]);
      expect((await objects.listBuckets(otherRegion)).map((b) => b.name)).toEqual(["west"]);
      expect(await objects.listBuckets({ accountId: "333333333333", region: "us-east-1" })).toEqual([]);
    });

    it("records the versioning status, and refuses to set it on a missing bucket", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      expect(await objects.setVersioning(bucket, "Enabled")).toBe(true);
      expect((await objects.getBucket(bucket))?.versioning).toBe("Enabled");
      expect(await objects.setVersioning(bucket, "Suspended")).toBe(true);
      expect((await objects.getBucket(bucket))?.versioning).toBe("Suspended");
      expect(await objects.setVersioning("missing", "Enabled")).toBe(false);
      await objects.createBucket({ scope, name: "born-versioned", created: T0, versioning: "Enabled" });
      expect((await objects.getBucket("born-versioned"))?.versioning).toBe("Enabled");
    });

    it("deletes only an empty bucket: objects and delete markers both count", async () => {
      const { objects } = current().stores;
      expect(await objects.deleteBucket(bucket)).toBe("NotFound");
      await createBucket(objects);
      await put(objects, "a", "1");
      expect(await objects.deleteBucket(bucket)).toBe("NotEmpty");
      await objects.setVersioning(bucket, "Enabled");
      await objects.deleteObject(bucket, "a", T0 + 2);
      await objects.deleteObject(bucket, "a", T0 + 3, "null");
      expect(await versionsListed(objects)).toEqual([["a", expect.stringMatching(/^marker:/), true]]);
      expect(await objects.deleteBucket(bucket)).toBe("NotEmpty");
      const [marker] = await objects.listObjectVersions(bucket, { limit: 10 });
      await objects.deleteObject(bucket, "a", T0 + 4, marker!.versionId);
      expect(await objects.deleteBucket(bucket)).toBe("Deleted");
      expect(await objects.getBucket(bucket)).toBeUndefined();
      expect(await objects.deleteBucket(bucket)).toBe("NotFound");
      // The name is free again, and the new bucket starts empty.
      await createBucket(objects);
      expect(await objects.headObject(bucket, "a")).toBeUndefined();
    });
  });
}

function describeUnversionedContract(current: CurrentStores): void {
  describe("objects without versioning", () => {
    it("stores a body with its ETag, size, content type and metadata, under version id null", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      const stored = await put(objects, "dir/app.zip", "hello, world", {
        contentType: "application/zip",
        metadata: { team: "platform", "build-id": "42" },
        now: T0 + 5,
      });
      const expected = {
        bucket,
        key: "dir/app.zip",
        versionId: "null",
        isLatest: true,
        deleteMarker: false,
        size: 12,
        etag: md5Etag("hello, world"),
        lastModified: T0 + 5,
        contentType: "application/zip",
        metadata: { team: "platform", "build-id": "42" },
      };
      expect(stored).toEqual(expected);
      expect(await objects.headObject(bucket, "dir/app.zip")).toEqual(expected);
      expect(await objects.headObject(bucket, "dir/app.zip", "null")).toEqual(expected);
      const got = await objects.getObject(bucket, "dir/app.zip");
      expect(got?.version).toEqual(expected);
      expect((await readAll(got!.body)).toString()).toBe("hello, world");
    });

    it("stores an empty body, and leaves contentType out when none was given", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      const stored = await put(objects, "empty", "");
      expect([stored.size, stored.etag, stored.metadata]).toEqual([0, md5Etag(""), {}]);
      expect(stored).not.toHaveProperty("contentType");
      expect(await text(objects, "empty")).toBe("");
    });

    it("replaces the object on a second put, keeping one version", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      await put(objects, "k", "first", { metadata: { a: "1" } });
      const second = await put(objects, "k", "second");
      expect(second.metadata).toEqual({});
      expect(await text(objects, "k")).toBe("second");
      expect(await versionsListed(objects)).toEqual([["k", "null", true]]);
    });

    it("deletes the object outright: no delete marker, and deleting again finds nothing", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      await put(objects, "k", "body");
      expect(await objects.deleteObject(bucket, "k", T0 + 9)).toMatchObject({
        versionId: "null",
        deleteMarker: false,
      });
      expect(await objects.headObject(bucket, "k")).toBeUndefined();
      expect(await objects.getObject(bucket, "k")).toBeUndefined();
      expect(await versionsListed(objects)).toEqual([]);
      expect(await objects.deleteObject(bucket, "k", T0 + 10)).toBeUndefined();
      expect(await objects.deleteBucket(bucket)).toBe("Deleted");
    });

    it("answers undefined for a missing bucket, key or version", async () => {
      const { objects } = current().stores;
      expect(
        await objects.putObject({ bucket: "nope", key: "k", body: bodyOf("x"), now: T0 }),
      ).toBeUndefined();
      expect(await objects.deleteObject("nope", "k", T0)).toBeUndefined();
      await createBucket(objects);
      await put(objects, "k", "x");
      expect(await objects.headObject(bucket, "other")).toBeUndefined();
      expect(await objects.headObject(bucket, "k", "no-such-version")).toBeUndefined();
      expect(await objects.getObject(bucket, "k", { versionId: "no-such-version" })).toBeUndefined();
      expect(await objects.deleteObject(bucket, "k", T0, "no-such-version")).toBeUndefined();
      expect(await text(objects, "k")).toBe("x");
    });

    it("stores nothing when the body fails, and rejects with the body's own error", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      await put(objects, "k", "kept");
      const refused = new Error("checksum mismatch");
      async function* failing(): AsyncIterable<Uint8Array> {
        yield new TextEncoder().encode("partial bytes");
        throw refused;
      }
      await expect(objects.putObject({ bucket, key: "k", body: failing(), now: T0 })).rejects.toBe(refused);
      await expect(objects.putObject({ bucket, key: "new", body: failing(), now: T0 })).rejects.toBe(refused);
      expect(await text(objects, "k")).toBe("kept");
      expect(await objects.headObject(bucket, "new")).toBeUndefined();
      expect(await versionsListed(objects)).toEqual([["k", "null", true]]);
    });

    it("keeps stored records apart from what callers hand in and get back", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      const metadata: Record<string, string> = { a: "1" };
      await objects.putObject({ bucket, key: "k", body: bodyOf("x"), metadata, now: T0 });
      metadata.a = "edited input";
      const got = await objects.headObject(bucket, "k");
      tryToMutate(() => {
        (got!.metadata as Record<string, string>).a = "edited output";
      });
      expect((await objects.headObject(bucket, "k"))?.metadata).toEqual({ a: "1" });
    });

    it("rejects calls after close", async () => {
      const { stores } = current();
      await createBucket(stores.objects);
      await stores.close();
      await expect(stores.objects.getBucket(bucket)).rejects.toThrow();
      await expect(
        stores.objects.putObject({ bucket, key: "k", body: bodyOf("x"), now: T0 }),
      ).rejects.toThrow();
      await expect(stores.objects.listObjects(bucket, { limit: 1 })).rejects.toThrow();
    });
  });
}
