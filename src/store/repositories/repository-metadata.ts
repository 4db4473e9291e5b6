import type { CreateResult, Page, RepositoryRecord, Scope } from "../types.js";

export interface RepositoryListOptions {
  readonly after?: string;
  readonly limit: number;
  readonly sortBy?: "repositoryName" | "lastModifiedDate";
  readonly descending?: boolean;
}

/**
 * Where a repository store keeps its records (memory Maps, SQLite rows); the files are
 * RepositoryFiles' business. Each method is atomic on its own. Records are validated by the
 * caller (repository-store.ts) before they arrive here.
 */
export interface RepositoryMetadata {
  /** Throws once the stores are closed. */
  checkOpen(): void;
  /** NameInUse when the scope has a repository of that name; a repositoryId used twice throws. */
  insert(record: RepositoryRecord): Promise<CreateResult>;
  get(scope: Scope, name: string): Promise<RepositoryRecord | undefined>;
  /** `after` is listKeyOf() of the last record of the previous page, for the same sort. */
  list(scope: Scope, options: RepositoryListOptions): Promise<Page<RepositoryRecord>>;
  /** Deletes the record when it still has `repositoryId`; returns it, or undefined. */
  delete(scope: Scope, name: string, repositoryId: string): Promise<RepositoryRecord | undefined>;
  /**
   * Sets `lastModified`, and `defaultBranch` when given, of the record that still has
   * `repositoryId`; returns the new record, or undefined when it is gone.
   */
  recordPush(
    scope: Scope,
    name: string,
    repositoryId: string,
    change: { readonly lastModified: number; readonly defaultBranch?: string },
  ): Promise<RepositoryRecord | undefined>;
}

/**
 * A record's position in a listing, as `nextAfter` carries it: the name when sorting by name,
 * `<lastModified> <name>` when sorting by date (names never contain a space).
 */
export function listKeyOf(record: RepositoryRecord, sortBy: RepositoryListOptions["sortBy"]): string {
  return sortBy === "lastModifiedDate" ? `${record.lastModified} ${record.name}` : record.name;
}

/** Reads a `lastModifiedDate` key back; a key this store did not make is a caller bug and throws. */
export function parseDateKey(after: string): { lastModified: number; name: string } {
  const match = /^(-?\d+) (.+)$/u.exec(after);
  if (!match) throw new Error(`repository store: '${after}' is not a lastModifiedDate list position`);
  return { lastModified: Number(match[1]), name: match[2]! };
}
