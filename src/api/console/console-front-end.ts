import { readFile } from "node:fs/promises";
import type { Scope } from "../../store/types.js";
import type { Authenticator, RouteFrontEnd } from "../app.js";
import { authenticateBasic } from "../git/basic-auth.js";
import { createActionLogs } from "./action-logs.js";
import { createConsoleAuthenticator } from "./console-authenticator.js";
import {
  createLoginLimiter,
  DEFAULT_LOGIN_LIMIT,
  type LoginLimitOptions,
  PEER_ADDRESS_HEADER,
} from "./login-limiter.js";
import { type OverviewDeps, readOverview } from "./overview.js";
import {
  type ConsoleSessions,
  cookieValue,
  createConsoleSessions,
  SESSION_COOKIE,
  SESSION_TTL_MS,
} from "./sessions.js";
import { CONSOLE_CSS, shellHtml } from "./shell.js";

export interface ConsoleDeps {
  /** Keys that may sign in (none: no login, which the server allows only on loopback). */
  readonly credentials: readonly { accessKeyId: string; secretAccessKey: string }[];
  readonly defaultScope: Scope;
  /** Every scope holding a pipeline (PipelineStore.scopes). */
  readonly scopes: () => Promise<Scope[]>;
  /** The reads behind `GET /_pipewright/console/overview` (stores.pipelines, stores.runs). */
  readonly overview: OverviewDeps;
  /** Failed logins allowed per client (default: 5 a minute, then 429 with Retry-After). */
  readonly loginLimit?: LoginLimitOptions;
  readonly now: () => number;
  readonly version: string;
  /** Where the compiled console scripts are (default: dist/console of this package). */
  readonly assetsDir?: URL;
}

export interface Console {
  /** `/console/...`: the page shell (every deep link) and its assets. */
  readonly pages: RouteFrontEnd;
  /** `/_pipewright/console/...`: session, login, logout and the region list. */
  readonly api: RouteFrontEnd;
  /** A browser's unsigned `GET /` (Accept: text/html) gets the console; anything else is not ours. */
  readonly home: (request: Request, url: URL) => Response | undefined;
  /** Wraps the JSON API's authenticator so the console's session cookie + CSRF header count. */
  readonly authenticator: (inner: Authenticator) => Authenticator;
  /** Whether a GET (the build log stream) comes from a signed-in console. */
  readonly authorizesRead: (request: Request) => boolean;
  /** A line a provider wrote for an action run (the runtime's logFor), kept for its details page. */
  readonly actionLog: (actionExecutionId: string, line: string) => void;
  /** A pipeline's run state changed (the runtime's commit hook): tells every open event stream. */
  readonly runChanged: (scope: Scope, pipelineName: string) => void;
}

/**
 * Security headers of every console response: scripts, styles and connections from this origin
 * only, never framed (clickjacking), no MIME sniffing, no referrer to elsewhere.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

const ASSET = /^\/console\/assets\/([a-z0-9-]+\.(?:js|css|js\.map))$/u;
const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  map: "application/json; charset=utf-8",
};

export function createConsole(deps: ConsoleDeps): Console {
  const sessions: ConsoleSessions = createConsoleSessions(deps.now);
  const loginRequired = deps.credentials.length > 0;
  const actionLogs = createActionLogs();
  const limiter = createLoginLimiter(deps.now, deps.loginLimit ?? DEFAULT_LOGIN_LIMIT);
  // src/api/console and dist/api/console are both three levels below the package root.
  const assetsDir = deps.assetsDir ?? new URL("../../../dist/console/", import.meta.url);

  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const encoder = new TextEncoder();

  const sessionOf = (request: Request) =>
    sessions.find(cookieValue(request.headers.get("cookie"), SESSION_COOKIE));

  const sessionBody = (request: Request) => {
    const session = sessionOf(request);
    return {
      loginRequired,
      signedIn: !loginRequired || session !== undefined,
      ...(session ? { principal: session.accessKeyId, csrfToken: session.csrfToken } : {}),
      defaultRegion: deps.defaultScope.region,
      version: deps.version,
    };
  };

  const shell = (request: Request, url: URL) => {
    const session = sessionBody(request);
    const html = shellHtml({
      version: deps.version,
      path: url.pathname,
      session,
      signedIn: session.signedIn,
    });
    return respond(200, html, "text/html; charset=utf-8");
  };

  const pages: RouteFrontEnd = {
    name: "pipewright-console",
    pathPrefix: "/console",
    async handle(request, url) {
      if (request.method !== "GET" && request.method !== "HEAD") return respond(405, "Use GET\n");
      if (url.pathname === "/console") return redirect("/console/");
      if (!url.pathname.startsWith("/console/")) return respond(404, `No console page ${url.pathname}\n`);
      const asset = ASSET.exec(url.pathname)?.[1];
      if (asset === "console.css") return respond(200, CONSOLE_CSS, TYPES.css!);
      if (asset !== undefined) {
        try {
          const body = await readFile(new URL(asset, assetsDir));
          return respond(200, body, TYPES[asset.slice(asset.lastIndexOf(".") + 1)]!);
        } catch {
          return respond(
            404,
            `Console asset ${asset} is missing; run \`npm run build\` (it compiles web/ into dist/console)\n`,
          );
        }
      }
      if (url.pathname.startsWith("/console/assets/"))
        return respond(404, `No console asset ${url.pathname}\n`);
      return shell(request, url);
    },
  };

  const api: RouteFrontEnd = {
    name: "pipewright-console-api",
    pathPrefix: "/_pipewright/console/",
    async handle(request, url) {
      const path = url.pathname.slice("/_pipewright/console/".length);
      if (path === "session" && request.method === "GET") return json(200, sessionBody(request));
      if ((path === "login" || path === "logout") && request.method === "POST") {
        // A form on another site can POST here; only this origin's own page may.
        const origin = request.headers.get("origin");
        if (origin !== url.origin)
          return json(403, {
            message: `Cross-site ${path} refused: Origin ${origin ?? "(none)"} is not ${url.origin}`,
          });
        if (path === "logout") {
          sessions.remove(cookieValue(request.headers.get("cookie"), SESSION_COOKIE));
          return json(200, { signedIn: false }, { "set-cookie": cookie("", 0) });
        }
        return login(request);
      }
      if (path === "events" && request.method === "GET") {
        if (loginRequired && !sessionOf(request))
          return json(401, { message: "Sign in to the console first" });
        return events();
      }
      if (path === "regions" && request.method === "GET") {
        if (loginRequired && !sessionOf(request))
          return json(401, { message: "Sign in to the console first" });
        return json(200, { defaultRegion: deps.defaultScope.region, regions: await regions() });
      }
      const logOf = /^action-logs\/([A-Za-z0-9-]{1,100})$/u.exec(path)?.[1];
      if (logOf !== undefined && request.method === "GET") {
        if (loginRequired && !sessionOf(request))
          return json(401, { message: "Sign in to the console first" });
        const log = actionLogs.read(logOf);
        if (!log)
          return json(404, {
            message: `No log is kept for action execution ${logOf} in this process: logs of the last 500 action runs are kept in memory until the server restarts (the server log has every line)`,
          });
        return json(200, { actionExecutionId: logOf, ...log });
      }
      if (path === "overview" && request.method === "GET") {
        if (loginRequired && !sessionOf(request))
          return json(401, { message: "Sign in to the console first" });
        const answer = await readOverview(deps.overview, deps.defaultScope.accountId, await regions());
        return json(200, { defaultRegion: deps.defaultScope.region, ...answer });
      }
      return json(404, {
        message: `No console endpoint ${request.method} ${url.pathname}; see docs/console.md`,
      });
    },
  };

  /** The default region plus every region of the account that has a pipeline, sorted. */
  async function regions(): Promise<string[]> {
    const found = new Set([deps.defaultScope.region]);
    for (const s of await deps.scopes()) if (s.accountId === deps.defaultScope.accountId) found.add(s.region);
    return [...found].sort();
  }

  /**
   * `GET /_pipewright/console/events`: server-sent events, one `data: {"region","pipeline"}` line
   * per committed run change in this process. The pages refetch what changed on each; they still
   * poll (slowly) for changes committed by other processes.
   */
  function events(): Response {
    let own: ReadableStreamDefaultController<Uint8Array> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        own = controller;
        streams.add(controller);
        controller.enqueue(encoder.encode(": pipewright console events\nretry: 1000\n\n"));
      },
      cancel() {
        if (own) streams.delete(own);
      },
    });
    return new Response(body, {
      status: 200,
      headers: { ...SECURITY_HEADERS, "content-type": "text/event-stream; charset=utf-8" },
    });
  }

  async function login(request: Request): Promise<Response> {
    if (!loginRequired)
      return json(400, { message: "No credentials are configured: the console needs no login" });
    // Checked before the key is: a refused client learns nothing about its guess.
    const client = request.headers.get(PEER_ADDRESS_HEADER) ?? "unknown";
    const refused = limiter.refused(client);
    if (refused) {
      const seconds = Math.ceil(refused.retryAfterMs / 1000);
      return json(
        429,
        {
          message: `Too many failed sign-ins from this address: try again in ${seconds} s`,
          retryAfterSeconds: seconds,
        },
        { "retry-after": String(seconds) },
      );
    }
    if (!(request.headers.get("content-type") ?? "").startsWith("application/json"))
      return json(415, { message: "Send the login as application/json: {accessKeyId, secretAccessKey}" });
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return json(400, { message: "The login body is not JSON: send {accessKeyId, secretAccessKey}" });
    }
    const { accessKeyId, secretAccessKey } = (body ?? {}) as Record<string, unknown>;
    if (typeof accessKeyId !== "string" || accessKeyId === "")
      return json(400, {
        message: "accessKeyId is missing: give the access key id of a configured credential",
      });
    if (typeof secretAccessKey !== "string" || secretAccessKey === "")
      return json(400, { message: "secretAccessKey is missing: give the secret of that access key" });
    const basic = `Basic ${Buffer.from(`${accessKeyId}:${secretAccessKey}`, "utf8").toString("base64")}`;
    if (!authenticateBasic(basic, deps.credentials)) {
      limiter.failed(client);
      return json(401, { message: "Unknown access key id or wrong secret access key" });
    }
    limiter.succeeded(client);
    const { token, session } = sessions.create(accessKeyId);
    return json(
      200,
      { signedIn: true, principal: accessKeyId, csrfToken: session.csrfToken },
      { "set-cookie": cookie(token, Math.floor(SESSION_TTL_MS / 1000)) },
    );
  }

  return {
    pages,
    api,
    home(request, url) {
      if (request.method !== "GET" || url.pathname !== "/") return undefined;
      if (!(request.headers.get("accept") ?? "").includes("text/html")) return undefined;
      return shell(request, url);
    },
    authenticator: (inner) => createConsoleAuthenticator(inner, sessions, loginRequired),
    authorizesRead: (request) => !loginRequired || sessionOf(request) !== undefined,
    actionLog: (id, line) => actionLogs.write(id, line),
    runChanged(scope, pipelineName) {
      if (streams.size === 0 || scope.accountId !== deps.defaultScope.accountId) return;
      const line = encoder.encode(
        `data: ${JSON.stringify({ region: scope.region, pipeline: pipelineName })}\n\n`,
      );
      for (const stream of streams) {
        try {
          stream.enqueue(line);
        } catch {
          streams.delete(stream); // closed under us: the client went away
        }
      }
    },
  };
}

function cookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`;
}

function respond(status: number, body: string | Uint8Array, type = "text/plain; charset=utf-8"): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, "content-type": type } });
}

function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "application/json", ...extra },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 308, headers: { ...SECURITY_HEADERS, location } });
}
