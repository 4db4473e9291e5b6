import { createHash } from "node:crypto";
import { ByteReader } from "./byte-reader.js";
import { PayloadError } from "./payload-error.js";
import { hmacHex, sha256Hex, signaturesEqual } from "./sigv4.js";

/**
 * S3's aws-chunked body encoding, decoded as it streams. The format
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html):
 *
 *     <size hex>[;chunk-signature=<sig>]\r\n<size bytes>\r\n     repeated, then
 *     0[;chunk-signature=<sig>]\r\n                               the final, empty chunk, then
 *     [<trailer name>:<value>\r\n ...]\r\n                       trailing headers (checksums)
 *
 * With STREAMING-AWS4-HMAC-SHA256-PAYLOAD each chunk's signature chains from the previous one,
 * starting at the request's own (seed) signature, so no chunk can be dropped, reordered or
 * changed. A chunk's bytes are passed on before its signature is checked (chunks can be large);
 * a bad signature throws before the stream ends, and the store keeps nothing of a body that
 * throws.
 */
export interface ChunkSigning {
  readonly signingKey: Buffer;
  readonly amzDate: string;
  /** `<date>/<region>/s3/aws4_request` */
  readonly scope: string;
  readonly seedSignature: string;
}

export interface AwsChunkedOptions {
  /** Verify every chunk signature with this; absent: signatures are ignored (unsigned requests). */
  readonly signing?: ChunkSigning | undefined;
  /** The trailer carries `x-amz-trailer-signature` (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER). */
  readonly signedTrailer?: boolean;
  /** Receives the trailing headers (lower-case names) once the last chunk is read. */
  readonly trailers?: Map<string, string>;
}

const EMPTY_SHA256 = sha256Hex("");

export async function* decodeAwsChunked(
  source: AsyncIterable<Uint8Array>,
  options: AwsChunkedOptions = {},
): AsyncIterable<Uint8Array> {
  const reader = new ByteReader(source);
  const signing = options.signing;
  let previous = signing?.seedSignature ?? "";
  try {
    for (;;) {
      const header = await reader.readLine();
      if (header === undefined) {
        throw new PayloadError("IncompleteBody", "The aws-chunked body ended before its final chunk.");
      }
      const { size, signature } = parseChunkHeader(header);
      const hash = signing ? createHash("sha256") : undefined;
      for await (const piece of reader.read(size)) {
        hash?.update(piece);
        yield piece;
      }
      if (signing) {
        const toSign = ["AWS4-HMAC-SHA256-PAYLOAD", signing.amzDate, signing.scope, previous, EMPTY_SHA256];
        toSign.push(hash!.digest("hex"));
        if (
          signature === undefined ||
          !signaturesEqual(hmacHex(signing.signingKey, toSign.join("\n")), signature)
        ) {
          throw new PayloadError(
            "SignatureDoesNotMatch",
            "The chunk signature we calculated does not match the signature you provided.",
          );
        }
        previous = signature;
      }
      if (size === 0) break;
      if ((await reader.readLine()) !== "") {
        throw new PayloadError("InvalidRequest", "An aws-chunked chunk is longer than its declared size.");
      }
    }
    await readTrailers(reader, options, previous);
  } finally {
    await reader.close();
  }
}

function parseChunkHeader(line: string): { size: number; signature?: string } {
  const [hex = "", ...extensions] = line.split(";");
  if (!/^[0-9a-fA-F]{1,12}$/u.test(hex.trim())) {
    throw new PayloadError("InvalidRequest", `'${line.slice(0, 40)}' is not an aws-chunked chunk header.`);
  }
  const signature = extensions
    .map((e) => e.trim().split("="))
    .find(([name]) => name === "chunk-signature")?.[1];
  return { size: Number.parseInt(hex, 16), ...(signature !== undefined ? { signature } : {}) };
}

/** Reads trailing `name:value` lines up to the blank line, checking a trailer signature. */
async function readTrailers(reader: ByteReader, options: AwsChunkedOptions, previous: string): Promise<void> {
  const trailers: [string, string][] = [];
  let trailerSignature: string | undefined;
  for (;;) {
    const line = await reader.readLine();
    if (line === undefined || line === "") break; // some clients end without the blank line
    const colon = line.indexOf(":");
    if (colon <= 0) throw new PayloadError("InvalidRequest", "An aws-chunked trailer line has no ':'.");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "x-amz-trailer-signature") trailerSignature = value;
    else trailers.push([name, value]);
  }
  const signing = options.signing;
  if (signing && options.signedTrailer) {
    const canonical = trailers.map(([name, value]) => `${name}:${value}\n`).join("");
    const toSign = [
      "AWS4-HMAC-SHA256-TRAILER",
      signing.amzDate,
      signing.scope,
      previous,
      sha256Hex(canonical),
    ];
    if (
      trailerSignature === undefined ||
      !signaturesEqual(hmacHex(signing.signingKey, toSign.join("\n")), trailerSignature)
    ) {
      throw new PayloadError(
        "SignatureDoesNotMatch",
        "The trailer signature we calculated does not match the signature you provided.",
      );
    }
  }
  for (const [name, value] of trailers) options.trailers?.set(name, value);
}
