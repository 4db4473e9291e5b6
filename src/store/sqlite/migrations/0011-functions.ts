/**
 * Migration 0011: Lambda-compatible functions. Never edit once released. One row per function:
 * its configuration as a JSON record and its code (the zip as uploaded, at most 50 MB by
 * Lambda's quota) in the same row, so that a function and its code change in one statement.
 * Reads of the configuration select `record` only, so listing never touches the code pages.
 */
export const sql = `
CREATE TABLE functions (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  revision        INTEGER NOT NULL CHECK (revision >= 1),
  record          TEXT    NOT NULL,
  code            BLOB    NOT NULL,
  PRIMARY KEY (account_id, region, name)
);
`;
