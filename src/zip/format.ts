/**
 * The byte layout of the ZIP format (PKWARE APPNOTE 6.3.x) that the writer and reader share:
 * signatures, limits, DOS timestamps, unix modes in external attributes and the extra fields we
 * read or write (ZIP64 0x0001, extended timestamp 0x5455).
 */

export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;
export const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
export const ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06064b50;
export const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;

export const LOCAL_HEADER_LENGTH = 30;
export const CENTRAL_HEADER_LENGTH = 46;
export const END_OF_CENTRAL_DIRECTORY_LENGTH = 22;
export const ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH = 56;
export const ZIP64_LOCATOR_LENGTH = 20;

export const ZIP64_EXTRA_ID = 0x0001;
export const EXTENDED_TIMESTAMP_EXTRA_ID = 0x5455;

/** A 32-bit field holding this value means "see the ZIP64 extra field". */
export const MAX_UINT32 = 0xffffffff;
/** A 16-bit entry count holding this value means "see the ZIP64 end record". */
export const MAX_UINT16 = 0xffff;

export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DATA_DESCRIPTOR = 0x0008;
export const FLAG_UTF8 = 0x0800;

/** "Version made by": host 3 (unix) in the high byte, so readers honour the mode bits. */
export const VERSION_MADE_BY_UNIX = (3 << 8) | 63;
export const VERSION_NEEDED_STORED = 10;
export const VERSION_NEEDED_DEFLATED = 20;
export const VERSION_NEEDED_ZIP64 = 45;

export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;
/** MS-DOS directory attribute (low byte of the external attributes). */
export const DOS_DIRECTORY = 0x10;

/**
 * A date as MS-DOS time and date fields (local time, 2-second resolution). Dates before 1980
 * clamp to 1980-01-01 and after 2107 to 2107-12-31, the format's range.
 */
export function toDosDateTime(date: Date): { time: number; date: number } {
  let year = date.getFullYear();
  if (year < 1980) return { time: 0, date: (1 << 5) | 1 };
  if (year > 2107) year = 2107;
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** The inverse of toDosDateTime, as local time. */
export function fromDosDateTime(time: number, date: number): Date {
  return new Date(
    ((date >> 9) & 0x7f) + 1980,
    Math.max(((date >> 5) & 0x0f) - 1, 0),
    Math.max(date & 0x1f, 1),
    (time >> 11) & 0x1f,
    (time >> 5) & 0x3f,
    (time & 0x1f) * 2,
  );
}

/** A little-endian byte writer over a fixed-size buffer. */
export class ByteWriter {
  readonly bytes: Buffer;
  private position = 0;

  constructor(length: number) {
    this.bytes = Buffer.alloc(length);
  }

  u16(value: number): this {
    this.position = this.bytes.writeUInt16LE(value, this.position);
    return this;
  }

  u32(value: number): this {
    this.position = this.bytes.writeUInt32LE(value >>> 0, this.position);
    return this;
  }

  u64(value: number): this {
    this.position = this.bytes.writeBigUInt64LE(BigInt(value), this.position);
    return this;
  }

  raw(data: Uint8Array): this {
    this.bytes.set(data, this.position);
    this.position += data.length;
    return this;
  }
}

/** Reads a little-endian 64-bit value; throws past 2^53 (no real archive gets there). */
export function readU64(buffer: Buffer, offset: number): number {
  const value = buffer.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`zip: 64-bit value ${value} is too large`);
  return Number(value);
}

/** The extra fields of a header as id -> data (the first occurrence of each id wins). */
export function parseExtraFields(extra: Buffer): Map<number, Buffer> {
  const fields = new Map<number, Buffer>();
  let offset = 0;
  while (offset + 4 <= extra.length) {
    const id = extra.readUInt16LE(offset);
    const length = extra.readUInt16LE(offset + 2);
    const end = Math.min(offset + 4 + length, extra.length);
    if (!fields.has(id)) fields.set(id, extra.subarray(offset + 4, end));
    offset = end;
  }
  return fields;
}

/** The extended timestamp extra field (0x5455) carrying only the modification time. */
export function extendedTimestampExtra(mtime: Date): Buffer {
  const seconds = Math.max(0, Math.min(Math.floor(mtime.getTime() / 1000), MAX_UINT32));
  return new ByteWriter(9).u16(EXTENDED_TIMESTAMP_EXTRA_ID).u16(5).raw(Uint8Array.of(1)).u32(seconds).bytes;
}

/** The modification time of an extended timestamp extra field, if it carries one. */
export function readExtendedTimestamp(data: Buffer | undefined): Date | undefined {
  if (data === undefined || data.length < 5 || (data[0]! & 1) === 0) return undefined;
  return new Date(data.readUInt32LE(1) * 1000);
}
