import type { CreateResult, Page, Scope } from "./common-types.js";

// Hosted git repositories (CodeCommit-compatible), served by the real `git http-backend`. Contract rules common to every store: common-types.ts.
export interface RepositoryRecord {
  readonly scope: Scope;
  /** A UUID; the bare repository's directory is named after it, never after the name. */
  readonly repositoryId: string;
  /** AWS's pattern `[\w.-]+`, 1-100 characters, never `.` or `..`; unique per scope. */
  readonly name: string;
  readonly description?: string;
  /** Set by the first push of a branch (CodeCommit: the first branch pushed). */
  readonly defaultBranch?: string;
  readonly created: number;
  /** Moves on every push that changes a ref. */
  readonly lastModified: number;
}

/** One ref a push changed. `oldCommit` is absent for a created ref, `newCommit` for a deleted one. */
export interface RefUpdate {
  /** Full name: `refs/heads/main`, `refs/tags/v1.2.0`. */
  readonly ref: string;
  readonly oldCommit?: string;
  readonly newCommit?: string;
}

export interface GitIdentity {
  readonly name: string;
  readonly email: string;
  /** Milliseconds since the epoch. */
  readonly date: number;
  /** As git records it, e.g. `+0100`. */
  readonly timezone: string;
}

export interface CommitInfo {
  readonly commitId: string;
  readonly treeId: string;
  readonly parents: readonly string[];
  /** The full message, as git stores it (without a trailing newline). */
  readonly message: string;
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
}

/** A smart-HTTP request for `git http-backend` (CGI): what the front end read from HTTP. */
export interface SmartHttpRequest {
  readonly method: string;
  /** The path inside the repository: `/info/refs`, `/git-upload-pack`, `/git-receive-pack`. */
  readonly pathInfo: string;
  /** The raw query string without `?` (`service=git-upload-pack`). */
  readonly query: string;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  /** The `Git-Protocol` header (protocol v2 is `version=2`). */
  readonly gitProtocol?: string;
  /** Who pushed (the authenticated user), for hooks and logs. */
  readonly remoteUser?: string;
  readonly body?: AsyncIterable<Uint8Array>;
}

export interface SmartHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: AsyncIterable<Uint8Array>;
  /**
   * For receive-pack: the refs this push changed, known once the body has been fully sent and
   * the backend exited (empty for fetches and for a push that changed nothing or failed).
   */
  readonly refUpdates: Promise<RefUpdate[]>;
}

/**
 * Hosted repositories: metadata by scope and name, plus the bare repositories themselves.
 * Contract (store/contract/repository-store.contract.ts): names are unique per scope; a
 * repository's files live in a directory named after its id under the store's root, so no name
 * (`..`, `/`, `%2e`) can reach outside it; pushes to one repository are serialised, and their
 * ref updates are exactly what changed; removing a repository removes its files.
 */
export interface RepositoryStore {
  create(record: RepositoryRecord): Promise<CreateResult>;
  get(scope: Scope, name: string): Promise<RepositoryRecord | undefined>;
  /** In name byte order (or lastModified order), after `after` (the `nextAfter` of the previous page). */
  list(
    scope: Scope,
    options: {
      after?: string;
      limit: number;
      sortBy?: "repositoryName" | "lastModifiedDate";
      descending?: boolean;
    },
  ): Promise<Page<RepositoryRecord>>;
  /** Removes metadata and files; undefined when there was nothing to remove. */
  remove(scope: Scope, name: string): Promise<RepositoryRecord | undefined>;
  /** Serves one smart-HTTP exchange with `git http-backend`, streaming both ways. */
  smartHttp(record: RepositoryRecord, request: SmartHttpRequest): Promise<SmartHttpResponse>;
  /** Every ref with the commit it points at (annotated tags: the tagged commit). */
  refs(record: RepositoryRecord): Promise<ReadonlyMap<string, string>>;
  /** A commit by full or abbreviated id (or any revision git understands); undefined when unknown. */
  commit(record: RepositoryRecord, revision: string): Promise<CommitInfo | undefined>;
  /** Paths that differ between two commits (`from` absent: every path of `to`). */
  changedFiles(record: RepositoryRecord, from: string | undefined, to: string): Promise<string[]>;
  /** A zip of the tree at `commit`, without `.git` (CodePipeline's CODE_ZIP), streamed. */
  archive(record: RepositoryRecord, commit: string): AsyncIterable<Uint8Array>;
  /** The bare repository's path, for a git client on this machine (clone refs, mirrors). */
  gitDir(record: RepositoryRecord): string;
}
