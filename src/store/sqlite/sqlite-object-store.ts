import type Database from "better-sqlite3";
import { NULL_VERSION, newVersionId } from "../object-store-common.js";
import type { BucketRecord, ObjectStore } from "../types.js";
import { BlobFiles } from "./blob-files.js";
import {
  bucketHasVersions,
  deleteBucketRow,
  deleteLive,
  deleteVersionRow,
  insertBucket,
  insertVersion,
  type NewVersionRow,
  selectBucket,
  selectBucketsOf,
  selectLatest,
  selectVersion,
  updateVersioning,
  upsertLive,
  type VersionRow,
} from "./object-queries.js";
import { createObjectReads, toBucketRecord, toVersion } from "./sqlite-object-reads.js";

/**
 * Objects in SQLite (metadata) and files (bodies; see blob-files.ts). Order of work, so that a
 * crash at any point leaves no metadata pointing at a missing body:
 *  - put: the body is written to a temp file and renamed into place first; then one IMMEDIATE
 *    transaction records the version (re-checking the bucket and its versioning, which may have
 *    changed while the body streamed). A crash before the commit leaves an unreferenced file,
 *    never a dangling row; a body that fails leaves neither.
 *  - delete or replace: the transaction removes the rows first; their files are removed after
 *    the commit. A crash in between leaves an unreferenced file, which is harmless.
 * live_objects is kept in step inside each transaction: it holds a key exactly when the key's
 * newest version is an object rather than a delete marker.
 */
export function createSqliteObjectStore(db: Database.Database, blobDir: string): ObjectStore {
  const blobs = new BlobFiles(blobDir);
  blobs.removeStaleTemps(Date.now());

  /** Runs `change` on one key's versions and then points live_objects at its newest version. */
  function changeKey(bucket: string, key: string, change: () => void): void {
    // live_objects references object_versions, so its row goes before any version row does.
    deleteLive(db, bucket, key);
    change();
    const latest = selectLatest(db, bucket, key);
    if (latest && !latest.delete_marker) upsertLive(db, bucket, key, latest.seq);
  }

  /** Removes one version row; returns its blob, for removal after the commit. */
  function removeRow(row: VersionRow): string | null {
    changeKey(row.bucket, row.key, () => deleteVersionRow(db, row.seq));
    return row.blob;
  }

  /** Adds a version as the key's newest; a "null" one first removes the key's old "null" version. */
  function addRow(row: NewVersionRow): { seq: number; replaced: string | null } {
    let replaced: string | null = null;
    let seq = 0;
    changeKey(row.bucket, row.key, () => {
      const old =
        row.version_id === NULL_VERSION ? selectVersion(db, row.bucket, row.key, NULL_VERSION) : undefined;
      if (old) {
        deleteVersionRow(db, old.seq);
        replaced = old.blob;
      }
      seq = insertVersion(db, row);
    });
    return { seq, replaced };
  }

  const commitPut = db.transaction((row: Omit<NewVersionRow, "version_id">) => {
    const bucket = selectBucket(db, row.bucket);
    if (!bucket) return undefined;
    const versionId = bucket.versioning === "Enabled" ? newVersionId() : NULL_VERSION;
    const added = addRow({ ...row, version_id: versionId });
    return { row: { ...row, version_id: versionId, seq: added.seq }, replaced: added.replaced };
  });

  const commitDelete = db.transaction((bucket: string, key: string, now: number, versionId?: string) => {
    const record = selectBucket(db, bucket);
    if (!record) return undefined;
    if (versionId !== undefined || record.versioning === null) {
      const row = selectVersion(db, bucket, key, versionId ?? NULL_VERSION);
      if (!row) return undefined;
      const isLatest = selectLatest(db, bucket, key)?.seq === row.seq;
      return { row, isLatest, removed: removeRow(row) };
    }
    const marker: NewVersionRow = {
      bucket,
      key,
      version_id: record.versioning === "Enabled" ? newVersionId() : NULL_VERSION,
      delete_marker: 1,
      size: 0,
      etag: "",
      last_modified: now,
      content_type: null,
      metadata: "{}",
      blob: null,
    };
    const added = addRow(marker);
    return { row: { ...marker, seq: added.seq }, isLatest: true, removed: added.replaced };
  });

  const removeBucket = db.transaction((name: string): "Deleted" | "NotFound" | "NotEmpty" => {
    if (!selectBucket(db, name)) return "NotFound";
    if (bucketHasVersions(db, name)) return "NotEmpty";
    deleteBucketRow(db, name);
    return "Deleted";
  });

  return {
    async createBucket(record: BucketRecord) {
      return insertBucket(db, record) ? { ok: true } : { ok: false, reason: "NameInUse" };
    },

    async getBucket(name) {
      const row = selectBucket(db, name);
      return row && toBucketRecord(row);
    },

    async listBuckets(scope) {
      return selectBucketsOf(db, scope).map(toBucketRecord);
    },

    async setVersioning(name, status) {
      return updateVersioning(db, name, status);
    },

    async deleteBucket(name) {
      return removeBucket.immediate(name);
    },

    async putObject(input) {
      // Checked before streaming so that a missing bucket costs no blob; checked again at commit.
      if (!selectBucket(db, input.bucket)) return undefined;
      const written = await blobs.write(input.body);
      let committed: ReturnType<typeof commitPut>;
      try {
        committed = commitPut.immediate({
          bucket: input.bucket,
          key: input.key,
          delete_marker: 0,
          size: written.size,
          etag: `"${written.md5Hex}"`,
          last_modified: input.now,
          content_type: input.contentType ?? null,
          metadata: JSON.stringify(input.metadata ?? {}),
          blob: written.id,
        });
      } catch (error) {
        blobs.remove([written.id]);
        throw error;
      }
      if (!committed) {
        blobs.remove([written.id]);
        return undefined;
      }
      blobs.remove([committed.replaced]);
      return toVersion(committed.row, true);
    },

    async deleteObject(bucket, key, now, versionId) {
      const done = commitDelete.immediate(bucket, key, now, versionId);
      if (!done) return undefined;
      blobs.remove([done.removed]);
      return toVersion(done.row, done.isLatest);
    },

    ...createObjectReads(db, blobs),
  } satisfies ObjectStore;
}
