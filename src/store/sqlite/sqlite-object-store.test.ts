import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scope, T0 } from "../contract/builders.contract.js";
import { hostileKeys } from "../contract/object-store-bodies.contract.js";
import { bodyOf, bucket } from "../contract/object-store-builders.contract.js";
import type { Stores } from "../types.js";
import { createSqliteStores } from "./create-sqlite-stores.js";

/** Every file under `dir`, relative, with `/` separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => name.split(sep).join("/"))
    .sort();
}

const blobFile = /^data\/objects\/[0-9a-f]{2}\/[0-9a-f]{32}$/u;

describe("sqlite object store files", () => {
  let root: string;
  let stores: Stores;
  beforeEach(async () => {
    // root/data holds the store; anything written to root itself would have escaped it.
    root = mkdtempSync(join(tmpdir(), "pipewright-objects-"));
    mkdirSync(join(root, "data"));
    stores = createSqliteStores({ file: join(root, "data", "pipewright.db") });
    await stores.objects.createBucket({ scope, name: bucket, created: T0 });
  });
  afterEach(async () => {
    await stores.close();
    rmSync(root, { recursive: true, force: true });
  });

  const nonBlobFiles = () => filesUnder(root).filter((f) => !blobFile.test(f));

  it("names bodies by random ids inside its directory, whatever the key", async () => {
    for (const key of hostileKeys) {
      await stores.objects.putObject({ bucket, key, body: bodyOf(`body of ${key}`), now: T0 });
    }
    const files = filesUnder(root);
    expect(files.filter((f) => blobFile.test(f))).toHaveLength(hostileKeys.length);
    expect(nonBlobFiles().every((f) => /^data\/pipewright\.db(-wal|-shm)?$/u.test(f))).toBe(true);
    expect(files.every((f) => !relative(root, join(root, f)).startsWith(".."))).toBe(true);
  });

  it("removes a body's file when its version goes, and writes none for an empty body", async () => {
    await stores.objects.putObject({ bucket, key: "k", body: bodyOf("one"), now: T0 });
    await stores.objects.putObject({ bucket, key: "k", body: bodyOf("two"), now: T0 });
    expect(filesUnder(root).filter((f) => blobFile.test(f))).toHaveLength(1);
    await stores.objects.putObject({ bucket, key: "empty", body: bodyOf(""), now: T0 });
    expect(filesUnder(root).filter((f) => blobFile.test(f))).toHaveLength(1);
    await stores.objects.setVersioning(bucket, "Enabled");
    const v2 = await stores.objects.putObject({ bucket, key: "k", body: bodyOf("three"), now: T0 });
    await stores.objects.deleteObject(bucket, "k", T0);
    expect(filesUnder(root).filter((f) => blobFile.test(f))).toHaveLength(2);
    await stores.objects.deleteObject(bucket, "k", T0, v2!.versionId);
    await stores.objects.deleteObject(bucket, "k", T0, "null");
    expect(filesUnder(root).filter((f) => blobFile.test(f))).toEqual([]);
  });

  it("leaves no file behind when the body fails or the bucket disappears while it streams", async () => {
    async function* failing(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(100_000);
      throw new Error("client went away");
    }
    await expect(stores.objects.putObject({ bucket, key: "k", body: failing(), now: T0 })).rejects.toThrow(
      "client went away",
    );
    const objects = stores.objects;
    async function* deletesItsBucket(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(10);
      expect(await objects.deleteBucket(bucket)).toBe("Deleted");
      yield new Uint8Array(10);
    }
    expect(await objects.putObject({ bucket, key: "k", body: deletesItsBucket(), now: T0 })).toBeUndefined();
    expect(filesUnder(root).filter((f) => f.includes("objects/"))).toEqual([]);
  });

  it("keeps a body readable after its version is deleted while it streams", async () => {
    await stores.objects.putObject({ bucket, key: "k", body: bodyOf("x".repeat(300_000), 65_536), now: T0 });
    const got = await stores.objects.getObject(bucket, "k");
    await stores.objects.deleteObject(bucket, "k", T0);
    let length = 0;
    for await (const chunk of got!.body) length += chunk.length;
    expect(length).toBe(300_000);
  });

  it("removes stale temp files of a crashed writer on open, and keeps fresh ones", async () => {
    await stores.objects.putObject({ bucket, key: "k", body: bodyOf("x"), now: T0 });
    const tmp = join(root, "data", "objects", "tmp");
    writeFileSync(join(tmp, "stale.part"), "half a body");
    writeFileSync(join(tmp, "fresh.part"), "being written");
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(tmp, "stale.part"), twoHoursAgo, twoHoursAgo);
    await stores.close();
    stores = createSqliteStores({ file: join(root, "data", "pipewright.db") });
    expect(readdirSync(tmp)).toEqual(["fresh.part"]);
  });
});
