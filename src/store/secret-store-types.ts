import type { CreateResult, Page, Scope } from "./common-types.js";

// Secrets Manager secrets and their versions; values arrive sealed, as Parameter Store's do. Contract rules common to every store: common-types.ts.
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
