import { err, ok, type Result } from "../../lib/result.js";
import type { ServiceFailure } from "../../model/exceptions.js";
import type { Page, ParameterRecord, ParameterStore, ParameterType, Scope } from "../../store/types.js";
import type { SecretCipher } from "./cipher.js";
import { parameterNameProblem, parseParameterSelector } from "./parameter-names.js";

/** The KMS key AWS names for SecureString parameters that name none. */
export const DEFAULT_PARAMETER_KEY_ID = "alias/aws/ssm";

const MAX_VALUE_LENGTH = { Standard: 4096, Advanced: 8192 } as const;
const DATA_TYPES = ["text", "aws:ec2:image", "aws:ssm:integration"];
/** Optimistic writes retried this often when other writers keep winning. */
const PUT_ATTEMPTS = 10;

export interface PutParameterInput {
  readonly name: string;
  readonly value: string;
  readonly type?: ParameterType;
  readonly overwrite?: boolean;
  readonly description?: string;
  readonly keyId?: string;
  readonly allowedPattern?: string;
  readonly tags?: readonly { readonly Key: string; readonly Value: string }[];
  readonly tier?: "Standard" | "Advanced" | "Intelligent-Tiering";
  readonly dataType?: string;
}

/** A parameter version found by name (and selector): its record, and the selector asked for. */
export interface FoundParameter {
  readonly record: ParameterRecord;
  /** `:3` when the caller asked for `name:3` (GetParameter echoes it as `Selector`). */
  readonly selector?: string;
}

export type ParameterService = ReturnType<typeof createParameterService>;

/**
 * Parameter Store: SSM parameters with AWS's name rules, versions and overwrite semantics. Every
 * value (not only SecureString) is sealed with the server's key before it reaches the store;
 * `reveal` opens one (and throws SecretDecryptionError when the key is not the one it was sealed
 * with). Expected failures come back as ServiceFailure values in AWS's words.
 */
export function createParameterService(deps: { store: ParameterStore; cipher: SecretCipher }) {
  const { store, cipher } = deps;
  const contextOf = (r: Pick<ParameterRecord, "scope" | "name" | "version">) =>
    ["ssm-parameter", r.scope.accountId, r.scope.region, r.name, String(r.version)].join("\u0000");

  function notFound(name: string): ServiceFailure {
    return { type: "ParameterNotFound", message: `Parameter ${name} not found.` };
  }

  return {
    async put(
      scope: Scope,
      input: PutParameterInput,
      by: { readonly now: number; readonly principal: string },
    ): Promise<Result<{ version: number; tier: string }, ServiceFailure>> {
      const problem = inputProblem(input);
      if (problem) return err(problem);
      for (let attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
        const current = await store.get(scope, input.name);
        if (current && !input.overwrite) {
          return err({
            type: "ParameterAlreadyExists",
            message:
              "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
          });
        }
        const type = input.type ?? current?.type;
        if (!type) {
          return err({
            type: "ValidationException",
            message: "A parameter type is required when you create a parameter.",
          });
        }
        const allowedPattern = input.allowedPattern ?? current?.allowedPattern;
        if (allowedPattern !== undefined && !matchesWhole(allowedPattern, input.value)) {
          return err({
            type: "ParameterPatternMismatchException",
            message: `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
          });
        }
        const tier = tierFor(input, current);
        if (!tier.ok) return tier;
        const description = input.description ?? current?.description;
        const keyId =
          type === "SecureString" ? (input.keyId ?? current?.keyId ?? DEFAULT_PARAMETER_KEY_ID) : undefined;
        const version = (current?.version ?? 0) + 1;
        const record: ParameterRecord = {
          scope,
          name: input.name,
          version,
          type,
          sealedValue: cipher.seal(input.value, contextOf({ scope, name: input.name, version })),
          ...(description === undefined ? {} : { description }),
          ...(keyId === undefined ? {} : { keyId }),
          ...(allowedPattern === undefined ? {} : { allowedPattern }),
          tier: tier.value,
          dataType: input.dataType ?? current?.dataType ?? "text",
          tags: current?.tags ?? input.tags ?? [],
          modified: by.now,
          modifiedBy: by.principal,
        };
        if ((await store.put(record)).ok) return ok({ version, tier: tier.value });
      }
      return err({
        type: "ConcurrentModificationException",
        message: `Parameter ${input.name} is being changed by other requests at the same time; retry`,
      });
    },

    /** `name` or `name:version`; ParameterNotFound or ParameterVersionNotFound when absent. */
    async get(scope: Scope, reference: string): Promise<Result<FoundParameter, ServiceFailure>> {
      const { name, selector, version } = parseParameterSelector(reference);
      if (selector === undefined) {
        const record = await store.get(scope, name);
        return record ? ok({ record }) : err(notFound(name));
      }
      const record = version === undefined ? undefined : await store.get(scope, name, version);
      if (record) return ok({ record, selector: `:${selector}` });
      if (!(await store.get(scope, name))) return err(notFound(name));
      return err({
        type: "ParameterVersionNotFound",
        message: `Systems Manager could not find version ${selector} of ${name}. Verify the version and try again.`,
      });
    },

    /** The plaintext of a stored version; throws SecretDecryptionError when it does not open. */
    reveal(record: ParameterRecord): string {
      return cipher.openText(record.sealedValue, contextOf(record));
    },

    async history(scope: Scope, name: string): Promise<Result<ParameterRecord[], ServiceFailure>> {
      const versions = await store.history(scope, name);
      return versions.length > 0 ? ok(versions) : err(notFound(name));
    },

    list(
      scope: Scope,
      options: { after?: string; prefix?: string; limit: number },
    ): Promise<Page<ParameterRecord>> {
      return store.list(scope, options);
    },

    async remove(scope: Scope, name: string): Promise<Result<void, ServiceFailure>> {
      return (await store.remove(scope, name)) ? ok(undefined) : err(notFound(name));
    },
  };
}

function inputProblem(input: PutParameterInput): ServiceFailure | undefined {
  const name = parameterNameProblem(input.name);
  if (name) return name;
  if (input.value === "") {
    return {
      type: "ValidationException",
      message:
        "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
    };
  }
  if (input.tags && input.tags.length > 0 && input.overwrite) {
    return {
      type: "ValidationException",
      message:
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    };
  }
  if (input.dataType !== undefined && !DATA_TYPES.includes(input.dataType)) {
    return {
      type: "ValidationException",
      message: `The following data type is not supported: ${input.dataType} (Data type names are all lowercase.)`,
    };
  }
  if (input.dataType === "aws:ec2:image" && !/^ami-[0-9a-f]{8,17}$/u.test(input.value)) {
    return {
      type: "ValidationException",
      message: "Parameter value must be a valid AMI id (ami-...) for data type aws:ec2:image",
    };
  }
  if (input.allowedPattern !== undefined && !validPattern(input.allowedPattern)) {
    return {
      type: "ValidationException",
      message: `The allowed pattern ${input.allowedPattern} is not a valid regular expression`,
    };
  }
  return undefined;
}

/** Standard unless asked or needed: Intelligent-Tiering picks Advanced only for long values. */
function tierFor(
  input: PutParameterInput,
  current: ParameterRecord | undefined,
): Result<string, ServiceFailure> {
  const length = [...input.value].length;
  const wanted =
    input.tier === "Intelligent-Tiering" || input.tier === undefined
      ? length > MAX_VALUE_LENGTH.Standard || current?.tier === "Advanced"
        ? "Advanced"
        : "Standard"
      : input.tier;
  if (wanted === "Standard" && current?.tier === "Advanced") {
    return err({
      type: "ValidationException",
      message:
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
    });
  }
  if (length > MAX_VALUE_LENGTH[wanted]) {
    return err({
      type: "ValidationException",
      message:
        wanted === "Standard"
          ? "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/advanced-parameters.html"
          : "Advanced tier parameters support a maximum parameter value of 8192 characters.",
    });
  }
  return ok(wanted);
}

function validPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

function matchesWhole(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`, "u").test(value);
}
