import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FetchHandler } from "../api/app.js";
import { PEER_ADDRESS_HEADER } from "../api/console/login-limiter.js";
import { type ApiError, apiError } from "../api/errors.js";
import { errorResponse } from "../api/json-protocol.js";
import { RAW_TARGET_HEADER } from "../api/s3/request-target.js";

/**
 * Serves a fetch-style handler from node:http; the only place that knows about sockets.
 *
 * The request target is also passed verbatim in RAW_TARGET_HEADER: the fetch Request's URL
 * drops `.` and `..` segments, which are part of S3 keys (api/s3/request-target.ts). Any copy of
 * that header a client sent is dropped, so it always carries what the socket received.
 * Response bodies stream out (an S3 GetObject or a git clone can be gigabytes); only the AWS
 * JSON answers, which are small, are collected first so they go out with a content-length.
 */
export function toNodeListener(handler: FetchHandler, newRequestId: () => string = randomUUID) {
  return function nodeListener(req: IncomingMessage, res: ServerResponse): void {
    // Nothing a client sends may end the server: a request that cannot even be represented
    // (a method fetch forbids, a Host that is no URL authority) gets an error answer here.
    let request: Request;
    try {
      request = toFetchRequest(req);
    } catch (error) {
      const answer = errorResponse(newRequestId(), unrepresentable(req, error));
      req.resume();
      writeResponse(answer, res).catch(() => res.destroy());
      return;
    }
    // An answer sent before the body was read (an error, a 404) leaves the rest of the body on
    // the socket; unless it is read and dropped, the next request on that keep-alive connection
    // is never parsed and its client waits until it gives up.
    const body = bodies.get(request);
    res.once("finish", () => {
      if (!req.complete) body?.abandon();
    });
    handler(request)
      .then((response) => writeResponse(response, res))
      .catch((error: unknown) => {
        // createApp answers every error itself; reaching this is a bug or a client that went
        // away mid-download. Fail the one request, keep serving.
        if (!res.headersSent) res.statusCode = 500;
        res.destroy();
        if ((error as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") {
          process.emitWarning(`pipewright: unhandled request error: ${String(error)}`);
        }
      });
  };
}

function toFetchRequest(req: IncomingMessage): Request {
  const host = req.headers.host || "localhost";
  const target = req.url ?? "/";
  const url = new URL(`http://${host}${target.startsWith("/") ? target : `/${target}`}`);
  if (url.host.toLowerCase() !== host.toLowerCase().replace(/:80$/u, "")) {
    // The URL parser accepted the Host only by reading it differently (userinfo, a path in it).
    throw new BadHost(host);
  }
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (lower !== RAW_TARGET_HEADER && lower !== PEER_ADDRESS_HEADER)
      headers.append(name, req.rawHeaders[i + 1]!);
  }
  headers.set(RAW_TARGET_HEADER, target);
  // The client's address (the console's login rate limit counts per address); never a client's copy.
  headers.set(PEER_ADDRESS_HEADER, req.socket.remoteAddress ?? "unknown");
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const body = hasBody ? new RequestBody(req) : undefined;
  const request = new Request(url, {
    method: req.method ?? "GET",
    headers,
    ...(body ? { body: body.stream, duplex: "half" } : {}),
  } as RequestInit);
  if (body) bodies.set(request, body);
  return request;
}

const bodies = new WeakMap<Request, RequestBody>();

/**
 * A request body as a web stream that reads the socket only as fast as the handler reads it,
 * and that can be abandoned: the rest is then read and dropped, so the connection stays usable
 * (Readable.toWeb cannot do that: once it has read, node no longer drains the request itself).
 */
class RequestBody {
  readonly stream: ReadableStream<Uint8Array>;
  private abandoned = false;

  constructor(private readonly req: IncomingMessage) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          req.pause();
          req.on("data", (chunk: Buffer) => {
            if (this.abandoned) return;
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            if ((controller.desiredSize ?? 0) <= 0) req.pause();
          });
          req.once("end", () => {
            if (!this.abandoned) controller.close();
          });
          req.once("error", (error) => {
            if (!this.abandoned) controller.error(error);
          });
        },
        pull: () => {
          req.resume();
        },
        cancel: () => {
          this.abandon();
        },
      },
      { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
    );
  }

  /** Reads what is left of the body and drops it. */
  abandon(): void {
    this.abandoned = true;
    this.req.resume();
  }
}

class BadHost extends Error {
  constructor(readonly host: string) {
    super(`bad host ${host}`);
  }
}

function unrepresentable(req: IncomingMessage, error: unknown): ApiError {
  const method = req.method ?? "";
  if (error instanceof BadHost || (error as { code?: string }).code === "ERR_INVALID_URL") {
    return apiError(
      "InvalidRequestException",
      `The Host header '${req.headers.host ?? ""}' is not a valid host[:port]; send the host and port of this server`,
    );
  }
  if (/method/iu.test(String(error))) {
    return apiError(
      "UnknownOperationException",
      `Pipewright does not answer ${method} requests; its APIs use GET, HEAD, PUT, POST, PATCH and DELETE`,
    );
  }
  return apiError("InvalidRequestException", `The request cannot be read: ${String(error)}`);
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    res.setHeader(name, value);
  });
  if (!response.body) {
    res.end();
    return;
  }
  const type = response.headers.get("content-type") ?? "";
  if (!response.headers.has("content-length") && type.startsWith("application/x-amz-json")) {
    // Small JSON answers: send them with a length rather than chunked.
    const body = Buffer.from(await response.arrayBuffer());
    res.setHeader("content-length", body.byteLength);
    res.end(body);
    return;
  }
  await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), res);
}
