import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { initBare } from "../../git/index.js";
import { assertRepositoryId } from "./repository-checks.js";

/** Entries of `tmp/` this old belong to no create or remove in flight (in any process). */
const STALE_TEMP_MS = 60 * 60_000;

/**
 * The bare repositories under one root directory: `<root>/<repositoryId>.git`. Directories are
 * named by the store-checked UUID, never by a user-supplied name, so no name can point outside
 * the root. Whole directories appear and disappear by rename inside the root's `tmp/`:
 *  - create: `git init --bare` into `tmp/<random>.git`, then rename into place, so a crash never
 *    leaves a half-initialised repository under its real name;
 *  - remove: rename to `tmp/<random>.removed`, then delete; a crash leaves only `tmp/` entries,
 *    which sweepTemp() deletes when the store opens.
 */
export class RepositoryFiles {
  readonly #root: () => string;

  /** `root` is called on first use (the memory stores create a temp directory lazily). */
  constructor(root: () => string) {
    this.#root = root;
  }

  get root(): string {
    return this.#root();
  }

  gitDir(repositoryId: string): string {
    assertRepositoryId(repositoryId);
    return join(this.#root(), `${repositoryId}.git`);
  }

  /** Creates the empty bare repository; throws if one of that id already exists. */
  async create(repositoryId: string): Promise<void> {
    const target = this.gitDir(repositoryId);
    if (existsSync(target)) throw new Error(`repository store: ${target} already exists`);
    const staging = join(this.#tmp(), `${randomBytes(8).toString("hex")}.git`);
    try {
      await initBare(staging);
      await rename(staging, target);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }

  /** Deletes the repository's directory; nothing happens when there is none. */
  async remove(repositoryId: string): Promise<void> {
    const target = this.gitDir(repositoryId);
    const doomed = join(this.#tmp(), `${randomBytes(8).toString("hex")}.removed`);
    try {
      await rename(target, doomed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    await rm(doomed, { recursive: true, force: true });
  }

  /** Deletes what an interrupted create or remove left in `tmp/` (call when the store opens). */
  sweepTemp(nowMs: number): void {
    const tmp = join(this.#root(), "tmp");
    if (!existsSync(tmp)) return;
    for (const entry of readdirSync(tmp)) {
      const path = join(tmp, entry);
      if (nowMs - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, { recursive: true, force: true });
    }
  }

  #tmp(): string {
    const tmp = join(this.#root(), "tmp");
    mkdirSync(tmp, { recursive: true });
    return tmp;
  }
}
