import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FetchHandler } from "../api/app.js";
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
export function toNodeListener(handler: FetchHandler) {
  return function nodeListener(req: IncomingMessage, res: ServerResponse): void {
    const host = req.headers.host ?? "localhost";
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      if (name.toLowerCase() !== RAW_TARGET_HEADER) headers.append(name, req.rawHeaders[i + 1]!);
    }
    headers.set(RAW_TARGET_HEADER, req.url ?? "/");
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://${host}${req.url ?? "/"}`, {
      method: req.method ?? "GET",
      headers,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
    } as RequestInit);
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
