/**
 * Migration 0009: the work queue (store/queue-types.ts). The action jobs table of 0002 becomes
 * the one queue of every unit of work: action jobs (kind `action`) keep their columns and their
 * meaning; tasks of other kinds (`build`, later ECS tasks and function invocations) use the same
 * rows with a unique key, priority, an attempt limit, a cancel flag and the last error. Rows are
 * copied over, so jobs in flight survive the upgrade. Never edit once released.
 *
 * Columns by family:
 *  - `queue`: what a claimer filters by: the action type key for action jobs, the kind for tasks.
 *  - `dispatch`: `provider` or `jobWorker` for action jobs (who claims them), NULL for tasks.
 *  - `group_id`: the action execution id of an action job (cancelJobsOf ends its open jobs); the
 *    task's own key (a build id) for a task.
 *  - `unique_key`: tasks only; at most one unfinished task of a kind holds it (enqueue is
 *    idempotent on it).
 * Also `build_tokens`: StartBuild's idempotency tokens, which lived in the server's memory.
 */
export const sql = `
CREATE TABLE work_jobs (
  seq                 INTEGER PRIMARY KEY,
  job_id              TEXT    NOT NULL UNIQUE,
  kind                TEXT    NOT NULL,
  queue               TEXT    NOT NULL,
  dispatch            TEXT    CHECK (dispatch IN ('provider', 'jobWorker')),
  account_id          TEXT    NOT NULL,
  region              TEXT    NOT NULL,
  pipeline_name       TEXT,
  group_id            TEXT    NOT NULL,
  unique_key          TEXT,
  query_value         TEXT,
  callback_token      TEXT,
  status              TEXT    NOT NULL
    CHECK (status IN ('Created', 'Queued', 'Dispatched', 'InProgress', 'TimedOut', 'Succeeded', 'Failed', 'Cancelled')),
  attempt             INTEGER NOT NULL,
  max_attempts        INTEGER NOT NULL DEFAULT 1,
  priority            INTEGER NOT NULL DEFAULT 0,
  nonce               TEXT,
  worker_id           TEXT,
  -- Set exactly while Dispatched or InProgress and not awaiting a callback.
  lease_expires_at    INTEGER,
  awaiting_callback   INTEGER NOT NULL CHECK (awaiting_callback IN (0, 1)),
  cancel_requested    INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
  available_at        INTEGER NOT NULL,
  last_error          TEXT,
  created             INTEGER NOT NULL,
  updated             INTEGER NOT NULL,
  spec                TEXT    NOT NULL
);

INSERT INTO work_jobs
  (seq, job_id, kind, queue, dispatch, account_id, region, pipeline_name, group_id, query_value,
   callback_token, status, attempt, nonce, worker_id, lease_expires_at, awaiting_callback,
   available_at, created, updated, spec)
SELECT seq, job_id, 'action', action_type_key, dispatch, account_id, region, pipeline_name,
       action_execution_id, query_value, callback_token, status, attempt, nonce, worker_id,
       lease_expires_at, awaiting_callback, available_at, created, updated, spec
  FROM jobs;

DROP TABLE jobs;

-- Claiming action jobs, with and without a list of action types: queued ones only, in claim order.
CREATE INDEX work_jobs_queued_by_type ON work_jobs (dispatch, queue, available_at)
  WHERE status = 'Queued' AND kind = 'action';
CREATE INDEX work_jobs_queued ON work_jobs (dispatch, available_at)
  WHERE status = 'Queued' AND kind = 'action';

-- Claiming tasks of a kind: priority first, then availableAt, then enqueue order.
CREATE INDEX work_jobs_tasks_queued ON work_jobs (queue, priority, available_at)
  WHERE status = 'Queued' AND kind <> 'action';

-- Unfinished tasks of a kind (openTasks), in enqueue order.
CREATE INDEX work_jobs_open_tasks ON work_jobs (kind, seq)
  WHERE status IN ('Queued', 'InProgress') AND kind <> 'action';

-- Idempotent enqueue: one unfinished task per kind and key.
CREATE UNIQUE INDEX work_jobs_unique_open ON work_jobs (kind, unique_key)
  WHERE unique_key IS NOT NULL AND status IN ('Queued', 'InProgress');
CREATE INDEX work_jobs_by_key ON work_jobs (kind, unique_key, seq) WHERE unique_key IS NOT NULL;

-- cancelJobsOf. The column never changes, so the index costs nothing after the insert.
CREATE INDEX work_jobs_by_group ON work_jobs (group_id);

-- jobByCallbackToken: the newest job of an approval.
CREATE INDEX work_jobs_by_callback_token ON work_jobs (callback_token, created)
  WHERE callback_token IS NOT NULL;

-- Jobs and tasks under a lease: who holds them and when the lease lapses.
CREATE INDEX work_jobs_held ON work_jobs (worker_id)
  WHERE status IN ('Dispatched', 'InProgress') AND awaiting_callback = 0;
CREATE INDEX work_jobs_leased ON work_jobs (lease_expires_at)
  WHERE status IN ('Dispatched', 'InProgress') AND awaiting_callback = 0;

-- StartBuild's idempotencyToken, kept across restarts (builds are queue tasks now).
CREATE TABLE build_tokens (
  account_id   TEXT    NOT NULL,
  region       TEXT    NOT NULL,
  token        TEXT    NOT NULL,
  build_id     TEXT    NOT NULL,
  project_name TEXT    NOT NULL,
  expires      INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, token)
) WITHOUT ROWID;

-- removePipelineRuns.
CREATE INDEX work_jobs_by_pipeline ON work_jobs (account_id, region, pipeline_name)
  WHERE pipeline_name IS NOT NULL;
`;
