import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * The flexible checksums S3 accepts (`x-amz-checksum-<algorithm>`, as a header or an aws-chunked
 * trailer): running digests whose result is base64, as S3 sends them. CRC64NVME is not offered
 * here, so a body declaring it is stored without that check.
 */
export interface RunningChecksum {
  update(chunk: Uint8Array): void;
  /** Base64 of the big-endian digest. */
  digest(): string;
}

export type ChecksumAlgorithm = "crc32" | "crc32c" | "sha1" | "sha256";

export const checksumAlgorithms: readonly ChecksumAlgorithm[] = ["crc32", "crc32c", "sha1", "sha256"];

export function runningChecksum(algorithm: ChecksumAlgorithm): RunningChecksum {
  if (algorithm === "sha1" || algorithm === "sha256") {
    const hash = createHash(algorithm);
    return { update: (chunk) => hash.update(chunk), digest: () => hash.digest("base64") };
  }
  let value = 0;
  const step = algorithm === "crc32" ? crc32 : crc32c;
  return {
    update(chunk) {
      value = step(chunk, value);
    },
    digest() {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out.toString("base64");
    },
  };
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), continuing from `previous` like zlib's crc32. */
export function crc32c(data: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
