import type Database from "better-sqlite3";
import type {
  ImageReference,
  ManifestPut,
  PutManifestResult,
  RegistryStore,
} from "../registry-store-types.js";
import type { Scope } from "../types.js";
import { prepared } from "./prepared.js";
import {
  deleteManifestRows,
  linkedBlobSize,
  referencedByIndex,
  repoKey,
  selectManifest,
  selectManifestsAfter,
  selectRepository,
  selectTagsAfter,
  tagDigest,
  tagsOf,
  toImage,
  toRepository,
} from "./registry-queries.js";

type ImageMethods = Pick<
  RegistryStore,
  "putManifest" | "getManifest" | "getImage" | "listImages" | "listTags" | "deleteImage" | "removeTag"
>;

/** Manifests and tags of the SQLite registry store: every change is one IMMEDIATE transaction. */
export function createRegistryImages(db: Database.Database): ImageMethods {
  const put = db.transaction((m: ManifestPut): PutManifestResult => {
    const key = repoKey(m.scope, m.repositoryName);
    const repository = selectRepository(db, key);
    if (!repository) return { ok: false, reason: "RepositoryNotFound" };
    const sizes = new Map<string, number>();
    const missingBlobs: string[] = [];
    for (const digest of new Set(m.blobs)) {
      const size = linkedBlobSize(db, key, digest);
      if (size === undefined) missingBlobs.push(digest);
      else sizes.set(digest, size);
    }
    if (missingBlobs.length > 0) return { ok: false, reason: "BlobsUnknown", digests: missingBlobs };
    let childMax = 0;
    const missingManifests: string[] = [];
    for (const digest of new Set(m.manifests)) {
      const child = selectManifest(db, key, digest);
      if (!child) missingManifests.push(digest);
      else childMax = Math.max(childMax, child.image_size);
    }
    if (missingManifests.length > 0)
      return { ok: false, reason: "ManifestsUnknown", digests: missingManifests };
    const previous = m.tag === undefined ? undefined : tagDigest(db, key, m.tag);
    if (
      previous !== undefined &&
      previous !== m.digest &&
      toRepository(repository).imageTagMutability === "IMMUTABLE"
    )
      return { ok: false, reason: "TagImmutable", digest: previous };

    const size = m.manifests.length > 0 ? childMax : [...sizes.values()].reduce((a, b) => a + b, 0);
    const inserted = prepared(
      db,
      `INSERT INTO registry_manifests (account_id, region, repository, digest, media_type, artifact_media_type,
         image_size, pushed_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(...key, m.digest, m.mediaType, m.artifactMediaType ?? null, size, m.now, Buffer.from(m.body));
    if (inserted.changes === 1) {
      const ref = prepared(
        db,
        `INSERT INTO registry_manifest_refs (account_id, region, repository, manifest_digest, ref_digest, kind)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      );
      for (const digest of sizes.keys()) ref.run(...key, m.digest, digest, "blob");
      for (const digest of new Set(m.manifests)) ref.run(...key, m.digest, digest, "manifest");
    }
    if (m.tag !== undefined) {
      prepared(
        db,
        `INSERT INTO registry_tags (account_id, region, repository, tag, digest, updated) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET digest = excluded.digest, updated = excluded.updated`,
      ).run(...key, m.tag, m.digest, m.now);
    }
    return {
      ok: true,
      created: inserted.changes === 1,
      ...(previous !== undefined && previous !== m.digest ? { previousDigest: previous } : {}),
    };
  });

  const digestOf = (scope: Scope, name: string, ref: ImageReference) =>
    "digest" in ref ? ref.digest : tagDigest(db, repoKey(scope, name), ref.tag);

  const remove = db.transaction((key: [string, string, string], digest: string) => {
    if (!selectManifest(db, key, digest)) return "NotFound" as const;
    if (referencedByIndex(db, key, digest)) return "ReferencedByIndex" as const;
    deleteManifestRows(db, key, digest);
    return "Deleted" as const;
  });

  const untag = db.transaction((key: [string, string, string], tag: string) => {
    const digest = tagDigest(db, key, tag);
    if (digest === undefined) return undefined;
    prepared(
      db,
      "DELETE FROM registry_tags WHERE account_id = ? AND region = ? AND repository = ? AND tag = ?",
    ).run(...key, tag);
    if (tagsOf(db, key, digest).length === 0 && !referencedByIndex(db, key, digest))
      deleteManifestRows(db, key, digest);
    return { digest };
  });

  return {
    async putManifest(m) {
      return put.immediate(m);
    },

    async getManifest(scope, name, ref) {
      const digest = digestOf(scope, name, ref);
      const row = digest === undefined ? undefined : selectManifest(db, repoKey(scope, name), digest);
      return row && { digest: row.digest, mediaType: row.media_type, body: new Uint8Array(row.body) };
    },

    async getImage(scope, name, ref) {
      const digest = digestOf(scope, name, ref);
      const key = repoKey(scope, name);
      const row = digest === undefined ? undefined : selectManifest(db, key, digest);
      return row && toImage(db, key, row);
    },

    async listImages(scope, name, { after, limit, tagStatus }) {
      const key = repoKey(scope, name);
      const items = [];
      let cursor = after ?? "";
      // Filtering by tag status happens here: pages of the manifest table until `limit` match.
      for (;;) {
        const rows = selectManifestsAfter(db, key, cursor, 200);
        for (const row of rows) {
          const image = toImage(db, key, row);
          cursor = row.digest;
          const keep =
            tagStatus === "TAGGED"
              ? image.tags.length > 0
              : tagStatus === "UNTAGGED"
                ? image.tags.length === 0
                : true;
          if (!keep) continue;
          if (items.length === limit) return { items, nextAfter: items.at(-1)!.digest };
          items.push(image);
        }
        if (rows.length < 200) return { items };
      }
    },

    async listTags(scope, name, { after, limit }) {
      const tags = selectTagsAfter(db, repoKey(scope, name), after ?? "", limit + 1);
      const items = tags.slice(0, limit);
      return tags.length > limit ? { items, nextAfter: items.at(-1)! } : { items };
    },

    async deleteImage(scope, name, digest) {
      return remove.immediate(repoKey(scope, name), digest);
    },

    async removeTag(scope, name, tag) {
      return untag.immediate(repoKey(scope, name), tag);
    },
  };
}
