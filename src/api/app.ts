import type { Logger } from "../lib/logger.js";
import { readShape } from "../lib/shape.js";
import type { Scope } from "../store/types.js";
import { isClientAbort } from "./client-abort.js";
import { ApiError, apiError } from "./errors.js";
import { errorResponse, jsonResponse, parseJsonBody, readBody, shapeError } from "./json-protocol.js";
import type { JsonService, Operation } from "./operation.js";
import type { RequestContext } from "./request-context.js";
import { serviceByTargetPrefix } from "./unsupported/aws-services.js";
import { unsupportedService } from "./unsupported/unsupported-service.js";

/**
 * Decides who sent a request. `ok: false` answers with AWS's auth error. When no keys are
 * configured the authenticator still reads the region out of the credential scope.
 */
export interface Authenticator {
  authenticate(
    request: Request,
    url: URL,
    body: Uint8Array,
    nowMs: number,
  ): { ok: true; principal: string; region?: string; service?: string } | { ok: false; error: ApiError };
}

/**
 * A front end that is not AWS JSON 1.1 (S3 path-style, git smart HTTP, the console): chosen by
 * path prefix, or by the service name in the request's SigV4 credential scope. It answers the
 * whole request itself, authentication included.
 */
export interface RouteFrontEnd {
  readonly name: string;
  readonly pathPrefix?: string;
  readonly signingName?: string;
  handle(request: Request, url: URL): Promise<Response>;
}

export interface AppOptions {
  readonly jsonServices: readonly JsonService[];
  readonly frontEnds?: readonly RouteFrontEnd[];
  readonly authenticator: Authenticator;
  /** Account id and the region used when a request names none. */
  readonly defaultScope: Scope;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  readonly now: () => number;
  readonly newRequestId: () => string;
  readonly version: string;
  /** The web console's answer to a browser's unsigned `GET /` (undefined: not a page request). */
  readonly home?: (request: Request, url: URL) => Response | undefined;
}

export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * The whole API as one fetch-style handler; it never listens (main/ binds it to a port).
 * Routing, as LocalStack does on its single port: `X-Amz-Target` picks a JSON 1.1 service;
 * later front ends (S3, git, console) route by path and by the SigV4 credential scope.
 */
export function createApp(options: AppOptions): FetchHandler {
  // Keyed by the prefix's last part: clients differ on the namespace (botocore sends
  // `com.amazonaws.codestar.connections.CodeStar_connections_20191201`, SDK v3 the last part).
  const services = new Map(options.jsonServices.map((s) => [lastPart(s.targetPrefix), indexService(s)]));

  return async function handle(request: Request): Promise<Response> {
    const requestId = options.newRequestId();
    try {
      const url = new URL(request.url);
      const target = request.headers.get("x-amz-target");
      const signedFor = signingServiceOf(request, url);
      if (target !== null) {
        // A JSON target of a service served by a front end (STS answers JSON and XML) goes there.
        const frontEnd = services.has(lastPart(targetPrefixOf(target)))
          ? undefined
          : (options.frontEnds ?? []).find((f) => f.signingName !== undefined && f.signingName === signedFor);
        if (frontEnd) return await frontEnd.handle(request, url);
        return await dispatchJson(request, url, target, requestId);
      }
      const frontEnd = findFrontEnd(options.frontEnds ?? [], signedFor, url);
      if (frontEnd) return await frontEnd.handle(request, url);
      const page = signedFor === undefined ? options.home?.(request, url) : undefined;
      if (page) return page;
      if (request.method === "GET" && url.pathname === "/_pipewright/health") {
        return jsonResponse(requestId, { status: "ok", version: options.version });
      }
      // Signed for an AWS service nothing here serves: say so in that service's protocol.
      if (signedFor !== undefined)
        return await unsupportedService(request, url, { signingName: signedFor }, requestId);
      throw apiError(
        "UnknownOperationException",
        `No Pipewright service answers ${request.method} ${url.pathname}; AWS JSON requests need an X-Amz-Target header, and other AWS APIs a SigV4 signature naming their service`,
      );
    } catch (error) {
      return errorResponse(requestId, toApiError(error, requestId, options.logger));
    }
  };

  async function dispatchJson(
    request: Request,
    url: URL,
    target: string,
    requestId: string,
  ): Promise<Response> {
    // The operation follows the last dot: CodePipeline's prefix is `CodePipeline_20150709`, but
    // newer services carry a namespace (`com.amazonaws.codeconnections.CodeConnections_20231201`).
    const dot = target.lastIndexOf(".");
    const prefix = targetPrefixOf(target);
    const opName = dot < 0 ? "" : target.slice(dot + 1);
    const service = services.get(lastPart(prefix));
    if (!service) {
      const aws = serviceByTargetPrefix(prefix);
      if (aws) {
        throw apiError(
          "UnsupportedOperationException",
          `Pipewright does not implement ${aws.title} (${opName || prefix}) yet; see docs/compatibility.md for what Pipewright supports`,
        );
      }
      throw apiError("UnknownOperationException", `Unknown X-Amz-Target service prefix '${prefix}'`);
    }
    if (request.method !== "POST") {
      throw apiError("UnknownOperationException", `AWS JSON operations use POST, not ${request.method}`);
    }
    const body = await readBody(request, options.maxBodyBytes);
    const now = options.now();
    const auth = options.authenticator.authenticate(request, url, body, now);
    if (!auth.ok) throw auth.error;
    if (auth.service !== undefined && auth.service !== service.signingName) {
      // A signature made for another service's scope is no signature for this one (AWS refuses it).
      throw apiError(
        "InvalidSignatureException",
        `Credential should be scoped to correct service: '${service.signingName}'. `,
      );
    }

    const operation = service.operations.get(opName);
    if (!operation) {
      if (service.notImplemented.has(opName)) {
        throw apiError(
          "UnsupportedOperationException",
          `Pipewright does not implement ${prefix}.${opName} yet; see docs/compatibility.md for what is supported`,
        );
      }
      throw apiError("UnknownOperationException", `Unknown operation ${prefix}.${opName}`);
    }
    const json = parseJsonBody(body);
    const read = readShape(operation.input, json);
    const typeProblem = read.problems.some((p) => p.kind === "type");
    const problem =
      service.constraintError && !typeProblem
        ? service.constraintError(read.problems)
        : shapeError(read.problems);
    if (problem) throw problem;
    const context: RequestContext = {
      requestId,
      scope: {
        accountId: options.defaultScope.accountId,
        region: auth.region ?? options.defaultScope.region,
      },
      principal: auth.principal,
      now,
      origin: url.origin,
    };
    const output = await operation.handle(read.value, context);
    return jsonResponse(requestId, output, 200, service.jsonVersion);
  }
}

/**
 * A request SigV4-signed for a front end's service goes there (so a signed S3 request to
 * `/v2/...` stays S3's, docs/registry.md); otherwise the path prefix decides (most specific wins).
 */
/** The service a request's SigV4 signature (header or presigned query) is scoped to, if any. */
function signingServiceOf(request: Request, url: URL): string | undefined {
  const authorization =
    request.headers.get("authorization") ?? url.searchParams.get("X-Amz-Credential") ?? "";
  return (
    /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/u.exec(authorization)?.[1] ??
    /^[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request$/u.exec(authorization)?.[1]
  );
}

/**
 * The front end a request goes to: the one its signature is scoped to (a SigV4-signed S3
 * request to `/v2/x` is S3's, not the registry's), else the most specific path prefix.
 */
function findFrontEnd(
  frontEnds: readonly RouteFrontEnd[],
  signedFor: string | undefined,
  url: URL,
): RouteFrontEnd | undefined {
  const bySignature =
    signedFor === undefined ? undefined : frontEnds.find((f) => f.signingName === signedFor);
  if (bySignature) return bySignature;
  return frontEnds
    .filter((f) => f.pathPrefix !== undefined && url.pathname.startsWith(f.pathPrefix))
    .sort((a, b) => (b.pathPrefix?.length ?? 0) - (a.pathPrefix?.length ?? 0))[0];
}

function targetPrefixOf(target: string): string {
  const dot = target.lastIndexOf(".");
  return dot < 0 ? target : target.slice(0, dot);
}

function lastPart(prefix: string): string {
  return prefix.slice(prefix.lastIndexOf(".") + 1);
}

interface IndexedService {
  signingName: string;
  operations: Map<string, Operation>;
  constraintError: JsonService["constraintError"];
  notImplemented: Set<string>;
  jsonVersion: "1.0" | "1.1";
}

function indexService(service: JsonService): IndexedService {
  return {
    signingName: service.signingName,
    operations: new Map(service.operations.map((op) => [op.name, op])),
    notImplemented: new Set(service.notImplemented),
    constraintError: service.constraintError,
    jsonVersion: service.jsonVersion ?? "1.1",
  };
}

function toApiError(error: unknown, requestId: string, logger: Logger): ApiError {
  if (error instanceof ApiError) return error;
  if (isClientAbort(error)) {
    // The client closed the connection before its body ended: its problem, not the server's.
    return apiError("SerializationException", "The request body ended before its declared length");
  }
  logger.error("request failed", {
    requestId,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  return apiError(
    "InternalFailure",
    `Pipewright failed to handle this request (request id ${requestId}); the cause is in the server log`,
  );
}
