import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { migrations as allMigrations, type Migration } from "./migrations/index.js";

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Brings the database's schema up to date: runs each migration not yet recorded in
 * `schema_migrations`, in order, each in its own IMMEDIATE transaction together with the row
 * that records it, so a migration is either applied and recorded or neither. Safe to run from
 * several processes at once: each re-reads what is applied after taking the write lock.
 *
 * Refuses (throws) a database that an earlier or later build left in a state this code cannot
 * trust: a schema newer than the newest migration known here (a downgrade), or an applied
 * migration whose text has changed since. Returns the versions it applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = allMigrations): number[] {
  assertNumberedInOrder(migrations);
  db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT    NOT NULL,
      checksum   TEXT    NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
  checkApplied(db, migrations, selectApplied(db));

  const applyOne = db.transaction((migration: Migration): boolean => {
    if (selectApplied(db).some((row) => row.version === migration.version)) return false;
    db.exec(migration.sql);
    db.prepare("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)").run(
      migration.version,
      migration.name,
      checksumOf(migration),
      Date.now(),
    );
    return true;
  });

  const applied: number[] = [];
  for (const migration of migrations) {
    try {
      if (applyOne.immediate(migration)) applied.push(migration.version);
    } catch (cause) {
      throw new Error(`migrating ${db.name}: migration ${migration.name} failed and was rolled back`, {
        cause,
      });
    }
  }
  return applied;
}

function selectApplied(db: Database.Database): AppliedRow[] {
  return db
    .prepare("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
    .all() as AppliedRow[];
}

function checkApplied(db: Database.Database, migrations: readonly Migration[], applied: AppliedRow[]): void {
  const newestKnown = migrations.at(-1)?.version ?? 0;
  const newestApplied = applied.at(-1);
  if (newestApplied && newestApplied.version > newestKnown) {
    throw new Error(
      `database ${db.name} has schema version ${newestApplied.version} (${newestApplied.name}), newer than this ` +
        `Pipewright understands (version ${newestKnown}); it was written by a newer Pipewright. Run that ` +
        "version, or restore a backup taken before the upgrade. Pipewright will not open it, to avoid damaging it.",
    );
  }
  for (const row of applied) {
    const migration = migrations[row.version - 1];
    if (migration && checksumOf(migration) !== row.checksum) {
      throw new Error(
        `database ${db.name} was migrated with a different text of migration ${row.name} than this build ` +
          "carries; applied migrations must never be edited (add a new one instead)",
      );
    }
  }
}

function assertNumberedInOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migrations must be numbered 1, 2, 3, … in order; ${migration.name} is at position ${index + 1}`,
      );
    }
  });
}

function checksumOf(migration: Migration): string {
  return createHash("sha256").update(migration.sql).digest("hex");
}
