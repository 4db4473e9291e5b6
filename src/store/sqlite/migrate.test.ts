import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteStores } from "./create-sqlite-stores.js";
import { migrate } from "./migrate.js";
import { type Migration, migrations } from "./migrations/index.js";
import { openSqliteDatabase } from "./open-sqlite-database.js";

interface AppliedRow {
  version: number;
  name: string;
}

function appliedMigrations(db: Database.Database): AppliedRow[] {
  return db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all() as AppliedRow[];
}

function schemaOf(db: Database.Database): string[] {
  return (
    db.prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name").all() as { sql: string }[]
  ).map((row) => row.sql);
}

describe("sqlite migrations", () => {
  let dir: string;
  let file: string;
  const open: Database.Database[] = [];
  const connect = () => {
    const db = new Database(file);
    open.push(db);
    return db;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pipewright-migrate-"));
    file = join(dir, "pipewright.db");
  });
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("records every migration it applies to a new database, in order", () => {
    const db = connect();
    expect(migrate(db)).toEqual(migrations.map((m) => m.version));
    expect(appliedMigrations(db)).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
  });

  it("applies nothing and changes nothing when run again", () => {
    const db = connect();
    migrate(db);
    const schema = schemaOf(db);
    const applied = appliedMigrations(db);
    expect(migrate(db)).toEqual([]);
    expect(migrate(connect())).toEqual([]);
    expect(schemaOf(db)).toEqual(schema);
    expect(appliedMigrations(db)).toEqual(applied);
  });

  it("applies only the migrations a database does not have yet", () => {
    const db = connect();
    const next: Migration = {
      version: migrations.length + 1,
      name: "9999-next",
      sql: "CREATE TABLE next_thing (x)",
    };
    migrate(db);
    expect(migrate(db, [...migrations, next])).toEqual([next.version]);
    expect(appliedMigrations(db).at(-1)).toEqual({ version: next.version, name: "9999-next" });
  });

  it("rolls back a failing migration together with its record, keeping earlier ones", () => {
    const db = connect();
    const broken: Migration = {
      version: migrations.length + 1,
      name: "9999-broken",
      sql: "CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);",
    };
    expect(() => migrate(db, [...migrations, broken])).toThrow(/9999-broken failed and was rolled back/);
    expect(appliedMigrations(db).map((row) => row.version)).toEqual(migrations.map((m) => m.version));
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").get()).toBeUndefined();
  });

  it("refuses a database whose schema is newer than this code, naming both versions", async () => {
    const db = connect();
    migrate(db);
    db.prepare("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)").run(
      99,
      "0099-from-the-future",
      "x",
      0,
    );
    db.close();
    const newest = migrations.length;
    expect(() => createSqliteStores({ file })).toThrow(
      new RegExp(
        `has schema version 99 \\(0099-from-the-future\\), newer than this Pipewright understands \\(version ${newest}\\)`,
      ),
    );
    // The refusal left the database alone: the future version is still recorded.
    expect(appliedMigrations(connect()).at(-1)?.version).toBe(99);
  });

  it("refuses a database migrated with a different text of an applied migration", () => {
    const db = connect();
    migrate(db);
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited afterwards` } : m));
    expect(() => migrate(db, edited)).toThrow(/different text of migration 0001-initial/);
  });

  it("refuses a migration list that is not numbered 1, 2, 3 in order", () => {
    const db = connect();
    const gap: Migration[] = [...migrations, { version: migrations.length + 2, name: "gap", sql: "" }];
    expect(() => migrate(db, gap)).toThrow(/numbered 1, 2, 3/);
    expect(
      db.prepare("SELECT name FROM sqlite_schema WHERE name = 'schema_migrations'").get(),
    ).toBeUndefined();
  });

  it("opens connections in WAL mode with synchronous NORMAL, a busy timeout and foreign keys on", () => {
    const db = openSqliteDatabase(file);
    open.push(db);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(1); // 1 = NORMAL
    expect(db.pragma("busy_timeout", { simple: true })).toBeGreaterThanOrEqual(1000);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
  });

  it("enforces that the current version of a pipeline points at a stored version", () => {
    const db = openSqliteDatabase(file);
    open.push(db);
    expect(() =>
      db
        .prepare(
          "INSERT INTO current_pipelines (account_id, region, name, version) VALUES ('a', 'r', 'n', 1)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });
});
