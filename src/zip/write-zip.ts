import { createReadStream, createWriteStream } from "node:fs";
import { readFile, rm, stat } from "node:fs/promises";
import { Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { crc32, createDeflateRaw, deflateRaw } from "node:zlib";
import { normalizeEntryName } from "./entry-name.js";
import {
  DOS_DIRECTORY,
  FLAG_DATA_DESCRIPTOR,
  FLAG_UTF8,
  MAX_UINT32,
  METHOD_DEFLATED,
  METHOD_STORED,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  VERSION_NEEDED_DEFLATED,
  VERSION_NEEDED_STORED,
} from "./format.js";
import {
  centralHeader,
  dataDescriptor,
  endOfCentralDirectory,
  localHeader,
  type WrittenEntry,
} from "./headers.js";
import { ZipSink } from "./zip-sink.js";

const deflateRawAsync = promisify(deflateRaw);

/** Where an entry's content comes from. `file` is read (following symlinks) while writing. */
export type ZipEntrySource =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "data"; readonly data: Uint8Array }
  | { readonly kind: "symlink"; readonly target: string }
  | { readonly kind: "directory" };

/**
 * One entry to write. `name` is a relative posix path (a trailing `/` is added for
 * directories). `mode` is the permission bits (default: the file's own for `file`, 0644 for
 * `data`, 0755 for directories, 0777 for symlinks). `mtime` defaults to the file's own
 * modification time for `file` and to the moment writeZip was called for the others.
 */
export interface ZipEntryInput {
  readonly name: string;
  readonly source: ZipEntrySource;
  readonly mode?: number;
  readonly mtime?: Date;
}

export interface WriteZipOptions {
  /** Write ZIP64 records for every entry and the end of the archive (tests; readers that need it). */
  readonly forceZip64?: boolean;
  /** Deflate level, 0-9 (default 6, zlib's). */
  readonly level?: number;
}

export interface WriteZipResult {
  /** Size of the whole archive. */
  readonly bytes: number;
  /** Hex digests of the whole archive (CodeBuild's `sha256sum` and `md5sum`). */
  readonly sha256: string;
  readonly md5: string;
  readonly entries: number;
}

/** Contents shorter than this are stored: deflate's framing would eat any saving. */
const TINY = 32;
/** Files up to this size are read whole, which lets us store them when deflate does not help. */
const READ_WHOLE_LIMIT = 1024 * 1024;
/**
 * Streamed files of at least this size get ZIP64 local headers: deflate may expand data a
 * little (5 bytes per 16 KiB block), so a file just under 4 GiB could still overflow.
 */
const STREAM_ZIP64_THRESHOLD = 0xff000000;

/**
 * Writes a zip archive of `entries`, in order, to `destination` (a file path, created or
 * replaced, or a Writable, which is ended when the archive is complete). File contents are
 * streamed; files over 1 MiB are deflated as they are read and followed by a data descriptor,
 * smaller contents are stored when deflate would not shrink them. Unix modes (and so the exec
 * bit) go into the external attributes with "made by unix"; ZIP64 records are written exactly
 * where a size, an offset or the entry count needs them.
 *
 * Throws an Error naming the entry for an unsafe or duplicate name and for an unreadable file;
 * a file destination is removed when writing fails.
 */
export async function writeZip(
  entries: Iterable<ZipEntryInput> | AsyncIterable<ZipEntryInput>,
  destination: string | Writable,
  options: WriteZipOptions = {},
): Promise<WriteZipResult> {
  const out = typeof destination === "string" ? createWriteStream(destination) : destination;
  try {
    const result = await writeArchive(entries, new ZipSink(out), options);
    out.end();
    await finished(out);
    return result;
  } catch (error) {
    if (typeof destination === "string") {
      out.destroy();
      await finished(out).catch(() => {});
      await rm(destination, { force: true });
    }
    throw error;
  }
}

async function writeArchive(
  entries: Iterable<ZipEntryInput> | AsyncIterable<ZipEntryInput>,
  sink: ZipSink,
  options: WriteZipOptions,
): Promise<WriteZipResult> {
  const now = new Date();
  const written: WrittenEntry[] = [];
  const names = new Set<string>();
  for await (const entry of entries) {
    const name = entryName(entry);
    if (names.has(name)) throw new Error(`zip: duplicate entry name '${name}'`);
    names.add(name);
    written.push(await writeEntry(sink, entry, name, now, options));
  }
  const directoryOffset = sink.offset;
  const forceZip64 = options.forceZip64 === true;
  let batch: Buffer[] = [];
  let batchLength = 0;
  for (const entry of written) {
    const header = centralHeader(entry, forceZip64);
    batch.push(header);
    batchLength += header.length;
    if (batchLength >= 64 * 1024) {
      await sink.write(Buffer.concat(batch));
      batch = [];
      batchLength = 0;
    }
  }
  await sink.write(Buffer.concat(batch));
  const directorySize = sink.offset - directoryOffset;
  await sink.write(endOfCentralDirectory(written.length, directorySize, directoryOffset, forceZip64));
  return { bytes: sink.offset, ...sink.digests(), entries: written.length };
}

function entryName(entry: ZipEntryInput): string {
  const normalized = normalizeEntryName(entry.name);
  if (!normalized.ok) throw new Error(`zip: entry name '${entry.name}' ${normalized.error}`);
  if (normalized.value === "") throw new Error(`zip: entry name '${entry.name}' is empty`);
  return entry.source.kind === "directory" ? `${normalized.value}/` : normalized.value;
}

async function writeEntry(
  sink: ZipSink,
  entry: ZipEntryInput,
  name: string,
  now: Date,
  options: WriteZipOptions,
): Promise<WrittenEntry> {
  const source = entry.source;
  switch (source.kind) {
    case "directory":
      return writeWhole(
        sink,
        name,
        new Uint8Array(0),
        S_IFDIR | permissions(entry.mode, 0o755),
        entry.mtime ?? now,
        options,
      );
    case "symlink":
      return writeWhole(
        sink,
        name,
        Buffer.from(source.target, "utf8"),
        S_IFLNK | permissions(entry.mode, 0o777),
        entry.mtime ?? now,
        options,
        false,
      );
    case "data":
      return writeWhole(
        sink,
        name,
        source.data,
        S_IFREG | permissions(entry.mode, 0o644),
        entry.mtime ?? now,
        options,
      );
    case "file": {
      const info = await stat(source.path).catch((cause: unknown) => {
        throw new Error(`zip: cannot read '${source.path}' for entry '${name}'`, { cause });
      });
      if (!info.isFile()) throw new Error(`zip: '${source.path}' for entry '${name}' is not a regular file`);
      const mode = S_IFREG | permissions(entry.mode, info.mode);
      const mtime = entry.mtime ?? info.mtime;
      if (info.size <= READ_WHOLE_LIMIT) {
        const data = await readFile(source.path).catch((cause: unknown) => {
          throw new Error(`zip: cannot read '${source.path}' for entry '${name}'`, { cause });
        });
        return writeWhole(sink, name, data, mode, mtime, options);
      }
      return writeStreamed(sink, name, source.path, info.size, mode, mtime, options);
    }
  }
}

/** An entry whose bytes are all in memory: sizes and CRC go in the local header. */
async function writeWhole(
  sink: ZipSink,
  name: string,
  data: Uint8Array,
  mode: number,
  mtime: Date,
  options: WriteZipOptions,
  compress = true,
): Promise<WrittenEntry> {
  const deflated =
    compress && data.length >= TINY ? await deflateRawAsync(data, { level: options.level ?? 6 }) : undefined;
  const useDeflate = deflated !== undefined && deflated.length < data.length;
  const body = useDeflate ? deflated : data;
  const entry = {
    name: Buffer.from(name, "utf8"),
    flags: FLAG_UTF8,
    method: useDeflate ? METHOD_DEFLATED : METHOD_STORED,
    versionNeeded: useDeflate ? VERSION_NEEDED_DEFLATED : VERSION_NEEDED_STORED,
    mtime,
    crc32: crc32(data),
    compressedSize: body.length,
    size: data.length,
    offset: sink.offset,
    externalAttributes: externalAttributes(mode),
  };
  const zip64 = options.forceZip64 === true || data.length >= MAX_UINT32;
  await sink.write(localHeader(entry, zip64));
  await sink.write(body);
  return entry;
}

/** A large file: deflated while read, sizes and CRC in a data descriptor after the data. */
async function writeStreamed(
  sink: ZipSink,
  name: string,
  path: string,
  expectedSize: number,
  mode: number,
  mtime: Date,
  options: WriteZipOptions,
): Promise<WrittenEntry> {
  const zip64 = options.forceZip64 === true || expectedSize >= STREAM_ZIP64_THRESHOLD;
  const offset = sink.offset;
  const header = {
    name: Buffer.from(name, "utf8"),
    flags: FLAG_UTF8 | FLAG_DATA_DESCRIPTOR,
    method: METHOD_DEFLATED,
    versionNeeded: VERSION_NEEDED_DEFLATED,
    mtime,
    crc32: 0,
    compressedSize: 0,
    size: 0,
  };
  await sink.write(localHeader(header, zip64));
  let crc = 0;
  let size = 0;
  let compressedSize = 0;
  async function* checksummed(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(path)) {
      const buffer = chunk as Buffer;
      crc = crc32(buffer, crc);
      size += buffer.length;
      yield buffer;
    }
  }
  await pipeline(
    checksummed,
    createDeflateRaw({ level: options.level ?? 6 }),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        compressedSize += chunk.length;
        sink.write(chunk).then(() => callback(), callback);
      },
    }),
  ).catch((cause: unknown) => {
    throw new Error(`zip: cannot read '${path}' for entry '${name}'`, { cause });
  });
  if (!zip64 && (size >= MAX_UINT32 || compressedSize >= MAX_UINT32)) {
    throw new Error(`zip: '${path}' for entry '${name}' grew past 4 GiB while it was being written`);
  }
  await sink.write(dataDescriptor(crc, compressedSize, size, zip64));
  return {
    ...header,
    crc32: crc,
    compressedSize,
    size,
    offset,
    externalAttributes: externalAttributes(mode),
  };
}

function externalAttributes(mode: number): number {
  const directory = (mode & S_IFMT) === S_IFDIR ? DOS_DIRECTORY : 0;
  return ((mode << 16) | directory) >>> 0;
}

function permissions(mode: number | undefined, fallback: number): number {
  return (mode ?? fallback) & 0o7777;
}
