import type { CreateResult, Scope } from "./common-types.js";

// Objects: S3-style buckets holding artifacts and source objects. Contract rules common to every store: common-types.ts.
export interface BucketRecord {
  readonly scope: Scope;
  readonly name: string;
  readonly created: number;
  /** S3's versioning status; absent until PutBucketVersioning is first called. */
  readonly versioning?: "Enabled" | "Suspended";
}

/** One version of an object (an unversioned bucket keeps one version, whose id is "null"). */
export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  /** "null" for objects written while versioning was never enabled or suspended, as in S3. */
  readonly versionId: string;
  readonly isLatest: boolean;
  /** A delete marker has no body. */
  readonly deleteMarker: boolean;
  readonly size: number;
  /** The quoted hex MD5 of the body, as S3 sends it in the ETag header. */
  readonly etag: string;
  readonly lastModified: number;
  readonly contentType?: string;
  /** `x-amz-meta-*` headers, lower-case names without the prefix. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface PutObjectInput {
  readonly bucket: string;
  readonly key: string;
  /** The body, streamed: objects can be gigabytes. */
  readonly body: AsyncIterable<Uint8Array>;
  readonly contentType?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly now: number;
}

/**
 * Buckets and objects, S3's semantics (versioning included). Bucket names are global, as in S3.
 * Keys are opaque strings: implementations must never turn a key into a file path (no path
 * traversal through `..` or absolute keys). Bodies stream in and out. Contract checked by
 * store/contract/object-store.contract.ts.
 */
export interface ObjectStore {
  createBucket(record: BucketRecord): Promise<CreateResult>;
  getBucket(name: string): Promise<BucketRecord | undefined>;
  listBuckets(scope: Scope): Promise<BucketRecord[]>;
  setVersioning(name: string, status: "Enabled" | "Suspended"): Promise<boolean>;
  /**
   * Only an empty bucket can be deleted: "NotEmpty" while any version or delete marker is left
   * (as in S3), "NotFound" when there is no such bucket.
   */
  deleteBucket(name: string): Promise<"Deleted" | "NotFound" | "NotEmpty">;
  /**
   * Stores a new version (or replaces the "null" version); undefined when the bucket is missing.
   * When `body` throws, putObject rejects with that same error and stores nothing (this is how
   * a caller that checks the body while it streams, a SHA-256 say, refuses it).
   */
  putObject(input: PutObjectInput): Promise<ObjectVersion | undefined>;
  /**
   * The latest version (or the given one); undefined when missing or the latest is a delete
   * marker. A `versionId` that names a delete marker returns the marker (`deleteMarker: true`),
   * so that S3's "405 on a delete marker" can be answered.
   */
  headObject(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined>;
  /**
   * The body of a version (or the latest), optionally a byte range [start, end] inclusive; `end`
   * past the last byte is clamped to it. Found exactly as headObject finds it (a delete marker's
   * body is empty). The body stays readable even if the version is deleted while it streams.
   */
  getObject(
    bucket: string,
    key: string,
    options?: { versionId?: string; range?: { start: number; end: number } },
  ): Promise<{ version: ObjectVersion; body: AsyncIterable<Uint8Array> } | undefined>;
  /**
   * S3 DeleteObject. With `versionId`: removes that version (or delete marker) for good and
   * returns it as it was; undefined when it does not exist. Without: in a bucket that never had
   * versioning, removes the "null" version and returns it (undefined when there was none); with
   * versioning Enabled, adds a delete marker with a new id, and Suspended, a delete marker with
   * id "null" that replaces the "null" version; either way returns the marker (S3 adds one even
   * when the key does not exist). Undefined when the bucket is missing.
   */
  deleteObject(
    bucket: string,
    key: string,
    now: number,
    versionId?: string,
  ): Promise<ObjectVersion | undefined>;
  /**
   * Latest, non-deleted objects in key byte order after `startAfter`, with an optional prefix.
   * `truncated` says that more such objects follow the last one returned.
   */
  listObjects(
    bucket: string,
    options: { prefix?: string; startAfter?: string; limit: number },
  ): Promise<{ objects: ObjectVersion[]; truncated: boolean }>;
  /**
   * Every version and delete marker of keys with the prefix, in key byte order and newest first
   * per key, at most `limit`. Pages as S3's ListObjectVersions does: after `keyMarker` alone,
   * starts at the next key; with `versionIdMarker` too, at the version after that one.
   */
  listObjectVersions(
    bucket: string,
    options: { prefix?: string; keyMarker?: string; versionIdMarker?: string; limit: number },
  ): Promise<ObjectVersion[]>;
}
