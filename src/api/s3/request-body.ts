import { decodeAwsChunked } from "../auth/aws-chunked.js";
import { type ChecksumAlgorithm, checksumAlgorithms } from "../auth/checksums.js";
import { checkPayload, type PayloadExpectations } from "../auth/payload-checks.js";
import type { PayloadMode } from "./payload-mode.js";
import { s3Error } from "./s3-errors.js";

/**
 * The request body as a stream of the object's bytes: aws-chunked framing removed, and every
 * declared digest (SHA-256, Content-MD5, x-amz-checksum-*, chunk signatures) checked as it
 * streams. A failed check throws PayloadError from inside the iteration.
 */
export function objectBody(request: Request, payload: PayloadMode): AsyncIterable<Uint8Array> {
  const headers = request.headers;
  const contentMd5 = headers.get("content-md5") ?? undefined;
  if (contentMd5 !== undefined && Buffer.from(contentMd5, "base64").length !== 16)
    throw s3Error("InvalidDigest");
  const raw = chunksOf(request);
  if (payload.kind === "plain") {
    return checkPayload(raw, { sha256Hex: payload.sha256Hex, contentMd5, checksum: headerChecksum(headers) });
  }
  const trailers = new Map<string, string>();
  const decoded = decodeAwsChunked(raw, {
    signing: payload.signing,
    signedTrailer: payload.signedTrailer,
    trailers,
  });
  const declaredLength = headers.get("x-amz-decoded-content-length");
  const expectations: PayloadExpectations = {
    contentMd5,
    length: declaredLength === null ? undefined : Number(declaredLength),
    checksum: headerChecksum(headers) ?? trailerChecksum(headers.get("x-amz-trailer"), trailers),
  };
  return checkPayload(decoded, expectations);
}

/** A checksum sent as a header (`x-amz-checksum-crc32: …`). */
function headerChecksum(headers: Headers): PayloadExpectations["checksum"] {
  for (const algorithm of checksumAlgorithms) {
    const value = headers.get(`x-amz-checksum-${algorithm}`);
    if (value !== null) return { algorithm, expected: () => value };
  }
  return undefined;
}

/** A checksum announced by `x-amz-trailer` and sent after the last chunk. */
function trailerChecksum(
  announced: string | null,
  trailers: Map<string, string>,
): PayloadExpectations["checksum"] {
  const name = announced?.trim().toLowerCase();
  const algorithm = name?.replace(/^x-amz-checksum-/u, "") as ChecksumAlgorithm | undefined;
  if (!name || !algorithm || !checksumAlgorithms.includes(algorithm)) return undefined;
  return { algorithm, expected: () => trailers.get(name) };
}

/**
 * The raw body's chunks. Reads through a reader that is released (not cancelled) when the
 * consumer stops early, so the rest can still be drained: cancelling would destroy the socket,
 * and the client would see a reset instead of our error answer.
 */
export async function* chunksOf(request: Request): AsyncIterable<Uint8Array> {
  if (!request.body || request.bodyUsed) return;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** A small XML request document, at most `limit` bytes (S3 caps these too). */
export async function readSmallBody(body: AsyncIterable<Uint8Array>, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw s3Error("InvalidRequest", `The request document is larger than ${limit} bytes.`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads and discards whatever the handler left of the body, so the connection can carry the
 * next request (keep-alive) and the client is not cut off while still sending.
 */
export async function drainBody(request: Request): Promise<void> {
  try {
    if (!request.body || request.body.locked) return;
    const reader = request.body.getReader();
    for (;;) if ((await reader.read()).done) return;
  } catch {
    // The client went away: nothing left to drain.
  }
}
