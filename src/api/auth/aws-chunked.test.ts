import { describe, expect, it } from "vitest";
import { decodeAwsChunked } from "./aws-chunked.js";
import { crc32c, runningChecksum } from "./checksums.js";
import { checkPayload } from "./payload-checks.js";
import { PayloadError } from "./payload-error.js";
import { signingKey } from "./sigv4.js";

// The worked examples of https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
// sigv4-streaming-trailers.html: 66,560 bytes of 'a' in chunks of 65,536 and 1,024 bytes.
const key = signingKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3");
const signing = (seedSignature: string) => ({
  signingKey: key,
  amzDate: "20130524T000000Z",
  scope: "20130524/us-east-1/s3/aws4_request",
  seedSignature,
});
const SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
const SIGNATURES = [
  "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
  "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
  "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
];
const TRAILER_SEED = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
const TRAILER_SIGNATURES = [
  "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
  "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
  "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
];
const TRAILER =
  "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n";

/** The documented body: two signed data chunks, the final chunk, then a trailer or the blank line. */
function documentedBody(signatures: string[], trailer = "\r\n"): Buffer {
  const a = (n: number) => "a".repeat(n);
  return Buffer.from(
    `10000;chunk-signature=${signatures[0]}\r\n${a(65536)}\r\n` +
      `400;chunk-signature=${signatures[1]}\r\n${a(1024)}\r\n` +
      `0;chunk-signature=${signatures[2]}\r\n${trailer}`,
  );
}

/** `bytes` as a stream cut into pieces of `size`: frames never line up with network reads. */
async function* pieces(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function failure(body: AsyncIterable<Uint8Array>): Promise<PayloadError> {
  const error = await collect(body).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PayloadError);
  return error as PayloadError;
}

describe("aws-chunked decoding", () => {
  it("decodes AWS's signed example and checks every chunk signature, however the bytes arrive", async () => {
    const body = documentedBody(SIGNATURES);
    for (const size of [1, 7, 100, 65_536, body.length]) {
      const decoded = await collect(decodeAwsChunked(pieces(body, size), { signing: signing(SEED) }));
      expect(decoded.equals(Buffer.alloc(66_560, "a"))).toBe(true);
    }
  });

  it("refuses a changed byte, a wrong seed, a swapped signature or a missing final chunk", async () => {
    const body = documentedBody(SIGNATURES);
    const changed = Buffer.from(body);
    changed[100] = "b".charCodeAt(0);
    const decode = (bytes: Buffer, seed = SEED) =>
      decodeAwsChunked(pieces(bytes, 4096), { signing: signing(seed) });
    expect((await failure(decode(changed))).code).toBe("SignatureDoesNotMatch");
    expect((await failure(decode(body, TRAILER_SEED))).code).toBe("SignatureDoesNotMatch");
    const swapped = documentedBody([SIGNATURES[1]!, SIGNATURES[0]!, SIGNATURES[2]!]);
    expect((await failure(decode(swapped))).code).toBe("SignatureDoesNotMatch");
    const truncated = body.subarray(0, body.indexOf("0;chunk-signature"));
    expect((await failure(decode(truncated))).code).toBe("IncompleteBody");
  });

  it("decodes AWS's trailer example: chunk and trailer signatures, and the CRC32C trailer", async () => {
    const body = documentedBody(TRAILER_SIGNATURES, TRAILER);
    const trailers = new Map<string, string>();
    const decoded = decodeAwsChunked(pieces(body, 333), {
      signing: signing(TRAILER_SEED),
      signedTrailer: true,
      trailers,
    });
    const checked = checkPayload(decoded, {
      length: 66_560,
      checksum: { algorithm: "crc32c", expected: () => trailers.get("x-amz-checksum-crc32c") },
    });
    expect((await collect(checked)).length).toBe(66_560);
    expect(trailers).toEqual(new Map([["x-amz-checksum-crc32c", "sOO8/Q=="]]));

    const forged = documentedBody(TRAILER_SIGNATURES, TRAILER.replace("sOO8/Q==", "AAAAAA=="));
    const refused = decodeAwsChunked(pieces(forged, 4096), {
      signing: signing(TRAILER_SEED),
      signedTrailer: true,
    });
    expect((await failure(refused)).code).toBe("SignatureDoesNotMatch");
  });

  it("decodes the unsigned trailer encoding the AWS SDKs send by default, and checks its checksum", async () => {
    const data = Buffer.from("hello, pipewright");
    const crc = runningChecksum("crc32");
    crc.update(data);
    const body = (checksum: string) =>
      Buffer.from(`5\r\nhello\r\nc\r\n, pipewright\r\n0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`);
    const decode = (bytes: Buffer) => {
      const trailers = new Map<string, string>();
      return checkPayload(decodeAwsChunked(pieces(bytes, 3), { trailers }), {
        length: data.length,
        checksum: { algorithm: "crc32", expected: () => trailers.get("x-amz-checksum-crc32") },
      });
    };
    expect((await collect(decode(body(crc.digest())))).toString()).toBe("hello, pipewright");
    expect((await failure(decode(body("AAAAAA==")))).code).toBe("BadDigest");
  });

  it("refuses malformed framing", async () => {
    const decode = (text: string) => decodeAwsChunked(pieces(Buffer.from(text), 5));
    expect((await failure(decode("zz\r\nabc\r\n0\r\n\r\n"))).code).toBe("InvalidRequest");
    expect((await failure(decode("3\r\nabcdef\r\n0\r\n\r\n"))).code).toBe("InvalidRequest");
    expect((await failure(decode("10\r\nabc"))).code).toBe("IncompleteBody");
    expect((await failure(decode(""))).code).toBe("IncompleteBody");
  });
});

describe("payload checks", () => {
  it("computes CRC32C (Castagnoli) as the standard check value says", () => {
    expect(crc32c(Buffer.from("123456789")).toString(16)).toBe("e3069283");
    expect(crc32c(Buffer.from("6789"), crc32c(Buffer.from("12345")))).toBe(0xe3069283);
  });

  it("passes a matching SHA-256 and MD5, and refuses a body that does not match what it declared", async () => {
    const body = Buffer.from("abc");
    const sha256Hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const contentMd5 = "kAFQmDzST7DWlj99KOF/cg==";
    expect((await collect(checkPayload(pieces(body, 1), { sha256Hex, contentMd5 }))).toString()).toBe("abc");
    const other = () => pieces(Buffer.from("abd"), 2);
    expect((await failure(checkPayload(other(), { sha256Hex }))).code).toBe("XAmzContentSHA256Mismatch");
    expect((await failure(checkPayload(other(), { contentMd5 }))).code).toBe("BadDigest");
    expect((await failure(checkPayload(other(), { length: 4 }))).code).toBe("IncompleteBody");
  });
});
