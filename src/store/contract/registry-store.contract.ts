import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RegistryRepositoryRecord, RegistryStore } from "../registry-store-types.js";
import { type CurrentStores, otherRegion, scope, T0 } from "./builders.contract.js";

const sha = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
const uploadId = () => randomBytes(16).toString("hex");
async function* chunks(...parts: Uint8Array[]) {
  for (const part of parts) yield part;
}
async function* failing(part: Uint8Array): AsyncGenerator<Uint8Array> {
  yield part;
  throw new Error("client went away");
}
async function readAll(body: AsyncIterable<Uint8Array> | undefined): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of body ?? []) out.push(Buffer.from(c));
  return Buffer.concat(out);
}

export function repositoryRecord(name: string, extra: Partial<RegistryRepositoryRecord> = {}) {
  return {
    scope,
    name,
    created: T0,
    imageTagMutability: "MUTABLE",
    scanOnPush: false,
    encryptionType: "AES256",
    ...extra,
  } satisfies RegistryRepositoryRecord;
}

/** Uploads `bytes` into a repository in two chunks and returns its digest. */
async function pushBlob(registry: RegistryStore, repo: string, bytes: Uint8Array): Promise<string> {
  const id = uploadId();
  expect(await registry.startUpload(scope, repo, id, T0)).toEqual({ ok: true });
  const half = Math.floor(bytes.length / 2);
  await registry.appendUpload(id, chunks(bytes.subarray(0, half)), { start: 0, now: T0 });
  const digest = sha(bytes);
  const done = await registry.completeUpload(id, digest, chunks(bytes.subarray(half)), T0);
  expect(done).toMatchObject({ ok: true, size: bytes.length });
  return digest;
}

function manifestOf(config: string, layers: string[]) {
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, config, layers }));
  return { body, digest: sha(body) };
}

export function describeRegistryStoreContract(current: CurrentStores): void {
  describe("registry store", () => {
    const registry = () => current().stores.registry;

    it("keeps repository names unique per scope and lists them in name order", async () => {
      expect(await registry().createRepository(repositoryRecord("b/app"))).toEqual({ ok: true });
      expect(await registry().createRepository(repositoryRecord("a"))).toEqual({ ok: true });
      expect(await registry().createRepository(repositoryRecord("a"))).toEqual({
        ok: false,
        reason: "NameInUse",
      });
      expect(await registry().createRepository({ ...repositoryRecord("a"), scope: otherRegion })).toEqual({
        ok: true,
      });
      const page = await registry().listRepositories(scope, { limit: 1 });
      expect(page).toMatchObject({ items: [{ name: "a" }], nextAfter: "a" });
      const rest = await registry().listRepositories(scope, { after: "a", limit: 5 });
      expect(rest.items.map((r) => r.name)).toEqual(["b/app"]);
      expect(rest.nextAfter).toBeUndefined();
    });

    it("stores a blob uploaded in chunks only when its bytes hash to the digest given", async () => {
      await registry().createRepository(repositoryRecord("app"));
      const bytes = randomBytes(70_000);
      const digest = await pushBlob(registry(), "app", bytes);
      expect(await registry().statBlob(scope, "app", digest)).toEqual({ size: 70_000 });
      expect((await readAll(await registry().readBlob(scope, "app", digest))).equals(bytes)).toBe(true);
      const range = await readAll(await registry().readBlob(scope, "app", digest, { start: 10, end: 19 }));
      expect(range.equals(bytes.subarray(10, 20))).toBe(true);

      const id = uploadId();
      await registry().startUpload(scope, "app", id, T0);
      await registry().appendUpload(id, chunks(Buffer.from("not what was promised")), { now: T0 });
      const wrong = await registry().completeUpload(id, sha(Buffer.from("other")), undefined, T0);
      expect(wrong).toMatchObject({ ok: false, reason: "DigestMismatch" });
      expect(
        await registry().statBlob(scope, "app", sha(Buffer.from("not what was promised"))),
      ).toBeUndefined();
      expect(await registry().getUpload(id)).toBeUndefined();
    });

    it("refuses a chunk that does not start where the upload ends, and forgets a failed chunk", async () => {
      await registry().createRepository(repositoryRecord("app"));
      const id = uploadId();
      await registry().startUpload(scope, "app", id, T0);
      expect(await registry().appendUpload(id, chunks(Buffer.from("abc")), { start: 0, now: T0 })).toEqual({
        ok: true,
        size: 3,
      });
      expect(await registry().appendUpload(id, chunks(Buffer.from("x")), { start: 0, now: T0 })).toEqual({
        ok: false,
        reason: "RangeMismatch",
        size: 3,
      });
      await expect(registry().appendUpload(id, failing(Buffer.from("zzzz")), { now: T0 })).rejects.toThrow(
        "client went away",
      );
      expect((await registry().getUpload(id))?.size).toBe(3);
      const done = await registry().completeUpload(
        id,
        sha(Buffer.from("abcdef")),
        chunks(Buffer.from("def")),
        T0,
      );
      expect(done).toMatchObject({ ok: true, size: 6 });
    });

    it("shows a blob only to repositories it was uploaded or mounted into", async () => {
      await registry().createRepository(repositoryRecord("one"));
      await registry().createRepository(repositoryRecord("two"));
      const digest = await pushBlob(registry(), "one", randomBytes(100));
      expect(await registry().statBlob(scope, "two", digest)).toBeUndefined();
      expect(await registry().readBlob(scope, "two", digest)).toBeUndefined();
      expect(await registry().mountBlob(scope, "two", digest, "missing", T0)).toBeUndefined();
      expect(await registry().mountBlob(scope, "two", digest, "one", T0)).toEqual({ size: 100 });
      expect(await registry().statBlob(scope, "two", digest)).toEqual({ size: 100 });
    });

    it("stores a manifest with its tag only when every blob it names is there", async () => {
      await registry().createRepository(repositoryRecord("app"));
      const config = await pushBlob(registry(), "app", Buffer.from("{}"));
      const layer = await pushBlob(registry(), "app", randomBytes(500));
      const missing = sha(Buffer.from("never uploaded"));
      const bad = manifestOf(config, [layer, missing]);
      const refused = await registry().putManifest({
        scope,
        repositoryName: "app",
        digest: bad.digest,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        body: bad.body,
        blobs: [config, layer, missing],
        manifests: [],
        tag: "latest",
        now: T0,
      });
      expect(refused).toEqual({ ok: false, reason: "BlobsUnknown", digests: [missing] });
      expect(await registry().getManifest(scope, "app", { tag: "latest" })).toBeUndefined();

      const good = manifestOf(config, [layer]);
      const put = { ...putOf(good, [config, layer]), tag: "latest" };
      expect(await registry().putManifest(put)).toEqual({ ok: true, created: true });
      const stored = await registry().getManifest(scope, "app", { tag: "latest" });
      expect(stored?.digest).toBe(good.digest);
      expect(Buffer.from(stored!.body).equals(good.body)).toBe(true);
      const image = await registry().getImage(scope, "app", { digest: good.digest });
      expect(image).toMatchObject({ tags: ["latest"], size: 502, pushedAt: T0 });
    });

    it("moves a mutable tag, and refuses to move an immutable one", async () => {
      await registry().createRepository(repositoryRecord("mut"));
      await registry().createRepository(repositoryRecord("imm", { imageTagMutability: "IMMUTABLE" }));
      for (const repo of ["mut", "imm"]) {
        const a = manifestOf(await pushBlob(registry(), repo, Buffer.from("a")), []);
        const b = manifestOf(await pushBlob(registry(), repo, Buffer.from("b")), []);
        const blobsA = [JSON.parse(a.body.toString()).config as string];
        const blobsB = [JSON.parse(b.body.toString()).config as string];
        expect(await registry().putManifest({ ...putOf(a, blobsA, repo), tag: "v1" })).toMatchObject({
          ok: true,
        });
        const moved = await registry().putManifest({ ...putOf(b, blobsB, repo), tag: "v1" });
        if (repo === "mut") expect(moved).toEqual({ ok: true, created: true, previousDigest: a.digest });
        else expect(moved).toEqual({ ok: false, reason: "TagImmutable", digest: a.digest });
        // Re-pushing the same manifest under the same tag is fine either way.
        expect(await registry().putManifest({ ...putOf(a, blobsA, repo), tag: "v1" })).toMatchObject({
          ok: true,
        });
      }
    });

    it("deletes images by digest or by their last tag, never one an index names", async () => {
      await registry().createRepository(repositoryRecord("app"));
      const config = await pushBlob(registry(), "app", Buffer.from("cfg"));
      const image = manifestOf(config, []);
      await registry().putManifest({ ...putOf(image, [config]), tag: "v1" });
      await registry().putManifest({ ...putOf(image, [config]), tag: "v2" });
      const indexBody = Buffer.from(JSON.stringify({ manifests: [image.digest] }));
      const index = { body: indexBody, digest: sha(indexBody) };
      expect(
        await registry().putManifest({ ...putOf(index, []), manifests: [image.digest], tag: "multi" }),
      ).toEqual({
        ok: true,
        created: true,
      });
      expect((await registry().getImage(scope, "app", { tag: "multi" }))?.size).toBe(3);
      expect(await registry().deleteImage(scope, "app", image.digest)).toBe("ReferencedByIndex");
      expect(await registry().removeTag(scope, "app", "v1")).toEqual({ digest: image.digest });
      expect(await registry().removeTag(scope, "app", "v1")).toBeUndefined();
      expect((await registry().listTags(scope, "app", { limit: 10 })).items).toEqual(["multi", "v2"]);
      expect(await registry().deleteImage(scope, "app", index.digest)).toBe("Deleted");
      expect(await registry().removeTag(scope, "app", "v2")).toEqual({ digest: image.digest });
      expect(await registry().getImage(scope, "app", { digest: image.digest })).toBeUndefined();
    });

    it("lists images by tag status, a page at a time", async () => {
      await registry().createRepository(repositoryRecord("app"));
      const digests: string[] = [];
      for (const [i, tag] of ["t1", undefined, "t3"].entries()) {
        const config = await pushBlob(registry(), "app", Buffer.from(`c${i}`));
        const m = manifestOf(config, []);
        await registry().putManifest({ ...putOf(m, [config]), ...(tag ? { tag } : {}) });
        digests.push(m.digest);
      }
      const tagged = await registry().listImages(scope, "app", { limit: 10, tagStatus: "TAGGED" });
      expect(tagged.items.flatMap((i) => i.tags).sort()).toEqual(["t1", "t3"]);
      const untagged = await registry().listImages(scope, "app", { limit: 10, tagStatus: "UNTAGGED" });
      expect(untagged.items.map((i) => i.digest)).toEqual([digests[1]]);
      const first = await registry().listImages(scope, "app", { limit: 2 });
      const second = await registry().listImages(scope, "app", { limit: 2, after: first.nextAfter! });
      expect([...first.items, ...second.items].map((i) => i.digest)).toEqual([...digests].sort());
    });

    it("refuses to delete a repository holding images unless forced, and then forgets everything", async () => {
      await registry().createRepository(repositoryRecord("app"));
      const config = await pushBlob(registry(), "app", Buffer.from("x"));
      await registry().putManifest({ ...putOf(manifestOf(config, []), [config]), tag: "latest" });
      expect(await registry().deleteRepository(scope, "app", false)).toEqual({
        ok: false,
        reason: "NotEmpty",
      });
      expect(await registry().deleteRepository(scope, "app", true)).toMatchObject({
        ok: true,
        record: { name: "app" },
      });
      expect(await registry().deleteRepository(scope, "app", true)).toEqual({
        ok: false,
        reason: "NotFound",
      });
      await registry().createRepository(repositoryRecord("app"));
      expect(await registry().statBlob(scope, "app", config)).toBeUndefined();
      expect((await registry().listTags(scope, "app", { limit: 5 })).items).toEqual([]);
    });

    it("collects blobs nothing references once the grace period is over, and keeps the rest", async () => {
      await registry().createRepository(repositoryRecord("app"));
      const kept = await pushBlob(registry(), "app", Buffer.from("kept config"));
      const loose = await pushBlob(registry(), "app", randomBytes(1000));
      await registry().putManifest({ ...putOf(manifestOf(kept, []), [kept]), tag: "latest" });
      const idle = uploadId();
      await registry().startUpload(scope, "app", idle, T0);
      const early = await registry().collectGarbage({
        now: T0 + 1000,
        uploadGraceMs: 60_000,
        blobGraceMs: 60_000,
      });
      expect(early).toEqual({ uploadsRemoved: 0, linksRemoved: 0, blobsRemoved: 0, bytesRemoved: 0 });
      const late = await registry().collectGarbage({
        now: T0 + 120_000,
        uploadGraceMs: 60_000,
        blobGraceMs: 60_000,
      });
      expect(late).toEqual({ uploadsRemoved: 1, linksRemoved: 1, blobsRemoved: 1, bytesRemoved: 1000 });
      expect(await registry().statBlob(scope, "app", loose)).toBeUndefined();
      expect(await registry().statBlob(scope, "app", kept)).toEqual({ size: 11 });
      expect(await registry().getUpload(idle)).toBeUndefined();
    });
  });
}

function putOf(m: { body: Buffer; digest: string }, blobs: string[], repositoryName = "app") {
  return {
    scope,
    repositoryName,
    digest: m.digest,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    body: m.body,
    blobs,
    manifests: [],
    now: T0,
  };
}
