import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdirSync, openSync, readdirSync, rmSync, statSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { join } from "node:path";

/** What writing a body produced: the blob id (none for an empty body), its size and MD5. */
export interface WrittenBlob {
  readonly id: string | null;
  readonly size: number;
  readonly md5Hex: string;
}

/** Temp files this old belong to no live upload (a live one is written to constantly). */
const STALE_TEMP_MS = 60 * 60_000;

/**
 * Object bodies as files under one directory. File names are random ids, never keys, so no key
 * can name a path: `<dir>/<first two id chars>/<id>` (the subdirectories keep any one directory
 * small), written as `<dir>/tmp/<id>.part` and renamed into place only when complete. Nothing is
 * fsynced, matching the database's synchronous = NORMAL: a written file survives a crash of the
 * process (the kernel has the bytes) but not necessarily of the machine (docs/store.md).
 */
export class BlobFiles {
  readonly #dir: string;
  readonly #tmp: string;

  constructor(dir: string) {
    this.#dir = dir;
    this.#tmp = join(dir, "tmp");
  }

  /**
   * Streams `body` into a new blob while computing its MD5. When `body` throws, the partial file
   * is removed and the same error is rethrown. An empty body makes no file.
   */
  async write(body: AsyncIterable<Uint8Array>): Promise<WrittenBlob> {
    mkdirSync(this.#tmp, { recursive: true });
    const id = randomBytes(16).toString("hex");
    const temp = join(this.#tmp, `${id}.part`);
    const md5 = createHash("md5");
    let size = 0;
    const file = await open(temp, "wx");
    try {
      try {
        for await (const chunk of body) {
          md5.update(chunk);
          size += chunk.length;
          // write(2) may take less than asked (a full disk says so only on the next call).
          for (let at = 0; at < chunk.length; ) {
            const { bytesWritten } = await file.write(chunk, at);
            if (bytesWritten === 0) throw new Error(`object store: writing ${temp} made no progress`);
            at += bytesWritten;
          }
        }
      } finally {
        await file.close();
      }
      if (size === 0) {
        await rm(temp, { force: true });
        return { id: null, size, md5Hex: md5.digest("hex") };
      }
      mkdirSync(join(this.#dir, id.slice(0, 2)), { recursive: true });
      await rename(temp, this.pathOf(id));
      return { id, size, md5Hex: md5.digest("hex") };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /**
   * Opens a blob now, synchronously, and streams [start, end] of it later. Opening at once means
   * a delete that follows (in this process, on the next tick) cannot take the file away: the
   * open descriptor keeps reading it. Throws ENOENT when the file is missing.
   */
  openRange(id: string, range?: { start: number; end: number }): AsyncIterable<Uint8Array> {
    const fd = openSync(this.pathOf(id), "r");
    return createReadStream("", { fd, ...(range ?? {}), highWaterMark: 256 * 1024 });
  }

  /** Removes blobs no metadata points at any more; a missing file is already removed. */
  remove(ids: readonly (string | null)[]): void {
    for (const id of ids) if (id !== null) rmSync(this.pathOf(id), { force: true });
  }

  /** Removes temp files left by a crashed writer (only old ones: another process may be writing). */
  removeStaleTemps(now: number): void {
    let names: string[];
    try {
      names = readdirSync(this.#tmp);
    } catch {
      return; // no blob was ever written here
    }
    for (const name of names) {
      const path = join(this.#tmp, name);
      try {
        if (now - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
      } catch {
        // Renamed or removed by its writer meanwhile: nothing to clean.
      }
    }
  }

  pathOf(id: string): string {
    if (!/^[0-9a-f]{32}$/u.test(id)) throw new Error(`object store: '${id}' is not a blob id`);
    return join(this.#dir, id.slice(0, 2), id);
  }
}
