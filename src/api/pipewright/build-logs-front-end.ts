import type { BuildLogLine, Scope } from "../../store/types.js";
import type { RouteFrontEnd } from "../app.js";
import { authenticateBasic, type GitCredential } from "../git/basic-auth.js";

export interface BuildLogsDeps {
  /** Keys allowed to read logs (HTTP Basic: access key id and secret); none means anyone. */
  readonly credentials: readonly GitCredential[];
  /** Also allowed without HTTP Basic: a request the web console's session authorises. */
  readonly authorizes?: (request: Request) => boolean;
  readonly defaultScope: Scope;
  readonly buildExists: (scope: Scope, id: string) => Promise<boolean>;
  readonly read: (scope: Scope, id: string, afterSeq: number, limit: number) => Promise<BuildLogLine[]>;
  /** Live lines of a running build; undefined when its log is complete. */
  readonly subscribe: (
    id: string,
    listener: (line: BuildLogLine | "end") => void,
  ) => (() => void) | undefined;
}

const PAGE = 5000;

/**
 * `GET /_pipewright/builds/<build id>/log`: a build's log as text/plain, one line per line.
 * `?follow=true` keeps the response open while the build runs and streams new lines as they
 * are written (the console and `curl -N` use it); `?after=N` skips the first N lines. The
 * build's `logs.deepLink` points here. With credentials configured, HTTP Basic with an access
 * key id and its secret is required, as for git.
 */
export function createBuildLogsFrontEnd(deps: BuildLogsDeps): RouteFrontEnd {
  return {
    name: "pipewright-build-logs",
    pathPrefix: "/_pipewright/builds/",
    async handle(request, url) {
      const match = /^\/_pipewright\/builds\/([^/]+)\/log$/.exec(url.pathname);
      if (!match?.[1])
        return text(404, `No such endpoint ${url.pathname}; use /_pipewright/builds/<build id>/log\n`);
      if (request.method !== "GET") return text(405, "Use GET\n");
      if (
        deps.credentials.length > 0 &&
        !deps.authorizes?.(request) &&
        !authenticateBasic(request.headers.get("authorization"), deps.credentials)
      ) {
        return new Response("Log access needs HTTP Basic credentials: an access key id and its secret\n", {
          status: 401,
          headers: {
            "content-type": "text/plain; charset=utf-8",
            "www-authenticate": 'Basic realm="Pipewright"',
          },
        });
      }
      const id = decodeURIComponent(match[1]);
      const scope = deps.defaultScope;
      if (!(await deps.buildExists(scope, id))) return text(404, `Build ${id} not found\n`);
      const after = Math.max(0, Number.parseInt(url.searchParams.get("after") ?? "0", 10) || 0);
      const follow = url.searchParams.get("follow") === "true" || url.searchParams.get("follow") === "1";
      return new Response(stream(deps, scope, id, after, follow), {
        status: 200,
        headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
      });
    },
  };
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * Stored lines first, then live ones. The subscription starts before the stored lines are
 * read, and lines are written in seq order exactly once, so nothing falls between the two.
 */
function stream(
  deps: BuildLogsDeps,
  scope: Scope,
  id: string,
  after: number,
  follow: boolean,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let unsubscribe: (() => void) | undefined;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let last = after;
      let ended = false;
      const live: BuildLogLine[] = [];
      let catchingUp = true;
      const emit = (line: BuildLogLine) => {
        if (line.seq <= last) return;
        last = line.seq;
        controller.enqueue(encoder.encode(`${line.text}\n`));
      };
      if (follow) {
        unsubscribe = deps.subscribe(id, (line) => {
          if (line === "end") {
            ended = true;
            if (!catchingUp) {
              unsubscribe?.();
              controller.close();
            }
            return;
          }
          if (catchingUp) live.push(line);
          else emit(line);
        });
      }
      for (;;) {
        const page = await deps.read(scope, id, last, PAGE);
        for (const line of page) emit(line);
        if (page.length < PAGE) break;
      }
      catchingUp = false;
      for (const line of live) emit(line);
      if (!unsubscribe || ended) {
        unsubscribe?.();
        // The build may have ended between the read and now: read what was stored meanwhile.
        if (follow) for (const line of await deps.read(scope, id, last, PAGE)) emit(line);
        controller.close();
      }
    },
    cancel() {
      unsubscribe?.();
    },
  });
}
