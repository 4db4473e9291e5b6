import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32, createInflateRaw } from "node:zlib";
import type { ByteSource } from "./byte-source.js";
import type { CentralEntry } from "./central-directory.js";
import {
  FLAG_ENCRYPTED,
  LOCAL_HEADER_LENGTH,
  LOCAL_HEADER_SIGNATURE,
  METHOD_DEFLATED,
  METHOD_STORED,
} from "./format.js";

const CHUNK = 64 * 1024;

/**
 * The uncompressed bytes of one entry, read piecewise from `source` and checked against the
 * central directory's size and CRC-32 (the iteration throws, naming the entry, on a mismatch,
 * an encrypted entry or a compression method other than stored and deflate). The data's start
 * comes from the local header, whose name and extra lengths may differ from the central ones.
 */
export async function* readEntryData(source: ByteSource, entry: CentralEntry): AsyncGenerator<Buffer> {
  if ((entry.flags & FLAG_ENCRYPTED) !== 0) throw new Error(`zip: entry '${entry.name}' is encrypted`);
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED) {
    throw new Error(
      `zip: entry '${entry.name}' uses compression method ${entry.method} (only stored and deflate are supported)`,
    );
  }
  const local = await source.read(entry.localHeaderOffset, LOCAL_HEADER_LENGTH);
  if (local.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) {
    throw new Error(`zip: the local header of entry '${entry.name}' is missing (corrupt archive)`);
  }
  const start =
    entry.localHeaderOffset + LOCAL_HEADER_LENGTH + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (start + entry.compressedSize > source.size) {
    throw new Error(`zip: the data of entry '${entry.name}' runs past the end of the archive`);
  }
  const compressed = readRange(source, start, entry.compressedSize);
  const data = entry.method === METHOD_STORED ? compressed : inflate(compressed, entry.name);
  let crc = 0;
  let size = 0;
  for await (const chunk of data) {
    size += chunk.length;
    if (size > entry.size)
      throw new Error(`zip: entry '${entry.name}' holds more than its recorded ${entry.size} bytes`);
    crc = crc32(chunk, crc);
    yield chunk;
  }
  if (size !== entry.size)
    throw new Error(`zip: entry '${entry.name}' holds ${size} bytes, not its recorded ${entry.size}`);
  if (crc >>> 0 !== entry.crc32)
    throw new Error(`zip: entry '${entry.name}' fails its CRC-32 check (corrupt archive)`);
}

/** All of an entry's bytes in memory (symlink targets and other small entries). */
export async function readEntryBytes(source: ByteSource, entry: CentralEntry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of readEntryData(source, entry)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* readRange(source: ByteSource, start: number, length: number): AsyncGenerator<Buffer> {
  for (let done = 0; done < length; done += CHUNK) {
    yield await source.read(start + done, Math.min(CHUNK, length - done));
  }
}

async function* inflate(compressed: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const inflater = createInflateRaw();
  // Errors reach us through the iteration below, since pipeline destroys the inflater with them.
  const feeding = pipeline(Readable.from(compressed), inflater).catch(() => {});
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (cause) {
    throw new Error(`zip: cannot inflate entry '${name}' (corrupt deflate data?)`, { cause });
  } finally {
    inflater.destroy();
    await feeding;
  }
}
