import {
  ByteWriter,
  CENTRAL_HEADER_LENGTH,
  CENTRAL_HEADER_SIGNATURE,
  DATA_DESCRIPTOR_SIGNATURE,
  END_OF_CENTRAL_DIRECTORY_LENGTH,
  END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  extendedTimestampExtra,
  LOCAL_HEADER_LENGTH,
  LOCAL_HEADER_SIGNATURE,
  MAX_UINT16,
  MAX_UINT32,
  toDosDateTime,
  VERSION_MADE_BY_UNIX,
  VERSION_NEEDED_ZIP64,
  ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH,
  ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  ZIP64_EXTRA_ID,
  ZIP64_LOCATOR_LENGTH,
  ZIP64_LOCATOR_SIGNATURE,
} from "./format.js";

/** What the writer knows about an entry once its data is written: one central header. */
export interface WrittenEntry {
  readonly name: Buffer;
  readonly flags: number;
  readonly method: number;
  readonly versionNeeded: number;
  readonly mtime: Date;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly offset: number;
  readonly externalAttributes: number;
}

/**
 * A local file header. With `zip64` both sizes are 0xFFFFFFFF and the real ones (or zeros, when
 * a data descriptor follows) go in a ZIP64 extra field.
 */
export function localHeader(
  entry: Omit<WrittenEntry, "offset" | "externalAttributes">,
  zip64: boolean,
): Buffer {
  const dos = toDosDateTime(entry.mtime);
  const timestamp = extendedTimestampExtra(entry.mtime);
  const zip64Extra = zip64
    ? new ByteWriter(20).u16(ZIP64_EXTRA_ID).u16(16).u64(entry.size).u64(entry.compressedSize).bytes
    : Buffer.alloc(0);
  const extraLength = timestamp.length + zip64Extra.length;
  return new ByteWriter(LOCAL_HEADER_LENGTH + entry.name.length + extraLength)
    .u32(LOCAL_HEADER_SIGNATURE)
    .u16(zip64 ? VERSION_NEEDED_ZIP64 : entry.versionNeeded)
    .u16(entry.flags)
    .u16(entry.method)
    .u16(dos.time)
    .u16(dos.date)
    .u32(entry.crc32)
    .u32(zip64 ? MAX_UINT32 : entry.compressedSize)
    .u32(zip64 ? MAX_UINT32 : entry.size)
    .u16(entry.name.length)
    .u16(extraLength)
    .raw(entry.name)
    .raw(zip64Extra)
    .raw(timestamp).bytes;
}

/** The data descriptor after streamed data; 64-bit sizes when the local header was ZIP64. */
export function dataDescriptor(crc32: number, compressedSize: number, size: number, zip64: boolean): Buffer {
  const writer = new ByteWriter(zip64 ? 24 : 16).u32(DATA_DESCRIPTOR_SIGNATURE).u32(crc32);
  return zip64 ? writer.u64(compressedSize).u64(size).bytes : writer.u32(compressedSize).u32(size).bytes;
}

/** A central directory header; fields past 32 bits (or all, when forced) move to ZIP64 extra. */
export function centralHeader(entry: WrittenEntry, forceZip64: boolean): Buffer {
  const dos = toDosDateTime(entry.mtime);
  const timestamp = extendedTimestampExtra(entry.mtime);
  const big = (value: number) => forceZip64 || value >= MAX_UINT32;
  const wide = [entry.size, entry.compressedSize, entry.offset].filter(big);
  const zip64Extra =
    wide.length === 0
      ? Buffer.alloc(0)
      : wide.reduce(
          (w, value) => w.u64(value),
          new ByteWriter(4 + 8 * wide.length).u16(ZIP64_EXTRA_ID).u16(8 * wide.length),
        ).bytes;
  const extraLength = zip64Extra.length + timestamp.length;
  return new ByteWriter(CENTRAL_HEADER_LENGTH + entry.name.length + extraLength)
    .u32(CENTRAL_HEADER_SIGNATURE)
    .u16(VERSION_MADE_BY_UNIX)
    .u16(wide.length > 0 ? VERSION_NEEDED_ZIP64 : entry.versionNeeded)
    .u16(entry.flags)
    .u16(entry.method)
    .u16(dos.time)
    .u16(dos.date)
    .u32(entry.crc32)
    .u32(big(entry.compressedSize) ? MAX_UINT32 : entry.compressedSize)
    .u32(big(entry.size) ? MAX_UINT32 : entry.size)
    .u16(entry.name.length)
    .u16(extraLength)
    .u16(0) // comment length
    .u16(0) // disk number start
    .u16(0) // internal attributes
    .u32(entry.externalAttributes)
    .u32(big(entry.offset) ? MAX_UINT32 : entry.offset)
    .raw(entry.name)
    .raw(zip64Extra)
    .raw(timestamp).bytes;
}

/**
 * The end of the archive: a ZIP64 end record and locator when the entry count, the central
 * directory's size or offset overflow their classic fields (or when forced), then the classic
 * end record.
 */
export function endOfCentralDirectory(
  entries: number,
  directorySize: number,
  directoryOffset: number,
  forceZip64: boolean,
): Buffer {
  const zip64 =
    forceZip64 || entries >= MAX_UINT16 || directorySize >= MAX_UINT32 || directoryOffset >= MAX_UINT32;
  const classic = new ByteWriter(END_OF_CENTRAL_DIRECTORY_LENGTH)
    .u32(END_OF_CENTRAL_DIRECTORY_SIGNATURE)
    .u16(0)
    .u16(0)
    .u16(zip64 ? MAX_UINT16 : entries)
    .u16(zip64 ? MAX_UINT16 : entries)
    .u32(zip64 ? MAX_UINT32 : directorySize)
    .u32(zip64 ? MAX_UINT32 : directoryOffset)
    .u16(0).bytes;
  if (!zip64) return classic;
  const recordOffset = directoryOffset + directorySize;
  const record = new ByteWriter(ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH)
    .u32(ZIP64_END_OF_CENTRAL_DIRECTORY_SIGNATURE)
    .u64(ZIP64_END_OF_CENTRAL_DIRECTORY_LENGTH - 12)
    .u16(VERSION_MADE_BY_UNIX)
    .u16(VERSION_NEEDED_ZIP64)
    .u32(0)
    .u32(0)
    .u64(entries)
    .u64(entries)
    .u64(directorySize)
    .u64(directoryOffset).bytes;
  const locator = new ByteWriter(ZIP64_LOCATOR_LENGTH)
    .u32(ZIP64_LOCATOR_SIGNATURE)
    .u32(0)
    .u64(recordOffset)
    .u32(1).bytes;
  return Buffer.concat([record, locator, classic]);
}
