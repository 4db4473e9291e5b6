import { parameterArn } from "../../runtime/secrets/parameter-names.js";
import type { ParameterService } from "../../runtime/secrets/parameters.js";
import type { ParameterRecord } from "../../store/types.js";
import { epochSeconds } from "../pagination.js";
import { decrypted } from "../sensitive.js";

/**
 * A parameter's value as GetParameter* answers it: the plaintext, except a SecureString read
 * without WithDecryption, which (like AWS's KMS ciphertext) is an opaque base64 text: the sealed
 * value as stored.
 */
export function parameterValue(
  parameters: ParameterService,
  record: ParameterRecord,
  withDecryption: boolean,
): string {
  if (record.type === "SecureString" && !withDecryption) return record.sealedValue;
  return decrypted(() => parameters.reveal(record));
}

/** AWS's `Parameter` shape. */
export function renderParameter(record: ParameterRecord, value: string, selector?: string) {
  return {
    Name: record.name,
    Type: record.type,
    Value: value,
    Version: record.version,
    ...(selector === undefined ? {} : { Selector: selector }),
    LastModifiedDate: epochSeconds(record.modified),
    ARN: parameterArn(record.scope, record.name),
    DataType: record.dataType,
  };
}

/** AWS's `ParameterMetadata` shape (DescribeParameters). */
export function renderMetadata(record: ParameterRecord) {
  return {
    Name: record.name,
    ARN: parameterArn(record.scope, record.name),
    Type: record.type,
    ...(record.keyId === undefined ? {} : { KeyId: record.keyId }),
    LastModifiedDate: epochSeconds(record.modified),
    LastModifiedUser: lastModifiedUser(record),
    ...(record.description === undefined ? {} : { Description: record.description }),
    ...(record.allowedPattern === undefined ? {} : { AllowedPattern: record.allowedPattern }),
    Version: record.version,
    Tier: record.tier,
    Policies: [],
    DataType: record.dataType,
  };
}

/** AWS's `ParameterHistory` shape. */
export function renderHistory(record: ParameterRecord, value: string) {
  const { ARN: _, ...metadata } = renderMetadata(record);
  return { ...metadata, Value: value, Labels: [] };
}

/** AWS names the IAM identity; Pipewright has access keys only, so the key id stands for the user. */
function lastModifiedUser(record: ParameterRecord): string {
  return `arn:aws:iam::${record.scope.accountId}:user/${record.modifiedBy}`;
}
