import type { Page, Scope } from "./common-types.js";

// Parameter Store values; they arrive sealed (encrypted and authenticated by runtime/secrets/cipher.ts), so stores never see plaintext. Contract rules common to every store: common-types.ts.
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
