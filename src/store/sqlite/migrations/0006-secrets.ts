/**
 * Migration 0006: Parameter Store parameters and Secrets Manager secrets. Never edit once
 * released. Values are sealed by the runtime before they reach these tables (docs/secrets.md).
 *
 * Parameters follow the pipelines' shape: every kept version is a row of `parameters`, and
 * `current_parameters` says which one is current, so that a list walks one primary key.
 * A secret is one row of metadata; its versions are rows of `secret_versions` in insertion
 * order (the rowid), found by `secret_versions_by_secret` (whose rows end with the rowid, so
 * a secret's versions come out oldest first without a sort).
 */
export const sql = `
CREATE TABLE parameters (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  version         INTEGER NOT NULL CHECK (version >= 1),
  record          TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, name, version)
);

CREATE TABLE current_parameters (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  version         INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, name)
) WITHOUT ROWID;

CREATE TABLE secrets (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  record          TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, name)
) WITHOUT ROWID;

CREATE TABLE secret_versions (
  seq             INTEGER PRIMARY KEY,
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  version_id      TEXT    NOT NULL,
  stages          TEXT    NOT NULL,
  created         INTEGER NOT NULL,
  sealed_string   TEXT,
  sealed_binary   TEXT
);

CREATE UNIQUE INDEX secret_versions_by_id ON secret_versions (account_id, region, name, version_id);
CREATE INDEX secret_versions_by_secret ON secret_versions (account_id, region, name);
`;
