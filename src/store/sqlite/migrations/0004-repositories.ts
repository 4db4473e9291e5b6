/**
 * Migration 0004: hosted git repositories' metadata. The repositories themselves are bare git
 * directories named after `repository_id` in the repositories directory next to the database
 * (store/repositories/repository-files.ts). Never edit this text once released; add a new
 * migration instead.
 */
export const sql = `
-- One row per repository. Names are unique per scope and compare in BINARY collation (byte
-- order), which is the order ListRepositories returns them in.
CREATE TABLE repositories (
  account_id     TEXT    NOT NULL,
  region         TEXT    NOT NULL,
  name           TEXT    NOT NULL,
  repository_id  TEXT    NOT NULL UNIQUE,
  description    TEXT,
  default_branch TEXT,
  created        INTEGER NOT NULL,
  last_modified  INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, name)
) WITHOUT ROWID;

-- ListRepositories sorted by lastModifiedDate: walked forwards or backwards from a
-- (last_modified, name) position, so a page costs its size.
CREATE INDEX repositories_by_last_modified ON repositories (account_id, region, last_modified, name);
`;
