import type Database from "better-sqlite3";
import { compareByteOrder } from "../memory/compare-byte-order.js";
import { prefixUpperBound } from "../object-store-common.js";
import { assertPageLimit } from "../store-checks.js";
import type { BucketRecord, ObjectStore, ObjectVersion } from "../types.js";
import type { BlobFiles } from "./blob-files.js";
import {
  type BucketRow,
  type KeyRange,
  type NewVersionRow,
  selectLatest,
  selectLivePage,
  selectOlderVersions,
  selectVersion,
  selectVersionPage,
  type VersionRow,
} from "./object-queries.js";

type ObjectReads = Pick<ObjectStore, "headObject" | "getObject" | "listObjects" | "listObjectVersions">;

/** The read side of the SQLite object store: single statements, so no transactions. */
export function createObjectReads(db: Database.Database, blobs: BlobFiles): ObjectReads {
  /** The version asked for, with whether it is the newest; a latest delete marker is no object. */
  function find(bucket: string, key: string, versionId?: string): [VersionRow, boolean] | undefined {
    const latest = selectLatest(db, bucket, key);
    if (versionId === undefined) return latest && !latest.delete_marker ? [latest, true] : undefined;
    const row = selectVersion(db, bucket, key, versionId);
    return row && [row, row.seq === latest?.seq];
  }

  /** Finds and opens in one synchronous step, so no delete in this process can come between. */
  function findAndOpen(
    bucket: string,
    key: string,
    options: { versionId?: string; range?: { start: number; end: number } },
  ): { version: ObjectVersion; body: AsyncIterable<Uint8Array> } | undefined {
    const found = find(bucket, key, options.versionId);
    if (!found) return undefined;
    const [row, isLatest] = found;
    const start = options.range?.start ?? 0;
    const end = Math.min(options.range?.end ?? row.size - 1, row.size - 1);
    const body = row.blob === null || start > end ? empty() : blobs.openRange(row.blob, { start, end });
    return { version: toVersion(row, isLatest), body };
  }

  return {
    async headObject(bucket, key, versionId) {
      const found = find(bucket, key, versionId);
      return found && toVersion(...found);
    },

    async getObject(bucket, key, options = {}) {
      try {
        return findAndOpen(bucket, key, options);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        // Another process deleted the version between our read and our open: read again.
        return findAndOpen(bucket, key, options);
      }
    },

    async listObjects(bucket, options) {
      assertPageLimit(options.limit);
      const rows = selectLivePage(
        db,
        bucket,
        keyRange(options.prefix, options.startAfter),
        options.limit + 1,
      );
      return {
        objects: rows.slice(0, options.limit).map((row) => toVersion(row, true)),
        truncated: rows.length > options.limit,
      };
    },

    async listObjectVersions(bucket, options) {
      assertPageLimit(options.limit);
      const { prefix, keyMarker, versionIdMarker, limit } = options;
      const result: ObjectVersion[] = [];
      // The rest of the marker's key: versions older than the marker, none of them latest.
      if (keyMarker !== undefined && versionIdMarker !== undefined && keyMarker.startsWith(prefix ?? "")) {
        const marker = selectVersion(db, bucket, keyMarker, versionIdMarker);
        if (marker) {
          for (const row of selectOlderVersions(db, bucket, keyMarker, marker.seq, limit))
            result.push(toVersion(row, false));
        }
      }
      if (result.length === limit) return result;
      let previousKey: string | undefined;
      for (const row of selectVersionPage(db, bucket, keyRange(prefix, keyMarker), limit - result.length)) {
        // Pages start at a key's first (newest) version, so the first row of each key is its latest.
        result.push(toVersion(row, row.key !== previousKey));
        previousKey = row.key;
      }
      return result;
    },
  };
}

/** Keys with `prefix` that come after `after`: the tighter of the two lower bounds. */
function keyRange(prefix: string | undefined, after: string | undefined): KeyRange {
  const from = prefix ?? "";
  return {
    lower:
      after !== undefined && compareByteOrder(after, from) >= 0
        ? { op: ">", key: after }
        : { op: ">=", key: from },
    before: prefix === undefined ? undefined : prefixUpperBound(prefix),
  };
}

export function toVersion(row: NewVersionRow & { seq?: number }, isLatest: boolean): ObjectVersion {
  return {
    bucket: row.bucket,
    key: row.key,
    versionId: row.version_id,
    isLatest,
    deleteMarker: row.delete_marker === 1,
    size: row.size,
    etag: row.etag,
    lastModified: row.last_modified,
    ...(row.content_type !== null ? { contentType: row.content_type } : {}),
    metadata: JSON.parse(row.metadata) as Record<string, string>,
  };
}

export function toBucketRecord(row: BucketRow): BucketRecord {
  return {
    scope: { accountId: row.account_id, region: row.region },
    name: row.name,
    created: row.created,
    ...(row.versioning !== null ? { versioning: row.versioning } : {}),
  };
}

async function* empty(): AsyncIterable<Uint8Array> {}
