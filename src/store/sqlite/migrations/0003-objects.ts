/**
 * Migration 0003: S3-style buckets and object versions. Bodies are not in the database: each
 * version names a blob file (`blob`, a random id) in the blob directory next to the database
 * (sqlite-object-store.ts). Never edit this text once released; add a new migration instead.
 *
 * Keys compare in BINARY collation (UTF-8 byte order, S3's listing order).
 */
export const sql = `
-- Bucket names are global, as in S3; the scope says whose bucket it is.
CREATE TABLE buckets (
  name       TEXT    NOT NULL PRIMARY KEY,
  account_id TEXT    NOT NULL,
  region     TEXT    NOT NULL,
  created    INTEGER NOT NULL,
  versioning TEXT    CHECK (versioning IN ('Enabled', 'Suspended'))
) WITHOUT ROWID;

-- listBuckets(scope) walks this in name order.
CREATE INDEX buckets_by_scope ON buckets (account_id, region, name);

-- Every version and delete marker. seq grows with every write, so the newest version of a key
-- is the one with the largest seq. A rowid table: seq is the rowid.
CREATE TABLE object_versions (
  seq           INTEGER PRIMARY KEY,
  bucket        TEXT    NOT NULL REFERENCES buckets (name),
  key           TEXT    NOT NULL,
  version_id    TEXT    NOT NULL,
  delete_marker INTEGER NOT NULL CHECK (delete_marker IN (0, 1)),
  size          INTEGER NOT NULL CHECK (size >= 0),
  etag          TEXT    NOT NULL,
  last_modified INTEGER NOT NULL,
  content_type  TEXT,
  metadata      TEXT    NOT NULL CHECK (json_valid(metadata)),
  -- The blob file's id; NULL for delete markers and empty bodies, which need no file.
  blob          TEXT,
  CHECK (delete_marker = 0 OR blob IS NULL)
);

-- A key's versions newest first (the latest is the first row), and listObjectVersions' order:
-- key ascending, then newest first.
CREATE UNIQUE INDEX object_versions_by_key ON object_versions (bucket, key, seq DESC);
-- Finding a version by id; version ids are unique per key ("null" at most once).
CREATE UNIQUE INDEX object_versions_by_id ON object_versions (bucket, key, version_id);

-- One row per key whose latest version is an object, not a delete marker: the index
-- listObjects pages through, so a page never reads deleted keys. Kept in step with
-- object_versions by every write, in the same transaction.
CREATE TABLE live_objects (
  bucket TEXT    NOT NULL,
  key    TEXT    NOT NULL,
  seq    INTEGER NOT NULL REFERENCES object_versions (seq),
  PRIMARY KEY (bucket, key)
) WITHOUT ROWID;

-- Deleting a version checks the foreign key above; without this index that check would read
-- every live_objects row.
CREATE INDEX live_objects_by_seq ON live_objects (seq);
`;
