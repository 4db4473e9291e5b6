import type { ActionTypeSpec } from "../model/action-types/action-type.js";
import type { ActionTypeId, PipelineDeclaration, Tag } from "../model/declaration.js";

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
  /** Releases connections and file handles. Calls after close reject; closing twice is harmless. */
  close(): Promise<void>;
}
