import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Server-side AWS Signature Version 4 for header-signed requests (JSON 1.1 services). Returns
 * AWS's own error types and messages; the caller answers with them. The exported building blocks
 * (signing key, canonical parts) are shared with S3's verification (api/s3/s3-auth.ts), which
 * adds presigned URLs and streaming payloads.
 */
export interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: string[];
  readonly signature: string;
}

export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  if (!header.startsWith("AWS4-HMAC-SHA256 ")) return undefined;
  const parts = new Map<string, string>();
  for (const piece of header.slice(17).split(",")) {
    const eq = piece.indexOf("=");
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const scope = parts.get("Credential")?.split("/");
  const signedHeaders = parts.get("SignedHeaders");
  const signature = parts.get("Signature");
  if (scope?.length !== 5 || !signedHeaders || !signature) return undefined;
  return {
    accessKeyId: scope[0]!,
    date: scope[1]!,
    region: scope[2]!,
    service: scope[3]!,
    signedHeaders: signedHeaders.split(";"),
    signature,
  };
}

export type VerifyResult =
  | { ok: true; accessKeyId: string; region: string; service: string }
  | { ok: false; status: number; type: string; message: string };

const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** Hex SHA-256, as SigV4 hashes canonical requests and payloads. */
export const sha256Hex = sha256;

/** The SigV4 signing key of a secret for one day, region and service. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
}

/** Hex HMAC-SHA256 of `data`: a SigV4 signature when `key` is a signing key. */
export function hmacHex(key: Buffer, data: string): string {
  return createHmac("sha256", key).update(data).digest("hex");
}

/** Compares two hex signatures in constant time. */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `20260101T120000Z` as milliseconds since the epoch; undefined when malformed. */
export function parseAmzDate(amzDate: string): number | undefined {
  if (!/^\d{8}T\d{6}Z$/u.test(amzDate)) return undefined;
  const ms = Date.UTC(
    +amzDate.slice(0, 4),
    +amzDate.slice(4, 6) - 1,
    +amzDate.slice(6, 8),
    +amzDate.slice(9, 11),
    +amzDate.slice(11, 13),
    +amzDate.slice(13, 15),
  );
  return Number.isNaN(ms) ? undefined : ms;
}

/** `name:value` lines of the signed headers: values trimmed, runs of spaces made one. */
export function canonicalHeaders(
  signedHeaders: readonly string[],
  headers: { get(name: string): string | null },
) {
  return signedHeaders.map((h) => `${h}:${(headers.get(h) ?? "").trim().replace(/\s+/gu, " ")}\n`).join("");
}

/**
 * The canonical query string: every parameter decoded and encoded again the SigV4 way, sorted.
 * `omit` leaves a parameter out (a presigned URL's X-Amz-Signature). Throws URIError on a
 * malformed percent-escape.
 */
export function canonicalQuery(rawQuery: string, omit?: string): string {
  if (!rawQuery) return "";
  return rawQuery
    .split("&")
    .filter(Boolean)
    .filter((pair) => omit === undefined || pair.split("=", 1)[0] !== omit)
    .map((pair) => {
      const eq = pair.indexOf("=");
      const k = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/gu, " "));
      const v = eq < 0 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/gu, " "));
      return [encode(k), encode(v)] as const;
    })
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/**
 * The canonical URI: S3 signs the path as sent; other services encode each segment once more,
 * escapes included (a Lambda ARN sent as `arn%3Aaws%3A...` is signed as `arn%253Aaws%253A...`,
 * as botocore and SDK v3 do). A malformed escape still throws.
 */
export function canonicalPath(rawPath: string, service: string): string {
  if (service === "s3") return rawPath || "/";
  return (
    rawPath
      .split("/")
      .map((seg) => {
        decodeURIComponent(seg);
        return encode(seg);
      })
      .join("/") || "/"
  );
}

export interface SignedRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  /** Lower-case header names. */
  readonly headers: { get(name: string): string | null };
  readonly body: Uint8Array;
}

export function verifySigV4(
  request: SignedRequest,
  lookupSecret: (accessKeyId: string) => string | undefined,
  nowMs: number,
): VerifyResult {
  const header = request.headers.get("authorization");
  if (!header)
    return {
      ok: false,
      status: 403,
      type: "MissingAuthenticationTokenException",
      message: "Missing Authentication Token",
    };
  const auth = parseAuthorization(header);
  if (!auth) {
    return {
      ok: false,
      status: 400,
      type: "IncompleteSignatureException",
      message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${header.split(" ")[0]}`,
    };
  }
  const secret = lookupSecret(auth.accessKeyId);
  if (secret === undefined) {
    return {
      ok: false,
      status: 403,
      type: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    };
  }
  const amzDate = request.headers.get("x-amz-date") ?? "";
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || Math.abs(nowMs - signedAt) > 15 * 60_000) {
    const fmt = (ms: number) => new Date(ms).toISOString().replace(/[-:]/gu, "").replace(/\.\d+/u, "");
    // AWS's two messages: a clock behind by more than 15 minutes, or ahead by more.
    const future = signedAt !== undefined && signedAt > nowMs;
    return {
      ok: false,
      status: 403,
      type: "InvalidSignatureException",
      message: future
        ? `Signature not yet current: ${amzDate} is still later than ${fmt(nowMs + 15 * 60_000)} (${fmt(nowMs)} + 15 min.)`
        : `Signature expired: ${amzDate} is now earlier than ${fmt(nowMs - 15 * 60_000)} (${fmt(nowMs)} - 15 min.)`,
    };
  }
  const declaredHash = request.headers.get("x-amz-content-sha256");
  const bodyHash = sha256(request.body);
  if (declaredHash && /^[0-9a-f]{64}$/u.test(declaredHash) && declaredHash !== bodyHash) {
    return {
      ok: false,
      status: 400,
      type: "XAmzContentSHA256Mismatch",
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    };
  }
  let path: string;
  let query: string;
  try {
    path = canonicalPath(request.rawPath, auth.service);
    query = canonicalQuery(request.rawQuery);
  } catch {
    // A malformed percent-escape (`%ZZ`): no canonical request exists, so no signature matches.
    return {
      ok: false,
      status: 403,
      type: "InvalidSignatureException",
      message:
        "The request signature we calculated does not match the signature you provided: the path or query holds a malformed percent-escape; encode '%' as '%25'",
    };
  }
  const canonical = [
    request.method,
    path,
    query,
    canonicalHeaders(auth.signedHeaders, request.headers),
    auth.signedHeaders.join(";"),
    declaredHash ?? bodyHash,
  ].join("\n");
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  const key = signingKey(secret, auth.date, auth.region, auth.service);
  if (!signaturesEqual(hmacHex(key, toSign), auth.signature)) {
    return {
      ok: false,
      status: 403,
      type: "InvalidSignatureException",
      message:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    };
  }
  return { ok: true, accessKeyId: auth.accessKeyId, region: auth.region, service: auth.service };
}
