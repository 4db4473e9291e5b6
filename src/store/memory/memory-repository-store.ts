import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RepositoryFiles } from "../repositories/repository-files.js";
import { createRepositoryStore } from "../repositories/repository-store.js";
import type { RepositoryStore } from "../types.js";
import { createMemoryRepositoryMetadata } from "./memory-repository-metadata.js";

/**
 * Repositories for the memory stores: records in memory, bare repositories in a temp directory
 * created on first use (stores that never touch a repository create nothing) and deleted by
 * `close`. git has no in-memory mode, and the same files code as SQLite's means both pass the
 * same contract for the same reasons.
 */
export function createMemoryRepositoryStore(checkOpen: () => void): {
  readonly repositories: RepositoryStore;
  readonly close: () => void;
} {
  let root: string | undefined;
  const files = new RepositoryFiles(() => {
    checkOpen();
    root ??= mkdtempSync(join(tmpdir(), "pipewright-repositories-"));
    return root;
  });
  return {
    repositories: createRepositoryStore({ metadata: createMemoryRepositoryMetadata(checkOpen), files }),
    close() {
      if (root !== undefined) rmSync(root, { recursive: true, force: true });
    },
  };
}
