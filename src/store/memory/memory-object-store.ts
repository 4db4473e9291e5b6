import { createHash } from "node:crypto";
import { inKeyRange, NULL_VERSION, newVersionId } from "../object-store-common.js";
import { assertPageLimit } from "../store-checks.js";
import type { BucketRecord, ObjectStore, ObjectVersion, PutObjectInput } from "../types.js";
import { compareByteOrder } from "./compare-byte-order.js";
import { frozenCopy } from "./frozen-copy.js";

/** A stored version: its record without `isLatest` (that depends on its neighbours) and its bytes. */
interface StoredVersion {
  readonly record: Omit<ObjectVersion, "isLatest">;
  readonly body: Buffer;
}

/**
 * Objects in Maps: bucket name → key → versions, newest first. Bodies are Buffers, so this store
 * suits tests, not gigabytes. Every write decides from the current state and changes it in one
 * synchronous step after the body has been read, so a body that throws changes nothing.
 */
export function createMemoryObjectStore(checkOpen: () => void): ObjectStore {
  const buckets = new Map<string, BucketRecord>();
  const objects = new Map<string, Map<string, StoredVersion[]>>();

  const versionsOf = (bucket: string, key: string) => objects.get(bucket)?.get(key) ?? [];
  const withLatest = (stored: StoredVersion, index: number): ObjectVersion =>
    frozenCopy({ ...stored.record, isLatest: index === 0 });

  function find(bucket: string, key: string, versionId?: string): [StoredVersion, number] | undefined {
    const versions = versionsOf(bucket, key);
    if (versionId === undefined) {
      const latest = versions[0];
      return latest && !latest.record.deleteMarker ? [latest, 0] : undefined;
    }
    const index = versions.findIndex((v) => v.record.versionId === versionId);
    return index < 0 ? undefined : [versions[index]!, index];
  }

  /** Puts `stored` first; with id "null" it replaces the key's earlier "null" version. */
  function addVersion(stored: StoredVersion): void {
    const { bucket, key, versionId } = stored.record;
    const keys = objects.get(bucket) ?? new Map<string, StoredVersion[]>();
    objects.set(bucket, keys);
    const kept = versionsOf(bucket, key).filter(
      (v) => versionId !== NULL_VERSION || v.record.versionId !== NULL_VERSION,
    );
    keys.set(key, [stored, ...kept]);
  }

  function removeVersion(bucket: string, key: string, index: number): void {
    const keys = objects.get(bucket)!;
    const versions = versionsOf(bucket, key).filter((_, i) => i !== index);
    if (versions.length === 0) keys.delete(key);
    else keys.set(key, versions);
  }

  return {
    async createBucket(record) {
      checkOpen();
      if (buckets.has(record.name)) return { ok: false, reason: "NameInUse" };
      buckets.set(record.name, frozenCopy(record));
      return { ok: true };
    },

    async getBucket(name) {
      checkOpen();
      return buckets.get(name);
    },

    async listBuckets(scope) {
      checkOpen();
      return [...buckets.values()]
        .filter((b) => b.scope.accountId === scope.accountId && b.scope.region === scope.region)
        .sort((a, b) => compareByteOrder(a.name, b.name));
    },

    async setVersioning(name, status) {
      checkOpen();
      const bucket = buckets.get(name);
      if (!bucket) return false;
      buckets.set(name, frozenCopy({ ...bucket, versioning: status }));
      return true;
    },

    async deleteBucket(name) {
      checkOpen();
      if (!buckets.has(name)) return "NotFound";
      if ((objects.get(name)?.size ?? 0) > 0) return "NotEmpty";
      buckets.delete(name);
      objects.delete(name);
      return "Deleted";
    },

    async putObject(input: PutObjectInput) {
      checkOpen();
      if (!buckets.has(input.bucket)) return undefined;
      const md5 = createHash("md5");
      const chunks: Buffer[] = [];
      for await (const chunk of input.body) {
        md5.update(chunk);
        chunks.push(Buffer.from(chunk));
      }
      checkOpen();
      // The bucket may have gone, or changed its versioning, while the body streamed.
      const bucket = buckets.get(input.bucket);
      if (!bucket) return undefined;
      const body = Buffer.concat(chunks);
      const record: Omit<ObjectVersion, "isLatest"> = {
        bucket: input.bucket,
        key: input.key,
        versionId: bucket.versioning === "Enabled" ? newVersionId() : NULL_VERSION,
        deleteMarker: false,
        size: body.length,
        etag: `"${md5.digest("hex")}"`,
        lastModified: input.now,
        ...(input.contentType !== undefined ? { contentType: input.contentType } : {}),
        metadata: { ...input.metadata },
      };
      addVersion({ record: frozenCopy(record), body });
      return withLatest({ record, body }, 0);
    },

    async headObject(bucket, key, versionId) {
      checkOpen();
      const found = find(bucket, key, versionId);
      return found && withLatest(...found);
    },

    async getObject(bucket, key, options = {}) {
      checkOpen();
      const found = find(bucket, key, options.versionId);
      if (!found) return undefined;
      const [stored] = found;
      const range = options.range;
      const bytes = range ? stored.body.subarray(range.start, range.end + 1) : stored.body;
      return { version: withLatest(...found), body: oneChunk(bytes) };
    },

    async deleteObject(bucket, key, now, versionId) {
      checkOpen();
      const record = buckets.get(bucket);
      if (!record) return undefined;
      if (versionId !== undefined) {
        const found = find(bucket, key, versionId);
        if (!found) return undefined;
        removeVersion(bucket, key, found[1]);
        return withLatest(...found);
      }
      if (record.versioning === undefined) {
        const found = find(bucket, key, NULL_VERSION);
        if (!found) return undefined;
        removeVersion(bucket, key, found[1]);
        return withLatest(...found);
      }
      const marker: StoredVersion = {
        record: frozenCopy({
          bucket,
          key,
          versionId: record.versioning === "Enabled" ? newVersionId() : NULL_VERSION,
          deleteMarker: true,
          size: 0,
          etag: "",
          lastModified: now,
          metadata: {},
        }),
        body: Buffer.alloc(0),
      };
      addVersion(marker);
      return withLatest(marker, 0);
    },

    async listObjects(bucket, options) {
      checkOpen();
      assertPageLimit(options.limit);
      const live = [...(objects.get(bucket) ?? new Map<string, StoredVersion[]>()).entries()]
        .filter(
          ([key, versions]) =>
            !versions[0]!.record.deleteMarker && inKeyRange(key, options, compareByteOrder),
        )
        .sort(([a], [b]) => compareByteOrder(a, b));
      return {
        objects: live.slice(0, options.limit).map(([, versions]) => withLatest(versions[0]!, 0)),
        truncated: live.length > options.limit,
      };
    },

    async listObjectVersions(bucket, options) {
      checkOpen();
      assertPageLimit(options.limit);
      const { keyMarker, versionIdMarker } = options;
      const keys = [...(objects.get(bucket)?.keys() ?? [])]
        .filter((key) => options.prefix === undefined || key.startsWith(options.prefix))
        .filter((key) => keyMarker === undefined || compareByteOrder(key, keyMarker) >= 0)
        .sort(compareByteOrder);
      const result: ObjectVersion[] = [];
      for (const key of keys) {
        let versions = versionsOf(bucket, key).map(withLatest);
        if (key === keyMarker) {
          const after = versions.findIndex((v) => v.versionId === versionIdMarker);
          versions = versionIdMarker === undefined || after < 0 ? [] : versions.slice(after + 1);
        }
        for (const version of versions) {
          if (result.length === options.limit) return result;
          result.push(version);
        }
      }
      return result;
    },
  };
}

async function* oneChunk(bytes: Buffer): AsyncIterable<Uint8Array> {
  if (bytes.length > 0) yield Uint8Array.prototype.slice.call(bytes);
}
