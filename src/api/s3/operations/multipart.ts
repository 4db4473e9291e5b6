import { announceCreated, keyOf, requireBucket, type S3Call } from "../operation.js";
import { readSmallBody } from "../request-body.js";
import { emptyResponse, xmlResponse } from "../responses.js";
import { s3Error } from "../s3-errors.js";
import { element, innerTexts, textOf } from "../xml.js";
import {
  discardUpload,
  partKey,
  STAGING_BUCKET,
  stagedPart,
  stagedUpload,
  stageUpload,
} from "./multipart-staging.js";
import { metadataOf } from "./objects.js";

const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_KEY_BYTES = 1024;

/** POST /bucket/key?uploads */
export async function createMultipartUpload(call: S3Call): Promise<Response> {
  const bucket = await requireBucket(call);
  const key = keyOf(call);
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw s3Error("KeyTooLongError");
  const contentType = call.request.headers.get("content-type") ?? undefined;
  const uploadId = await stageUpload(call, {
    bucket: bucket.name,
    key,
    ...(contentType !== undefined ? { contentType } : {}),
    metadata: metadataOf(call.request.headers),
  });
  return xmlResponse("InitiateMultipartUploadResult", [
    element("Bucket", bucket.name),
    element("Key", key),
    element("UploadId", uploadId),
  ]);
}

/** PUT /bucket/key?partNumber=N&uploadId=U — a part replaces an earlier part of the same number. */
export async function uploadPart(call: S3Call): Promise<Response> {
  await requireBucket(call);
  const raw = call.target.query.get("partNumber") ?? "";
  const partNumber = Number(raw);
  if (!/^\d{1,5}$/u.test(raw) || partNumber < 1 || partNumber > 10_000) {
    throw s3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", {
      ArgumentName: "partNumber",
      ArgumentValue: raw,
    });
  }
  const upload = await stagedUpload(call);
  const stored = await call.deps.objects.putObject({
    bucket: STAGING_BUCKET,
    key: partKey(upload.uploadId, partNumber),
    body: call.body(),
    now: call.now,
  });
  if (!stored) throw s3Error("NoSuchUpload", undefined, { UploadId: upload.uploadId });
  return emptyResponse(200, { etag: stored.etag });
}

/**
 * POST /bucket/key?uploadId=U — joins the listed parts into the object, streaming each part out
 * of staging into a new put. The object's ETag is the MD5 of the whole body (S3 would send
 * `"<md5 of the part MD5s>-<count>"`; clients treat multipart ETags as opaque).
 */
export async function completeMultipartUpload(call: S3Call): Promise<Response> {
  const bucket = await requireBucket(call);
  const upload = await stagedUpload(call);
  const listed = innerTexts(await readSmallBody(call.body()), "Part").map((part) => ({
    number: Number(textOf(part, "PartNumber")?.trim()),
    etag: (textOf(part, "ETag") ?? "").trim().replace(/^"|"$/gu, ""),
  }));
  if (listed.length === 0 || listed.some((p) => !Number.isInteger(p.number))) {
    throw s3Error("MalformedXML", "CompleteMultipartUpload needs at least one Part with a PartNumber.");
  }
  if (listed.some((part, index) => index > 0 && part.number <= listed[index - 1]!.number)) {
    throw s3Error("InvalidPartOrder");
  }
  const parts: string[] = [];
  for (const [index, part] of listed.entries()) {
    const staged = await stagedPart(call.deps.objects, upload.uploadId, part.number);
    if (!staged || staged.etag !== `"${part.etag}"`) {
      throw s3Error("InvalidPart", undefined, { UploadId: upload.uploadId, PartNumber: String(part.number) });
    }
    if (index < listed.length - 1 && staged.size < MIN_PART_BYTES) {
      throw s3Error("EntityTooSmall", undefined, {
        PartNumber: String(part.number),
        MinSizeAllowed: String(MIN_PART_BYTES),
      });
    }
    parts.push(partKey(upload.uploadId, part.number));
  }
  const objects = call.deps.objects;
  async function* joined(): AsyncIterable<Uint8Array> {
    for (const key of parts) {
      const got = await objects.getObject(STAGING_BUCKET, key);
      if (!got) throw new Error(`s3: multipart part ${key} vanished while its upload completed`);
      yield* got.body;
    }
  }
  const stored = await objects.putObject({
    bucket: bucket.name,
    key: upload.key,
    body: joined(),
    ...(upload.contentType !== undefined ? { contentType: upload.contentType } : {}),
    metadata: upload.metadata,
    now: call.now,
  });
  if (!stored) throw s3Error("NoSuchBucket", undefined, { BucketName: bucket.name });
  await discardUpload(objects, upload.uploadId, call.now);
  await announceCreated(call, stored);
  const headers: Record<string, string> = {};
  if (bucket.versioning !== undefined) headers["x-amz-version-id"] = stored.versionId;
  return xmlResponse(
    "CompleteMultipartUploadResult",
    [
      element("Location", `/${bucket.name}/${encodeURIComponent(upload.key).replace(/%2F/gu, "/")}`),
      element("Bucket", bucket.name),
      element("Key", upload.key),
      element("ETag", stored.etag),
    ],
    headers,
  );
}

/** DELETE /bucket/key?uploadId=U */
export async function abortMultipartUpload(call: S3Call): Promise<Response> {
  await requireBucket(call);
  const upload = await stagedUpload(call);
  await discardUpload(call.deps.objects, upload.uploadId, call.now);
  return emptyResponse(204);
}
