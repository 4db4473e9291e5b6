import type Database from "better-sqlite3";
import { KeyedLock } from "../../lib/keyed-lock.js";
import type { RegistryStore } from "../registry-store-types.js";
import { prepared } from "./prepared.js";
import { RegistryFiles } from "./registry-files.js";
import { createRegistryGarbageCollector } from "./registry-gc.js";
import { createRegistryImages } from "./registry-images.js";
import {
  deleteRepositoryRows,
  hasImages,
  linkBlob,
  linkedBlobSize,
  repoKey,
  repositoryDocument,
  selectRepositories,
  selectRepository,
  selectUpload,
  toRepository,
} from "./registry-queries.js";

/**
 * The registry in SQLite (metadata, manifests) and files (blobs, uploads; registry-files.ts).
 * Order of work, so that a crash at any point leaves nothing half stored:
 *  - an upload's bytes go to its own file; completing it checks the digest, renames the file to
 *    the blob's path and only then commits the blob row and its link;
 *  - a manifest is committed in one transaction with its references and tag, after checking
 *    that the repository sees every blob it names (registry-images.ts);
 *  - files are removed only by garbage collection, which never removes a file younger than the
 *    grace period (registry-gc.ts), and which holds the same lock as the rename-and-commit step.
 */
export function createSqliteRegistryStore(db: Database.Database, dir: string): RegistryStore {
  const files = new RegistryFiles(dir);
  const uploads = new KeyedLock();
  // Held while a blob file is renamed into place and recorded, and by garbage collection.
  const blobFiles = new KeyedLock();

  const commitBlob = db.transaction(
    (uploadId: string, digest: string, size: number, key: [string, string, string], now: number) => {
      prepared(
        db,
        "INSERT INTO registry_blobs (digest, size, created) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      ).run(digest, size, now);
      linkBlob(db, key, digest, now);
      prepared(db, "DELETE FROM registry_uploads WHERE upload_id = ?").run(uploadId);
    },
  );

  const removeRepository = db.transaction((key: [string, string, string], force: boolean) => {
    const row = selectRepository(db, key);
    if (!row) return { ok: false as const, reason: "NotFound" as const };
    if (!force && hasImages(db, key)) return { ok: false as const, reason: "NotEmpty" as const };
    deleteRepositoryRows(db, key);
    return { ok: true as const, record: toRepository(row) };
  });

  return {
    async createRepository(record) {
      const inserted = prepared(
        db,
        "INSERT INTO registry_repositories (account_id, region, name, created, document) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      ).run(...repoKey(record.scope, record.name), record.created, repositoryDocument(record));
      return inserted.changes === 1 ? { ok: true } : { ok: false, reason: "NameInUse" };
    },

    async getRepository(scope, name) {
      const row = selectRepository(db, repoKey(scope, name));
      return row && toRepository(row);
    },

    async listRepositories(scope, { after, limit }) {
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`registry store: bad limit ${limit}`);
      const rows = selectRepositories(db, scope, after ?? "", limit + 1);
      const items = rows.slice(0, limit).map(toRepository);
      return rows.length > limit ? { items, nextAfter: items.at(-1)!.name } : { items };
    },

    async updateRepository(record) {
      const changed = prepared(
        db,
        "UPDATE registry_repositories SET document = ? WHERE account_id = ? AND region = ? AND name = ?",
      ).run(repositoryDocument(record), ...repoKey(record.scope, record.name));
      return changed.changes === 1;
    },

    async deleteRepository(scope, name, force) {
      return removeRepository.immediate(repoKey(scope, name), force);
    },

    async startUpload(scope, repositoryName, uploadId, now) {
      if (!selectRepository(db, repoKey(scope, repositoryName)))
        return { ok: false, reason: "RepositoryNotFound" };
      await files.createUpload(uploadId);
      prepared(
        db,
        "INSERT INTO registry_uploads (upload_id, account_id, region, repository, size, started, updated) VALUES (?, ?, ?, ?, 0, ?, ?)",
      ).run(uploadId, ...repoKey(scope, repositoryName), now, now);
      return { ok: true };
    },

    async getUpload(uploadId) {
      return selectUpload(db, uploadId);
    },

    appendUpload(uploadId, body, { start, now }) {
      return uploads.run(uploadId, async () => {
        const upload = selectUpload(db, uploadId);
        if (!upload) return { ok: false, reason: "NotFound" } as const;
        if (start !== undefined && start !== upload.size)
          return { ok: false, reason: "RangeMismatch", size: upload.size } as const;
        const size = await files.append(uploadId, upload.size, body);
        prepared(db, "UPDATE registry_uploads SET size = ?, updated = ? WHERE upload_id = ?").run(
          size,
          now,
          uploadId,
        );
        return { ok: true, size } as const;
      });
    },

    completeUpload(uploadId, digest, finalBody, now) {
      return uploads.run(uploadId, async () => {
        const upload = selectUpload(db, uploadId);
        if (!upload) return { ok: false, reason: "NotFound" } as const;
        const size = finalBody ? await files.append(uploadId, upload.size, finalBody) : upload.size;
        const actual = await files.digestOf(uploadId, size);
        if (actual !== digest) {
          prepared(db, "DELETE FROM registry_uploads WHERE upload_id = ?").run(uploadId);
          await files.removeUpload(uploadId);
          return { ok: false, reason: "DigestMismatch", actual } as const;
        }
        await blobFiles.run("blob-files", async () => {
          await files.promote(uploadId, digest);
          commitBlob.immediate(uploadId, digest, size, repoKey(upload.scope, upload.repositoryName), now);
        });
        return { ok: true, size, scope: upload.scope, repositoryName: upload.repositoryName } as const;
      });
    },

    cancelUpload(uploadId) {
      return uploads.run(uploadId, async () => {
        const removed = prepared(db, "DELETE FROM registry_uploads WHERE upload_id = ?").run(uploadId);
        if (removed.changes === 0) return false;
        await files.removeUpload(uploadId);
        return true;
      });
    },

    async mountBlob(scope, repositoryName, digest, fromRepository, now) {
      const size = linkedBlobSize(db, repoKey(scope, fromRepository), digest);
      const target = repoKey(scope, repositoryName);
      if (size === undefined || !selectRepository(db, target)) return undefined;
      linkBlob(db, target, digest, now);
      return { size };
    },

    async statBlob(scope, repositoryName, digest) {
      const size = linkedBlobSize(db, repoKey(scope, repositoryName), digest);
      return size === undefined ? undefined : { size };
    },

    async readBlob(scope, repositoryName, digest, range) {
      if (linkedBlobSize(db, repoKey(scope, repositoryName), digest) === undefined) return undefined;
      return files.openBlob(digest, range);
    },

    async unlinkBlob(scope, repositoryName, digest) {
      const removed = prepared(
        db,
        "DELETE FROM registry_blob_links WHERE account_id = ? AND region = ? AND repository = ? AND digest = ?",
      ).run(...repoKey(scope, repositoryName), digest);
      return removed.changes === 1;
    },

    ...createRegistryImages(db),

    collectGarbage: createRegistryGarbageCollector(db, files, (work) => blobFiles.run("blob-files", work)),
  };
}
