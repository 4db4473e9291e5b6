import { createHash } from "node:crypto";
import type { Clock } from "../../lib/clock.js";
import type { Logger } from "../../lib/logger.js";
import { err, ok, type Result } from "../../lib/result.js";
import type { FunctionRecord, FunctionStore, ObjectStore, Scope } from "../../store/types.js";
import { type CodeInput, type ConfigurationInput, parseCode, parseConfiguration } from "./function-input.js";
import { functionArn, isFunctionName, notFound, resolveFunctionName } from "./function-names.js";
import { failure, type LambdaFailure } from "./lambda-failure.js";
import type { FunctionExecutor, InvocationResult } from "./ports.js";

export interface FunctionServiceDeps {
  readonly functions: FunctionStore;
  /** Pipewright's own S3, where Code.S3Bucket / S3Key point. */
  readonly objects: ObjectStore;
  readonly executor: FunctionExecutor;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
}

type Raw = Readonly<Record<string, unknown>>;
export type InvocationType = "RequestResponse" | "Event" | "DryRun";

/** Lambda's limits on an invocation's payload: 6 MB synchronous, 1 MB asynchronous. */
export const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
export const MAX_ASYNC_PAYLOAD = 1024 * 1024;

/**
 * Lambda-compatible functions: their configuration and code (FunctionStore) and their
 * invocations (FunctionExecutor). Only $LATEST exists: every write changes it in place, with a
 * new RevisionId, and a function is Active as soon as it is written (nothing is provisioned).
 * Event invocations run in this process in the background (not queued durably: a restart
 * loses the ones still running; docs/lambda.md).
 */
export function createFunctionService(deps: FunctionServiceDeps) {
  const background = new Set<Promise<unknown>>();

  async function codeFrom(scope: Scope, code: CodeInput): Promise<Result<Uint8Array, LambdaFailure>> {
    if (code.zipFile) return ok(code.zipFile);
    const s3 = code.s3!;
    const bucket = await deps.objects.getBucket(s3.bucket);
    if (!bucket || bucket.scope.accountId !== scope.accountId)
      return err(
        failure(
          "InvalidParameterValueException",
          `Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket ${s3.bucket} does not exist`,
        ),
      );
    const found = await deps.objects.getObject(
      s3.bucket,
      s3.key,
      s3.versionId ? { versionId: s3.versionId } : {},
    );
    if (!found || found.version.deleteMarker)
      return err(
        failure(
          "InvalidParameterValueException",
          `Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key ${s3.key} does not exist in bucket ${s3.bucket}`,
        ),
      );
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of found.body) {
      size += chunk.length;
      if (size > 250 * 1024 * 1024)
        return err(
          failure(
            "InvalidParameterValueException",
            `s3://${s3.bucket}/${s3.key} is larger than Lambda's 250 MB code limit`,
          ),
        );
      chunks.push(chunk);
    }
    return ok(new Uint8Array(Buffer.concat(chunks)));
  }

  async function checked(record: FunctionRecord, zip: Uint8Array | undefined, scope: Scope) {
    if (!deps.executor.supports(record.runtime)) {
      return err(
        failure(
          "InvalidParameterValueException",
          `The runtime parameter of ${record.runtime} is not supported by this Pipewright: it runs nodejs18.x, nodejs20.x and nodejs22.x${deps.executor.supports("python3.12") ? ", and python3.9 to python3.13" : " (and python3.x where python3 is installed)"}`,
        ),
      );
    }
    const code = zip ?? (await deps.functions.getCode(scope, record.functionName));
    if (!code) return err(notFound(scope, record.functionName));
    const problem = await deps.executor.checkCode(code, record.runtime, record.handler);
    if (problem) return err(failure("InvalidParameterValueException", problem));
    return ok(undefined);
  }

  function withCode(record: FunctionRecord, zip: Uint8Array): FunctionRecord {
    return {
      ...record,
      codeSha256: createHash("sha256").update(zip).digest("base64"),
      codeSize: zip.length,
    };
  }

  async function current(scope: Scope, reference: string, qualifier?: string) {
    const name = resolveFunctionName(scope, reference, qualifier);
    if (!name.ok) return name;
    const record = await deps.functions.get(scope, name.value);
    return record ? ok(record) : err(notFound(scope, name.value, qualifier));
  }

  function revisionMatches(record: FunctionRecord, body: Raw): LambdaFailure | undefined {
    if (body.RevisionId === undefined || body.RevisionId === record.revisionId) return undefined;
    return failure(
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    );
  }

  async function write(
    record: FunctionRecord,
    zip?: Uint8Array,
  ): Promise<Result<FunctionRecord, LambdaFailure>> {
    const written = await deps.functions.update(record, zip);
    if (written.ok) return ok(record);
    if (written.reason === "NotFound") return err(notFound(record.scope, record.functionName));
    return err(
      failure(
        "ResourceConflictException",
        `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(record.scope, record.functionName)}`,
      ),
    );
  }

  return {
    async create(scope: Scope, body: Raw): Promise<Result<FunctionRecord, LambdaFailure>> {
      const name = body.FunctionName;
      if (typeof name !== "string" || !isFunctionName(name))
        return err(
          failure(
            "ValidationException",
            `1 validation error detected: Value '${String(name)}' at 'functionName' failed to satisfy constraint: Member must be 1 to 64 letters, digits, hyphens or underscores`,
          ),
        );
      if (body.PackageType !== undefined && body.PackageType !== "Zip")
        return err(
          failure(
            "InvalidParameterValueException",
            `PackageType ${String(body.PackageType)} is not supported: Pipewright runs Zip functions only`,
          ),
        );
      const config = parseConfiguration(body);
      if (!config.ok) return config;
      const c: ConfigurationInput = config.value;
      if (c.role === undefined)
        return err(
          failure(
            "InvalidParameterValueException",
            "Role is required: the ARN of the function's execution role (Pipewright records it; any role ARN will do)",
          ),
        );
      if (c.runtime === undefined)
        return err(
          failure(
            "InvalidParameterValueException",
            "Runtime is required for a Zip function, such as nodejs20.x",
          ),
        );
      if (c.handler === undefined)
        return err(
          failure(
            "InvalidParameterValueException",
            "Handler is required for a Zip function, such as index.handler",
          ),
        );
      const parsedCode = parseCode(body.Code);
      if (!parsedCode.ok) return parsedCode;
      const zip = await codeFrom(scope, parsedCode.value);
      if (!zip.ok) return zip;
      const record = withCode(
        {
          scope,
          functionName: name,
          runtime: c.runtime,
          handler: c.handler,
          role: c.role,
          description: c.description ?? "",
          timeout: c.timeout ?? 3,
          memorySize: c.memorySize ?? 128,
          environment: c.environment ?? {},
          codeSha256: "",
          codeSize: 0,
          revisionId: deps.newId(),
          revision: 1,
          lastModified: deps.clock.now(),
        },
        zip.value,
      );
      const usable = await checked(record, zip.value, scope);
      if (!usable.ok) return usable;
      const created = await deps.functions.create(record, zip.value);
      if (!created.ok) return err(failure("ResourceConflictException", `Function already exist: ${name}`));
      return ok(record);
    },

    get: (scope: Scope, reference: string, qualifier?: string) => current(scope, reference, qualifier),

    async code(scope: Scope, name: string): Promise<Uint8Array | undefined> {
      return deps.functions.getCode(scope, name);
    },

    async list(scope: Scope, marker: string | undefined, maxItems: number) {
      return deps.functions.list(scope, { ...(marker ? { after: marker } : {}), limit: maxItems });
    },

    async updateCode(
      scope: Scope,
      reference: string,
      body: Raw,
    ): Promise<Result<FunctionRecord, LambdaFailure>> {
      const found = await current(scope, reference);
      if (!found.ok) return found;
      const stale = revisionMatches(found.value, body);
      if (stale) return err(stale);
      const parsedCode = parseCode(body);
      if (!parsedCode.ok) return parsedCode;
      const zip = await codeFrom(scope, parsedCode.value);
      if (!zip.ok) return zip;
      const record = withCode(
        {
          ...found.value,
          revision: found.value.revision + 1,
          revisionId: deps.newId(),
          lastModified: deps.clock.now(),
        },
        zip.value,
      );
      const usable = await checked(record, zip.value, scope);
      if (!usable.ok) return usable;
      if (body.DryRun === true) return ok(record);
      return write(record, zip.value);
    },

    async updateConfiguration(
      scope: Scope,
      reference: string,
      body: Raw,
    ): Promise<Result<FunctionRecord, LambdaFailure>> {
      const found = await current(scope, reference);
      if (!found.ok) return found;
      const stale = revisionMatches(found.value, body);
      if (stale) return err(stale);
      const config = parseConfiguration(body);
      if (!config.ok) return config;
      const c = config.value;
      const record: FunctionRecord = {
        ...found.value,
        ...(c.runtime === undefined ? {} : { runtime: c.runtime }),
        ...(c.handler === undefined ? {} : { handler: c.handler }),
        ...(c.role === undefined ? {} : { role: c.role }),
        ...(c.description === undefined ? {} : { description: c.description }),
        ...(c.timeout === undefined ? {} : { timeout: c.timeout }),
        ...(c.memorySize === undefined ? {} : { memorySize: c.memorySize }),
        ...(c.environment === undefined ? {} : { environment: c.environment }),
        revision: found.value.revision + 1,
        revisionId: deps.newId(),
        lastModified: deps.clock.now(),
      };
      if (c.runtime !== undefined || c.handler !== undefined) {
        const usable = await checked(record, undefined, scope);
        if (!usable.ok) return usable;
      }
      return write(record);
    },

    async remove(scope: Scope, reference: string, qualifier?: string): Promise<Result<void, LambdaFailure>> {
      const name = resolveFunctionName(scope, reference, qualifier);
      if (!name.ok) return name;
      if (!(await deps.functions.remove(scope, name.value))) return err(notFound(scope, name.value));
      return ok(undefined);
    },

    /**
     * Invoke. RequestResponse runs the function and answers its result; Event answers at once
     * and runs it in the background; DryRun only checks that it could run.
     */
    async invoke(
      scope: Scope,
      reference: string,
      request: {
        invocationType: InvocationType;
        payload: Uint8Array;
        qualifier?: string;
        requestId: string;
        signal?: AbortSignal;
      },
    ): Promise<Result<{ record: FunctionRecord; result?: InvocationResult }, LambdaFailure>> {
      const found = await current(scope, reference, request.qualifier);
      if (!found.ok) return found;
      const limit = request.invocationType === "Event" ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
      if (request.payload.length > limit)
        return err(
          failure(
            "RequestTooLargeException",
            `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
          ),
        );
      const text = new TextDecoder().decode(request.payload);
      if (text.trim() !== "") {
        try {
          JSON.parse(text);
        } catch (error) {
          return err(
            failure(
              "InvalidRequestContentException",
              `Could not parse request body into json: ${(error as Error).message}`,
            ),
          );
        }
      }
      const payload = text.trim() === "" ? new TextEncoder().encode("{}") : request.payload;
      const record = found.value;
      if (request.invocationType === "DryRun") return ok({ record });
      const run = () =>
        deps.executor.run({
          scope,
          fn: record,
          functionArn: functionArn(scope, record.functionName),
          code: async () => (await deps.functions.getCode(scope, record.functionName)) ?? new Uint8Array(),
          payload,
          requestId: request.requestId,
          ...(request.signal ? { signal: request.signal } : {}),
        });
      if (request.invocationType === "Event") {
        const running = run()
          .then((result) => {
            if (result.functionError)
              deps.logger.info("event invocation failed", {
                function: record.functionName,
                requestId: request.requestId,
                error: result.error?.errorMessage ?? "",
              });
          })
          .catch((error: unknown) =>
            deps.logger.error("event invocation could not run", {
              function: record.functionName,
              error: String(error),
            }),
          )
          .finally(() => background.delete(running));
        background.add(running);
        return ok({ record });
      }
      return ok({ record, result: await run() });
    },

    /** Resolves when every Event invocation started so far has ended (tests, shutdown). */
    async drain(): Promise<void> {
      while (background.size > 0) await Promise.all([...background]);
    },

    /** Drains, then ends the processes the executor keeps (a stopping server). */
    async shutdown(): Promise<void> {
      while (background.size > 0) await Promise.all([...background]);
      deps.executor.shutdown?.();
    },
  };
}

export type FunctionService = ReturnType<typeof createFunctionService>;
