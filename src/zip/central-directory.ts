import type { ByteSource } from "./byte-source.js";
import {
  CENTRAL_HEADER_LENGTH,
  CENTRAL_HEADER_SIGNATURE,
  DOS_DIRECTORY,
  END_OF_CENTRAL_DIRECTORY_LENGTH,
  END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  EXTENDED_TIMESTAMP_EXTRA_ID,
  FLAG_UTF8,
  fromDosDateTime,
  MAX_UINT16,
  MAX_UINT32,
  parseExtraFields,
  readExtendedTimestamp,
  readU64,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH,
  ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  ZIP64_EXTRA_ID,
  ZIP64_LOCATOR_LENGTH,
  ZIP64_LOCATOR_SIGNATURE,
} from "./format.js";

/** One entry as the central directory describes it. */
export interface CentralEntry {
  /** The name exactly as stored (decoded as UTF-8, or Latin-1 when it is not valid UTF-8). */
  readonly name: string;
  readonly kind: "file" | "directory" | "symlink";
  /** Permission bits when the archive was made on unix and records them. */
  readonly mode?: number;
  readonly mtime: Date;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const HOST_UNIX = 3;
const HOST_DARWIN = 19;

/**
 * Reads the central directory: finds the end record (searching back over a comment of up to
 * 64 KiB), follows the ZIP64 locator when there is one, and decodes every header, with ZIP64
 * extra fields. Throws an Error saying what is wrong for anything that is not a zip archive.
 */
export async function readCentralDirectory(source: ByteSource): Promise<CentralEntry[]> {
  const end = await findEnd(source);
  const directory = await source.read(end.directoryOffset, end.directorySize);
  const entries: CentralEntry[] = [];
  let offset = 0;
  for (let index = 0; index < end.entries; index++) {
    if (
      offset + CENTRAL_HEADER_LENGTH > directory.length ||
      directory.readUInt32LE(offset) !== CENTRAL_HEADER_SIGNATURE
    ) {
      throw new Error(`zip: central directory header ${index + 1} of ${end.entries} is missing or corrupt`);
    }
    const header = decodeCentralHeader(directory, offset);
    entries.push(header.entry);
    offset = header.next;
  }
  return entries;
}

interface EndRecord {
  readonly entries: number;
  readonly directorySize: number;
  readonly directoryOffset: number;
}

async function findEnd(source: ByteSource): Promise<EndRecord> {
  const tailLength = Math.min(
    source.size,
    END_OF_CENTRAL_DIRECTORY_LENGTH + MAX_UINT16 + ZIP64_LOCATOR_LENGTH,
  );
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  let at = -1;
  for (let i = tail.length - END_OF_CENTRAL_DIRECTORY_LENGTH; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY_SIGNATURE) {
      const commentLength = tail.readUInt16LE(i + 20);
      if (i + END_OF_CENTRAL_DIRECTORY_LENGTH + commentLength <= tail.length) {
        at = i;
        break;
      }
    }
  }
  if (at < 0) throw new Error("zip: no end of central directory record (not a zip archive?)");
  const classic = {
    entries: tail.readUInt16LE(at + 10),
    directorySize: tail.readUInt32LE(at + 12),
    directoryOffset: tail.readUInt32LE(at + 16),
  };
  const locatorAt = at - ZIP64_LOCATOR_LENGTH;
  if (locatorAt >= 0 && tail.readUInt32LE(locatorAt) === ZIP64_LOCATOR_SIGNATURE) {
    const recordOffset = readU64(tail, locatorAt + 8);
    const record = await source.read(recordOffset, ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH);
    if (record.readUInt32LE(0) !== ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE) {
      throw new Error(`zip: the ZIP64 end record expected at byte ${recordOffset} is missing`);
    }
    return {
      entries: readU64(record, 32),
      directorySize: readU64(record, 40),
      directoryOffset: readU64(record, 48),
    };
  }
  // (65535 entries is a legal classic count, so only the 32-bit fields prove a missing locator.)
  if (classic.directorySize === MAX_UINT32 || classic.directoryOffset === MAX_UINT32) {
    throw new Error("zip: the end record points to a ZIP64 record, but there is no ZIP64 locator");
  }
  if (classic.directoryOffset + classic.directorySize > tailStart + at) {
    throw new Error("zip: the central directory overlaps the end record (corrupt archive)");
  }
  return classic;
}

function decodeCentralHeader(buffer: Buffer, offset: number): { entry: CentralEntry; next: number } {
  const versionMadeBy = buffer.readUInt16LE(offset + 4);
  const flags = buffer.readUInt16LE(offset + 8);
  const method = buffer.readUInt16LE(offset + 10);
  const dosTime = buffer.readUInt16LE(offset + 12);
  const dosDate = buffer.readUInt16LE(offset + 14);
  const crc32 = buffer.readUInt32LE(offset + 16);
  let compressedSize = buffer.readUInt32LE(offset + 20);
  let size = buffer.readUInt32LE(offset + 24);
  const nameLength = buffer.readUInt16LE(offset + 28);
  const extraLength = buffer.readUInt16LE(offset + 30);
  const commentLength = buffer.readUInt16LE(offset + 32);
  const externalAttributes = buffer.readUInt32LE(offset + 38);
  let localHeaderOffset = buffer.readUInt32LE(offset + 42);
  const nameStart = offset + CENTRAL_HEADER_LENGTH;
  const extraStart = nameStart + nameLength;
  const next = extraStart + extraLength + commentLength;
  if (next > buffer.length) throw new Error("zip: a central directory header runs past the directory's end");
  const name = decodeName(buffer.subarray(nameStart, extraStart), (flags & FLAG_UTF8) !== 0);
  const extras = parseExtraFields(buffer.subarray(extraStart, extraStart + extraLength));
  const zip64 = extras.get(ZIP64_EXTRA_ID);
  if (zip64 !== undefined) {
    // The ZIP64 field holds, in this order, only the values whose classic field overflowed.
    let at = 0;
    const take = (classic: number): number => {
      if (classic !== MAX_UINT32) return classic;
      if (at + 8 > zip64.length) throw new Error(`zip: entry '${name}' has a short ZIP64 extra field`);
      const value = readU64(zip64, at);
      at += 8;
      return value;
    };
    size = take(size);
    compressedSize = take(compressedSize);
    localHeaderOffset = take(localHeaderOffset);
  }
  const mtime =
    readExtendedTimestamp(extras.get(EXTENDED_TIMESTAMP_EXTRA_ID)) ?? fromDosDateTime(dosTime, dosDate);
  const host = versionMadeBy >> 8;
  const unixMode = externalAttributes >>> 16;
  const hasUnixMode = (host === HOST_UNIX || host === HOST_DARWIN) && unixMode !== 0;
  const type = unixMode & S_IFMT;
  const kind =
    hasUnixMode && type === S_IFLNK
      ? "symlink"
      : name.endsWith("/") || (hasUnixMode && type === S_IFDIR) || (externalAttributes & DOS_DIRECTORY) !== 0
        ? "directory"
        : "file";
  const entry: CentralEntry = {
    name,
    kind,
    ...(hasUnixMode ? { mode: unixMode & 0o777 } : {}),
    mtime,
    flags,
    method,
    crc32,
    compressedSize,
    size,
    localHeaderOffset,
  };
  return { entry, next };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeName(bytes: Buffer, flaggedUtf8: boolean): string {
  try {
    return utf8.decode(bytes);
  } catch {
    // Not UTF-8: an old archive in a legacy code page. Latin-1 keeps every byte visible.
    if (flaggedUtf8) return bytes.toString("utf8");
    return bytes.toString("latin1");
  }
}
