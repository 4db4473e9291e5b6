import { createHash, type Hash } from "node:crypto";
import { createReadStream, mkdirSync, openSync, readdirSync, rmSync, statSync } from "node:fs";
import { open, rename, rm, truncate } from "node:fs/promises";
import { join } from "node:path";

const DIGEST = /^sha256:([0-9a-f]{64})$/u;
const UPLOAD_ID = /^[0-9a-f]{32}$/u;

/**
 * The registry's bytes on disk, under one directory:
 *
 *   <dir>/blobs/sha256/<first two hex>/<64 hex>   complete blobs, named by digest
 *   <dir>/uploads/<32 hex upload id>              uploads in progress
 *
 * Names come only from values that matched DIGEST or UPLOAD_ID, so no request can name another
 * path. A finished upload is renamed into place (atomic on one file system): a blob file is
 * always whole. Nothing is fsynced, as for object bodies (docs/store.md): a file survives a crash
 * of the process, not necessarily of the machine. Upload hashes are kept in memory while the
 * process lives, so finishing a 100 MB upload does not read it again; after a restart the hash
 * is rebuilt from the file.
 */
export class RegistryFiles {
  readonly #blobs: string;
  readonly #uploads: string;
  readonly #hashes = new Map<string, { hash: Hash; size: number }>();

  constructor(dir: string) {
    this.#blobs = join(dir, "blobs", "sha256");
    this.#uploads = join(dir, "uploads");
  }

  blobPath(digest: string): string {
    const hex = DIGEST.exec(digest)?.[1];
    if (!hex) throw new Error(`registry store: '${digest}' is not a sha256 digest`);
    return join(this.#blobs, hex.slice(0, 2), hex);
  }

  uploadPath(uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) throw new Error(`registry store: '${uploadId}' is not an upload id`);
    return join(this.#uploads, uploadId);
  }

  async createUpload(uploadId: string): Promise<void> {
    mkdirSync(this.#uploads, { recursive: true });
    const file = await open(this.uploadPath(uploadId), "wx");
    await file.close();
    this.#hashes.set(uploadId, { hash: createHash("sha256"), size: 0 });
  }

  /**
   * Appends `body` at offset `size` (the recorded size: bytes past it, from a write that failed
   * before it was recorded, are cut off first). Returns the new size. On a failing body the file
   * is cut back to `size` and the error rethrown.
   */
  async append(uploadId: string, size: number, body: AsyncIterable<Uint8Array>): Promise<number> {
    const path = this.uploadPath(uploadId);
    await truncate(path, size);
    let state = this.#hashes.get(uploadId);
    if (state?.size !== size) state = { hash: await this.#rehash(path), size };
    this.#hashes.delete(uploadId);
    const file = await open(path, "r+");
    let at = size;
    const hash = state.hash;
    try {
      for await (const chunk of body) {
        hash.update(chunk);
        for (let done = 0; done < chunk.length; ) {
          const { bytesWritten } = await file.write(chunk, done, chunk.length - done, at);
          if (bytesWritten === 0) throw new Error(`registry store: writing ${path} made no progress`);
          done += bytesWritten;
          at += bytesWritten;
        }
      }
    } catch (error) {
      await file.close();
      await truncate(path, size);
      throw error;
    }
    await file.close();
    this.#hashes.set(uploadId, { hash, size: at });
    return at;
  }

  /** The sha256 digest of an upload of `size` bytes. */
  async digestOf(uploadId: string, size: number): Promise<string> {
    const state = this.#hashes.get(uploadId);
    const hash = state?.size === size ? state.hash.copy() : await this.#rehash(this.uploadPath(uploadId));
    return `sha256:${hash.digest("hex")}`;
  }

  /** Moves a complete upload to its blob path (replacing an identical file). */
  async promote(uploadId: string, digest: string): Promise<void> {
    const target = this.blobPath(digest);
    mkdirSync(join(target, ".."), { recursive: true });
    await rename(this.uploadPath(uploadId), target);
    this.#hashes.delete(uploadId);
  }

  async removeUpload(uploadId: string): Promise<void> {
    this.#hashes.delete(uploadId);
    await rm(this.uploadPath(uploadId), { force: true });
  }

  removeBlob(digest: string): void {
    rmSync(this.blobPath(digest), { force: true });
  }

  /** Opens the blob now (see RegistryStore.readBlob); throws ENOENT when the file is missing. */
  openBlob(digest: string, range?: { start: number; end: number }): AsyncIterable<Uint8Array> {
    const fd = openSync(this.blobPath(digest), "r");
    return createReadStream("", { fd, ...(range ?? {}), highWaterMark: 1024 * 1024 });
  }

  /** Blob files on disk (digests) and upload files (ids), for garbage collection. */
  listFiles(): { blobs: string[]; uploads: { id: string; mtimeMs: number }[] } {
    const blobs: string[] = [];
    for (const prefix of safeReaddir(this.#blobs)) {
      for (const name of safeReaddir(join(this.#blobs, prefix))) {
        if (/^[0-9a-f]{64}$/u.test(name)) blobs.push(`sha256:${name}`);
      }
    }
    const uploads = safeReaddir(this.#uploads)
      .filter((name) => UPLOAD_ID.test(name))
      .flatMap((id) => {
        try {
          return [{ id, mtimeMs: statSync(join(this.#uploads, id)).mtimeMs }];
        } catch {
          return [];
        }
      });
    return { blobs, uploads };
  }

  async #rehash(path: string): Promise<Hash> {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk);
    return hash;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
