import type { ChunkSigning } from "../auth/aws-chunked.js";
import { s3Error } from "./s3-errors.js";

/** How the body is framed and what protects it, from x-amz-content-sha256. */
export type PayloadMode =
  | { readonly kind: "plain"; readonly sha256Hex?: string }
  | { readonly kind: "chunked"; readonly signing?: ChunkSigning; readonly signedTrailer: boolean };

/** Reads x-amz-content-sha256; `signing` is only given once the request's signature checked out. */
export function payloadMode(declared: string | undefined, signing: ChunkSigning | undefined): PayloadMode {
  switch (declared) {
    case undefined:
    case "":
    case "UNSIGNED-PAYLOAD":
      return { kind: "plain" };
    case "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
      return { kind: "chunked", signedTrailer: false };
    case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD":
      return { kind: "chunked", signedTrailer: false, ...(signing ? { signing } : {}) };
    case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER":
      return { kind: "chunked", signedTrailer: true, ...(signing ? { signing } : {}) };
    default:
      if (/^[0-9a-f]{64}$/u.test(declared)) return { kind: "plain", sha256Hex: declared };
      if (declared.startsWith("STREAMING-")) {
        throw s3Error("NotImplemented", `Pipewright does not support the payload signing mode ${declared}.`);
      }
      throw s3Error(
        "InvalidArgument",
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER) or a valid sha256 value.",
      );
  }
}
