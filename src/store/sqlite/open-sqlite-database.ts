import Database from "better-sqlite3";
import { migrate } from "./migrate.js";

/**
 * Opens (creating if needed) the SQLite database at `file`, configures the connection and brings
 * its schema up to date. Throws when the file cannot be opened or its schema cannot be trusted
 * (see migrate.ts); the connection is closed before the error leaves.
 */
export function openSqliteDatabase(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (cause) {
    throw new Error(`opening sqlite database ${file}`, { cause });
  }
  try {
    // WAL: readers never block the writer and the writer never blocks readers; commits append to
    // the -wal file instead of rewriting pages. The mode is stored in the file.
    db.pragma("journal_mode = WAL");
    // Durability: with WAL, synchronous = NORMAL makes a commit write its frames to the -wal
    // file (a write(2) into the OS page cache) before the commit returns, and fsyncs only at
    // checkpoints. A process crash (SIGKILL, OOM kill, a bug) therefore loses no committed
    // transaction: the bytes are the kernel's, and the next connection reads them from the WAL
    // (sqlite-processes.test.ts SIGKILLs a writer to check). An OS crash or power loss may lose
    // the last commits but never corrupts the database. SQLite's own
    // words (https://www.sqlite.org/pragma.html#pragma_synchronous): "Transactions are durable
    // across application crashes regardless of the synchronous setting or journal mode", and
    // "WAL mode is always consistent with synchronous=NORMAL". FULL would add an fsync per
    // commit to survive power loss too; docs/store.md discusses the trade.
    db.pragma("synchronous = NORMAL");
    // Another process (a second server, the CLI) may hold the write lock briefly; wait for it
    // instead of failing at once with SQLITE_BUSY. Our write transactions hold it for about
    // 50 µs (measured: 1,000 updates of a two-stage pipeline, 47 µs each), so 5 s is generous.
    db.pragma("busy_timeout = 5000");
    // Off by default in SQLite, per connection; current_pipelines relies on it.
    db.pragma("foreign_keys = ON");
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
