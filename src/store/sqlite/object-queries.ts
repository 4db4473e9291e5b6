import type Database from "better-sqlite3";
import type { BucketRecord, Scope } from "../types.js";
import { prepared } from "./prepared.js";

/* One small function per statement on buckets, object_versions and live_objects (migration 0003). */

export interface BucketRow {
  name: string;
  account_id: string;
  region: string;
  created: number;
  versioning: "Enabled" | "Suspended" | null;
}

export interface VersionRow {
  seq: number;
  bucket: string;
  key: string;
  version_id: string;
  delete_marker: 0 | 1;
  size: number;
  etag: string;
  last_modified: number;
  content_type: string | null;
  metadata: string;
  blob: string | null;
}

export type NewVersionRow = Omit<VersionRow, "seq">;

/** A key range: `key > after` or `key >= from`, and `key < before` when there is an upper bound. */
export interface KeyRange {
  readonly lower: { readonly op: ">" | ">="; readonly key: string };
  readonly before?: string | undefined;
}

const VERSION_COLUMNS =
  "v.seq, v.bucket, v.key, v.version_id, v.delete_marker, v.size, v.etag, v.last_modified, v.content_type, v.metadata, v.blob";

export function insertBucket(db: Database.Database, record: BucketRecord): boolean {
  return (
    prepared(
      db,
      "INSERT INTO buckets (name, account_id, region, created, versioning) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
    ).run(record.name, record.scope.accountId, record.scope.region, record.created, record.versioning ?? null)
      .changes === 1
  );
}

export function selectBucket(db: Database.Database, name: string): BucketRow | undefined {
  return prepared<BucketRow>(
    db,
    "SELECT name, account_id, region, created, versioning FROM buckets WHERE name = ?",
  ).get(name);
}

export function selectBucketsOf(db: Database.Database, scope: Scope): BucketRow[] {
  return prepared<BucketRow>(
    db,
    "SELECT name, account_id, region, created, versioning FROM buckets WHERE account_id = ? AND region = ? ORDER BY name",
  ).all(scope.accountId, scope.region);
}

export function updateVersioning(db: Database.Database, name: string, status: string): boolean {
  return prepared(db, "UPDATE buckets SET versioning = ? WHERE name = ?").run(status, name).changes === 1;
}

export function deleteBucketRow(db: Database.Database, name: string): void {
  prepared(db, "DELETE FROM buckets WHERE name = ?").run(name);
}

export function bucketHasVersions(db: Database.Database, name: string): boolean {
  return prepared(db, "SELECT 1 FROM object_versions WHERE bucket = ? LIMIT 1").get(name) !== undefined;
}

/** The newest version or delete marker of a key. */
export function selectLatest(db: Database.Database, bucket: string, key: string): VersionRow | undefined {
  return prepared<VersionRow>(
    db,
    `SELECT ${VERSION_COLUMNS} FROM object_versions v WHERE v.bucket = ? AND v.key = ? ORDER BY v.seq DESC LIMIT 1`,
  ).get(bucket, key);
}

export function selectVersion(
  db: Database.Database,
  bucket: string,
  key: string,
  versionId: string,
): VersionRow | undefined {
  return prepared<VersionRow>(
    db,
    `SELECT ${VERSION_COLUMNS} FROM object_versions v WHERE v.bucket = ? AND v.key = ? AND v.version_id = ?`,
  ).get(bucket, key, versionId);
}

export function insertVersion(db: Database.Database, row: NewVersionRow): number {
  const result = prepared(
    db,
    `INSERT INTO object_versions (bucket, key, version_id, delete_marker, size, etag, last_modified, content_type, metadata, blob)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.bucket,
    row.key,
    row.version_id,
    row.delete_marker,
    row.size,
    row.etag,
    row.last_modified,
    row.content_type,
    row.metadata,
    row.blob,
  );
  return Number(result.lastInsertRowid);
}

export function deleteVersionRow(db: Database.Database, seq: number): void {
  prepared(db, "DELETE FROM object_versions WHERE seq = ?").run(seq);
}

export function upsertLive(db: Database.Database, bucket: string, key: string, seq: number): void {
  prepared(
    db,
    "INSERT INTO live_objects (bucket, key, seq) VALUES (?, ?, ?) ON CONFLICT (bucket, key) DO UPDATE SET seq = excluded.seq",
  ).run(bucket, key, seq);
}

export function deleteLive(db: Database.Database, bucket: string, key: string): void {
  prepared(db, "DELETE FROM live_objects WHERE bucket = ? AND key = ?").run(bucket, key);
}

/** Live objects in key order within `range`: the live_objects primary key, then each row by seq. */
export function selectLivePage(
  db: Database.Database,
  bucket: string,
  range: KeyRange,
  limit: number,
): VersionRow[] {
  const upper = range.before === undefined ? "" : " AND l.key < ?";
  return prepared<VersionRow>(
    db,
    `SELECT ${VERSION_COLUMNS} FROM live_objects l JOIN object_versions v ON v.seq = l.seq
     WHERE l.bucket = ? AND l.key ${range.lower.op} ?${upper} ORDER BY l.key LIMIT ?`,
  ).all(...rangeParameters(bucket, range), limit);
}

/** Versions of the keys in `range`, key ascending and newest first. */
export function selectVersionPage(
  db: Database.Database,
  bucket: string,
  range: KeyRange,
  limit: number,
): VersionRow[] {
  const upper = range.before === undefined ? "" : " AND v.key < ?";
  return prepared<VersionRow>(
    db,
    `SELECT ${VERSION_COLUMNS} FROM object_versions v
     WHERE v.bucket = ? AND v.key ${range.lower.op} ?${upper} ORDER BY v.key, v.seq DESC LIMIT ?`,
  ).all(...rangeParameters(bucket, range), limit);
}

/** The versions of one key older than `seq`, newest first (ListObjectVersions' version-id-marker). */
export function selectOlderVersions(
  db: Database.Database,
  bucket: string,
  key: string,
  seq: number,
  limit: number,
): VersionRow[] {
  return prepared<VersionRow>(
    db,
    `SELECT ${VERSION_COLUMNS} FROM object_versions v
     WHERE v.bucket = ? AND v.key = ? AND v.seq < ? ORDER BY v.seq DESC LIMIT ?`,
  ).all(bucket, key, seq, limit);
}

function rangeParameters(bucket: string, range: KeyRange): string[] {
  return range.before === undefined ? [bucket, range.lower.key] : [bucket, range.lower.key, range.before];
}
