import { randomInt } from "node:crypto";
import { err, ok, type Result } from "../../lib/result.js";
import type { ServiceFailure } from "../../model/exceptions.js";
import type {
  Scope,
  SecretRecord,
  SecretStore,
  SecretVersionRecord,
  SecretVersionSummary,
} from "../../store/types.js";
import type { SecretCipher } from "./cipher.js";

export const AWSCURRENT = "AWSCURRENT";
export const AWSPREVIOUS = "AWSPREVIOUS";

const DAY_MS = 86_400_000;
const SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** AWS's messages, verbatim: scripts match on some of them. */
export const SECRET_NOT_FOUND = "Secrets Manager can't find the specified secret.";
export const MARKED_FOR_DELETION =
  "You can't perform this operation on the secret because it was marked for deletion.";
const TOKEN_REQUIRED = "You must provide a ClientRequestToken value. We recommend a UUID-type value.";
const BOTH_VALUES =
  "You can't specify both a binary secret value and a string secret value in the same secret.";
const VERSION_IMMUTABLE = "You can't modify an existing version, you can only create a new version.";

/** A value for a new version: a string or bytes (never both; the service checks). */
export interface SecretValueInput {
  readonly secretString?: string;
  readonly secretBinary?: Uint8Array;
}

export interface CreateSecretInput extends SecretValueInput {
  readonly name: string;
  readonly clientRequestToken?: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tags?: readonly { readonly Key: string; readonly Value: string }[];
}

export interface PutSecretValueInput extends SecretValueInput {
  readonly clientRequestToken?: string;
  readonly versionStages?: readonly string[];
}

/** A decrypted version of a secret. */
export interface OpenedSecretValue {
  readonly record: SecretRecord;
  readonly version: SecretVersionSummary;
  readonly secretString?: string;
  readonly secretBinary?: Buffer;
}

export interface SecretWithVersions {
  readonly record: SecretRecord;
  readonly versions: readonly SecretVersionSummary[];
}

export interface SecretServiceDeps {
  readonly store: SecretStore;
  readonly cipher: SecretCipher;
  /** The 6 characters after a secret ARN's name; random alphanumerics unless a test fixes them. */
  readonly arnSuffix?: () => string;
}

export type SecretService = ReturnType<typeof createSecretService>;

/**
 * Secrets Manager: secrets with versions and staging labels (AWSCURRENT, AWSPREVIOUS), deletion
 * with a recovery window, and ClientRequestToken idempotency. Values are sealed with the
 * server's key before they reach the store, bound to the secret's ARN and the version id. A
 * secret whose deletion date has passed is removed when next looked up. Expected failures come
 * back as ServiceFailure values in AWS's words; a stored value that does not decrypt throws
 * SecretDecryptionError.
 */
export function createSecretService(deps: SecretServiceDeps) {
  const { store, cipher } = deps;
  const arnSuffix =
    deps.arnSuffix ?? (() => Array.from({ length: 6 }, () => SUFFIX_ALPHABET[randomInt(62)]).join(""));
  const contextOf = (arn: string, versionId: string, kind: "string" | "binary") =>
    ["secretsmanager", arn, versionId, kind].join("\u0000");

  function seal(arn: string, versionId: string, value: SecretValueInput) {
    return value.secretString !== undefined
      ? { sealedString: cipher.seal(value.secretString, contextOf(arn, versionId, "string")) }
      : { sealedBinary: cipher.seal(value.secretBinary!, contextOf(arn, versionId, "binary")) };
  }

  function open(record: SecretRecord, version: SecretVersionRecord): OpenedSecretValue {
    const summary = { versionId: version.versionId, stages: version.stages, created: version.created };
    if (version.sealedString !== undefined) {
      const secretString = cipher.openText(
        version.sealedString,
        contextOf(record.arn, version.versionId, "string"),
      );
      return { record, version: summary, secretString };
    }
    const secretBinary = cipher.open(
      version.sealedBinary ?? "",
      contextOf(record.arn, version.versionId, "binary"),
    );
    return { record, version: summary, secretBinary };
  }

  /** Whether a stored version holds exactly `value` (idempotent retries). */
  function sameValue(record: SecretRecord, version: SecretVersionRecord, value: SecretValueInput): boolean {
    const opened = open(record, version);
    if (value.secretString !== undefined) return opened.secretString === value.secretString;
    return (
      opened.secretBinary !== undefined &&
      value.secretBinary !== undefined &&
      opened.secretBinary.equals(Buffer.from(value.secretBinary))
    );
  }

  /** The secret a name, full ARN or partial ARN (without the suffix) names; expired ones are purged. */
  async function find(scope: Scope, secretId: string, now: number): Promise<SecretRecord | undefined> {
    const found = await lookUp(scope, secretId);
    if (found?.deletionDate !== undefined && found.deletionDate <= now) {
      await store.remove(scope, found.name);
      return undefined;
    }
    return found;
  }

  async function lookUp(scope: Scope, secretId: string): Promise<SecretRecord | undefined> {
    if (!secretId.startsWith("arn:")) return store.get(scope, secretId);
    const arn = /^arn:[\w-]+:secretsmanager:([^:]*):([^:]*):secret:(.+)$/u.exec(secretId);
    if (!arn || arn[1] !== scope.region || arn[2] !== scope.accountId) return undefined;
    // A full ARN ends with the name and its suffix; a partial ARN with the name alone.
    const rest = arn[3]!;
    const suffixed = /^(.+)-[A-Za-z0-9]{6}$/u.exec(rest);
    const full = suffixed ? await store.get(scope, suffixed[1]!) : undefined;
    if (full?.arn === secretId) return full;
    return store.get(scope, rest);
  }

  function valueProblem(value: SecretValueInput, token: string | undefined, required: boolean) {
    const hasString = value.secretString !== undefined;
    const hasBinary = value.secretBinary !== undefined;
    if (hasString && hasBinary) return failure("InvalidParameterException", BOTH_VALUES);
    if (required && !hasString && !hasBinary) {
      return failure("InvalidRequestException", "You must provide either SecretString or SecretBinary.");
    }
    if ((hasString || hasBinary) && token === undefined)
      return failure("InvalidRequestException", TOKEN_REQUIRED);
    return undefined;
  }

  return {
    async create(
      scope: Scope,
      input: CreateSecretInput,
      now: number,
    ): Promise<Result<{ record: SecretRecord; versionId?: string }, ServiceFailure>> {
      if (!/^[a-zA-Z0-9/_+=.@-]+$/u.test(input.name)) {
        return err(
          failure(
            "InvalidParameterException",
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
          ),
        );
      }
      const problem = valueProblem(input, input.clientRequestToken, false);
      if (problem) return err(problem);
      const record: SecretRecord = {
        scope,
        name: input.name,
        arn: `arn:aws:secretsmanager:${scope.region}:${scope.accountId}:secret:${input.name}-${arnSuffix()}`,
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.kmsKeyId === undefined ? {} : { kmsKeyId: input.kmsKeyId }),
        tags: input.tags ?? [],
        created: now,
        lastChanged: now,
      };
      const token = input.clientRequestToken;
      const hasValue = input.secretString !== undefined || input.secretBinary !== undefined;
      const first: SecretVersionRecord | undefined =
        hasValue && token !== undefined
          ? { versionId: token, stages: [AWSCURRENT], created: now, ...seal(record.arn, token, input) }
          : undefined;
      // Twice at most: once more after purging a secret whose deletion date has passed.
      for (let attempt = 0; attempt < 2; attempt++) {
        if ((await store.create(record, first)).ok)
          return ok({ record, ...(first ? { versionId: token } : {}) });
        const existing = await find(scope, input.name, now);
        if (!existing) continue;
        if (existing.deletionDate !== undefined) {
          return err(
            failure(
              "InvalidRequestException",
              "You can't create this secret because a secret with this name is already scheduled for deletion.",
            ),
          );
        }
        const retried = token === undefined ? undefined : await store.getVersion(scope, input.name, token);
        if (retried && hasValue) {
          return sameValue(existing, retried, input)
            ? ok({ record: existing, versionId: retried.versionId })
            : err(failure("ResourceExistsException", VERSION_IMMUTABLE));
        }
        break;
      }
      return err(
        failure(
          "ResourceExistsException",
          `The operation failed because the secret ${input.name} already exists.`,
        ),
      );
    },

    /** The value of the version with `versionId`, or with `versionStage` (AWSCURRENT by default). */
    async getValue(
      scope: Scope,
      secretId: string,
      selector: { readonly versionId?: string; readonly versionStage?: string },
      now: number,
    ): Promise<Result<OpenedSecretValue, ServiceFailure>> {
      const record = await find(scope, secretId, now);
      if (!record) return err(failure("ResourceNotFoundException", SECRET_NOT_FOUND));
      if (record.deletionDate !== undefined)
        return err(failure("InvalidRequestException", MARKED_FOR_DELETION));
      let versionId = selector.versionId;
      if (versionId === undefined) {
        const stage = selector.versionStage ?? AWSCURRENT;
        versionId = (await store.versions(scope, record.name)).find((v) =>
          v.stages.includes(stage),
        )?.versionId;
        if (versionId === undefined) {
          return err(
            failure(
              "ResourceNotFoundException",
              `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
            ),
          );
        }
      }
      const version = await store.getVersion(scope, record.name, versionId);
      if (!version) {
        return err(
          failure(
            "ResourceNotFoundException",
            `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
          ),
        );
      }
      if (selector.versionStage !== undefined && !version.stages.includes(selector.versionStage)) {
        return err(
          failure(
            "InvalidRequestException",
            "You provided a VersionStage that is not associated to the provided VersionId.",
          ),
        );
      }
      return ok(open(record, version));
    },

    /** Adds a version (AWSCURRENT unless `versionStages` says otherwise); idempotent per token. */
    async putValue(
      scope: Scope,
      secretId: string,
      input: PutSecretValueInput,
      now: number,
    ): Promise<Result<{ record: SecretRecord; version: SecretVersionSummary }, ServiceFailure>> {
      const problem = valueProblem(input, input.clientRequestToken, true);
      if (problem) return err(problem);
      const token = input.clientRequestToken!;
      const record = await find(scope, secretId, now);
      if (!record) return err(failure("ResourceNotFoundException", SECRET_NOT_FOUND));
      const stages = [...new Set(input.versionStages ?? [AWSCURRENT])];
      const version = { versionId: token, stages, created: now, ...seal(record.arn, token, input) };
      const added = await store.addVersion(scope, record.name, version, now);
      if (added.ok) {
        return ok({ record, version: added.versions.find((v) => v.versionId === token) ?? version });
      }
      if (added.reason !== "VersionExists") {
        return err(
          added.reason === "NotFound"
            ? failure("ResourceNotFoundException", SECRET_NOT_FOUND)
            : failure("InvalidRequestException", MARKED_FOR_DELETION),
        );
      }
      if (!sameValue(record, added.existing, input))
        return err(failure("ResourceExistsException", VERSION_IMMUTABLE));
      const { versionId, stages: current, created } = added.existing;
      return ok({ record, version: { versionId, stages: current, created } });
    },

    /** Schedules deletion after a recovery window (7-30 days, default 30), or deletes at once. */
    async remove(
      scope: Scope,
      secretId: string,
      options: { readonly recoveryWindowInDays?: number; readonly force?: boolean },
      now: number,
    ): Promise<Result<{ record: SecretRecord; deletionDate: number }, ServiceFailure>> {
      if (options.force && options.recoveryWindowInDays !== undefined) {
        return err(
          failure(
            "InvalidParameterException",
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
          ),
        );
      }
      const days = options.recoveryWindowInDays ?? 30;
      if (!Number.isInteger(days) || days < 7 || days > 30) {
        return err(
          failure(
            "InvalidParameterException",
            "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).",
          ),
        );
      }
      const record = await find(scope, secretId, now);
      if (!record) return err(failure("ResourceNotFoundException", SECRET_NOT_FOUND));
      if (options.force) {
        await store.remove(scope, record.name);
        return ok({ record, deletionDate: now });
      }
      const scheduled = await store.scheduleDeletion(scope, record.name, now + days * DAY_MS, now);
      if (scheduled.ok) return ok({ record: scheduled.record, deletionDate: scheduled.record.deletionDate! });
      return err(
        scheduled.reason === "NotFound"
          ? failure("ResourceNotFoundException", SECRET_NOT_FOUND)
          : failure("InvalidRequestException", MARKED_FOR_DELETION),
      );
    },

    /** Cancels a scheduled deletion (succeeds for a secret that is not scheduled). */
    async restore(
      scope: Scope,
      secretId: string,
      now: number,
    ): Promise<Result<SecretRecord, ServiceFailure>> {
      const record = await find(scope, secretId, now);
      const restored = record && (await store.cancelDeletion(scope, record.name, now));
      return restored ? ok(restored) : err(failure("ResourceNotFoundException", SECRET_NOT_FOUND));
    },

    async describe(
      scope: Scope,
      secretId: string,
      now: number,
    ): Promise<Result<SecretWithVersions, ServiceFailure>> {
      const record = await find(scope, secretId, now);
      if (!record) return err(failure("ResourceNotFoundException", SECRET_NOT_FOUND));
      return ok({ record, versions: await store.versions(scope, record.name) });
    },

    /**
     * One page of secrets in name order; secrets scheduled for deletion only when asked for. A
     * page may hold fewer than `limit` items when some were left out; `nextAfter` goes on.
     */
    async list(
      scope: Scope,
      options: { readonly after?: string; readonly limit: number; readonly includePlannedDeletion: boolean },
      now: number,
    ): Promise<{ items: SecretWithVersions[]; nextAfter?: string }> {
      const page = await store.list(scope, {
        ...(options.after === undefined ? {} : { after: options.after }),
        limit: options.limit,
      });
      const items: SecretWithVersions[] = [];
      for (const record of page.items) {
        if (record.deletionDate !== undefined && record.deletionDate <= now) {
          await store.remove(scope, record.name);
          continue;
        }
        if (record.deletionDate !== undefined && !options.includePlannedDeletion) continue;
        items.push({ record, versions: await store.versions(scope, record.name) });
      }
      return page.nextAfter === undefined ? { items } : { items, nextAfter: page.nextAfter };
    },
  };
}

function failure(type: ServiceFailure["type"], message: string): ServiceFailure {
  return { type, message };
}
