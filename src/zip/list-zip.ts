import { openByteSource } from "./byte-source.js";
import { readCentralDirectory } from "./central-directory.js";

/** One entry of an archive, as listZip reports it. */
export interface ZipListing {
  /** The name exactly as stored (directories keep their trailing slash). */
  readonly name: string;
  readonly kind: "file" | "directory" | "symlink";
  /** Uncompressed size in bytes. */
  readonly size: number;
  readonly compressedSize: number;
  /** Permission bits, when the archive records unix modes. */
  readonly mode?: number;
  readonly mtime: Date;
}

/**
 * The entries of a zip archive (a file path or bytes), in central-directory order, read from
 * the central directory only (no entry data is read or checked, and names are not vetted: use
 * extractZip for that).
 */
export async function listZip(source: string | Uint8Array): Promise<ZipListing[]> {
  const bytes = await openByteSource(source);
  try {
    return (await readCentralDirectory(bytes)).map((entry) => ({
      name: entry.name,
      kind: entry.kind,
      size: entry.size,
      compressedSize: entry.compressedSize,
      ...(entry.mode === undefined ? {} : { mode: entry.mode }),
      mtime: entry.mtime,
    }));
  } finally {
    await bytes.close();
  }
}
