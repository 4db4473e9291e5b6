import type { PipelineDeclaration } from "../model/declaration.js";
import type { CreateResult, Page, Scope } from "./common-types.js";

// Pipeline declarations, every version kept. Contract rules common to every store: common-types.ts.
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
