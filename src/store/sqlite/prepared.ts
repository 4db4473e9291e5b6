import type Database from "better-sqlite3";

const statements = new WeakMap<Database.Database, Map<string, Database.Statement<unknown[], unknown>>>();

/**
 * The prepared statement for `sql` on `db`, compiled on first use and reused after: preparing
 * costs more than running a point query, and every query here runs many times.
 */
export function prepared<Row = unknown>(
  db: Database.Database,
  sql: string,
): Database.Statement<unknown[], Row> {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare<unknown[], unknown>(sql);
    cache.set(sql, statement);
  }
  return statement as Database.Statement<unknown[], Row>;
}

/** The text of every statement prepared on `db` so far (the query-plan test reads them). */
export function preparedSql(db: Database.Database): string[] {
  return [...(statements.get(db)?.keys() ?? [])];
}
