/**
 * A request body that fails a check while it streams: a chunk signature, a declared SHA-256 or
 * checksum, the declared length, or the aws-chunked framing. Thrown from inside the body's
 * iteration, so whatever consumes the body (the object store) stores nothing and rethrows it;
 * `code` is the S3 error code the front end answers with.
 */
export class PayloadError extends Error {
  override readonly name = "PayloadError";
  constructor(
    readonly code:
      | "SignatureDoesNotMatch"
      | "XAmzContentSHA256Mismatch"
      | "BadDigest"
      | "IncompleteBody"
      | "InvalidRequest",
    message: string,
  ) {
    super(message);
  }
}
