/**
 * The request target as the client sent it. `new Request(url)` applies WHATWG URL parsing, which
 * removes `.` and `..` segments (also `%2e%2e`) and so would turn the key `a/../b` into `b` and
 * the request `/bucket/../etc` into bucket `etc`. S3 keys are opaque, so the Node adapter passes
 * the raw target in this header (main/server.ts sets it, replacing any a client sent).
 */
export const RAW_TARGET_HEADER = "x-pipewright-raw-target";

export interface RequestTarget {
  /** The path as sent, still percent-encoded (what SigV4 signs for S3). */
  readonly rawPath: string;
  /** The query string as sent, without `?`. */
  readonly rawQuery: string;
  /** Decoded query parameters (first value of each name). */
  readonly query: ReadonlyMap<string, string>;
  /** Empty for the service (ListBuckets). */
  readonly bucket: string;
  /** Undefined for a bucket-level request. */
  readonly key: string | undefined;
}

/**
 * Bucket and key from a path-style target, each percent-decoded exactly once. Throws URIError
 * on a malformed escape (the caller answers InvalidURI-like 400).
 */
export function parseRequestTarget(raw: string | null, url: URL): RequestTarget {
  let target = raw ?? `${url.pathname}${url.search}`;
  // Absolute-form targets (`GET http://host/path`) are legal HTTP; keep only the path.
  if (!target.startsWith("/")) target = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?]*/iu, "") || "/";
  const question = target.indexOf("?");
  const rawPath = question < 0 ? target : target.slice(0, question);
  const rawQuery = question < 0 ? "" : target.slice(question + 1);
  const query = new Map<string, string>();
  for (const pair of rawQuery.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const name = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
    if (!query.has(name)) query.set(name, eq < 0 ? "" : decodeQueryPart(pair.slice(eq + 1)));
  }
  const path = rawPath.slice(1);
  const slash = path.indexOf("/");
  const bucket = decodeURIComponent(slash < 0 ? path : path.slice(0, slash));
  const rawKey = slash < 0 ? "" : path.slice(slash + 1);
  return { rawPath, rawQuery, query, bucket, key: rawKey === "" ? undefined : decodeURIComponent(rawKey) };
}

function decodeQueryPart(part: string): string {
  return decodeURIComponent(part.replace(/\+/gu, " "));
}
