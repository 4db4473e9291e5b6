import type { ExecutionEvent } from "../engine/events.js";
import type { ExecutionState } from "../engine/execution-state.js";
import type { PipelineLanes } from "../engine/lanes.js";
import type { JobStatus } from "../engine/statuses.js";
import type { JobSpec } from "../engine/world.js";
import type { ActionTypeSpec } from "../model/action-types/action-type.js";
import type { ActionTypeId, PipelineDeclaration, Tag } from "../model/declaration.js";
import type { BuildStore } from "./build-store-types.js";
import type { RegistryStore } from "./registry-store-types.js";

export type * from "./build-store-types.js";

/**
 * Durable storage, one narrow interface per aggregate. Contract (checked by store.contract.ts,
 * which every implementation runs):
 *  - Every method is async so that a networked database (PostgreSQL) fits the same interface.
 *  - A resolved promise means the change is durable: it survives a SIGKILL of the process.
 *    (Surviving power loss too is the implementation's choice; docs/store.md says what each does.)
 *  - Expected conflicts (name in use, stale version, not found) are returned as values, never
 *    thrown. A thrown Error means the store itself failed (I/O, corruption, a bug).
 *  - Records are plain JSON-serialisable data; callers may keep them, stores never mutate a
 *    record after returning it, and callers must not mutate what they get (the memory stores
 *    freeze them). Stores keep no reference to objects passed in: editing one later changes nothing.
 *  - Everything is scoped by account and region: the same name in two regions is two resources.
 *  - Methods may be called concurrently; each is atomic on its own.
 */

export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

/** One stored version of a pipeline. `declaration.version` always equals `version` (stores set it). */
export interface PipelineRecord {
  readonly scope: Scope;
  readonly name: string;
  readonly version: number;
  readonly declaration: PipelineDeclaration;
  /** Milliseconds since the epoch; set at creation, never changed. */
  readonly created: number;
  /** Milliseconds since the epoch; moves on every update. */
  readonly updated: number;
}

export type PipelineSummaryRecord = Pick<PipelineRecord, "name" | "version" | "created" | "updated"> & {
  readonly pipelineType?: PipelineDeclaration["pipelineType"];
  readonly executionMode?: PipelineDeclaration["executionMode"];
};

export interface Page<T> {
  readonly items: T[];
  /** The key to pass as `after` for the next page; absent on the last page. */
  readonly nextAfter?: string;
}

export type CreateResult = { readonly ok: true } | { readonly ok: false; readonly reason: "NameInUse" };
export type UpdateResult =
  | { readonly ok: true; readonly record: PipelineRecord }
  | { readonly ok: false; readonly reason: "NotFound" | "VersionConflict" };

export interface PipelineStore {
  /**
   * Stores version 1. Fails with NameInUse when the scope already has a pipeline of that name.
   * `record.version` must be 1; anything else is a caller bug and throws.
   */
  create(record: PipelineRecord): Promise<CreateResult>;
  /**
   * Stores `declaration` as version `expectedVersion + 1` when the current version is
   * `expectedVersion`; earlier versions stay readable. `created` is kept from version 1.
   */
  update(
    scope: Scope,
    name: string,
    expectedVersion: number,
    declaration: PipelineDeclaration,
    updated: number,
  ): Promise<UpdateResult>;
  /** The current version, or the given one; undefined when either does not exist. */
  get(scope: Scope, name: string, version?: number): Promise<PipelineRecord | undefined>;
  /** The current version's number alone (no declaration read); undefined when the pipeline does not exist. */
  currentVersion(scope: Scope, name: string): Promise<number | undefined>;
  /**
   * Current versions in ascending name order, starting after `after` (which need not exist).
   * Byte order of the UTF-8 names (code point order; not locale order, not JavaScript's UTF-16
   * `<`). `nextAfter` is the last item's name, present only when more pipelines follow.
   * `limit` must be a positive integer (anything else throws).
   */
  list(scope: Scope, options: { after?: string; limit: number }): Promise<Page<PipelineSummaryRecord>>;
  /** Removes every version. Returns false when there was nothing to remove. */
  remove(scope: Scope, name: string): Promise<boolean>;
  count(scope: Scope): Promise<number>;
  /** Every scope holding at least one pipeline, in account then region byte order (the source poller walks them). */
  scopes(): Promise<Scope[]>;
}

export interface CustomActionTypeRecord {
  readonly scope: Scope;
  readonly spec: ActionTypeSpec;
  readonly created: number;
  /** Set by DeleteCustomActionType; a deleted type is not offered to new pipelines or workers. */
  readonly deleted?: number;
}

export interface ActionTypeStore {
  /**
   * Stores a custom action type. Re-creating a deleted type restores it: the new record replaces
   * the old one (its spec and created) and deleted is cleared. Fails with NameInUse, changing
   * nothing, when a live type with the same id exists.
   */
  create(record: CustomActionTypeRecord): Promise<CreateResult>;
  get(scope: Scope, id: ActionTypeId): Promise<CustomActionTypeRecord | undefined>;
  /**
   * Every record of the scope, deleted ones included, ordered by category, provider, version and
   * then owner, each in byte order (so version "10" comes before "2").
   */
  list(scope: Scope): Promise<CustomActionTypeRecord[]>;
  /** Marks the type deleted at `when`. Returns false when no live type had that id. */
  markDeleted(scope: Scope, id: ActionTypeId, when: number): Promise<boolean>;
}

/** Tags of any resource, keyed by its ARN (ARNs already carry account and region). */
export interface TagStore {
  /** Tags sorted by key (byte order); empty when none. */
  get(resourceArn: string): Promise<Tag[]>;
  /**
   * Replaces the whole set (an empty list removes the entry). Keys must be unique; a set naming a
   * key twice is a caller bug, throws, and leaves the stored set as it was.
   */
  put(resourceArn: string, tags: readonly Tag[]): Promise<void>;
}

export interface Stores {
  readonly pipelines: PipelineStore;
  readonly actionTypes: ActionTypeStore;
  readonly tags: TagStore;
  readonly runs: RunStore;
  readonly objects: ObjectStore;
  readonly repositories: RepositoryStore;
  readonly connections: ConnectionStore;
  readonly parameters: ParameterStore;
  readonly secrets: SecretStore;
  /** CodeBuild projects, builds, build logs and reports (build-store-types.ts states its contract). */
  readonly builds: BuildStore;
  readonly registry: RegistryStore; // ECR repositories, blobs, manifests, tags: registry-store-types.ts
  /** Releases connections and file handles. Calls after close reject; closing twice is harmless. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Executions, lanes and jobs: one pipeline's run state, changed together by RunStore.commit.
// ---------------------------------------------------------------------------------------------

/** One execution as stored: the snapshot of its state after `version` events. */
export interface ExecutionRecord {
  readonly scope: Scope;
  readonly pipelineName: string;
  readonly executionId: string;
  /** How many events the execution has; the snapshot is the fold of exactly these. */
  readonly version: number;
  readonly state: ExecutionState;
}

/** A pipeline's lanes (transitions, stage locks, waiting executions) with its version. */
export interface LanesRecord {
  readonly scope: Scope;
  readonly pipelineName: string;
  /** 0 for a pipeline that has never run (the store returns `emptyLanes` then). */
  readonly version: number;
  readonly lanes: PipelineLanes;
}

/** One offer of an action run's work. A lost job is not reused: it ends TimedOut and a new one (same idempotency key) is offered. */
export interface JobRecord {
  readonly jobId: string;
  readonly scope: Scope;
  readonly spec: JobSpec;
  readonly status: JobStatus;
  /** 1 for the first offer of this step, +1 for each re-offer after a lost lease. */
  readonly attempt: number;
  /** Set when claimed; AcknowledgeJob must quote it. */
  readonly nonce?: string;
  readonly workerId?: string;
  /** While Dispatched or InProgress and not awaiting a callback: when the claim lapses. */
  readonly leaseExpiresAt?: number;
  /** InProgress and waiting for an API call (an approval), not for a worker: no lease. */
  readonly awaitingCallback: boolean;
  readonly created: number;
  readonly updated: number;
}

/** `category/owner/provider/version`: how jobs are filtered by action type. */
export type ActionTypeKey = string;

export interface ExecutionAppend {
  readonly executionId: string;
  /** The version the caller loaded; 0 creates the execution (its first event is ExecutionStarted). */
  readonly expectedVersion: number;
  readonly events: readonly ExecutionEvent[];
  /** The state after the events (the new snapshot). */
  readonly state: ExecutionState;
}

export interface JobTransition {
  readonly jobId: string;
  /** The transition applies only if the job is in one of these; otherwise the commit conflicts. */
  readonly from: readonly JobStatus[];
  readonly to: JobStatus;
  /** With `to: InProgress`: the job now waits for an API call; its lease is cleared. */
  readonly awaitingCallback?: boolean;
}

/**
 * Everything one decision changes, applied atomically: all or nothing. Optimistic concurrency:
 * each execution's and the lanes' expected version must still be current, and each job
 * transition's `from` must hold, else nothing is written and the conflict is reported.
 */
export interface RunCommit {
  readonly scope: Scope;
  readonly pipelineName: string;
  readonly executions: readonly ExecutionAppend[];
  readonly lanes?: { readonly expectedVersion: number; readonly lanes: PipelineLanes };
  readonly enqueueJobs?: readonly {
    readonly jobId: string;
    readonly spec: JobSpec;
    readonly attempt: number;
  }[];
  readonly jobTransitions?: readonly JobTransition[];
  /** Ends every open (Queued, Dispatched, InProgress) job of these action runs as TimedOut. */
  readonly cancelJobsOf?: readonly string[];
  /** The commit's time: job `created`/`updated`. */
  readonly now: number;
}

export type CommitResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly conflict: "execution" | "lanes" | "job" | "clientRequestToken";
      /** For clientRequestToken conflicts: the execution that already holds the token. */
      readonly existingExecutionId?: string;
    };

export interface ClaimRequest {
  readonly now: number;
  readonly workerId: string;
  readonly leaseMs: number;
  readonly limit: number;
  readonly dispatch: "provider" | "jobWorker";
  /** Only jobs of these action types (keys); absent means any type of that dispatch, empty means none. */
  readonly actionTypeKeys?: readonly ActionTypeKey[];
  /** Only jobs of this scope (PollForJobs); absent means every scope (the in-process worker). */
  readonly scope?: Scope;
  /** PollForJobs' queryParam: only jobs whose queryable property has this value. */
  readonly queryValue?: string;
  /** Claim straight into InProgress (the in-process worker acknowledges its own claims). */
  readonly acknowledge: boolean;
  /** A fresh nonce per claimed job. */
  readonly newNonce: () => string;
}

export type AcknowledgeResult =
  | { readonly ok: true; readonly job: JobRecord }
  | {
      readonly ok: false;
      readonly reason: "NotFound" | "InvalidNonce" | "InvalidState";
      readonly job?: JobRecord;
    };

/**
 * Executions (event histories with snapshots), lanes and jobs of every pipeline. Contract
 * (checked by store/contract/run-store.contract.ts):
 *  - `commit` is atomic and optimistic (see RunCommit); a conflict changes nothing.
 *  - Events are append-only; `events(id)` returns them in order, and folding them gives the
 *    stored snapshot (the runtime checks this in the crash test).
 *  - `claimJobs` never hands one job to two claimers: each claimed job moves from Queued to
 *    Dispatched (or InProgress) exactly once, oldest `availableAt` first, and only once
 *    `availableAt <= now`.
 *  - Clock values come from the caller; the store never reads the time.
 *  - `getExecutions` and the sweeps (`activeExecutions`, `dueExecutions`, `lanesWithPendingRollbacks`,
 *    `expiredLeases`, `jobsHeldBy`) promise no order.
 */
export interface RunStore {
  commit(commit: RunCommit): Promise<CommitResult>;
  getExecution(executionId: string): Promise<ExecutionRecord | undefined>;
  getExecutions(executionIds: readonly string[]): Promise<ExecutionRecord[]>;
  /** Events after `afterVersion` (default 0: all), in order. */
  events(executionId: string, afterVersion?: number): Promise<ExecutionEvent[]>;
  /**
   * A pipeline's executions, newest first (startTime descending, then executionId descending).
   * `after` is the `nextAfter` of the previous page.
   */
  listExecutions(
    scope: Scope,
    pipelineName: string,
    options: { after?: string; limit: number },
  ): Promise<Page<ExecutionRecord>>;
  findByClientRequestToken(scope: Scope, pipelineName: string, token: string): Promise<string | undefined>;
  /** Executions that are not finished (InProgress or Stopping). */
  countActive(scope: Scope, pipelineName: string): Promise<number>;
  /** Unfinished executions of every pipeline (the recovery sweep), at most `limit`. */
  activeExecutions(limit: number): Promise<{ scope: Scope; pipelineName: string; executionId: string }[]>;
  /** Unfinished executions whose next deadline (an action timeout) is at or before `now`. */
  dueExecutions(
    now: number,
    limit: number,
  ): Promise<{ scope: Scope; pipelineName: string; executionId: string }[]>;
  getLanes(scope: Scope, pipelineName: string): Promise<LanesRecord>;
  /** Pipelines whose lanes hold pending rollbacks. */
  lanesWithPendingRollbacks(limit: number): Promise<LanesRecord[]>;
  /** Forgets a deleted pipeline's executions, events, lanes and jobs. */
  removePipelineRuns(scope: Scope, pipelineName: string): Promise<void>;

  getJob(jobId: string): Promise<JobRecord | undefined>;
  claimJobs(request: ClaimRequest): Promise<JobRecord[]>;
  /** Dispatched -> InProgress when `nonce` matches; renews the lease to `now + leaseMs`. */
  acknowledgeJob(jobId: string, nonce: string, now: number, leaseMs: number): Promise<AcknowledgeResult>;
  /**
   * Extends the lease of a Dispatched or InProgress job; false when the job is not in one of those
   * or waits for a callback (such a job has no lease).
   */
  renewLease(jobId: string, now: number, leaseMs: number): Promise<boolean>;
  /** Dispatched or InProgress jobs (not awaiting a callback) whose lease expired at or before `now`. */
  expiredLeases(now: number, limit: number): Promise<JobRecord[]>;
  /** The latest job (whatever its status) of the approval with this token. */
  jobByCallbackToken(token: string): Promise<JobRecord | undefined>;
  /**
   * Jobs of one worker that are still Dispatched or InProgress, except those waiting for a callback
   * (nothing of theirs runs in the worker): the in-process worker's recovery.
   */
  jobsHeldBy(workerId: string): Promise<JobRecord[]>;
}

// ---------------------------------------------------------------------------------------------
// Objects: S3-style buckets holding artifacts and source objects.
// ---------------------------------------------------------------------------------------------

export interface BucketRecord {
  readonly scope: Scope;
  readonly name: string;
  readonly created: number;
  /** S3's versioning status; absent until PutBucketVersioning is first called. */
  readonly versioning?: "Enabled" | "Suspended";
}

/** One version of an object (an unversioned bucket keeps one version, whose id is "null"). */
export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  /** "null" for objects written while versioning was never enabled or suspended, as in S3. */
  readonly versionId: string;
  readonly isLatest: boolean;
  /** A delete marker has no body. */
  readonly deleteMarker: boolean;
  readonly size: number;
  /** The quoted hex MD5 of the body, as S3 sends it in the ETag header. */
  readonly etag: string;
  readonly lastModified: number;
  readonly contentType?: string;
  /** `x-amz-meta-*` headers, lower-case names without the prefix. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface PutObjectInput {
  readonly bucket: string;
  readonly key: string;
  /** The body, streamed: objects can be gigabytes. */
  readonly body: AsyncIterable<Uint8Array>;
  readonly contentType?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly now: number;
}

/**
 * Buckets and objects, S3's semantics (versioning included). Bucket names are global, as in S3.
 * Keys are opaque strings: implementations must never turn a key into a file path (no path
 * traversal through `..` or absolute keys). Bodies stream in and out. Contract checked by
 * store/contract/object-store.contract.ts.
 */
export interface ObjectStore {
  createBucket(record: BucketRecord): Promise<CreateResult>;
  getBucket(name: string): Promise<BucketRecord | undefined>;
  listBuckets(scope: Scope): Promise<BucketRecord[]>;
  setVersioning(name: string, status: "Enabled" | "Suspended"): Promise<boolean>;
  /**
   * Only an empty bucket can be deleted: "NotEmpty" while any version or delete marker is left
   * (as in S3), "NotFound" when there is no such bucket.
   */
  deleteBucket(name: string): Promise<"Deleted" | "NotFound" | "NotEmpty">;
  /**
   * Stores a new version (or replaces the "null" version); undefined when the bucket is missing.
   * When `body` throws, putObject rejects with that same error and stores nothing (this is how
   * a caller that checks the body while it streams, a SHA-256 say, refuses it).
   */
  putObject(input: PutObjectInput): Promise<ObjectVersion | undefined>;
  /**
   * The latest version (or the given one); undefined when missing or the latest is a delete
   * marker. A `versionId` that names a delete marker returns the marker (`deleteMarker: true`),
   * so that S3's "405 on a delete marker" can be answered.
   */
  headObject(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined>;
  /**
   * The body of a version (or the latest), optionally a byte range [start, end] inclusive; `end`
   * past the last byte is clamped to it. Found exactly as headObject finds it (a delete marker's
   * body is empty). The body stays readable even if the version is deleted while it streams.
   */
  getObject(
    bucket: string,
    key: string,
    options?: { versionId?: string; range?: { start: number; end: number } },
  ): Promise<{ version: ObjectVersion; body: AsyncIterable<Uint8Array> } | undefined>;
  /**
   * S3 DeleteObject. With `versionId`: removes that version (or delete marker) for good and
   * returns it as it was; undefined when it does not exist. Without: in a bucket that never had
   * versioning, removes the "null" version and returns it (undefined when there was none); with
   * versioning Enabled, adds a delete marker with a new id, and Suspended, a delete marker with
   * id "null" that replaces the "null" version; either way returns the marker (S3 adds one even
   * when the key does not exist). Undefined when the bucket is missing.
   */
  deleteObject(
    bucket: string,
    key: string,
    now: number,
    versionId?: string,
  ): Promise<ObjectVersion | undefined>;
  /**
   * Latest, non-deleted objects in key byte order after `startAfter`, with an optional prefix.
   * `truncated` says that more such objects follow the last one returned.
   */
  listObjects(
    bucket: string,
    options: { prefix?: string; startAfter?: string; limit: number },
  ): Promise<{ objects: ObjectVersion[]; truncated: boolean }>;
  /**
   * Every version and delete marker of keys with the prefix, in key byte order and newest first
   * per key, at most `limit`. Pages as S3's ListObjectVersions does: after `keyMarker` alone,
   * starts at the next key; with `versionIdMarker` too, at the version after that one.
   */
  listObjectVersions(
    bucket: string,
    options: { prefix?: string; keyMarker?: string; versionIdMarker?: string; limit: number },
  ): Promise<ObjectVersion[]>;
}

// ---------------------------------------------------------------------------------------------
// Hosted git repositories (CodeCommit-compatible), served by the real `git http-backend`.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Connections (CodeConnections): named pointers at git repositories outside this server.
// ---------------------------------------------------------------------------------------------

export interface ConnectionRecord {
  readonly scope: Scope;
  /** A UUID: the last part of the connection ARN. */
  readonly connectionId: string;
  readonly connectionName: string;
  /** AWS's ProviderType (GitHub, GitLab, Bitbucket, ...), kept as given. */
  readonly providerType: string;
  readonly hostArn?: string;
  /**
   * Where the connection's repositories live: `<root>/<FullRepositoryId>` is cloned. A local
   * directory, a git URL prefix, or `pipewright:` for this server's hosted repositories.
   * Absent: the provider's public host (https://github.com/...).
   */
  readonly repositoryRoot?: string;
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
  readonly created: number;
}

/** Connections by scope and id. Contract: store/contract/connection-store.contract.ts. */
export interface ConnectionStore {
  create(record: ConnectionRecord): Promise<CreateResult>;
  get(scope: Scope, connectionId: string): Promise<ConnectionRecord | undefined>;
  /** In creation order (then id), after `after` (the previous page's `nextAfter`). */
  list(scope: Scope, options: { after?: string; limit: number }): Promise<Page<ConnectionRecord>>;
  remove(scope: Scope, connectionId: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Parameter Store and Secrets Manager: values arrive sealed (encrypted and authenticated by
// runtime/secrets/cipher.ts); stores keep and return them as opaque text and never see plaintext.
// ---------------------------------------------------------------------------------------------

export type ParameterType = "String" | "StringList" | "SecureString";

/** One version of an SSM parameter. */
export interface ParameterRecord {
  readonly scope: Scope;
  readonly name: string;
  /** 1 for a new name, then +1 per overwrite. */
  readonly version: number;
  readonly type: ParameterType;
  /** The value, sealed by the runtime (every type, not only SecureString); opaque to the store. */
  readonly sealedValue: string;
  readonly description?: string;
  /** The KMS key id the caller named (SecureString); kept for DescribeParameters, not used. */
  readonly keyId?: string;
  readonly allowedPattern?: string;
  /** Standard or Advanced. */
  readonly tier: string;
  /** `text` or `aws:ec2:image`. */
  readonly dataType: string;
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
  /** Milliseconds since the epoch: when this version was written. */
  readonly modified: number;
  /** Who wrote this version (the request's principal). */
  readonly modifiedBy: string;
}

export type ParameterPutResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "VersionConflict" };

/**
 * SSM parameters by scope and name, every version. Contract: store/contract/parameter-store.contract.ts.
 *  - `put` stores `record` as the new current version when the current version is
 *    `record.version - 1` (no parameter of that name counts as version 0); otherwise it changes
 *    nothing and returns VersionConflict. Two concurrent writers of the same version: exactly one
 *    wins. The latest 100 versions stay readable (as in AWS); older ones are dropped.
 *  - `remove` deletes every version; the name then starts again at version 1.
 */
export interface ParameterStore {
  put(record: ParameterRecord): Promise<ParameterPutResult>;
  /** The current version, or the given one; undefined when either does not exist (or was dropped). */
  get(scope: Scope, name: string, version?: number): Promise<ParameterRecord | undefined>;
  /** Every version still kept, oldest first; empty when the parameter does not exist. */
  history(scope: Scope, name: string): Promise<ParameterRecord[]>;
  /**
   * Current versions in ascending byte order of their names (as PipelineStore.list), only names
   * that start with `prefix` when given, after `after` (which need not exist). `nextAfter` is the
   * last item's name, present only when more follow. `limit` must be a positive integer.
   */
  list(
    scope: Scope,
    options: { after?: string; prefix?: string; limit: number },
  ): Promise<Page<ParameterRecord>>;
  /** Deletes every version; false when there was no such parameter. */
  remove(scope: Scope, name: string): Promise<boolean>;
}

/** A secret's metadata; its values live in its versions. */
export interface SecretRecord {
  readonly scope: Scope;
  readonly name: string;
  /** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`, fixed at creation. */
  readonly arn: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
  readonly created: number;
  /** Moves when a version is added, and when deletion is scheduled or cancelled. */
  readonly lastChanged: number;
  /** Present while the secret is scheduled for deletion: when it goes (ms since the epoch). */
  readonly deletionDate?: number;
}

/** A version without its value. `stages` never share a label with another version's. */
export interface SecretVersionSummary {
  /** The ClientRequestToken that created it (a UUID for the AWS CLI and SDKs). */
  readonly versionId: string;
  /** Staging labels, AWSCURRENT and AWSPREVIOUS among them; empty for a deprecated version. */
  readonly stages: readonly string[];
  readonly created: number;
}

/** A version with its value: exactly one of `sealedString` and `sealedBinary`, sealed by the runtime. */
export interface SecretVersionRecord extends SecretVersionSummary {
  readonly sealedString?: string;
  readonly sealedBinary?: string;
}

export type AddSecretVersionResult =
  | { readonly ok: true; readonly versions: SecretVersionSummary[] }
  | { readonly ok: false; readonly reason: "NotFound" | "MarkedForDeletion" }
  | { readonly ok: false; readonly reason: "VersionExists"; readonly existing: SecretVersionRecord };

export type ScheduleDeletionResult =
  | { readonly ok: true; readonly record: SecretRecord }
  | { readonly ok: false; readonly reason: "NotFound" | "MarkedForDeletion" };

/**
 * Secrets by scope and name, with their versions. Contract: store/contract/secret-store.contract.ts.
 *  - A name is taken from `create` until `remove`, also while the secret is scheduled for
 *    deletion (purging a secret whose deletion date passed is the caller's `remove`).
 *  - Staging labels move as Secrets Manager moves them, atomically with the version that takes
 *    them (`addVersion`): a label is on at most one version; a new version that takes AWSCURRENT
 *    gives AWSPREVIOUS to the version that had AWSCURRENT (and takes it from whoever had it).
 *  - Versions are listed oldest first. Beyond 100 versions, the oldest versions without labels
 *    are dropped (store/secret-versions.ts holds these rules for every implementation).
 */
export interface SecretStore {
  /** Stores a secret and, when given, its first version (with the labels it carries). */
  create(record: SecretRecord, firstVersion?: SecretVersionRecord): Promise<CreateResult>;
  get(scope: Scope, name: string): Promise<SecretRecord | undefined>;
  /** Every version kept, oldest first, without values; empty when the secret does not exist. */
  versions(scope: Scope, name: string): Promise<SecretVersionSummary[]>;
  getVersion(scope: Scope, name: string, versionId: string): Promise<SecretVersionRecord | undefined>;
  /**
   * Adds a version, moves the labels it carries (see above) and sets `lastChanged` to `now`; then
   * returns every version's summary. Refused, changing nothing, when the secret does not exist
   * (NotFound), is scheduled for deletion (MarkedForDeletion), or already has a version with that
   * id (VersionExists, with that version: idempotent retries compare values).
   */
  addVersion(
    scope: Scope,
    name: string,
    version: SecretVersionRecord,
    now: number,
  ): Promise<AddSecretVersionResult>;
  /** Schedules deletion at `deletionDate`; refused when missing or already scheduled. */
  scheduleDeletion(
    scope: Scope,
    name: string,
    deletionDate: number,
    now: number,
  ): Promise<ScheduleDeletionResult>;
  /** Cancels a scheduled deletion (a no-op for a secret not scheduled); undefined when missing. */
  cancelDeletion(scope: Scope, name: string, now: number): Promise<SecretRecord | undefined>;
  /** Deletes the secret and every version at once; false when there was no such secret. */
  remove(scope: Scope, name: string): Promise<boolean>;
  /**
   * Secrets (scheduled ones included) in ascending byte order of their names, after `after`;
   * `nextAfter` as in ParameterStore.list.
   */
  list(scope: Scope, options: { after?: string; limit: number }): Promise<Page<SecretRecord>>;
}
