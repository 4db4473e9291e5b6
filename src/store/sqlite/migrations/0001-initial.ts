/**
 * Migration 0001: pipelines (every version), the current version of each, custom action types,
 * tags. Never edit this text once released: migrate.ts checks each applied migration's checksum
 * and refuses a database whose history differs. Change the schema in 0002-….ts instead.
 *
 * Conventions: names compare in BINARY collation (UTF-8 byte order, what `list` promises);
 * timestamps are INTEGER milliseconds since the epoch; JSON documents are TEXT.
 */
export const sql = `
-- Every version of every pipeline. Rows are written once and never updated; remove deletes
-- them all. A rowid table, not WITHOUT ROWID: declarations run to tens of kilobytes, and
-- https://www.sqlite.org/withoutrowid.html advises WITHOUT ROWID only for rows much smaller
-- than a page.
CREATE TABLE pipelines (
  account_id     TEXT    NOT NULL,
  region         TEXT    NOT NULL,
  name           TEXT    NOT NULL,
  version        INTEGER NOT NULL CHECK (version >= 1),
  declaration    TEXT    NOT NULL CHECK (json_valid(declaration)),
  -- Copied from the declaration so that list reads no JSON.
  pipeline_type  TEXT,
  execution_mode TEXT,
  created        INTEGER NOT NULL,
  updated        INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, name, version)
);

-- The current version of each pipeline: one small row per pipeline. Its primary key is the
-- index list pages through (account, region, name > after, in order, LIMIT n), so a page costs
-- O(page size) however many pipelines or versions exist; create takes the name here, and update
-- moves the version here in the same transaction that inserts the new version.
CREATE TABLE current_pipelines (
  account_id TEXT    NOT NULL,
  region     TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, name),
  FOREIGN KEY (account_id, region, name, version) REFERENCES pipelines (account_id, region, name, version)
) WITHOUT ROWID;

-- Custom action types. The key's column order is list's order, so list needs no sort. A
-- deleted type keeps its row (deleted is set) so that re-creating it restores it.
CREATE TABLE custom_action_types (
  account_id TEXT    NOT NULL,
  region     TEXT    NOT NULL,
  category   TEXT    NOT NULL,
  provider   TEXT    NOT NULL,
  version    TEXT    NOT NULL,
  owner      TEXT    NOT NULL,
  spec       TEXT    NOT NULL CHECK (json_valid(spec)),
  created    INTEGER NOT NULL,
  deleted    INTEGER,
  PRIMARY KEY (account_id, region, category, provider, version, owner)
);

-- Tags of any resource by ARN (an ARN already names the account and region).
CREATE TABLE tags (
  resource_arn TEXT NOT NULL,
  key          TEXT NOT NULL,
  value        TEXT NOT NULL,
  PRIMARY KEY (resource_arn, key)
) WITHOUT ROWID;
`;
