import { err, ok, type Result } from "../../lib/result.js";
import { failure, type LambdaFailure } from "./lambda-failure.js";

/**
 * Checks of CreateFunction / UpdateFunctionConfiguration / UpdateFunctionCode members, in
 * Lambda's words where Lambda has them; each names the member and how to fix it. Pure.
 */

export interface ConfigurationInput {
  readonly runtime?: string;
  readonly handler?: string;
  readonly role?: string;
  readonly description?: string;
  readonly timeout?: number;
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
}

export interface CodeInput {
  readonly zipFile?: Uint8Array;
  readonly s3?: { readonly bucket: string; readonly key: string; readonly versionId?: string };
}

/** Lambda's quota: a zip uploaded directly (50 MB). */
export const MAX_ZIP_BYTES = 50 * 1024 * 1024;
/** The largest CreateFunction / UpdateFunctionCode request Lambda takes (base64 of 50 MB and the rest). */
export const MAX_CODE_REQUEST_BYTES = 70_167_211;
const MAX_ENVIRONMENT_BYTES = 4096;
const ROLE = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/u;
const VARIABLE = /^[a-zA-Z]([a-zA-Z0-9_])+$/u;
// Lambda sets these itself (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
const RESERVED = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
];

type Raw = Readonly<Record<string, unknown>>;
const invalid = (message: string) => err(failure("InvalidParameterValueException", message));
const validation = (member: string, value: unknown, constraint: string) =>
  err(
    failure(
      "ValidationException",
      `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
    ),
  );

function stringMember(body: Raw, name: string): Result<string | undefined, LambdaFailure> {
  const value = body[name];
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== "string") return invalid(`${name} must be a string, not ${JSON.stringify(value)}`);
  return ok(value);
}

function integerMember(
  body: Raw,
  name: string,
  min: number,
  max: number,
): Result<number | undefined, LambdaFailure> {
  const value = body[name];
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== "number" || !Number.isInteger(value))
    return invalid(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  const member = name[0]!.toLowerCase() + name.slice(1);
  if (value < min) return validation(member, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) return validation(member, value, `Member must have value less than or equal to ${max}`);
  return ok(value);
}

/** The configuration members of a request body (all optional here; create checks what it needs). */
export function parseConfiguration(body: Raw): Result<ConfigurationInput, LambdaFailure> {
  const out: { -readonly [K in keyof ConfigurationInput]: ConfigurationInput[K] } = {};
  for (const [name, key] of [
    ["Runtime", "runtime"],
    ["Handler", "handler"],
    ["Role", "role"],
    ["Description", "description"],
  ] as const) {
    const read = stringMember(body, name);
    if (!read.ok) return read;
    if (read.value !== undefined) out[key] = read.value;
  }
  if (out.role !== undefined && !ROLE.test(out.role))
    return validation(
      "role",
      out.role,
      "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
    );
  if (out.handler !== undefined && (out.handler.length > 128 || !/^[^\s]+$/u.test(out.handler)))
    return validation("handler", out.handler, "Member must satisfy regular expression pattern: [^\\s]+");
  if (out.description !== undefined && out.description.length > 256)
    return validation("description", out.description, "Member must have length less than or equal to 256");
  const timeout = integerMember(body, "Timeout", 1, 900);
  if (!timeout.ok) return timeout;
  if (timeout.value !== undefined) out.timeout = timeout.value;
  const memory = integerMember(body, "MemorySize", 128, 10240);
  if (!memory.ok) return memory;
  if (memory.value !== undefined) out.memorySize = memory.value;
  const environment = parseEnvironment(body.Environment);
  if (!environment.ok) return environment;
  if (environment.value !== undefined) out.environment = environment.value;
  return ok(out);
}

function parseEnvironment(raw: unknown): Result<Record<string, string> | undefined, LambdaFailure> {
  if (raw === undefined || raw === null) return ok(undefined);
  if (typeof raw !== "object" || Array.isArray(raw))
    return invalid('Environment must be an object such as {"Variables": {"KEY": "value"}}');
  const variables = (raw as Raw).Variables ?? {};
  if (typeof variables !== "object" || variables === null || Array.isArray(variables))
    return invalid('Environment.Variables must be an object of strings such as {"KEY": "value"}');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (!VARIABLE.test(key))
      return validation(
        "environment.variables",
        key,
        "Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+ (a variable name starts with a letter and has at least two characters)",
      );
    if (typeof value !== "string")
      return invalid(`Environment.Variables.${key} must be a string, not ${JSON.stringify(value)}`);
    out[key] = value;
  }
  const reserved = Object.keys(out).filter((k) => RESERVED.includes(k));
  if (reserved.length > 0)
    return invalid(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(",")}`,
    );
  const size = new TextEncoder().encode(JSON.stringify(out)).length;
  if (size > MAX_ENVIRONMENT_BYTES)
    return invalid(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${size} bytes`,
    );
  return ok(out);
}

/** The code members (CreateFunction's `Code`, or UpdateFunctionCode's body): exactly one source. */
export function parseCode(code: unknown): Result<CodeInput, LambdaFailure> {
  if (typeof code !== "object" || code === null || Array.isArray(code))
    return invalid("Code must be an object with ZipFile (base64) or S3Bucket and S3Key");
  const raw = code as Raw;
  if (raw.ImageUri !== undefined)
    return invalid(
      "Pipewright runs Zip functions only: container images (ImageUri, PackageType Image) are not supported; upload a zip with ZipFile or S3Bucket/S3Key",
    );
  const zip = raw.ZipFile;
  const bucket = raw.S3Bucket;
  const key = raw.S3Key;
  if (zip !== undefined && (bucket !== undefined || key !== undefined))
    return invalid(
      "Please do not provide other FunctionCode parameters when providing a ZipFile: give ZipFile, or S3Bucket and S3Key",
    );
  if (zip !== undefined) {
    if (typeof zip !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/u.test(zip))
      return invalid(
        "ZipFile must be the zip's bytes in base64 (the CLI's --zip-file fileb://function.zip does this)",
      );
    const bytes = Buffer.from(zip, "base64");
    if (bytes.length > MAX_ZIP_BYTES)
      return err(
        failure(
          "RequestEntityTooLargeException",
          `Zipped code must be smaller than ${MAX_ZIP_BYTES} bytes when uploaded directly (this zip has ${bytes.length}); upload it to S3 and pass S3Bucket and S3Key`,
        ),
      );
    return ok({ zipFile: new Uint8Array(bytes) });
  }
  if (typeof bucket === "string" && typeof key === "string") {
    const version = raw.S3ObjectVersion;
    if (version !== undefined && typeof version !== "string")
      return invalid("S3ObjectVersion must be a string");
    return ok({ s3: { bucket, key, ...(version === undefined ? {} : { versionId: version }) } });
  }
  if (bucket !== undefined || key !== undefined)
    return invalid("S3Bucket and S3Key must both be given (strings) to take the code from S3");
  return invalid("Code needs ZipFile (base64 of a zip) or S3Bucket and S3Key");
}
