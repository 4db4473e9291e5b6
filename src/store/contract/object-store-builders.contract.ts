// Fixtures for the object store contract (a .contract.ts file, so it stays out of the build).
import { createHash } from "node:crypto";
import type { ObjectStore, ObjectVersion, PutObjectInput } from "../types.js";
import { scope, T0 } from "./builders.contract.js";

export const bucket = "artifacts";

/** A body that arrives in chunks of at most `chunkSize` bytes, as a network body would. */
export async function* bodyOf(data: string | Uint8Array, chunkSize = 7): AsyncIterable<Uint8Array> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.slice(at, at + chunkSize);
}

export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export const md5Etag = (data: string | Uint8Array) => `"${createHash("md5").update(data).digest("hex")}"`;

export async function createBucket(
  objects: ObjectStore,
  name = bucket,
  versioning?: "Enabled",
): Promise<void> {
  const created = await objects.createBucket({
    scope,
    name,
    created: T0,
    ...(versioning ? { versioning } : {}),
  });
  if (!created.ok) throw new Error(`contract fixture: bucket ${name} exists already`);
}

export async function put(
  objects: ObjectStore,
  key: string,
  data: string | Uint8Array,
  extra: Partial<PutObjectInput> = {},
): Promise<ObjectVersion> {
  const stored = await objects.putObject({ bucket, key, body: bodyOf(data), now: T0 + 1, ...extra });
  if (!stored) throw new Error(`contract fixture: bucket ${extra.bucket ?? bucket} is missing`);
  return stored;
}

/** The body of the latest version (or the given one) as text; undefined when there is none. */
export async function text(
  objects: ObjectStore,
  key: string,
  versionId?: string,
): Promise<string | undefined> {
  const got = await objects.getObject(bucket, key, versionId === undefined ? {} : { versionId });
  return got && (await readAll(got.body)).toString("utf8");
}

export async function listedKeys(
  objects: ObjectStore,
  options: { prefix?: string; startAfter?: string; limit: number },
): Promise<{ keys: string[]; truncated: boolean }> {
  const page = await objects.listObjects(bucket, options);
  return { keys: page.objects.map((o) => o.key), truncated: page.truncated };
}

/** [key, versionId or "marker", isLatest] for each listed version: easy to compare. */
export async function versionsListed(
  objects: ObjectStore,
  options: { prefix?: string; keyMarker?: string; versionIdMarker?: string; limit: number } = { limit: 1000 },
): Promise<[string, string, boolean][]> {
  return (await objects.listObjectVersions(bucket, options)).map((v) => [
    v.key,
    v.deleteMarker ? `marker:${v.versionId}` : v.versionId,
    v.isLatest,
  ]);
}
