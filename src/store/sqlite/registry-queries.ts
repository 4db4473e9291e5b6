import type Database from "better-sqlite3";
import type { ImageRecord, RegistryRepositoryRecord, UploadRecord } from "../registry-store-types.js";
import type { Scope } from "../types.js";
import { prepared } from "./prepared.js";

/** The registry's SQL, one function per statement (migration 0008 has the tables). */

type Key = [string, string, string];
export const repoKey = (scope: Scope, name: string): Key => [scope.accountId, scope.region, name];
const WHERE_REPO = "account_id = ? AND region = ? AND repository = ?";

interface RepositoryRow {
  account_id: string;
  region: string;
  name: string;
  created: number;
  document: string;
}

export function toRepository(row: RepositoryRow): RegistryRepositoryRecord {
  return {
    scope: { accountId: row.account_id, region: row.region },
    name: row.name,
    created: row.created,
    ...(JSON.parse(row.document) as Omit<RegistryRepositoryRecord, "scope" | "name" | "created">),
  };
}

export function repositoryDocument(record: RegistryRepositoryRecord): string {
  const { scope: _scope, name: _name, created: _created, ...rest } = record;
  return JSON.stringify(rest);
}

export function selectRepository(db: Database.Database, key: Key): RepositoryRow | undefined {
  return prepared<RepositoryRow>(
    db,
    "SELECT * FROM registry_repositories WHERE account_id = ? AND region = ? AND name = ?",
  ).get(...key);
}

export function selectRepositories(db: Database.Database, scope: Scope, after: string, limit: number) {
  return prepared<RepositoryRow>(
    db,
    "SELECT * FROM registry_repositories WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?",
  ).all(scope.accountId, scope.region, after, limit);
}

export function hasImages(db: Database.Database, key: Key): boolean {
  return (
    prepared(db, `SELECT 1 FROM registry_manifests WHERE ${WHERE_REPO} LIMIT 1`).get(...key) !== undefined
  );
}

export function deleteRepositoryRows(db: Database.Database, key: Key): void {
  for (const table of [
    "registry_tags",
    "registry_manifest_refs",
    "registry_manifests",
    "registry_blob_links",
  ])
    prepared(db, `DELETE FROM ${table} WHERE ${WHERE_REPO}`).run(...key);
  prepared(db, "DELETE FROM registry_uploads WHERE account_id = ? AND region = ? AND repository = ?").run(
    ...key,
  );
  prepared(db, "DELETE FROM registry_repositories WHERE account_id = ? AND region = ? AND name = ?").run(
    ...key,
  );
}

interface UploadRow {
  upload_id: string;
  account_id: string;
  region: string;
  repository: string;
  size: number;
  started: number;
  updated: number;
}

export function selectUpload(db: Database.Database, uploadId: string): UploadRecord | undefined {
  const row = prepared<UploadRow>(db, "SELECT * FROM registry_uploads WHERE upload_id = ?").get(uploadId);
  return (
    row && {
      uploadId: row.upload_id,
      scope: { accountId: row.account_id, region: row.region },
      repositoryName: row.repository,
      size: row.size,
      started: row.started,
      updated: row.updated,
    }
  );
}

export function linkBlob(db: Database.Database, key: Key, digest: string, now: number): void {
  prepared(
    db,
    `INSERT INTO registry_blob_links (account_id, region, repository, digest, linked) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET linked = excluded.linked`,
  ).run(...key, digest, now);
}

export function linkedBlobSize(db: Database.Database, key: Key, digest: string): number | undefined {
  return prepared<{ size: number }>(
    db,
    `SELECT b.size FROM registry_blob_links l JOIN registry_blobs b ON b.digest = l.digest
     WHERE l.account_id = ? AND l.region = ? AND l.repository = ? AND l.digest = ?`,
  ).get(...key, digest)?.size;
}

interface ManifestRow {
  digest: string;
  media_type: string;
  artifact_media_type: string | null;
  image_size: number;
  pushed_at: number;
  body: Buffer;
}

export function selectManifest(db: Database.Database, key: Key, digest: string): ManifestRow | undefined {
  return prepared<ManifestRow>(db, `SELECT * FROM registry_manifests WHERE ${WHERE_REPO} AND digest = ?`).get(
    ...key,
    digest,
  );
}

export function tagDigest(db: Database.Database, key: Key, tag: string): string | undefined {
  return prepared<{ digest: string }>(
    db,
    `SELECT digest FROM registry_tags WHERE ${WHERE_REPO} AND tag = ?`,
  ).get(...key, tag)?.digest;
}

export function tagsOf(db: Database.Database, key: Key, digest: string): string[] {
  return prepared<{ tag: string }>(
    db,
    `SELECT tag FROM registry_tags WHERE ${WHERE_REPO} AND digest = ? ORDER BY tag`,
  )
    .all(...key, digest)
    .map((r) => r.tag);
}

export function toImage(db: Database.Database, key: Key, row: ManifestRow): ImageRecord {
  return {
    repositoryName: key[2],
    digest: row.digest,
    mediaType: row.media_type,
    ...(row.artifact_media_type === null ? {} : { artifactMediaType: row.artifact_media_type }),
    tags: tagsOf(db, key, row.digest),
    size: row.image_size,
    pushedAt: row.pushed_at,
  };
}

export function selectManifestsAfter(db: Database.Database, key: Key, after: string, limit: number) {
  return prepared<ManifestRow>(
    db,
    `SELECT * FROM registry_manifests WHERE ${WHERE_REPO} AND digest > ? ORDER BY digest LIMIT ?`,
  ).all(...key, after, limit);
}

export function selectTagsAfter(db: Database.Database, key: Key, after: string, limit: number): string[] {
  return prepared<{ tag: string }>(
    db,
    `SELECT tag FROM registry_tags WHERE ${WHERE_REPO} AND tag > ? ORDER BY tag LIMIT ?`,
  )
    .all(...key, after, limit)
    .map((r) => r.tag);
}

/** Whether an index of the repository names the manifest. */
export function referencedByIndex(db: Database.Database, key: Key, digest: string): boolean {
  return (
    prepared(
      db,
      `SELECT 1 FROM registry_manifest_refs WHERE ${WHERE_REPO} AND ref_digest = ? AND kind = 'manifest' LIMIT 1`,
    ).get(...key, digest) !== undefined
  );
}

export function deleteManifestRows(db: Database.Database, key: Key, digest: string): void {
  prepared(db, `DELETE FROM registry_tags WHERE ${WHERE_REPO} AND digest = ?`).run(...key, digest);
  prepared(db, `DELETE FROM registry_manifest_refs WHERE ${WHERE_REPO} AND manifest_digest = ?`).run(
    ...key,
    digest,
  );
  prepared(db, `DELETE FROM registry_manifests WHERE ${WHERE_REPO} AND digest = ?`).run(...key, digest);
}
