import { sql as initial } from "./0001-initial.js";
import { sql as runs } from "./0002-runs.js";
import { sql as objects } from "./0003-objects.js";
import { sql as repositories } from "./0004-repositories.js";
import { sql as connections } from "./0005-connections.js";
import { sql as secrets } from "./0006-secrets.js";
import { sql as builds } from "./0007-builds.js";
import { sql as registry } from "./0008-registry.js";
import { sql as workQueue } from "./0009-work-queue.js";
import { sql as ecs } from "./0010-ecs.js";
import { sql as functions } from "./0011-functions.js";

export interface Migration {
  /** 1, 2, 3, … with no gaps; the order migrations run in. */
  readonly version: number;
  /** The file's name, for messages and for `schema_migrations.name`. */
  readonly name: string;
  readonly sql: string;
}

/** Every migration, in order. Append only: an applied migration's text never changes. */
export const migrations: readonly Migration[] = [
  { version: 1, name: "0001-initial", sql: initial },
  { version: 2, name: "0002-runs", sql: runs },
  { version: 3, name: "0003-objects", sql: objects },
  { version: 4, name: "0004-repositories", sql: repositories },
  { version: 5, name: "0005-connections", sql: connections },
  { version: 6, name: "0006-secrets", sql: secrets },
  { version: 7, name: "0007-builds", sql: builds },
  { version: 8, name: "0008-registry", sql: registry },
  { version: 9, name: "0009-work-queue", sql: workQueue },
  { version: 10, name: "0010-ecs", sql: ecs },
  { version: 11, name: "0011-functions", sql: functions },
];
