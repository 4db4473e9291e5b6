/**
 * Migration 0010: Amazon ECS clusters, task definitions, services and tasks. Never edit once released.
 *
 * Each resource is one JSON document (the AWS shape, store/ecs-store-types.ts) with the columns
 * the queries look up or order by beside it. `version` is the optimistic version the scheduler
 * and the API compare before writing. `ecs_task_families` keeps each family's last revision, so
 * a revision number is never reused even if a revision row were ever removed. `ecs_tasks.open`
 * (lastStatus is not STOPPED) leads an index: the scheduler reads the open tasks of every
 * service on each tick, while stopped tasks pile up until they are forgotten.
 */
export const sql = `
CREATE TABLE ecs_clusters (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  version         INTEGER NOT NULL CHECK (version >= 1),
  document        TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, name)
);

CREATE TABLE ecs_task_families (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  family          TEXT    NOT NULL,
  last_revision   INTEGER NOT NULL CHECK (last_revision >= 1),
  PRIMARY KEY (account_id, region, family)
) WITHOUT ROWID;

CREATE TABLE ecs_task_definitions (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  family          TEXT    NOT NULL,
  revision        INTEGER NOT NULL CHECK (revision >= 1),
  status          TEXT    NOT NULL,
  document        TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, family, revision)
);

CREATE TABLE ecs_services (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  cluster         TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  version         INTEGER NOT NULL CHECK (version >= 1),
  status          TEXT    NOT NULL,
  document        TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, cluster, name)
);

CREATE INDEX ecs_services_by_status ON ecs_services (status);

CREATE TABLE ecs_tasks (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  cluster         TEXT    NOT NULL,
  task_id         TEXT    NOT NULL,
  service         TEXT,
  version         INTEGER NOT NULL CHECK (version >= 1),
  created         INTEGER NOT NULL,
  open            INTEGER NOT NULL CHECK (open IN (0, 1)),
  document        TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, cluster, task_id)
);

CREATE INDEX ecs_tasks_by_created ON ecs_tasks (account_id, region, cluster, created, task_id);
CREATE INDEX ecs_tasks_open ON ecs_tasks (open, created, task_id);
`;
