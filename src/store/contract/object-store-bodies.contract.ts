import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type CurrentStores, T0 } from "./builders.contract.js";
import {
  bucket,
  createBucket,
  listedKeys,
  md5Etag,
  put,
  readAll,
  text,
  versionsListed,
} from "./object-store-builders.contract.js";

/** Keys a store that turned keys into paths would get wrong; S3 stores each verbatim. */
export const hostileKeys = [
  "../../etc/passwd",
  "/abs",
  "a/../b",
  "%2e%2e/x",
  "./here",
  "dir//double",
  "trailing/",
  "back\\slash\\..\\..",
  "nul\u0000byte",
  "ünïcödé/日本語/\u{1F600}",
  "k".repeat(1024),
  "\u00e9".repeat(512),
];

const MB = 1024 * 1024;

/** `size` pseudo-random bytes in 64 KiB chunks, generated as they are read: never all in memory. */
async function* generated(size: number, digest: ReturnType<typeof createHash>): AsyncIterable<Uint8Array> {
  let seed = 12345;
  for (let sent = 0; sent < size; sent += 65536) {
    const chunk = new Uint8Array(Math.min(65536, size - sent));
    for (let i = 0; i < chunk.length; i += 4) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      chunk[i] = seed & 0xff;
      chunk[i + 1] = (seed >>> 8) & 0xff;
      chunk[i + 2] = (seed >>> 16) & 0xff;
      chunk[i + 3] = seed >>> 24;
    }
    digest.update(chunk);
    yield chunk;
  }
}

export function describeObjectStoreBodiesContract(current: CurrentStores): void {
  describe("object bodies and keys", () => {
    it("reads an inclusive byte range, clamping an end past the last byte", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      await put(objects, "k", "0123456789");
      const range = async (start: number, end: number) =>
        (await readAll((await objects.getObject(bucket, "k", { range: { start, end } }))!.body)).toString();
      expect(await range(0, 0)).toBe("0");
      expect(await range(2, 5)).toBe("2345");
      expect(await range(7, 9)).toBe("789");
      expect(await range(7, 100)).toBe("789");
      const got = await objects.getObject(bucket, "k", { range: { start: 3, end: 4 } });
      expect(got?.version.size).toBe(10);
    });

    it("stores hostile keys verbatim and reads them back", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      for (const [i, key] of hostileKeys.entries()) await put(objects, key, `body ${i}`);
      for (const [i, key] of hostileKeys.entries()) {
        expect({ key, body: await text(objects, key) }).toEqual({ key, body: `body ${i}` });
      }
      expect((await listedKeys(objects, { limit: 100 })).keys.sort()).toEqual([...hostileKeys].sort());
      // `a/../b` is not `b`, and `/abs` is not `abs`.
      expect(await objects.headObject(bucket, "b")).toBeUndefined();
      expect(await objects.headObject(bucket, "abs")).toBeUndefined();
      for (const key of hostileKeys) await objects.deleteObject(bucket, key, T0);
      expect(await versionsListed(objects)).toEqual([]);
    });

    it("streams a 20 MB body in and out", async () => {
      const { objects } = current().stores;
      await createBucket(objects);
      const sent = createHash("sha256");
      const md5 = createHash("md5");
      const size = 20 * MB + 3;
      async function* body() {
        for await (const chunk of generated(size, sent)) {
          md5.update(chunk);
          yield chunk;
        }
      }
      const stored = await objects.putObject({ bucket, key: "big", body: body(), now: T0 });
      expect(stored).toMatchObject({ size, etag: `"${md5.digest("hex")}"` });
      const got = await objects.getObject(bucket, "big");
      const received = createHash("sha256");
      let length = 0;
      for await (const chunk of got!.body) {
        received.update(chunk);
        length += chunk.length;
      }
      expect([length, received.digest("hex")]).toEqual([size, sent.digest("hex")]);
      const tail = await objects.getObject(bucket, "big", { range: { start: size - 2, end: size + 10 } });
      expect((await readAll(tail!.body)).length).toBe(2);
    });

    it("keeps buckets, versions, markers and bodies across a reopen", async ({ skip }) => {
      const { stores, reopen } = current();
      if (!reopen) skip("these stores keep nothing across a restart, so there is nothing to reopen");
      await createBucket(stores.objects, bucket, "Enabled");
      const v1 = await put(stores.objects, "k", "one", { contentType: "text/plain", metadata: { m: "1" } });
      await stores.objects.deleteObject(bucket, "k", T0 + 5);
      await stores.objects.createBucket({
        scope: { accountId: "1", region: "r" },
        name: "plain",
        created: T0,
      });
      await stores.objects.putObject({
        bucket: "plain",
        key: "../../etc/passwd",
        body: (async function* () {
          yield new TextEncoder().encode("x");
        })(),
        now: T0,
      });

      const again = await reopen!();
      expect((await again.objects.getBucket(bucket))?.versioning).toBe("Enabled");
      expect(await again.objects.headObject(bucket, "k")).toBeUndefined();
      const kept = await again.objects.getObject(bucket, "k", { versionId: v1.versionId });
      expect(kept?.version).toEqual({ ...v1, isLatest: false });
      expect((await readAll(kept!.body)).toString()).toBe("one");
      expect(
        (await again.objects.listObjectVersions(bucket, { limit: 10 })).map((v) => v.deleteMarker),
      ).toEqual([true, false]);
      const plain = await again.objects.getObject("plain", "../../etc/passwd");
      expect(plain?.version.etag).toBe(md5Etag("x"));
      expect((await readAll(plain!.body)).toString()).toBe("x");
    });
  });
}
