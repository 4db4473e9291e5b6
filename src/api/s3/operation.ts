import type { BucketRecord, ObjectVersion, Scope } from "../../store/types.js";
import { isValidBucketName } from "./bucket-names.js";
import type { S3Deps } from "./deps.js";
import type { RequestTarget } from "./request-target.js";
import type { S3Principal } from "./s3-auth.js";
import { s3Error } from "./s3-errors.js";

/** One authenticated S3 request, as an operation handler sees it. */
export interface S3Call {
  readonly deps: S3Deps;
  readonly request: Request;
  readonly target: RequestTarget;
  readonly principal: S3Principal;
  /** Account and region: the region from the credential scope, else the default. */
  readonly scope: Scope;
  readonly now: number;
  readonly requestId: string;
  /** The body's object bytes, decoded and checked while they stream; read it at most once. */
  body(): AsyncIterable<Uint8Array>;
}

export type S3Handler = (call: S3Call) => Promise<Response>;

export interface S3Operation {
  /** S3's operation name, for logs and NotImplemented messages. */
  readonly name: string;
  readonly handle: S3Handler;
  /** Changes a bucket itself (create, delete, versioning): never allowed to per-job keys. */
  readonly changesBucket?: boolean;
}

/**
 * The request's bucket, or NoSuchBucket. A name S3 would not allow is never a bucket here: that
 * keeps Pipewright's own internal buckets (named outside S3's rules) out of reach.
 */
export async function requireBucket(call: S3Call): Promise<BucketRecord> {
  const name = call.target.bucket;
  const bucket = isValidBucketName(name) ? await call.deps.objects.getBucket(name) : undefined;
  if (!bucket) throw s3Error("NoSuchBucket", undefined, { BucketName: name });
  return bucket;
}

/** The request's key; routing sends only object-level requests to handlers that call this. */
export function keyOf(call: S3Call): string {
  const key = call.target.key;
  if (key === undefined) throw new Error("s3: an object operation was routed without a key");
  return key;
}

/** A query parameter as a whole number in [min, max], or `fallback` when absent. */
export function integerParam(call: S3Call, name: string, fallback: number, min: number, max: number): number {
  const raw = call.target.query.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/u.test(raw) || value < min) {
    throw s3Error("InvalidArgument", `Provided ${name} not an integer or within integer range`, {
      ArgumentName: name,
      ArgumentValue: raw,
    });
  }
  return Math.min(value, max);
}

/**
 * Tells `onObjectCreated` about a stored object before the answer goes out, so a pipeline the
 * upload starts is visible by the time the client's upload returns. Its failure is logged; the
 * object stays stored.
 */
export async function announceCreated(call: S3Call, object: ObjectVersion): Promise<void> {
  if (!call.deps.onObjectCreated) return;
  try {
    await call.deps.onObjectCreated(call.scope, object);
  } catch (error) {
    call.deps.logger.error("object-created hook failed", {
      requestId: call.requestId,
      bucket: object.bucket,
      key: object.key,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
}
