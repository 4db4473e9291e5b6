import { type Shape, type StringRules, string } from "../lib/shape.js";
import { SecretDecryptionError } from "../runtime/secrets/cipher.js";
import { type ApiError, apiError } from "./errors.js";

/**
 * A string member that holds a secret (SSM's PSParameterValue, Secrets Manager's SecretString):
 * checked like `string(rules)`, but a constraint problem never quotes the value, as AWS leaves
 * sensitive members out of its validation messages.
 */
export function sensitiveString(rules: StringRules = {}): Shape<string> {
  const inner = string(rules);
  return {
    optional: false,
    typeName: "string",
    read(value, at) {
      const problems: typeof at.problems = [];
      const read = inner.read(value, { ...at, problems });
      for (const { value: _, ...problem } of problems) at.problems.push(problem);
      return read;
    },
  };
}

/**
 * A blob member (AWS JSON sends base64 text), decoded to bytes; `max` counts decoded bytes. Its
 * problems never quote the value either.
 */
export function sensitiveBlob(rules: { min?: number; max?: number } = {}): Shape<Buffer> {
  return {
    optional: false,
    typeName: "blob",
    read(value, at) {
      if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/u.test(value) || value.length % 4 === 1) {
        at.problems.push({
          kind: "type",
          jsonPath: at.jsonPath,
          awsPath: at.awsPath,
          message: "Expected base64-encoded bytes",
        });
        return undefined;
      }
      const bytes = Buffer.from(value, "base64");
      const clause =
        rules.max !== undefined && bytes.length > rules.max
          ? `Member must have length less than or equal to ${rules.max}`
          : rules.min !== undefined && bytes.length < rules.min
            ? `Member must have length greater than or equal to ${rules.min}`
            : undefined;
      if (clause) {
        at.problems.push({ kind: "constraint", jsonPath: at.jsonPath, awsPath: at.awsPath, message: clause });
        return undefined;
      }
      return bytes;
    },
  };
}

/** Runs `open` (which decrypts a stored value); a value that does not decrypt is DecryptionFailure. */
export function decrypted<T>(open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof SecretDecryptionError) throw decryptionFailure(error);
    throw error;
  }
}

/** `decrypted` for a call that returns a promise. */
export async function decryptedAsync<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof SecretDecryptionError) throw decryptionFailure(error);
    throw error;
  }
}

function decryptionFailure(error: SecretDecryptionError): ApiError {
  return apiError("DecryptionFailure", error.message);
}
