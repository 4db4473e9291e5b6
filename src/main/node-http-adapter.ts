import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { FetchHandler } from "../api/app.js";

/** Serves a fetch-style handler from node:http; the only place that knows about sockets. */
export function toNodeListener(handler: FetchHandler) {
  return function nodeListener(req: IncomingMessage, res: ServerResponse): void {
    const host = req.headers.host ?? "localhost";
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://${host}${req.url ?? "/"}`, {
      method: req.method ?? "GET",
      headers,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
    } as RequestInit);
    handler(request).then(
      (response) => writeResponse(response, res),
      (error: unknown) => {
        // createApp answers every error itself; reaching this is a bug, so fail the one request.
        res.statusCode = 500;
        res.end();
        process.emitWarning(`pipewright: unhandled request error: ${String(error)}`);
      },
    );
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
  const body = Buffer.from(await response.arrayBuffer());
  res.setHeader("content-length", body.byteLength);
  res.end(body);
}
