import type { Hash } from "node:crypto";
import { S3Client } from "@aws-sdk/client-s3";

/** The key pair the S3 integration tests start their servers with (PIPEWRIGHT_CREDENTIALS). */
export const CREDENTIALS = { accessKeyId: "AKIDS3TEST", secretAccessKey: "s3-test-secret/with+chars" };

/** The SDK's S3 client for a Pipewright endpoint: path-style, one attempt, no outside lookups. */
export function s3Client(endpoint: string, credentials = CREDENTIALS): S3Client {
  return new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials, maxAttempts: 1 });
}

/**
 * `size` pseudo-random bytes in 1 MiB chunks, made as they are read (never all in memory), each
 * chunk also fed to `digest` so the sender knows the body's hash without keeping it.
 */
export async function* deterministicBytes(size: number, digest?: Hash): AsyncIterable<Buffer> {
  let seed = 0x2545f491;
  for (let sent = 0; sent < size; sent += 1 << 20) {
    const chunk = Buffer.alloc(Math.min(1 << 20, size - sent));
    for (let i = 0; i + 4 <= chunk.length; i += 4) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      chunk.writeInt32LE(seed | 0, i);
    }
    digest?.update(chunk);
    yield chunk;
  }
}
