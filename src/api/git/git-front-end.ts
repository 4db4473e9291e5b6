import type { RouteFrontEnd } from "../app.js";
import { isClientAbort } from "../client-abort.js";
import { drainBody } from "../s3/request-body.js";
import { RAW_TARGET_HEADER } from "../s3/request-target.js";
import { authenticateBasic } from "./basic-auth.js";
import type { GitDeps, PushEvent } from "./deps.js";
import { GIT_PATH_PREFIX, type GitTarget, parseGitTarget } from "./git-target.js";

/**
 * git's smart HTTP protocol at `/v1/repos/<name>` (CodeCommit's path), served by the real
 * `git http-backend` through RepositoryStore.smartHttp. In order, each request is:
 *  1. read from the raw request target (git-target.ts): anything but the three smart HTTP paths
 *     of a valid name is 400/404 and never reaches git;
 *  2. authenticated with HTTP Basic when credentials are configured (401 with a Basic challenge,
 *     so git asks its credential helper, or fails cleanly);
 *  3. looked up in the default account and region (404 when the repository does not exist);
 *  4. streamed both ways: the request body into git, git's answer out.
 * After a push changed refs, `onPush` hears exactly which (deps.ts). Errors are short plain
 * text; anything unexpected is logged with the request id, never sent. docs/git.md has more.
 */
export function createGitFrontEnd(deps: GitDeps): RouteFrontEnd {
  return {
    name: "git",
    pathPrefix: GIT_PATH_PREFIX,
    async handle(request: Request, url: URL): Promise<Response> {
      const requestId = deps.newRequestId();
      try {
        const response = await serve(request, url);
        // A refused request's body is read and dropped, so the connection stays usable.
        if (response.status >= 400) void drainBody(request);
        return response;
      } catch (error) {
        if (isClientAbort(error)) return text(400, "The request body ended before its declared length\n");
        deps.logger.error("git request failed", {
          requestId,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
        void drainBody(request);
        return text(500, `Pipewright failed to serve this git request (request id ${requestId})\n`);
      }
    },
  };

  async function serve(request: Request, url: URL): Promise<Response> {
    const target = parseGitTarget(request.headers.get(RAW_TARGET_HEADER) ?? `${url.pathname}${url.search}`);
    if (!target.ok) return text(target.status, target.message);
    if (request.method !== target.method) {
      return text(405, `${target.pathInfo.slice(1)} takes ${target.method}\n`, { allow: target.method });
    }
    let pusher = "anonymous";
    if (deps.credentials.length > 0) {
      const principal = authenticateBasic(request.headers.get("authorization"), deps.credentials);
      if (principal === undefined) {
        return text(401, "authentication required: an access key id and its secret access key\n", {
          "www-authenticate": 'Basic realm="Pipewright", charset="UTF-8"',
        });
      }
      pusher = principal;
    }
    const scope = deps.defaultScope;
    const record = await deps.repositories.get(scope, target.repositoryName);
    if (!record) return text(404, `repository '${target.repositoryName}' does not exist\n`);

    const backend = await deps.repositories.smartHttp(record, {
      method: request.method,
      pathInfo: target.pathInfo,
      query: target.query,
      ...optionalHeader("contentType", request.headers.get("content-type")),
      ...optionalHeader("contentEncoding", request.headers.get("content-encoding")),
      ...optionalHeader("gitProtocol", request.headers.get("git-protocol")),
      ...(pusher === "anonymous" ? {} : { remoteUser: pusher }),
      ...(request.body ? { body: request.body as unknown as AsyncIterable<Uint8Array> } : {}),
    });
    const body = isPush(target) ? afterPush(backend.body, notify(backend.refUpdates)) : backend.body;
    return new Response(ReadableStream.from(body), { status: backend.status, headers: backend.headers });

    /** Runs onPush once git has updated the refs, whether or not the client stays to hear the end. */
    async function notify(refUpdates: Promise<PushEvent["updates"]>): Promise<void> {
      try {
        const updates = await refUpdates;
        if (updates.length === 0) return;
        const repository = (await deps.repositories.get(scope, record!.name)) ?? record!;
        await deps.onPush({ scope, repository, updates, pusher });
      } catch (error) {
        deps.logger.error("git push hook failed", {
          repository: record!.name,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
    }
  }
}

const isPush = (target: GitTarget) => target.pathInfo === "/git-receive-pack";

/**
 * git's answer to a push, streamed as it comes except its last four bytes, which are sent only
 * once the push hook has run. Every receive-pack answer ends with a flush packet (`0000`) that
 * the client waits for, so when `git push` returns, the pipelines the push triggers have started.
 * (Holding back the end of the stream is not enough: git exits on that packet without waiting
 * for the HTTP body to end.)
 */
async function* afterPush(body: AsyncIterable<Uint8Array>, hook: Promise<void>): AsyncGenerator<Uint8Array> {
  const HELD = 4;
  let tail = new Uint8Array(0);
  for await (const chunk of body) {
    const joined = new Uint8Array(tail.length + chunk.length);
    joined.set(tail);
    joined.set(chunk, tail.length);
    if (joined.length > HELD) yield joined.subarray(0, joined.length - HELD);
    tail = joined.slice(Math.max(0, joined.length - HELD));
  }
  await hook;
  if (tail.length > 0) yield tail;
}

function optionalHeader<K extends string>(key: K, value: string | null): { [P in K]?: string } {
  return (value === null || value === "" ? {} : { [key]: value }) as { [P in K]?: string };
}

function text(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache", ...headers },
  });
}
