import { integerParam, requireBucket, type S3Call } from "../operation.js";
import { isoTime, xmlResponse } from "../responses.js";
import { s3Error } from "../s3-errors.js";
import { element, optional } from "../xml.js";
import { owner } from "./buckets.js";

/** GET /bucket?versions — versions and delete markers, key by key, newest first. */
export async function listObjectVersions(call: S3Call): Promise<Response> {
  const bucket = await requireBucket(call);
  const q = call.target.query;
  if (q.get("delimiter")) {
    throw s3Error("NotImplemented", "Pipewright's ListObjectVersions does not support delimiter yet.");
  }
  const prefix = q.get("prefix") ?? "";
  const keyMarker = q.get("key-marker") || undefined;
  const versionIdMarker = q.get("version-id-marker") || undefined;
  if (versionIdMarker !== undefined && keyMarker === undefined) {
    throw s3Error("InvalidArgument", "A version-id marker cannot be specified without a key marker.", {
      ArgumentName: "version-id-marker",
    });
  }
  const maxKeys = integerParam(call, "max-keys", 1000, 0, 1000);
  const found = await call.deps.objects.listObjectVersions(bucket.name, {
    ...(prefix ? { prefix } : {}),
    ...(keyMarker !== undefined ? { keyMarker } : {}),
    ...(versionIdMarker !== undefined ? { versionIdMarker } : {}),
    limit: maxKeys + 1,
  });
  const truncated = found.length > maxKeys;
  const page = found.slice(0, maxKeys);
  const last = page.at(-1);
  return xmlResponse("ListVersionsResult", [
    element("Name", bucket.name),
    element("Prefix", prefix),
    element("KeyMarker", keyMarker ?? ""),
    element("VersionIdMarker", versionIdMarker ?? ""),
    optional("NextKeyMarker", truncated ? last?.key : undefined),
    optional("NextVersionIdMarker", truncated ? last?.versionId : undefined),
    element("MaxKeys", maxKeys),
    element("IsTruncated", truncated),
    ...page.map((v) =>
      v.deleteMarker
        ? element(
            "DeleteMarker",
            element("Key", v.key),
            element("VersionId", v.versionId),
            element("IsLatest", v.isLatest),
            element("LastModified", isoTime(v.lastModified)),
            owner(call),
          )
        : element(
            "Version",
            element("Key", v.key),
            element("VersionId", v.versionId),
            element("IsLatest", v.isLatest),
            element("LastModified", isoTime(v.lastModified)),
            element("ETag", v.etag),
            element("Size", v.size),
            element("StorageClass", "STANDARD"),
            owner(call),
          ),
    ),
  ]);
}
