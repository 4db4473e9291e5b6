/**
 * Migration 0007: CodeBuild projects, builds, build logs and reports. Never edit once released.
 *
 * Documents are JSON (`JSON.stringify`'s output, so no json_valid CHECK); the columns beside
 * them are what the queries look up or order by. `builds.list_key` is the start time at fixed
 * width followed by the id (store/build-records.ts), so one index range gives a page of builds
 * in start-time order, either way, without a sort. Projects, builds and reports are rowid
 * tables (their documents run to kilobytes); counters and log lines are small rows kept in
 * their primary key's order (WITHOUT ROWID), so a build's log is one contiguous range.
 */
export const sql = `
CREATE TABLE build_projects (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  created         INTEGER NOT NULL,
  last_modified   INTEGER NOT NULL,
  document        TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, name)
);

CREATE TABLE build_counters (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  project_name    TEXT    NOT NULL,
  last_number     INTEGER NOT NULL CHECK (last_number >= 1),
  PRIMARY KEY (account_id, region, project_name)
) WITHOUT ROWID;

CREATE TABLE builds (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  build_id        TEXT    NOT NULL,
  project_name    TEXT    NOT NULL,
  list_key        TEXT    NOT NULL,
  complete        INTEGER NOT NULL CHECK (complete IN (0, 1)),
  document        TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, build_id)
);

CREATE UNIQUE INDEX builds_by_list_key ON builds (account_id, region, list_key);
CREATE INDEX builds_by_project ON builds (account_id, region, project_name, list_key);
CREATE INDEX builds_unfinished ON builds (complete) WHERE complete = 0;

CREATE TABLE build_log_lines (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  build_id        TEXT    NOT NULL,
  seq             INTEGER NOT NULL CHECK (seq >= 1),
  text            TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, build_id, seq)
) WITHOUT ROWID;

CREATE TABLE build_reports (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  arn             TEXT    NOT NULL,
  document        TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, arn)
);
`;
