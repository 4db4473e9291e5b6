import { problem } from "../../registry/errors.js";
import type { RouteFrontEnd } from "../app.js";
import { isClientAbort } from "../client-abort.js";
import { drainBody } from "../s3/request-body.js";
import { RAW_TARGET_HEADER } from "../s3/request-target.js";
import {
  appendChunk,
  cancelUpload,
  completeUpload,
  deleteBlob,
  getBlob,
  type RegistryCall,
  startUpload,
  uploadStatus,
} from "./blob-handlers.js";
import type { RegistryDeps } from "./deps.js";
import { deleteManifest, getManifest, listCatalog, listTags, putManifest } from "./manifest-handlers.js";
import { authorizeRegistry } from "./registry-auth.js";
import { parseRegistryPath, REGISTRY_PATH_PREFIX, type RegistryRoute } from "./registry-target.js";
import { jsonAnswer, problemResponse, RegistryError } from "./responses.js";

/**
 * The OCI distribution API (what `docker push` and `docker pull` speak) under /v2/ on the
 * server's port, over the RegistryStore. Each request is, in order:
 *  1. read from the raw request target (registry-target.ts): an invalid name, tag, digest or
 *     upload id is answered with its OCI error before anything is looked up;
 *  2. authorized (registry-auth.ts): Basic with an ECR authorization token when credentials are
 *     configured, anyone on a loopback server without them;
 *  3. served in the default account and region by the blob and manifest handlers, bodies
 *     streaming both ways and blobs checked against their digest as they arrive.
 * Errors are OCI error documents; anything unexpected is logged with a request id and answered
 * as UNKNOWN, never with a stack. docs/registry.md has the design.
 */
export function createRegistryFrontEnd(deps: RegistryDeps): RouteFrontEnd {
  return {
    name: "registry",
    pathPrefix: REGISTRY_PATH_PREFIX,
    async handle(request: Request, url: URL): Promise<Response> {
      let response: Response;
      try {
        response = await serve(request, url);
      } catch (error) {
        if (error instanceof RegistryError) response = problemResponse(error.problem);
        else if (isClientAbort(error)) {
          response = problemResponse(
            problem("BLOB_UPLOAD_INVALID", "The request body ended before its declared length"),
          );
        } else {
          const requestId = deps.newRequestId();
          deps.logger.error("registry request failed", {
            requestId,
            method: request.method,
            path: url.pathname,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          });
          response = problemResponse(
            problem(
              "UNKNOWN",
              `Pipewright failed to handle this request (request id ${requestId}); the cause is in the server log`,
            ),
          );
        }
      }
      // Whatever a handler left of the body is read and dropped, so the connection stays usable.
      if (response.status >= 400) void drainBody(request);
      return response;
    },
  };

  async function serve(request: Request, url: URL): Promise<Response> {
    const raw = request.headers.get(RAW_TARGET_HEADER) ?? `${url.pathname}${url.search}`;
    const question = raw.indexOf("?");
    const path = (question < 0 ? raw : raw.slice(0, question)).replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/iu, "");
    const auth = authorizeRegistry(request, url, deps);
    if (!auth.ok) return auth.response;
    const parsed = parseRegistryPath(path);
    if (!parsed.ok) return problemResponse(parsed.problem);
    const call: RegistryCall = {
      deps,
      request,
      scope: deps.defaultScope,
      query: new URLSearchParams(question < 0 ? "" : raw.slice(question + 1)),
    };
    return route(call, parsed.route, request.method);
  }
}

function route(call: RegistryCall, r: RegistryRoute, method: string): Promise<Response> | Response {
  const is = (...methods: string[]) => methods.includes(method);
  switch (r.kind) {
    case "base":
      if (is("GET", "HEAD")) return jsonAnswer({});
      break;
    case "catalog":
      if (is("GET")) return listCatalog(call);
      break;
    case "tags":
      if (is("GET")) return listTags(call, r.name);
      break;
    case "blob":
      if (is("GET", "HEAD")) return getBlob(call, r.name, r.digest);
      if (is("DELETE")) return deleteBlob(call, r.name, r.digest);
      break;
    case "uploads":
      if (is("POST")) return startUpload(call, r.name);
      break;
    case "upload":
      if (is("GET")) return uploadStatus(call, r.name, r.uploadId);
      if (is("PATCH")) return appendChunk(call, r.name, r.uploadId);
      if (is("PUT")) return completeUpload(call, r.name, r.uploadId);
      if (is("DELETE")) return cancelUpload(call, r.name, r.uploadId);
      break;
    case "manifest":
      if (is("GET", "HEAD")) return getManifest(call, r.name, r.reference);
      if (is("PUT")) return putManifest(call, r.name, r.reference);
      if (is("DELETE")) return deleteManifest(call, r.name, r.reference);
      break;
  }
  return problemResponse(problem("UNSUPPORTED", `the registry does not take ${method} here`), {
    allow: allowed(r).join(", "),
  });
}

function allowed(r: RegistryRoute): string[] {
  switch (r.kind) {
    case "base":
      return ["GET", "HEAD"];
    case "catalog":
    case "tags":
      return ["GET"];
    case "blob":
      return ["GET", "HEAD", "DELETE"];
    case "uploads":
      return ["POST"];
    case "upload":
      return ["GET", "PATCH", "PUT", "DELETE"];
    case "manifest":
      return ["GET", "HEAD", "PUT", "DELETE"];
  }
}
