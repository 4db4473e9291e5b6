import { createHash } from "node:crypto";
import { Agent, createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

/** A real upstream on loopback for load balancer tests: answers with its name, counts what it saw. */
export interface TestUpstream {
  readonly name: string;
  readonly port: number;
  readonly server: Server;
  /** Status /health answers with (default 200). */
  healthStatus: number;
  /** When true, /health never answers. */
  healthHangs: boolean;
  requests: number;
  connections: number;
  /** Health check requests seen, with their User-Agent. */
  healthChecks: string[];
  /** Closes gracefully (in-flight requests finish), then drops idle connections. */
  close(): Promise<void>;
}

/**
 * Routes: `/health`; `/slow?ms=N` answers after N ms; `/hang` never answers; anything else
 * answers `name` at once (a body, if sent, is echoed after the name). WebSocket upgrades on any
 * path get an echo server that prefixes each text message with `name:`.
 */
export async function startUpstream(name: string): Promise<TestUpstream> {
  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(`http://x${req.url ?? "/"}`);
    } catch {
      url = new URL("http://x/");
    }
    if (url.pathname === "/health") {
      up.healthChecks.push(String(req.headers["user-agent"]));
      if (up.healthHangs) return;
      res.writeHead(up.healthStatus, { "content-type": "text/plain" });
      res.end("health");
      return;
    }
    up.requests += 1;
    if (url.pathname === "/hang") return;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = () => {
        res.writeHead(200, { "content-type": "text/plain", "x-upstream": name });
        res.end(chunks.length ? `${name}:${Buffer.concat(chunks).toString()}` : name);
      };
      const ms = Number(url.searchParams.get("ms") ?? 0);
      if (url.pathname === "/slow") setTimeout(send, ms);
      else send();
    });
  });
  server.on("connection", () => {
    up.connections += 1;
  });
  server.on("upgrade", (req, socket) => acceptEcho(name, req, socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const up: TestUpstream = {
    name,
    port: (server.address() as AddressInfo).port,
    server,
    healthStatus: 200,
    healthHangs: false,
    requests: 0,
    connections: 0,
    healthChecks: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
  return up;
}

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

function acceptEcho(name: string, req: IncomingMessage, socket: Duplex): void {
  const key = String(req.headers["sec-websocket-key"]);
  const accept = createHash("sha1")
    .update(key + GUID)
    .digest("base64");
  socket.write(
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  let buffered = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const frame = readFrame(buffered);
      if (!frame) return;
      buffered = buffered.subarray(frame.size);
      if (frame.opcode === 8) {
        socket.end();
        return;
      }
      socket.write(textFrame(`${name}:${frame.payload.toString()}`, false));
    }
  });
  socket.on("error", () => {});
}

/** A small WebSocket frame (payload < 126 bytes), masked when a client sends it. */
export function textFrame(text: string, masked: boolean): Buffer {
  const payload = Buffer.from(text);
  if (payload.length >= 126) throw new Error("test frames stay under 126 bytes");
  if (!masked) return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
  const mask = Buffer.from([1, 2, 3, 4]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, body]);
}

function readFrame(buf: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  const length = buf[1]! & 0x7f;
  const size = 2 + (masked ? 4 : 0) + length;
  if (buf.length < size) return undefined;
  let payload = buf.subarray(size - length, size);
  if (masked) {
    const mask = buf.subarray(2, 6);
    payload = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  }
  return { opcode, payload, size };
}

/** A WebSocket client connection: `send` a text message, `next` resolves with the next one. */
export interface TestWebSocket {
  send(text: string): void;
  next(): Promise<string>;
  close(): void;
  readonly closed: Promise<void>;
}

export function openWebSocket(port: number, path = "/ws"): Promise<TestWebSocket> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      path,
      agent: false,
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": Buffer.from("0123456789abcdef").toString("base64"),
      },
    });
    req.on("response", (res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
    req.on("error", reject);
    req.on("upgrade", (res, socket) => {
      if (res.headers["sec-websocket-accept"] === undefined) reject(new Error("no Sec-WebSocket-Accept"));
      const messages: string[] = [];
      const waiting: ((m: string) => void)[] = [];
      let buffered = Buffer.alloc(0);
      socket.on("data", (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        for (;;) {
          const frame = readFrame(buffered);
          if (!frame) return;
          buffered = buffered.subarray(frame.size);
          const text = frame.payload.toString();
          const w = waiting.shift();
          if (w) w(text);
          else messages.push(text);
        }
      });
      const closed = new Promise<void>((done) => socket.on("close", () => done()));
      socket.on("error", () => {});
      resolve({
        send: (text) => socket.write(textFrame(text, true)),
        next: () => {
          const m = messages.shift();
          return m !== undefined ? Promise.resolve(m) : new Promise((r) => waiting.push(r));
        },
        close: () => socket.end(Buffer.from([0x88, 0x80, 0, 0, 0, 0])),
        closed,
      });
    });
    req.end();
  });
}

/** One HTTP request through a keep-alive agent; resolves with status and body, never rejects. */
export function get(
  port: number,
  path: string,
  agent: Agent | false = false,
  method = "GET",
  body?: string,
): Promise<{ status: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    // A body always has its length: Node frames none for DELETE/OPTIONS on its own.
    const headers = body === undefined ? {} : { "content-length": Buffer.byteLength(body) };
    const req = request({ host: "127.0.0.1", port, path, method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on("error", (e) => resolve({ status: 0, body: "", error: e.message }));
    });
    req.on("error", (e: NodeJS.ErrnoException) =>
      resolve({ status: 0, body: "", error: e.code ?? e.message }),
    );
    req.end(body);
  });
}

export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 8 });
}
