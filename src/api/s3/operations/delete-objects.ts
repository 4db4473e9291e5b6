import { requireBucket, type S3Call } from "../operation.js";
import { readSmallBody } from "../request-body.js";
import { xmlResponse } from "../responses.js";
import { s3Error } from "../s3-errors.js";
import { element, innerTexts, optional, textOf } from "../xml.js";

/** POST /bucket?delete — up to 1,000 keys (or versions) in one request, as `aws s3 rm --recursive` sends. */
export async function deleteObjects(call: S3Call): Promise<Response> {
  const bucket = await requireBucket(call);
  const document = await readSmallBody(call.body(), 2 * 1024 * 1024);
  const quiet = textOf(document, "Quiet")?.trim() === "true";
  const targets = innerTexts(document, "Object").map((object) => ({
    key: textOf(object, "Key"),
    versionId: textOf(object, "VersionId")?.trim() || undefined,
  }));
  if (targets.length === 0 || targets.length > 1000 || targets.some((t) => !t.key)) {
    throw s3Error("MalformedXML", "Delete needs from 1 to 1000 Object elements, each with a Key.");
  }
  const deleted = [];
  for (const { key, versionId } of targets) {
    const result = await call.deps.objects.deleteObject(bucket.name, key!, call.now, versionId);
    if (quiet) continue;
    const marker = result?.deleteMarker === true;
    deleted.push(
      element(
        "Deleted",
        element("Key", key!),
        optional("VersionId", versionId),
        optional("DeleteMarker", marker ? true : undefined),
        optional("DeleteMarkerVersionId", marker && versionId === undefined ? result!.versionId : undefined),
      ),
    );
  }
  return xmlResponse("DeleteResult", deleted);
}
