import type { Logger } from "../../lib/logger.js";
import { MAX_CODE_REQUEST_BYTES } from "../../runtime/functions/function-input.js";
import type { FunctionService, InvocationType } from "../../runtime/functions/function-service.js";
import { failure, LambdaExceptions, type LambdaFailure } from "../../runtime/functions/lambda-failure.js";
import type { Scope } from "../../store/types.js";
import type { Authenticator, RouteFrontEnd } from "../app.js";
import { isClientAbort } from "../client-abort.js";
import { ApiError } from "../errors.js";
import { readBody } from "../json-protocol.js";
import { renderConfiguration, renderFunction } from "./render.js";

export interface LambdaFrontEndDeps {
  readonly functions: FunctionService;
  readonly authenticator: Authenticator;
  readonly defaultScope: Scope;
  readonly now: () => number;
  readonly newRequestId: () => string;
  readonly logger: Logger;
}

const PREFIX = "/2015-03-31/functions";
const INVOCATION_TYPES = ["RequestResponse", "Event", "DryRun"];
/** The end of the log Invoke's LogType Tail returns (Lambda: the last 4 KB). */
const TAIL_BYTES = 4096;

class LambdaError extends Error {
  constructor(readonly failure: LambdaFailure) {
    super(failure.message);
  }
}
const fail = (f: LambdaFailure): never => {
  throw new LambdaError(f);
};
const unwrap = <T>(result: { ok: true; value: T } | { ok: false; error: LambdaFailure }): T =>
  result.ok ? result.value : fail(result.error);

/**
 * AWS Lambda's REST-JSON API (botocore's `lambda` 2015-03-31 model) over runtime/functions:
 * CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, UpdateFunctionCode,
 * UpdateFunctionConfiguration, DeleteFunction and Invoke, under `/2015-03-31/functions`.
 * Errors are Lambda's: `x-amzn-ErrorType` and `{"Type": "User", "message": ...}` with Lambda's
 * status codes. Every other Lambda operation answers UnsupportedOperationException naming it.
 */
export function createLambdaFrontEnd(deps: LambdaFrontEndDeps): RouteFrontEnd {
  return {
    name: "lambda",
    signingName: "lambda",
    pathPrefix: PREFIX,
    async handle(request, url) {
      const requestId = deps.newRequestId();
      try {
        return await route(request, url, requestId);
      } catch (error) {
        if (error instanceof LambdaError) return errorResponse(requestId, error.failure);
        if (error instanceof ApiError)
          return errorResponse(
            requestId,
            { type: error.type as LambdaFailure["type"], message: error.message },
            error.status,
          );
        if (isClientAbort(error))
          return errorResponse(
            requestId,
            failure("InvalidRequestContentException", "The request body ended before its declared length"),
          );
        deps.logger.error("lambda request failed", {
          requestId,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
        return errorResponse(
          requestId,
          failure(
            "ServiceException",
            `Pipewright failed to handle this request (request id ${requestId}); the cause is in the server log`,
          ),
        );
      }
    },
  };

  async function route(request: Request, url: URL, requestId: string): Promise<Response> {
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : undefined;
    const parts =
      path === undefined
        ? undefined
        : path
            .split("/")
            .filter((p) => p !== "")
            .map(decodePart);
    const method = request.method;
    // The code download link GetFunction hands out: its CodeSha256 is the capability (as S3's
    // presigned URL is in AWS), so plain HTTP clients (curl) can fetch it.
    if (parts?.length === 2 && parts[1] === "code" && method === "GET") return download(parts[0]!, url);
    const body = await readBody(request, MAX_CODE_REQUEST_BYTES).catch(async (error: unknown) => {
      if (!(error instanceof ApiError && error.type === "RequestEntityTooLargeException")) throw error;
      // Read the rest before answering: a client still sending (the CLI) sees a closed
      // connection instead of the answer otherwise.
      await discard(request);
      return fail(
        failure(
          "RequestEntityTooLargeException",
          `Request must be smaller than ${MAX_CODE_REQUEST_BYTES} bytes for the ${operationName(method, parts)} operation`,
        ),
      );
    });
    const auth = deps.authenticator.authenticate(request, url, body, deps.now());
    if (!auth.ok) throw auth.error;
    const scope: Scope = {
      accountId: deps.defaultScope.accountId,
      region: auth.region ?? deps.defaultScope.region,
    };
    const json = () => parseJson(body);
    const qualifier = url.searchParams.get("Qualifier") ?? undefined;
    const f = deps.functions;

    if (parts?.length === 0 && method === "POST") {
      const record = unwrap(await f.create(scope, json()));
      return respond(requestId, 201, renderConfiguration(record));
    }
    if (parts?.length === 0 && method === "GET") {
      const maxItems = url.searchParams.get("MaxItems");
      const limit = maxItems === null ? 50 : Number(maxItems);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10000)
        fail(
          failure(
            "ValidationException",
            `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`,
          ),
        );
      const marker = url.searchParams.get("Marker") ?? undefined;
      const page = await f.list(scope, marker === undefined ? undefined : decodeMarker(marker), limit);
      return respond(requestId, 200, {
        Functions: page.items.map(renderConfiguration),
        ...(page.nextAfter === undefined
          ? {}
          : { NextMarker: Buffer.from(page.nextAfter).toString("base64url") }),
      });
    }
    const [name, sub, ...rest] = parts ?? [];
    if (name !== undefined && rest.length === 0) {
      if (sub === undefined && method === "GET")
        return respond(
          requestId,
          200,
          renderFunction(unwrap(await f.get(scope, name, qualifier)), url.origin),
        );
      if (sub === undefined && method === "DELETE") {
        unwrap(await f.remove(scope, name, qualifier));
        return new Response(null, { status: 204, headers: { "x-amzn-requestid": requestId } });
      }
      if (sub === "configuration" && method === "GET")
        return respond(requestId, 200, renderConfiguration(unwrap(await f.get(scope, name, qualifier))));
      if (sub === "configuration" && method === "PUT")
        return respond(
          requestId,
          200,
          renderConfiguration(unwrap(await f.updateConfiguration(scope, name, json()))),
        );
      if (sub === "code" && method === "PUT")
        return respond(requestId, 200, renderConfiguration(unwrap(await f.updateCode(scope, name, json()))));
      if (sub === "invocations" && method === "POST")
        return invoke(request, scope, name, body, qualifier, requestId);
    }
    return fail(
      failure(
        "UnsupportedOperationException",
        `Pipewright does not implement AWS Lambda (${operationName(method, parts)} ${url.pathname}) yet; it serves CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction and Invoke; see docs/lambda.md`,
      ),
    );
  }

  async function invoke(
    request: Request,
    scope: Scope,
    name: string,
    body: Uint8Array,
    qualifier: string | undefined,
    requestId: string,
  ): Promise<Response> {
    const type = request.headers.get("x-amz-invocation-type") ?? "RequestResponse";
    if (!INVOCATION_TYPES.includes(type))
      fail(
        failure(
          "ValidationException",
          `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
        ),
      );
    const logType = request.headers.get("x-amz-log-type") ?? "None";
    if (logType !== "None" && logType !== "Tail")
      fail(
        failure(
          "ValidationException",
          `1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`,
        ),
      );
    const invoked = unwrap(
      await deps.functions.invoke(scope, name, {
        invocationType: type as InvocationType,
        payload: body,
        requestId,
        ...(qualifier === undefined ? {} : { qualifier }),
      }),
    );
    const headers: Record<string, string> = {
      "x-amzn-requestid": requestId,
      "x-amz-executed-version": "$LATEST",
    };
    if (type === "DryRun") return new Response(null, { status: 204, headers });
    if (type === "Event")
      return new Response(null, { status: 202, headers: { "x-amzn-requestid": requestId } });
    const result = invoked.result!;
    if (result.functionError) headers["x-amz-function-error"] = result.functionError;
    if (logType === "Tail") {
      const log = Buffer.from(result.log, "utf8");
      headers["x-amz-log-result"] = log.subarray(Math.max(0, log.length - TAIL_BYTES)).toString("base64");
    }
    headers["content-type"] = "application/json";
    return new Response(result.payload, { status: 200, headers });
  }

  async function download(name: string, url: URL): Promise<Response> {
    const region = url.searchParams.get("Region") ?? deps.defaultScope.region;
    const scope = { accountId: deps.defaultScope.accountId, region };
    const found = await deps.functions.get(scope, name);
    const sha = url.searchParams.get("CodeSha256") ?? "";
    if (!found.ok || Buffer.from(found.value.codeSha256, "base64").toString("hex") !== sha)
      return new Response(
        "The code link is not valid (the function changed or does not exist); call GetFunction again",
        { status: 403 },
      );
    const code = await deps.functions.code(scope, found.value.functionName);
    return new Response(code ?? new Uint8Array(), { headers: { "content-type": "application/zip" } });
  }
}

function operationName(method: string, parts: string[] | undefined): string {
  const sub = parts?.[1];
  if (parts?.length === 0) return method === "POST" ? "CreateFunction" : "ListFunctions";
  if (sub === "code") return "UpdateFunctionCode";
  if (sub === "invocations") return "Invoke";
  if (sub === "configuration")
    return method === "PUT" ? "UpdateFunctionConfiguration" : "GetFunctionConfiguration";
  return sub === undefined ? (method === "DELETE" ? "DeleteFunction" : "GetFunction") : `${method} ${sub}`;
}

/** Reads and drops what is left of a body, up to 256 MB (beyond that the connection may close). */
async function discard(request: Request): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  let seen = 0;
  try {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      seen += chunk.byteLength;
      if (seen > 256 * 1024 * 1024) return;
    }
  } catch {
    // The client went away: nobody reads the answer anyway.
  }
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return fail(
      failure(
        "ValidationException",
        `The path segment '${part}' holds a malformed percent-escape; encode '%' as '%25'`,
      ),
    );
  }
}

function decodeMarker(marker: string): string {
  return Buffer.from(marker, "base64url").toString("utf8");
}

function parseJson(body: Uint8Array): Record<string, unknown> {
  const text = new TextDecoder().decode(body).trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(
      failure(
        "InvalidRequestContentException",
        `Could not parse request body into json: ${(error as Error).message}`,
      ),
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return fail(failure("InvalidRequestContentException", "The request body must be a JSON object"));
  return parsed as Record<string, unknown>;
}

function respond(requestId: string, status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-amzn-requestid": requestId },
  });
}

function errorResponse(requestId: string, f: LambdaFailure, status?: number): Response {
  const code = status ?? (LambdaExceptions as Record<string, number>)[f.type] ?? 400;
  return new Response(
    JSON.stringify({ Type: code >= 500 ? "Service" : "User", message: f.message, Message: f.message }),
    {
      status: code,
      headers: {
        "content-type": "application/json",
        "x-amzn-requestid": requestId,
        "x-amzn-errortype": f.type,
      },
    },
  );
}
