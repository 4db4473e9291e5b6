/**
 * Migration 0002: run state. Executions (a snapshot per execution plus its append-only events),
 * each pipeline's lanes, and jobs. RunStore.commit changes them together in one transaction
 * (sqlite-run-store.ts). Never edit this text once released; add a new migration instead.
 *
 * Columns other than the JSON documents are copied out of them when a row is written (with the
 * helpers in store/run-records.ts), so that every list, count, sweep and claim reads no JSON
 * and finds its rows through an index. Hot JSON columns have no json_valid CHECK: they are
 * always JSON.stringify's output, and the check would parse every snapshot on every commit.
 */
export const sql = `
-- One row per execution: its state after \`version\` events. A rowid table: snapshots grow to
-- tens of kilobytes. Commits rewrite version, status, next_deadline and state only; the other
-- columns are fixed when the execution is created.
CREATE TABLE executions (
  execution_id         TEXT    NOT NULL PRIMARY KEY,
  account_id           TEXT    NOT NULL,
  region               TEXT    NOT NULL,
  pipeline_name        TEXT    NOT NULL,
  version              INTEGER NOT NULL CHECK (version >= 0),
  status               TEXT    NOT NULL,
  -- executionListKey(startTime, executionId): fixed-width start time, then the id, so that
  -- comparing keys compares start times; listExecutions pages by it, newest first.
  list_key             TEXT    NOT NULL,
  client_request_token TEXT,
  -- nextDeadlineOf(state): the earliest timeout of an in-progress action of an unfinished
  -- execution; NULL when there is none (always NULL once the execution has finished).
  next_deadline        INTEGER,
  state                TEXT    NOT NULL
);

-- listExecutions walks this backwards from the page's start: no sort, however long the history.
CREATE INDEX executions_by_pipeline ON executions (account_id, region, pipeline_name, list_key);

-- A token names one execution per pipeline, forever. commit's insert stops at this index when
-- another execution holds the token; findByClientRequestToken reads it.
CREATE UNIQUE INDEX executions_by_token ON executions (account_id, region, pipeline_name, client_request_token)
  WHERE client_request_token IS NOT NULL;

-- Unfinished executions only, so countActive and the recovery sweep cost what they return.
-- status leads so that activeExecutions (no pipeline given) is a search, not a scan.
CREATE INDEX executions_active ON executions (status, account_id, region, pipeline_name, execution_id)
  WHERE status IN ('InProgress', 'Stopping');

-- dueExecutions: executions with an action timeout, earliest first.
CREATE INDEX executions_due ON executions (next_deadline) WHERE next_deadline IS NOT NULL;

-- Every event of every execution; seq is the execution's version after the event (1, 2, …).
-- A rowid table, not WITHOUT ROWID: events run from a hundred bytes to a few kilobytes, and
-- appending to a rowid table writes at its end while the (execution_id, seq) index stays small.
-- Events are written on every commit and read rarely (replays, the crash test).
CREATE TABLE execution_events (
  execution_id TEXT    NOT NULL REFERENCES executions (execution_id),
  seq          INTEGER NOT NULL CHECK (seq >= 1),
  event        TEXT    NOT NULL,
  PRIMARY KEY (execution_id, seq)
);

-- One row per pipeline that has run: its lanes and their version (the pipeline's optimistic
-- lock; a pipeline without a row is at version 0 with empty lanes).
CREATE TABLE pipeline_lanes (
  account_id            TEXT    NOT NULL,
  region                TEXT    NOT NULL,
  pipeline_name         TEXT    NOT NULL,
  version               INTEGER NOT NULL CHECK (version >= 1),
  lanes                 TEXT    NOT NULL,
  has_pending_rollbacks INTEGER NOT NULL CHECK (has_pending_rollbacks IN (0, 1)),
  PRIMARY KEY (account_id, region, pipeline_name)
);

CREATE INDEX pipeline_lanes_pending ON pipeline_lanes (has_pending_rollbacks) WHERE has_pending_rollbacks = 1;

-- Jobs. seq is the rowid, assigned in enqueue order: claims take the oldest available_at
-- first and break ties by seq, which every index below ends with implicitly.
CREATE TABLE jobs (
  seq                 INTEGER PRIMARY KEY,
  job_id              TEXT    NOT NULL UNIQUE,
  account_id          TEXT    NOT NULL,
  region              TEXT    NOT NULL,
  pipeline_name       TEXT    NOT NULL,
  action_execution_id TEXT    NOT NULL,
  action_type_key     TEXT    NOT NULL,
  dispatch            TEXT    NOT NULL CHECK (dispatch IN ('provider', 'jobWorker')),
  query_value         TEXT,
  callback_token      TEXT,
  status              TEXT    NOT NULL
    CHECK (status IN ('Created', 'Queued', 'Dispatched', 'InProgress', 'TimedOut', 'Succeeded', 'Failed')),
  attempt             INTEGER NOT NULL,
  nonce               TEXT,
  worker_id           TEXT,
  -- Set exactly while Dispatched or InProgress and not awaiting a callback.
  lease_expires_at    INTEGER,
  awaiting_callback   INTEGER NOT NULL CHECK (awaiting_callback IN (0, 1)),
  available_at        INTEGER NOT NULL,
  created             INTEGER NOT NULL,
  updated             INTEGER NOT NULL,
  spec                TEXT    NOT NULL
);

-- Claiming, with and without a list of action types: queued jobs only, in claim order.
CREATE INDEX jobs_queued_by_type ON jobs (dispatch, action_type_key, available_at) WHERE status = 'Queued';
CREATE INDEX jobs_queued ON jobs (dispatch, available_at) WHERE status = 'Queued';

-- cancelJobsOf. The column never changes, so the index costs nothing after the insert.
CREATE INDEX jobs_by_run ON jobs (action_execution_id);

-- jobByCallbackToken: the newest job of an approval.
CREATE INDEX jobs_by_callback_token ON jobs (callback_token, created) WHERE callback_token IS NOT NULL;

-- Jobs under a lease: who holds them (jobsHeldBy) and when the lease lapses (expiredLeases).
CREATE INDEX jobs_held ON jobs (worker_id)
  WHERE status IN ('Dispatched', 'InProgress') AND awaiting_callback = 0;
CREATE INDEX jobs_leased ON jobs (lease_expires_at)
  WHERE status IN ('Dispatched', 'InProgress') AND awaiting_callback = 0;

-- removePipelineRuns.
CREATE INDEX jobs_by_pipeline ON jobs (account_id, region, pipeline_name);
`;
