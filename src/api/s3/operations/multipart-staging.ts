import { randomBytes } from "node:crypto";
import type { ObjectStore, ObjectVersion } from "../../../store/types.js";
import { keyOf, type S3Call } from "../operation.js";
import { s3Error } from "../s3-errors.js";

/**
 * Multipart uploads are staged in the object store itself, so they are as durable as objects
 * and need nothing beyond the ObjectStore interface: one internal bucket holds, per upload,
 * `<uploadId>/upload` (an empty object whose metadata names the target and its headers) and
 * `<uploadId>/part/<number>` for each part. The bucket's name breaks S3's naming rules, so no S3
 * request can reach it (requireBucket refuses such names), and its region is no real region,
 * so no ListBuckets shows it.
 */
export const STAGING_BUCKET = "pipewright_multipart_uploads";
const STAGING_REGION = "pipewright-internal";

export interface StagedUpload {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly contentType?: string;
  readonly metadata: Record<string, string>;
}

export const uploadKey = (uploadId: string) => `${uploadId}/upload`;
export const partKey = (uploadId: string, partNumber: number) =>
  `${uploadId}/part/${String(partNumber).padStart(5, "0")}`;

export function newUploadId(): string {
  return randomBytes(24).toString("base64url");
}

export async function ensureStagingBucket(call: S3Call): Promise<void> {
  // NameInUse is the usual answer: the bucket is made once and kept.
  await call.deps.objects.createBucket({
    scope: { accountId: call.scope.accountId, region: STAGING_REGION },
    name: STAGING_BUCKET,
    created: call.now,
  });
}

/** The upload named by `uploadId`, which must belong to the request's bucket and key. */
export async function stagedUpload(call: S3Call): Promise<StagedUpload> {
  const uploadId = call.target.query.get("uploadId") ?? "";
  const record = /^[A-Za-z0-9_-]{32}$/u.test(uploadId)
    ? await call.deps.objects.headObject(STAGING_BUCKET, uploadKey(uploadId))
    : undefined;
  const meta = record?.metadata;
  if (!meta || meta.bucket !== call.target.bucket || meta.key !== keyOf(call)) {
    throw s3Error("NoSuchUpload", undefined, { UploadId: uploadId });
  }
  return {
    uploadId,
    bucket: meta.bucket,
    key: meta.key,
    ...(record.contentType !== undefined ? { contentType: record.contentType } : {}),
    metadata: JSON.parse(meta.headers ?? "{}") as Record<string, string>,
  };
}

/** Records a new upload; its parts follow under the same id. */
export async function stageUpload(call: S3Call, upload: Omit<StagedUpload, "uploadId">): Promise<string> {
  await ensureStagingBucket(call);
  const uploadId = newUploadId();
  await call.deps.objects.putObject({
    bucket: STAGING_BUCKET,
    key: uploadKey(uploadId),
    body: (async function* () {})(),
    ...(upload.contentType !== undefined ? { contentType: upload.contentType } : {}),
    metadata: { bucket: upload.bucket, key: upload.key, headers: JSON.stringify(upload.metadata) },
    now: call.now,
  });
  return uploadId;
}

export async function stagedPart(
  objects: ObjectStore,
  uploadId: string,
  partNumber: number,
): Promise<ObjectVersion | undefined> {
  return objects.headObject(STAGING_BUCKET, partKey(uploadId, partNumber));
}

/** Removes an upload's record and parts (after completion or on abort). */
export async function discardUpload(objects: ObjectStore, uploadId: string, now: number): Promise<void> {
  for (;;) {
    const page = await objects.listObjects(STAGING_BUCKET, { prefix: `${uploadId}/`, limit: 1000 });
    for (const object of page.objects) await objects.deleteObject(STAGING_BUCKET, object.key, now);
    if (!page.truncated) return;
  }
}
