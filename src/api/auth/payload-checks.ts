import { createHash } from "node:crypto";
import { type ChecksumAlgorithm, runningChecksum } from "./checksums.js";
import { PayloadError } from "./payload-error.js";

/** What a request declared about its (decoded) body; each is checked as the body streams. */
export interface PayloadExpectations {
  /** x-amz-content-sha256 when it is a hex digest. */
  readonly sha256Hex?: string | undefined;
  /** Content-MD5 (base64). */
  readonly contentMd5?: string | undefined;
  /** x-amz-decoded-content-length of an aws-chunked body. */
  readonly length?: number | undefined;
  /**
   * An `x-amz-checksum-*` value. `expected` is asked at the end, because a trailer only arrives
   * after the last chunk; undefined then means none was sent, and nothing is checked.
   */
  readonly checksum?: { readonly algorithm: ChecksumAlgorithm; readonly expected: () => string | undefined };
}

/**
 * Passes `source` through and, when it ends, compares what it declared with what came. A
 * mismatch throws instead of ending, so the consumer (the object store) never commits the body.
 */
export async function* checkPayload(
  source: AsyncIterable<Uint8Array>,
  expect: PayloadExpectations,
): AsyncIterable<Uint8Array> {
  const sha256 = expect.sha256Hex !== undefined ? createHash("sha256") : undefined;
  const md5 = expect.contentMd5 !== undefined ? createHash("md5") : undefined;
  const checksum = expect.checksum && runningChecksum(expect.checksum.algorithm);
  let length = 0;
  for await (const chunk of source) {
    sha256?.update(chunk);
    md5?.update(chunk);
    checksum?.update(chunk);
    length += chunk.length;
    yield chunk;
  }
  if (expect.length !== undefined && length !== expect.length) {
    throw new PayloadError(
      "IncompleteBody",
      `The body holds ${length} bytes, but x-amz-decoded-content-length says ${expect.length}.`,
    );
  }
  if (sha256 && sha256.digest("hex") !== expect.sha256Hex) {
    throw new PayloadError(
      "XAmzContentSHA256Mismatch",
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  if (md5 && md5.digest("base64") !== expect.contentMd5) {
    throw new PayloadError("BadDigest", "The Content-MD5 you specified did not match what we received.");
  }
  const declared = expect.checksum?.expected();
  if (checksum && declared !== undefined && checksum.digest() !== declared) {
    const name = expect.checksum!.algorithm.toUpperCase();
    throw new PayloadError("BadDigest", `The ${name} you specified did not match the calculated checksum.`);
  }
}
