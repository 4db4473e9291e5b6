/**
 * Migration 0008: the container registry (ECR repositories, OCI blobs, manifests, tags and
 * uploads). Never edit once released.
 *
 * Blob bodies are files named by digest (store/sqlite/registry-files.ts); `registry_blobs` says
 * which of them are complete, and `registry_blob_links` which repository sees which blob (an
 * upload into it or a mount). Manifests are small (ECR caps them at 4 MiB) and live in the
 * database with the digests they reference, so one transaction stores a whole image and garbage
 * collection finds unreferenced blobs with an index range. Repository settings are a JSON
 * document beside the key.
 */
export const sql = `
CREATE TABLE registry_repositories (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  created         INTEGER NOT NULL,
  document        TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, name)
);

CREATE TABLE registry_blobs (
  digest          TEXT    NOT NULL PRIMARY KEY,
  size            INTEGER NOT NULL CHECK (size >= 0),
  created         INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE registry_blob_links (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  repository      TEXT    NOT NULL,
  digest          TEXT    NOT NULL,
  linked          INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, repository, digest)
) WITHOUT ROWID;

CREATE INDEX registry_blob_links_by_digest ON registry_blob_links (digest);

CREATE TABLE registry_manifests (
  account_id          TEXT    NOT NULL,
  region              TEXT    NOT NULL,
  repository          TEXT    NOT NULL,
  digest              TEXT    NOT NULL,
  media_type          TEXT    NOT NULL,
  artifact_media_type TEXT,
  image_size          INTEGER NOT NULL,
  pushed_at           INTEGER NOT NULL,
  body                BLOB    NOT NULL,
  PRIMARY KEY (account_id, region, repository, digest)
);

CREATE TABLE registry_manifest_refs (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  repository      TEXT    NOT NULL,
  manifest_digest TEXT    NOT NULL,
  ref_digest      TEXT    NOT NULL,
  kind            TEXT    NOT NULL CHECK (kind IN ('blob', 'manifest')),
  PRIMARY KEY (account_id, region, repository, manifest_digest, ref_digest)
) WITHOUT ROWID;

CREATE INDEX registry_refs_by_target ON registry_manifest_refs (account_id, region, repository, ref_digest);

CREATE TABLE registry_tags (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  repository      TEXT    NOT NULL,
  tag             TEXT    NOT NULL,
  digest          TEXT    NOT NULL,
  updated         INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, repository, tag)
) WITHOUT ROWID;

CREATE INDEX registry_tags_by_digest ON registry_tags (account_id, region, repository, digest);

CREATE TABLE registry_uploads (
  upload_id       TEXT    NOT NULL PRIMARY KEY,
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  repository      TEXT    NOT NULL,
  size            INTEGER NOT NULL CHECK (size >= 0),
  started         INTEGER NOT NULL,
  updated         INTEGER NOT NULL
) WITHOUT ROWID;
`;
