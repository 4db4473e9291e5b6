import { type Agent, type IncomingMessage, request, type ServerResponse } from "node:http";

/** A target chosen for one attempt, with the keep-alive agent of its upstream connections. */
export interface Upstream {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly agent: Agent;
}

/** What the forwarder needs from the proxy that owns the targets. */
export interface Router {
  /** The next healthy target (round robin), skipping those that refused this request. */
  pick(exclude: ReadonlySet<string>): Upstream | undefined;
  /** Counts a request in flight on a target; `abort` ends it when a drain runs out of time. Returns its end. */
  begin(id: string, abort: () => void): () => void;
  /** The 503 body when nothing is healthy. */
  noHealthyTarget(): string;
  readonly listenerPort: () => number;
  /** Counts what the proxy did (ProxyStats). */
  count(what: "requests" | "retried" | "noHealthyTarget" | "badGateway" | "upgrades"): void;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Retried on another target after a refused connection: RFC 9110's idempotent methods. A
 * refused connection proves the target never saw the request, but only a request without a body
 * can be sent again (the body stream is consumed by the first attempt), and only idempotent ones
 * are retried after a reset of a reused keep-alive connection, where the target may have seen it.
 */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);

/** Request headers for the upstream: hop-by-hop ones dropped, X-Forwarded-* added (as ALB does). */
export function upstreamHeaders(
  req: IncomingMessage,
  listenerPort: number,
  keepUpgrade = false,
): Record<string, string | string[]> {
  const named = new Set(
    String(req.headers.connection ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h && !(keepUpgrade && h === "upgrade")),
  );
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (keepUpgrade && (key === "connection" || key === "upgrade")) out[key] = value;
    else if (!HOP_BY_HOP.has(key) && !named.has(key)) out[key] = value;
  }
  const client = req.socket.remoteAddress ?? "";
  const prior = req.headers["x-forwarded-for"];
  out["x-forwarded-for"] = prior ? `${prior}, ${client}` : client;
  out["x-forwarded-proto"] = "http";
  out["x-forwarded-port"] = String(listenerPort);
  return out;
}

/** Response headers for the client: hop-by-hop ones dropped (Node frames the body itself). */
export function downstreamHeaders(res: IncomingMessage): Record<string, string | string[]> {
  const named = new Set(
    String(res.headers.connection ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase()),
  );
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(res.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(key) && !named.has(key)) out[key] = value;
  }
  return out;
}

export function sendPlain(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** Forwards one request to a healthy target, retrying a refused bodyless idempotent one elsewhere. */
export function forwardRequest(router: Router, req: IncomingMessage, res: ServerResponse): void {
  const bodyless =
    req.headers["transfer-encoding"] === undefined &&
    (req.headers["content-length"] === undefined || req.headers["content-length"] === "0");
  const retryable = bodyless && IDEMPOTENT.has(req.method ?? "");
  const refused = new Set<string>();
  router.count("requests");

  const attempt = (): void => {
    const target = router.pick(refused);
    if (!target) {
      router.count(refused.size > 0 ? "badGateway" : "noHealthyTarget");
      if (refused.size > 0)
        sendPlain(
          res,
          502,
          `502 Bad Gateway: every healthy target refused the connection (${[...refused].join(", ")})\n`,
        );
      else sendPlain(res, 503, router.noHealthyTarget());
      return;
    }
    const upstream = request({
      host: target.host,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: upstreamHeaders(req, router.listenerPort()),
      agent: target.agent,
    });
    let settled = false;
    const end = router.begin(target.id, () => {
      upstream.destroy();
      res.destroy();
    });
    const finish = () => {
      if (settled) return;
      settled = true;
      end();
    };
    let responded = false;
    upstream.on("response", (ur) => {
      responded = true;
      res.writeHead(ur.statusCode ?? 502, ur.statusMessage, downstreamHeaders(ur));
      ur.pipe(res);
      ur.on("error", () => res.destroy());
    });
    upstream.on("error", (e: NodeJS.ErrnoException) => {
      finish();
      // The client went away (or a drain ran out of time): nobody to answer or retry for.
      if (res.destroyed) return;
      const resetOfReused = upstream.reusedSocket && (e.code === "ECONNRESET" || e.code === "EPIPE");
      if (!responded && !res.headersSent && retryable && (e.code === "ECONNREFUSED" || resetOfReused)) {
        refused.add(target.id);
        router.count("retried");
        attempt();
        return;
      }
      router.count("badGateway");
      sendPlain(res, 502, `502 Bad Gateway: target ${target.id} failed: ${e.code ?? e.message}\n`);
    });
    // The request is in flight until the client has its whole response (or went away).
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
      finish();
    });
    if (bodyless) upstream.end();
    else req.pipe(upstream);
  };
  attempt();
}
