import type { ObjectStore, ObjectVersion } from "../../../store/types.js";
import { integerParam, requireBucket, type S3Call } from "../operation.js";
import { isoTime, xmlResponse } from "../responses.js";
import { s3Error } from "../s3-errors.js";
import { element, optional, type XmlNode } from "../xml.js";
import { owner } from "./buckets.js";

/**
 * Greater than every key that starts with `prefix`: S3 keys are at most 1024 bytes, so at most
 * 1024 code points follow the prefix, and 1025 copies of the largest code point outrank them
 * all. Lets a listing jump over a whole CommonPrefix with one exclusive startAfter.
 */
const pastPrefix = (prefix: string) => prefix + "\u{10FFFF}".repeat(1025);

interface Listing {
  readonly contents: ObjectVersion[];
  readonly commonPrefixes: string[];
  readonly truncated: boolean;
  /** Where the next page starts: the last key, or a common prefix to jump over. */
  readonly resume?: { readonly after: string; readonly isPrefix: boolean };
}

/**
 * One page of keys after `after`, with keys that share a prefix up to `delimiter` rolled into
 * one CommonPrefix (each counts once towards `maxKeys`, as in S3).
 */
async function listPage(
  objects: ObjectStore,
  bucket: string,
  options: { prefix: string; delimiter?: string | undefined; after?: string | undefined; maxKeys: number },
): Promise<Listing> {
  const { prefix, delimiter, maxKeys } = options;
  const contents: ObjectVersion[] = [];
  const commonPrefixes: string[] = [];
  let after = options.after;
  let resume: Listing["resume"];
  for (;;) {
    const page = await objects.listObjects(bucket, {
      prefix,
      ...(after !== undefined ? { startAfter: after } : {}),
      limit: Math.min(1000, maxKeys + 1),
    });
    let jumped = false;
    for (const object of page.objects) {
      if (contents.length + commonPrefixes.length >= maxKeys)
        return { contents, commonPrefixes, truncated: true, resume };
      const cut = delimiter ? object.key.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const common = object.key.slice(0, cut + delimiter!.length);
        commonPrefixes.push(common);
        resume = { after: common, isPrefix: true };
        after = pastPrefix(common);
        jumped = true;
        break; // the rest of this page may share the prefix: ask again from past it
      }
      contents.push(object);
      resume = { after: object.key, isPrefix: false };
      after = object.key;
    }
    if (!jumped && !page.truncated) return { contents, commonPrefixes, truncated: false };
  }
}

/** encoding-type=url: S3 percent-encodes keys and prefixes in the XML (spaces as '+'). */
function encoder(call: S3Call): (text: string) => string {
  const type = call.target.query.get("encoding-type");
  if (type === undefined) return (text) => text;
  if (type !== "url") throw s3Error("InvalidArgument", "Invalid Encoding Method specified in Request");
  return (text) => encodeURIComponent(text).replace(/%2F/gu, "/").replace(/%20/gu, "+");
}

function contentsXml(object: ObjectVersion, encode: (t: string) => string, withOwner?: XmlNode): XmlNode {
  return element(
    "Contents",
    element("Key", encode(object.key)),
    element("LastModified", isoTime(object.lastModified)),
    element("ETag", object.etag),
    element("Size", object.size),
    element("StorageClass", "STANDARD"),
    withOwner,
  );
}

const tokenOf = (resume: NonNullable<Listing["resume"]>) =>
  Buffer.from(JSON.stringify([resume.after, resume.isPrefix])).toString("base64url");

function afterToken(token: string): string {
  try {
    const [after, isPrefix] = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as [
      unknown,
      unknown,
    ];
    if (typeof after === "string") return isPrefix === true ? pastPrefix(after) : after;
  } catch {
    // fall through
  }
  throw s3Error("InvalidArgument", "The continuation token provided is incorrect", {
    ArgumentName: "continuation-token",
  });
}

/** GET /bucket?list-type=2 */
export async function listObjectsV2(call: S3Call): Promise<Response> {
  const bucket = await requireBucket(call);
  const q = call.target.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") || undefined;
  const maxKeys = integerParam(call, "max-keys", 1000, 0, 1000);
  const token = q.get("continuation-token");
  const startAfter = q.get("start-after");
  const after = token !== undefined ? afterToken(token) : startAfter;
  const page = await listPage(call.deps.objects, bucket.name, { prefix, delimiter, after, maxKeys });
  const encode = encoder(call);
  const withOwner = q.get("fetch-owner") === "true" ? owner(call) : undefined;
  return xmlResponse("ListBucketResult", [
    element("Name", bucket.name),
    element("Prefix", encode(prefix)),
    optional("Delimiter", delimiter === undefined ? undefined : encode(delimiter)),
    element("MaxKeys", maxKeys),
    optional("EncodingType", q.get("encoding-type")),
    element("KeyCount", page.contents.length + page.commonPrefixes.length),
    element("IsTruncated", page.truncated),
    optional("ContinuationToken", token),
    optional("NextContinuationToken", page.truncated && page.resume ? tokenOf(page.resume) : undefined),
    optional("StartAfter", startAfter === undefined ? undefined : encode(startAfter)),
    ...page.contents.map((o) => contentsXml(o, encode, withOwner)),
    ...page.commonPrefixes.map((p) => element("CommonPrefixes", element("Prefix", encode(p)))),
  ]);
}

/** GET /bucket (ListObjects, version 1): `marker` instead of continuation tokens. */
export async function listObjectsV1(call: S3Call): Promise<Response> {
  const bucket = await requireBucket(call);
  const q = call.target.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") || undefined;
  const maxKeys = integerParam(call, "max-keys", 1000, 0, 1000);
  const marker = q.get("marker");
  // A NextMarker that is a CommonPrefix means "after everything under it", as in S3.
  const after = marker !== undefined && delimiter && marker.endsWith(delimiter) ? pastPrefix(marker) : marker;
  const page = await listPage(call.deps.objects, bucket.name, { prefix, delimiter, after, maxKeys });
  const encode = encoder(call);
  return xmlResponse("ListBucketResult", [
    element("Name", bucket.name),
    element("Prefix", encode(prefix)),
    element("Marker", encode(marker ?? "")),
    // S3 sends NextMarker only with a delimiter; without one, clients continue from the last key.
    optional(
      "NextMarker",
      page.truncated && delimiter && page.resume ? encode(page.resume.after) : undefined,
    ),
    element("MaxKeys", maxKeys),
    optional("Delimiter", delimiter === undefined ? undefined : encode(delimiter)),
    optional("EncodingType", q.get("encoding-type")),
    element("IsTruncated", page.truncated),
    ...page.contents.map((o) => contentsXml(o, encode, owner(call))),
    ...page.commonPrefixes.map((p) => element("CommonPrefixes", element("Prefix", encode(p)))),
  ]);
}
