import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  archiveZip,
  changedFiles,
  commitTree,
  compareAndSwapRef,
  deleteRefIf,
  listRefs,
  objectInfo,
  readBlob,
  readCommit,
  resolveCommit,
  runHttpBackend,
  setHead,
  treeChanges,
  treeChildren,
  treeEntry,
  treeFiles,
  writeTree,
} from "../../git/index.js";
import { KeyedLock } from "../../lib/keyed-lock.js";
import { assertPageLimit } from "../store-checks.js";
import type { RefUpdate, RepositoryRecord, RepositoryStore, SmartHttpResponse } from "../types.js";
import { chooseDefaultBranch, diffRefs } from "./ref-diff.js";
import { assertRepositoryName, assertRepositoryRecord, isRepositoryName } from "./repository-checks.js";
import type { RepositoryFiles } from "./repository-files.js";
import type { RepositoryMetadata } from "./repository-metadata.js";

/**
 * RepositoryStore over any RepositoryMetadata and the bare repositories in RepositoryFiles
 * (types.ts states the contract). Pushes to one repository are serialised by an in-process lock
 * held from the refs snapshot taken before `git receive-pack` runs until the one taken after it
 * exited, so the difference between the two is exactly what that push changed. A push's request
 * body is received into a file in the repository before the lock is taken, so a client that
 * stalls mid-upload (or sends a body that never ends) holds up nobody else's push. Fetches take no
 * lock: git's own ref and object writes are atomic, so a fetch sees the refs before or after.
 * The lock is per process: processes that share a data directory must not serve pushes to the
 * same repository (docs/git.md).
 */
export function createRepositoryStore(options: {
  readonly metadata: RepositoryMetadata;
  readonly files: RepositoryFiles;
  readonly now?: () => number;
}): RepositoryStore {
  const { metadata, files } = options;
  const now = options.now ?? Date.now;
  const pushes = new KeyedLock();

  async function resolved(record: RepositoryRecord, revision: string): Promise<string> {
    const id = await resolveCommit(files.gitDir(record.repositoryId), revision);
    if (id === undefined) {
      throw new Error(`repository store: '${revision}' names no commit in repository '${record.name}'`);
    }
    return id;
  }

  /** After a push: the ref updates, with lastModified and the default branch brought up to date. */
  async function afterPush(
    record: RepositoryRecord,
    gitDir: string,
    before: ReadonlyMap<string, string>,
  ): Promise<RefUpdate[]> {
    const after = await listRefs(gitDir);
    const updates = diffRefs(before, after);
    if (updates.length === 0) return updates;
    const current = await metadata.get(record.scope, record.name);
    if (current?.repositoryId !== record.repositoryId) return updates;
    const defaultBranch = chooseDefaultBranch(current.defaultBranch, updates, after);
    await metadata.recordPush(record.scope, record.name, record.repositoryId, {
      lastModified: Math.max(now(), current.lastModified),
      ...(defaultBranch === undefined ? {} : { defaultBranch }),
    });
    if (defaultBranch !== undefined) await setHead(gitDir, defaultBranch);
    return updates;
  }

  return {
    async create(record) {
      metadata.checkOpen();
      assertRepositoryRecord(record);
      // A taken name costs no `git init`; insert checks again, atomically.
      if (await metadata.get(record.scope, record.name)) return { ok: false, reason: "NameInUse" };
      await files.create(record.repositoryId);
      try {
        const result = await metadata.insert(record);
        if (!result.ok) await files.remove(record.repositoryId);
        return result;
      } catch (error) {
        await files.remove(record.repositoryId);
        throw error;
      }
    },

    async get(scope, name) {
      metadata.checkOpen();
      // A name that could never have been stored finds nothing (creating one is what throws).
      return isRepositoryName(name) ? metadata.get(scope, name) : undefined;
    },

    async list(scope, listOptions) {
      metadata.checkOpen();
      assertPageLimit(listOptions.limit, "repository store");
      return metadata.list(scope, listOptions);
    },

    async remove(scope, name) {
      metadata.checkOpen();
      if (!isRepositoryName(name)) return undefined;
      // Retried when the name was deleted and created again between the read and the delete.
      for (let attempt = 0; attempt < 3; attempt++) {
        const record = await metadata.get(scope, name);
        if (!record) return undefined;
        // A push in flight finishes first; pushes after this one find no repository.
        const removed = await pushes.run(record.repositoryId, async () => {
          const deleted = await metadata.delete(scope, name, record.repositoryId);
          if (deleted) await files.remove(deleted.repositoryId);
          return deleted;
        });
        if (removed) return removed;
      }
      throw new Error(`repository store: '${name}' kept changing while it was being removed`);
    },

    async smartHttp(record, request): Promise<SmartHttpResponse> {
      metadata.checkOpen();
      assertRepositoryName(record.name);
      const gitDir = files.gitDir(record.repositoryId);
      const backendRequest = { ...request, gitDir };
      // A removed repository's directory is gone: http-backend answers that with its own 404.
      if (request.pathInfo !== "/git-receive-pack" || !existsSync(gitDir)) {
        const response = await runHttpBackend(backendRequest);
        return { ...response, refUpdates: Promise.resolve([]) };
      }
      const incoming = join(gitDir, `pipewright-incoming-${randomUUID()}`);
      const discard = () => rm(incoming, { force: true }).catch(() => {});
      try {
        await pipeline(request.body ?? [], createWriteStream(incoming));
      } catch (error) {
        await discard();
        throw error;
      }
      const release = await pushes.acquire(record.repositoryId);
      const releaseAll = () => {
        release();
        void discard();
      };
      try {
        const before = await listRefs(gitDir);
        const response = await runHttpBackend({ ...backendRequest, body: createReadStream(incoming) });
        const refUpdates = response.exited.then(() => afterPush(record, gitDir, before)).finally(releaseAll);
        // Marked handled here, so an unread failure never crashes the process; awaiting still throws.
        refUpdates.catch(() => {});
        return { status: response.status, headers: response.headers, body: response.body, refUpdates };
      } catch (error) {
        releaseAll();
        throw error;
      }
    },

    async refs(record) {
      metadata.checkOpen();
      return listRefs(files.gitDir(record.repositoryId));
    },

    async commit(record, revision) {
      metadata.checkOpen();
      return readCommit(files.gitDir(record.repositoryId), revision);
    },

    async changedFiles(record, from, to) {
      metadata.checkOpen();
      const gitDir = files.gitDir(record.repositoryId);
      return changedFiles(
        gitDir,
        from === undefined ? undefined : await resolved(record, from),
        await resolved(record, to),
      );
    },

    archive(record, commit) {
      return (async function* () {
        metadata.checkOpen();
        yield* archiveZip(files.gitDir(record.repositoryId), await resolved(record, commit));
      })();
    },

    gitDir(record) {
      return files.gitDir(record.repositoryId);
    },

    async treeEntry(record, commitId, path) {
      metadata.checkOpen();
      return treeEntry(files.gitDir(record.repositoryId), commitId, path);
    },

    async treeChildren(record, treeId, prefix) {
      metadata.checkOpen();
      return treeChildren(files.gitDir(record.repositoryId), treeId, prefix);
    },

    async treeFiles(record, commitId) {
      metadata.checkOpen();
      return treeFiles(files.gitDir(record.repositoryId), commitId);
    },

    async readBlob(record, blobId) {
      metadata.checkOpen();
      return readBlob(files.gitDir(record.repositoryId), blobId);
    },

    async treeChanges(record, from, to) {
      metadata.checkOpen();
      return treeChanges(files.gitDir(record.repositoryId), from, to);
    },

    async commitToBranch(record, commit) {
      metadata.checkOpen();
      const gitDir = files.gitDir(record.repositoryId);
      // Objects first (they change no ref, so need no lock), then the ref under the push lock.
      const { treeId, blobIds } = await writeTree(gitDir, commit.files);
      if (commit.parent !== undefined) {
        const parent = await readCommit(gitDir, commit.parent);
        if (parent?.treeId === treeId) return { ok: false, reason: "NoChange" };
      }
      const commitId = await commitTree(gitDir, {
        treeId,
        parents: commit.parent === undefined ? [] : [commit.parent],
        message: commit.message,
        author: commit.author,
      });
      return pushes.run(record.repositoryId, async () => {
        const before = await listRefs(gitDir);
        if (!(await compareAndSwapRef(gitDir, commit.ref, commitId, commit.parent))) {
          return { ok: false, reason: "ParentOutdated" } as const;
        }
        const updates = await afterPush(record, gitDir, before);
        return { ok: true, commitId, treeId, blobIds, updates } as const;
      });
    },

    async objectInfo(record, objectId) {
      metadata.checkOpen();
      return objectInfo(files.gitDir(record.repositoryId), objectId);
    },

    async moveRef(record, change) {
      metadata.checkOpen();
      const gitDir = files.gitDir(record.repositoryId);
      return pushes.run(record.repositoryId, async () => {
        const before = await listRefs(gitDir);
        let moved: boolean;
        if (change.newCommit !== undefined) {
          moved = await compareAndSwapRef(gitDir, change.ref, change.newCommit, change.expected);
        } else {
          moved = change.expected !== undefined && (await deleteRefIf(gitDir, change.ref, change.expected));
        }
        return moved ? afterPush(record, gitDir, before) : undefined;
      });
    },

    async setDefaultBranch(record, branch) {
      metadata.checkOpen();
      const gitDir = files.gitDir(record.repositoryId);
      await pushes.run(record.repositoryId, async () => {
        const current = await metadata.get(record.scope, record.name);
        if (current?.repositoryId !== record.repositoryId) return;
        await metadata.recordPush(record.scope, record.name, record.repositoryId, {
          lastModified: Math.max(now(), current.lastModified),
          defaultBranch: branch,
        });
        await setHead(gitDir, branch);
      });
    },
  };
}
