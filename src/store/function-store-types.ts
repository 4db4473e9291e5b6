import type { CreateResult, Page, Scope } from "./common-types.js";

// Lambda-compatible functions: configuration records and their code (a zip). Contract rules
// common to every store: common-types.ts. What the fields mean is AWS's (botocore's lambda
// model, FunctionConfiguration); runtime/functions decides them, the store only keeps them.

/** One function's configuration as stored ($LATEST: Pipewright keeps no published versions). */
export interface FunctionRecord {
  readonly scope: Scope;
  readonly functionName: string;
  readonly runtime: string;
  /** `file.export` (Node.js) or `module.function` (Python), as Lambda's Handler. */
  readonly handler: string;
  readonly role: string;
  readonly description: string;
  /** Seconds (1..900). */
  readonly timeout: number;
  /** MB (128..10240). */
  readonly memorySize: number;
  readonly environment: Readonly<Record<string, string>>;
  /** Base64 of the zip's SHA-256, as Lambda reports CodeSha256. */
  readonly codeSha256: string;
  readonly codeSize: number;
  /** Changes with every write (Lambda's RevisionId): a UUID. */
  readonly revisionId: string;
  /** 1 when created, +1 per update: what `update` compares. */
  readonly revision: number;
  /** Milliseconds since the epoch of the last write. */
  readonly lastModified: number;
}

export type FunctionUpdateResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "NotFound" | "RevisionConflict" };

/**
 * Functions by scope and name, each with its current code. Contract:
 * store/contract/function-store.contract.ts.
 *  - `create` stores revision 1 with its code; NameInUse when the name exists in the scope.
 *  - `update` replaces the record (and the code, when given) if the stored revision is
 *    `record.revision - 1`; otherwise it changes nothing (RevisionConflict, or NotFound). Of two
 *    writers of the same revision exactly one wins.
 *  - `getCode` answers the code of the current revision: the zip's bytes as they were given.
 *  - `remove` deletes the record and its code; false when there was none.
 */
export interface FunctionStore {
  create(record: FunctionRecord, code: Uint8Array): Promise<CreateResult>;
  get(scope: Scope, functionName: string): Promise<FunctionRecord | undefined>;
  getCode(scope: Scope, functionName: string): Promise<Uint8Array | undefined>;
  update(record: FunctionRecord, code?: Uint8Array): Promise<FunctionUpdateResult>;
  /**
   * Functions in ascending byte order of their names, after `after` (which need not exist);
   * `nextAfter` is the last item's name, present only when more follow. `limit` >= 1.
   */
  list(scope: Scope, options: { after?: string; limit: number }): Promise<Page<FunctionRecord>>;
  remove(scope: Scope, functionName: string): Promise<boolean>;
}
