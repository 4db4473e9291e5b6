import type Database from "better-sqlite3";
import type { GarbageReport, RegistryStore } from "../registry-store-types.js";
import { prepared } from "./prepared.js";
import type { RegistryFiles } from "./registry-files.js";

/**
 * Garbage collection of the SQLite registry store, in three steps that each leave a consistent
 * state: (1) stale uploads (rows and files), (2) blob links that no manifest of their repository
 * references and that are older than the grace period, (3) blob rows no repository links, then
 * their files, and files that no row describes (left by a crash between rename and commit) once
 * they are older than the grace period. `exclusive` keeps a concurrent upload from committing a
 * blob whose file is being removed.
 */
export function createRegistryGarbageCollector(
  db: Database.Database,
  files: RegistryFiles,
  exclusive: <T>(work: () => Promise<T>) => Promise<T>,
): RegistryStore["collectGarbage"] {
  const sweepRows = db.transaction((now: number, uploadGraceMs: number, blobGraceMs: number) => {
    const staleUploads = prepared<{ upload_id: string }>(
      db,
      "SELECT upload_id FROM registry_uploads WHERE updated < ?",
    )
      .all(now - uploadGraceMs)
      .map((r) => r.upload_id);
    prepared(db, "DELETE FROM registry_uploads WHERE updated < ?").run(now - uploadGraceMs);
    const links = prepared(
      db,
      `DELETE FROM registry_blob_links AS l WHERE l.linked < ? AND NOT EXISTS (
         SELECT 1 FROM registry_manifest_refs r WHERE r.account_id = l.account_id AND r.region = l.region
           AND r.repository = l.repository AND r.ref_digest = l.digest)`,
    ).run(now - blobGraceMs);
    const orphans = prepared<{ digest: string; size: number }>(
      db,
      `SELECT digest, size FROM registry_blobs b WHERE created < ?
         AND NOT EXISTS (SELECT 1 FROM registry_blob_links l WHERE l.digest = b.digest)`,
    ).all(now - blobGraceMs);
    const remove = prepared(db, "DELETE FROM registry_blobs WHERE digest = ?");
    for (const o of orphans) remove.run(o.digest);
    return { staleUploads, linksRemoved: links.changes, orphans };
  });

  return async function collectGarbage({ now, uploadGraceMs, blobGraceMs }): Promise<GarbageReport> {
    return exclusive(async () => {
      const swept = sweepRows.immediate(now, uploadGraceMs, blobGraceMs);
      for (const id of swept.staleUploads) await files.removeUpload(id);
      for (const o of swept.orphans) files.removeBlob(o.digest);
      const known = new Set(
        prepared<{ digest: string }>(db, "SELECT digest FROM registry_blobs")
          .all()
          .map((r) => r.digest),
      );
      const liveUploads = new Set(
        prepared<{ upload_id: string }>(db, "SELECT upload_id FROM registry_uploads")
          .all()
          .map((r) => r.upload_id),
      );
      const onDisk = files.listFiles();
      let strays = 0;
      for (const digest of onDisk.blobs) {
        if (known.has(digest)) continue;
        // A file without a row is either being committed right now (we hold the lock, so not)
        // or was left by a crash; the grace period covers clocks that disagree with mtime.
        files.removeBlob(digest);
        strays++;
      }
      for (const upload of onDisk.uploads) {
        if (!liveUploads.has(upload.id) && upload.mtimeMs < now - uploadGraceMs)
          await files.removeUpload(upload.id);
      }
      return {
        uploadsRemoved: swept.staleUploads.length,
        linksRemoved: swept.linksRemoved,
        blobsRemoved: swept.orphans.length + strays,
        bytesRemoved: swept.orphans.reduce((sum, o) => sum + o.size, 0),
      };
    });
  };
}
