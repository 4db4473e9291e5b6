import type { ChunkSigning } from "../auth/aws-chunked.js";
import {
  canonicalHeaders,
  canonicalPath,
  canonicalQuery,
  hmacHex,
  parseAmzDate,
  parseAuthorization,
  sha256Hex,
  signaturesEqual,
  signingKey,
} from "../auth/sigv4.js";
import type { CredentialsResolver } from "./deps.js";
import { type PayloadMode, payloadMode } from "./payload-mode.js";
import type { RequestTarget } from "./request-target.js";
import { s3Error } from "./s3-errors.js";

export interface S3Principal {
  /** "anonymous" for an unsigned request (only accepted when signatures are not required). */
  readonly accessKeyId: string;
  /** From the credential scope, when the request carries one. */
  readonly region?: string;
  /** Temporary keys' bucket list (see S3Credentials). */
  readonly buckets?: readonly string[];
  readonly payload: PayloadMode;
}

export interface S3AuthRequest {
  readonly method: string;
  readonly headers: Headers;
  readonly target: RequestTarget;
  readonly nowMs: number;
  readonly requireSignature: boolean;
  readonly resolveCredentials: CredentialsResolver;
}

const SKEW_MS = 15 * 60_000;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

/** The parts every SigV4 flavour shares, however they were sent. */
interface Signed {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly amzDate: string;
  readonly payloadHash: string;
  readonly presigned: boolean;
  readonly sessionToken: string | null;
}

/**
 * Authenticates an S3 request: SigV4 in the Authorization header (with any payload mode) or in
 * the query string (a presigned URL). Throws S3Error with S3's code on failure.
 */
export async function authenticateS3(request: S3AuthRequest): Promise<S3Principal> {
  const signed = readSignature(request);
  const declaredHash = signed?.payloadHash ?? request.headers.get("x-amz-content-sha256") ?? undefined;
  if (!request.requireSignature) {
    return {
      accessKeyId: signed?.accessKeyId ?? "anonymous",
      ...(signed ? { region: signed.region } : {}),
      payload: payloadMode(declaredHash, undefined),
    };
  }
  if (!signed) throw s3Error("AccessDenied", "Access Denied: this server requires SigV4-signed requests.");
  const credentials = await request.resolveCredentials(signed.accessKeyId);
  if (!credentials) throw s3Error("InvalidAccessKeyId", undefined, { AWSAccessKeyId: signed.accessKeyId });
  if (credentials.sessionToken !== undefined && signed.sessionToken !== credentials.sessionToken) {
    throw s3Error("InvalidToken");
  }
  checkTime(signed, request.nowMs, request.target);
  if (signed.payloadHash === "") {
    throw s3Error("InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  }

  const canonical = [
    request.method,
    canonicalPath(request.target.rawPath, "s3"),
    canonicalQuery(request.target.rawQuery, signed.presigned ? "X-Amz-Signature" : undefined),
    canonicalHeaders(signed.signedHeaders, request.headers),
    signed.signedHeaders.join(";"),
    signed.payloadHash,
  ].join("\n");
  const scope = `${signed.date}/${signed.region}/${signed.service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", signed.amzDate, scope, sha256Hex(canonical)].join("\n");
  const key = signingKey(credentials.secretAccessKey, signed.date, signed.region, signed.service);
  if (!signaturesEqual(hmacHex(key, toSign), signed.signature)) {
    throw s3Error("SignatureDoesNotMatch", undefined, {
      AWSAccessKeyId: signed.accessKeyId,
      StringToSign: toSign,
      SignatureProvided: signed.signature,
      CanonicalRequest: canonical,
    });
  }
  const signing: ChunkSigning = {
    signingKey: key,
    amzDate: signed.amzDate,
    scope,
    seedSignature: signed.signature,
  };
  return {
    accessKeyId: signed.accessKeyId,
    region: signed.region,
    ...(credentials.buckets ? { buckets: credentials.buckets } : {}),
    payload: payloadMode(signed.payloadHash, signing),
  };
}

/** The signature from the header or the query; undefined when the request carries none. */
function readSignature(request: S3AuthRequest): Signed | undefined {
  const { headers, target } = request;
  const header = headers.get("authorization");
  const presigned = target.query.has("X-Amz-Algorithm") || target.query.has("X-Amz-Credential");
  if (header !== null && presigned) {
    throw s3Error(
      "InvalidArgument",
      "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified",
    );
  }
  if (header !== null) {
    const parsed = parseAuthorization(header);
    if (!parsed) {
      if (!request.requireSignature) return undefined; // unsigned mode ignores what it cannot read
      throw header.startsWith("AWS4-HMAC-SHA256")
        ? s3Error(
            "AuthorizationHeaderMalformed",
            "The authorization header is malformed; it needs Credential, SignedHeaders and Signature.",
          )
        : s3Error("InvalidRequest", "Pipewright accepts only AWS Signature Version 4 (AWS4-HMAC-SHA256).");
    }
    return {
      ...parsed,
      amzDate: headers.get("x-amz-date") ?? "",
      payloadHash: headers.get("x-amz-content-sha256") ?? "",
      presigned: false,
      sessionToken: headers.get("x-amz-security-token"),
    };
  }
  if (!presigned) return undefined;
  const q = (name: string) => target.query.get(name);
  const scope = q("X-Amz-Credential")?.split("/");
  if (
    q("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256" ||
    scope?.length !== 5 ||
    !q("X-Amz-SignedHeaders") ||
    !q("X-Amz-Signature")
  ) {
    if (!request.requireSignature) return undefined;
    throw s3Error(
      "AuthorizationQueryParametersError",
      "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
    );
  }
  return {
    accessKeyId: scope[0]!,
    date: scope[1]!,
    region: scope[2]!,
    service: scope[3]!,
    signedHeaders: q("X-Amz-SignedHeaders")!.split(";"),
    signature: q("X-Amz-Signature")!,
    amzDate: q("X-Amz-Date") ?? "",
    // The SDKs' presigners sign UNSIGNED-PAYLOAD and hoist it into the query.
    payloadHash: headers.get("x-amz-content-sha256") ?? q("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD",
    presigned: true,
    sessionToken: q("X-Amz-Security-Token") ?? null,
  };
}

/** Header signatures must be within 15 minutes of now; presigned URLs within their X-Amz-Expires. */
function checkTime(signed: Signed, nowMs: number, target: RequestTarget): void {
  const signedAt = parseAmzDate(signed.amzDate);
  if (signedAt === undefined) {
    throw signed.presigned
      ? s3Error(
          "AuthorizationQueryParametersError",
          "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
        )
      : s3Error("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
  }
  if (!signed.presigned) {
    if (Math.abs(nowMs - signedAt) > SKEW_MS) {
      throw s3Error("RequestTimeTooSkewed", undefined, {
        RequestTime: signed.amzDate,
        ServerTime: new Date(nowMs).toISOString(),
        MaxAllowedSkewMilliseconds: String(SKEW_MS),
      });
    }
    return;
  }
  const expires = Number(target.query.get("X-Amz-Expires"));
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_SECONDS) {
    throw s3Error(
      "AuthorizationQueryParametersError",
      "X-Amz-Expires must be a whole number of seconds from 1 to 604800 (seven days).",
    );
  }
  if (nowMs + SKEW_MS < signedAt) throw s3Error("AccessDenied", "Request is not valid yet");
  if (nowMs > signedAt + expires * 1000) {
    throw s3Error("AccessDenied", "Request has expired", {
      Expires: new Date(signedAt + expires * 1000).toISOString(),
      ServerTime: new Date(nowMs).toISOString(),
    });
  }
}
