import { type IncomingMessage, request, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { type Router, upstreamHeaders } from "./http-forward.js";

function rawResponse(status: number, body: string): string {
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n` +
    "content-type: text/plain; charset=utf-8\r\n" +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}

function rawHead(status: number, message: string, rawHeaders: readonly string[]): string {
  let head = `HTTP/1.1 ${status} ${message}\r\n`;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) head += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  return `${head}\r\n`;
}

/**
 * Passes an Upgrade request (WebSocket) through to one healthy target on a connection of its
 * own, then pipes bytes both ways. The open connection counts as in flight on the target until
 * either side closes it, so draining waits for it (up to the deregistration delay).
 */
export function forwardUpgrade(router: Router, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on("error", () => {});
  router.count("upgrades");
  const target = router.pick(new Set());
  if (!target) {
    router.count("noHealthyTarget");
    socket.end(rawResponse(503, router.noHealthyTarget()));
    return;
  }
  const upstream = request({
    host: target.host,
    port: target.port,
    method: req.method,
    path: req.url,
    headers: upstreamHeaders(req, router.listenerPort(), true),
    agent: false,
  });
  let ended = false;
  let upstreamSocket: Duplex | undefined;
  const end = router.begin(target.id, () => {
    upstream.destroy();
    upstreamSocket?.destroy();
    socket.destroy();
  });
  const finish = () => {
    if (ended) return;
    ended = true;
    end();
  };
  socket.on("close", () => {
    upstream.destroy();
    upstreamSocket?.destroy();
    finish();
  });
  upstream.on("upgrade", (ur, usock: Duplex, uhead: Buffer) => {
    upstreamSocket = usock;
    usock.on("error", () => socket.destroy());
    usock.on("close", () => socket.destroy());
    socket.write(rawHead(ur.statusCode ?? 101, ur.statusMessage ?? "Switching Protocols", ur.rawHeaders));
    if (uhead.length > 0) socket.write(uhead);
    if (head.length > 0) usock.write(head);
    usock.pipe(socket);
    socket.pipe(usock);
  });
  upstream.on("response", (ur) => {
    // The target declined the upgrade: relay its status and body (as text) and close.
    const chunks: Buffer[] = [];
    ur.on("data", (c: Buffer) => chunks.push(c));
    ur.on("end", () => socket.end(rawResponse(ur.statusCode ?? 502, Buffer.concat(chunks).toString("utf8"))));
    ur.on("error", () => socket.destroy());
  });
  upstream.on("error", (e: NodeJS.ErrnoException) => {
    router.count("badGateway");
    if (!upstreamSocket && socket.writable)
      socket.end(rawResponse(502, `502 Bad Gateway: target ${target.id} failed: ${e.code ?? e.message}\n`));
    else socket.destroy();
  });
  upstream.end();
}
