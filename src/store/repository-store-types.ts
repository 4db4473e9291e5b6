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

/** One entry of a commit's tree (git's own mode and object type). */
export interface RepositoryTreeEntry {
  /** `100644`, `100755`, `120000` (symlink), `040000` (folder), `160000` (submodule). */
  readonly mode: string;
  readonly type: "blob" | "tree" | "commit";
  readonly objectId: string;
  /** From the root of the tree, without a leading `/`. */
  readonly path: string;
  /** Blobs only. */
  readonly size?: number;
}

/** One path that differs between two commits. */
export interface RepositoryTreeChange {
  readonly changeType: "A" | "M" | "D";
  readonly path: string;
  readonly before?: { readonly mode: string; readonly objectId: string };
  readonly after?: { readonly mode: string; readonly objectId: string };
}

/** A commit to write onto a branch: the full snapshot of its tree. */
export interface NewBranchCommit {
  /** `refs/heads/<name>`. */
  readonly ref: string;
  /** The commit the branch must still point at (absent: the branch must not exist yet). */
  readonly parent?: string;
  /** Every file of the new tree: content to write, or an existing blob's id. */
  readonly files: readonly {
    readonly path: string;
    readonly mode: string;
    readonly content?: Uint8Array;
    readonly objectId?: string;
  }[];
  readonly message: string;
  readonly author: GitIdentity;
}

export type NewBranchCommitResult =
  | {
      readonly ok: true;
      readonly commitId: string;
      readonly treeId: string;
      /** Blob id of every path of the snapshot. */
      readonly blobIds: ReadonlyMap<string, string>;
      /** The ref updates, as a push that changed the same refs reports them. */
      readonly updates: RefUpdate[];
    }
  /** ParentOutdated: the branch moved (or appeared); NoChange: the tree is the parent's. */
  | { readonly ok: false; readonly reason: "ParentOutdated" | "NoChange" };

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
  /** The entry at a clean relative `path` of a commit (full id) (`""`: its root tree); undefined when none. */
  treeEntry(
    record: RepositoryRecord,
    commitId: string,
    path: string,
  ): Promise<RepositoryTreeEntry | undefined>;
  /** The entries directly inside tree `treeId`, their paths prefixed with `prefix`. */
  treeChildren(record: RepositoryRecord, treeId: string, prefix: string): Promise<RepositoryTreeEntry[]>;
  /** Every blob and submodule of a commit's tree, recursively. */
  treeFiles(record: RepositoryRecord, commitId: string): Promise<RepositoryTreeEntry[]>;
  readBlob(record: RepositoryRecord, blobId: string): Promise<Uint8Array>;
  /** Path by path, what changed between two commits (full ids; `from` absent: everything added). */
  treeChanges(
    record: RepositoryRecord,
    from: string | undefined,
    to: string,
  ): Promise<RepositoryTreeChange[]>;
  /**
   * Writes a commit and moves its branch, serialised with pushes to the repository and only
   * from `parent` (a compare-and-swap), so a push or commit in between is never lost. Updates
   * lastModified and the default branch as a push does.
   */
  commitToBranch(record: RepositoryRecord, commit: NewBranchCommit): Promise<NewBranchCommitResult>;
  /** An object's git type (`blob`, `tree`, `commit`, `tag`) and size; undefined when there is none. */
  objectInfo(record: RepositoryRecord, objectId: string): Promise<{ type: string; size: number } | undefined>;
  /**
   * Creates (`expected` absent) or deletes (`newCommit` absent) one ref, only from `expected`:
   * a compare-and-swap serialised with pushes. Answers the ref updates as a push that made the
   * same change reports them, or undefined when the ref was not at `expected`. Updates
   * lastModified and the default branch as a push does.
   */
  moveRef(
    record: RepositoryRecord,
    change: { readonly ref: string; readonly newCommit?: string; readonly expected?: string },
  ): Promise<RefUpdate[] | undefined>;
  /** Makes an existing branch the default one: the record's defaultBranch and the bare repository's HEAD. */
  setDefaultBranch(record: RepositoryRecord, branch: string): Promise<void>;
}
