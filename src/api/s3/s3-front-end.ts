import type { RouteFrontEnd } from "../app.js";
import { PayloadError } from "../auth/payload-error.js";
import { isClientAbort } from "../client-abort.js";
import type { S3Deps } from "./deps.js";
import type { S3Call, S3Operation } from "./operation.js";
import { drainBody, objectBody } from "./request-body.js";
import { parseRequestTarget, RAW_TARGET_HEADER, type RequestTarget } from "./request-target.js";
import { errorResponse } from "./responses.js";
import { routeS3 } from "./route.js";
import { authenticateS3, type S3Principal } from "./s3-auth.js";
import { S3Error, s3Error } from "./s3-errors.js";

/**
 * S3's REST protocol, path-style (`http://host:port/<bucket>/<key>`), over an ObjectStore. The
 * app routes here by the SigV4 credential scope's service name ("s3"), from the Authorization
 * header or a presigned URL. This front end reads the raw request itself: bodies stream into
 * the store (the JSON API's body limit does not apply) and are checked as they stream, so a
 * body that fails a check is never stored. Every error is S3's XML error document; anything
 * unexpected is logged with the request id and answered as InternalError, never with a stack.
 * docs/s3.md lists what is supported and how it differs from S3.
 */
export function createS3FrontEnd(deps: S3Deps): RouteFrontEnd {
  return {
    name: "s3",
    signingName: "s3",
    async handle(request: Request, url: URL): Promise<Response> {
      const requestId = deps.newRequestId();
      let resource = url.pathname;
      let operation = "S3";
      let response: Response;
      try {
        const target = targetOf(request, url);
        resource =
          target.bucket === "" ? "/" : `/${target.bucket}${target.key === undefined ? "" : `/${target.key}`}`;
        const route = routeS3(request.method, target, request.headers);
        operation = route.name;
        const now = deps.now();
        const principal = await authenticateS3({
          method: request.method,
          headers: request.headers,
          target,
          nowMs: now,
          requireSignature: deps.requireSignature,
          resolveCredentials: deps.resolveCredentials,
        });
        checkAccess(principal, route, target);
        const call: S3Call = {
          deps,
          request,
          target,
          principal,
          scope: {
            accountId: deps.defaultScope.accountId,
            region: principal.region ?? deps.defaultScope.region,
          },
          now,
          requestId,
          body: () => objectBody(request, principal.payload),
        };
        response = await route.handle(call);
      } catch (error) {
        response = errorResponse(
          toS3Error(error, requestId, operation, deps),
          resource,
          requestId,
          request.method,
        );
      }
      // Whatever the handler left of the body is read and dropped, so the connection stays usable.
      void drainBody(request);
      response.headers.set("x-amz-request-id", requestId);
      response.headers.set("x-amz-id-2", Buffer.from(requestId).toString("base64"));
      return response;
    },
  };
}

function targetOf(request: Request, url: URL): RequestTarget {
  try {
    return parseRequestTarget(request.headers.get(RAW_TARGET_HEADER), url);
  } catch (error) {
    if (error instanceof URIError) throw s3Error("InvalidURI");
    throw error;
  }
}

/** Temporary per-job keys reach only their buckets, and never change a bucket itself. */
function checkAccess(principal: S3Principal, route: S3Operation, target: RequestTarget): void {
  const allowed = principal.buckets;
  if (allowed === undefined) return;
  if (route.changesBucket || (target.bucket !== "" && !allowed.includes(target.bucket))) {
    throw s3Error(
      "AccessDenied",
      `Access Denied: these credentials may not call ${route.name} on this bucket.`,
    );
  }
}

function toS3Error(error: unknown, requestId: string, operation: string, deps: S3Deps): S3Error {
  if (error instanceof S3Error) return error;
  if (error instanceof PayloadError) return s3Error(error.code, error.message);
  if (error instanceof URIError) return s3Error("InvalidURI");
  if (isClientAbort(error))
    return s3Error(
      "IncompleteBody",
      "You did not provide the number of bytes specified by the Content-Length HTTP header.",
    );
  deps.logger.error("s3 request failed", {
    requestId,
    operation,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  return s3Error(
    "InternalError",
    `Pipewright failed to handle this request (request id ${requestId}); the cause is in the server log.`,
  );
}
