import type { BucketRecord, ObjectVersion } from "../../../store/types.js";
import { announceCreated, keyOf, requireBucket, type S3Call } from "../operation.js";
import { resolveRange } from "../range.js";
import { emptyResponse, httpDate, objectHeaders } from "../responses.js";
import { s3Error } from "../s3-errors.js";

const MAX_KEY_BYTES = 1024;

/** GetObject's response-* parameters and the header each one overrides. */
const overrides: Record<string, string> = {
  "response-content-type": "content-type",
  "response-content-disposition": "content-disposition",
  "response-content-encoding": "content-encoding",
  "response-content-language": "content-language",
  "response-cache-control": "cache-control",
  "response-expires": "expires",
};

/** PUT /bucket/key — streams the body into the store; nothing is kept if a check fails. */
export async function putObject(call: S3Call): Promise<Response> {
  const bucket = await requireBucket(call);
  const key = keyOf(call);
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw s3Error("KeyTooLongError", undefined, { MaxSizeAllowed: String(MAX_KEY_BYTES) });
  }
  const contentType = call.request.headers.get("content-type") ?? undefined;
  const stored = await call.deps.objects.putObject({
    bucket: bucket.name,
    key,
    body: call.body(),
    ...(contentType !== undefined ? { contentType } : {}),
    metadata: metadataOf(call.request.headers),
    now: call.now,
  });
  if (!stored) throw s3Error("NoSuchBucket", undefined, { BucketName: bucket.name });
  await announceCreated(call, stored);
  const headers = new Headers({ etag: stored.etag });
  if (bucket.versioning !== undefined || stored.versionId !== "null") {
    headers.set("x-amz-version-id", stored.versionId);
  }
  return emptyResponse(200, headers);
}

/** `x-amz-meta-*` request headers, names lower-cased without the prefix. */
export function metadataOf(headers: Headers): Record<string, string> {
  const metadata: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.startsWith("x-amz-meta-")) metadata[name.slice("x-amz-meta-".length)] = value;
  });
  return metadata;
}

/** The version a GET or HEAD names, or S3's error for it. */
async function versionFor(call: S3Call, bucket: BucketRecord): Promise<ObjectVersion> {
  const key = keyOf(call);
  const versionId = call.target.query.get("versionId");
  const version = await call.deps.objects.headObject(bucket.name, key, versionId);
  if (!version) {
    throw versionId === undefined
      ? s3Error("NoSuchKey", undefined, { Key: key })
      : s3Error("NoSuchVersion", undefined, { Key: key, VersionId: versionId });
  }
  if (version.deleteMarker) {
    throw s3Error(
      "MethodNotAllowed",
      undefined,
      { Method: call.request.method, ResourceType: "DeleteMarker" },
      {
        "x-amz-delete-marker": "true",
        "x-amz-version-id": version.versionId,
        "last-modified": httpDate(version.lastModified),
        allow: "DELETE",
      },
    );
  }
  return version;
}

/** GET or HEAD /bucket/key, with Range, versionId and the response-* overrides. */
export async function getObject(call: S3Call): Promise<Response> {
  const bucket = await requireBucket(call);
  const head = call.request.method === "HEAD";
  // A "null" version can be replaced between the read of its size and the read of its body;
  // the ETag tells, and the request is then answered from the newer version.
  for (let attempt = 1; ; attempt++) {
    const version = await versionFor(call, bucket);
    const rangeHeader = call.request.headers.get("range");
    const range = resolveRange(rangeHeader, version.size);
    if (range.kind === "unsatisfiable") {
      throw s3Error(
        "InvalidRange",
        undefined,
        { RangeRequested: rangeHeader ?? "", ActualObjectSize: String(version.size) },
        { "content-range": `bytes */${version.size}` },
      );
    }
    const headers = objectHeaders(version, bucket.versioning !== undefined);
    for (const [param, header] of Object.entries(overrides)) {
      const value = call.target.query.get(param);
      if (value === undefined) continue;
      if (!/^[\t\u0020-\u007e\u0080-\u00ff]*$/u.test(value)) {
        throw s3Error("InvalidArgument", `${param} is not a valid header value`, { ArgumentName: param });
      }
      headers.set(header, value);
    }
    const part = range.kind === "part" ? range : undefined;
    headers.set("content-length", String(part ? part.end - part.start + 1 : version.size));
    if (part) headers.set("content-range", `bytes ${part.start}-${part.end}/${version.size}`);
    const status = part ? 206 : 200;
    if (head) return emptyResponse(status, headers);

    const got = await call.deps.objects.getObject(bucket.name, version.key, {
      versionId: version.versionId,
      ...(part ? { range: { start: part.start, end: part.end } } : {}),
    });
    if (got && got.version.etag === version.etag) {
      return new Response(ReadableStream.from(got.body), { status, headers });
    }
    await got?.body[Symbol.asyncIterator]().return?.();
    if (attempt === 3) throw new Error(`s3: ${version.key} kept changing while it was read`);
  }
}

/** DELETE /bucket/key[?versionId] — S3 answers 204 whether or not there was anything to delete. */
export async function deleteObject(call: S3Call): Promise<Response> {
  const bucket = await requireBucket(call);
  const versionId = call.target.query.get("versionId");
  const deleted = await call.deps.objects.deleteObject(bucket.name, keyOf(call), call.now, versionId);
  const headers = new Headers();
  if (deleted?.deleteMarker) headers.set("x-amz-delete-marker", "true");
  if (deleted && (versionId !== undefined || deleted.deleteMarker))
    headers.set("x-amz-version-id", deleted.versionId);
  return emptyResponse(204, headers);
}
