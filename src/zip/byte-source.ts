import { open } from "node:fs/promises";

/** Random access to an archive's bytes: a file read through a handle, or bytes in memory. */
export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `position`; throws when the archive ends first. */
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Opens `source`: a path is read piecewise through a file handle, never loaded whole. */
export async function openByteSource(source: string | Uint8Array): Promise<ByteSource> {
  if (typeof source !== "string") {
    const bytes = Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    return {
      size: bytes.length,
      read: async (position, length) => {
        if (position + length > bytes.length) throw truncated(position, length, "the archive bytes");
        return bytes.subarray(position, position + length);
      },
      close: async () => {},
    };
  }
  const handle = await open(source, "r").catch((cause: unknown) => {
    throw new Error(`zip: cannot open '${source}'`, { cause });
  });
  const { size } = await handle.stat();
  return {
    size,
    read: async (position, length) => {
      const buffer = Buffer.alloc(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
        if (bytesRead === 0) throw truncated(position, length, source);
        filled += bytesRead;
      }
      return buffer;
    },
    close: () => handle.close(),
  };
}

function truncated(position: number, length: number, what: string): Error {
  return new Error(`zip: ${what} ends before byte ${position + length} (truncated archive?)`);
}
