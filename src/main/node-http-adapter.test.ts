import { createHash } from "node:crypto";
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { toNodeListener } from "./node-http-adapter.js";

// Regression (fuzz seed 233559): an answer sent before its request body was read left the rest
// of the body on a keep-alive connection, and the next request on it waited forever.

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

async function serve(handler: (r: Request) => Promise<Response>): Promise<number> {
  server = createServer(toNodeListener(handler));
  await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
  return (server.address() as AddressInfo).port;
}

function send(port: number, agent: Agent, method: string, path: string, body?: Buffer) {
  return new Promise<{ status: number; body: string; socketReused: boolean }>((done, fail) => {
    const req = request({ host: "127.0.0.1", port, method, path, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        done({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          socketReused: (req as unknown as { reusedSocket: boolean }).reusedSocket,
        }),
      );
    });
    req.on("error", fail);
    req.setTimeout(2000, () => req.destroy(new Error(`no answer in 2 s to ${method} ${path}`)));
    req.end(body);
  });
}

describe("node http adapter", () => {
  it("keeps a connection usable after answering without reading the request's body", async () => {
    const port = await serve(async (r) =>
      new URL(r.url).pathname === "/ignore" ? new Response("nope", { status: 404 }) : new Response("ok"),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (const size of [10, 30_007, 4 * 1024 * 1024]) {
      const first = await send(port, agent, "POST", "/ignore", Buffer.alloc(size, 97));
      expect(first.status).toBe(404);
      const second = await send(port, agent, "GET", "/next");
      expect(second).toMatchObject({ status: 200, body: "ok" });
    }
    agent.destroy();
  });

  it("gives a handler that reads the body every byte, in order", async () => {
    const port = await serve(async (r) => {
      const bytes = Buffer.from(await r.arrayBuffer());
      return new Response(`${bytes.length} ${createHash("sha256").update(bytes).digest("hex")}`);
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const body = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 7919) % 251));
    const answer = await send(port, agent, "PUT", "/x", body);
    expect(answer.body).toBe(`${body.length} ${createHash("sha256").update(body).digest("hex")}`);
    agent.destroy();
  });

  it("keeps the connection usable after a handler read part of the body and cancelled it", async () => {
    const port = await serve(async (r) => {
      if (new URL(r.url).pathname !== "/part") return new Response("ok");
      const reader = r.body!.getReader();
      const { value } = await reader.read();
      await reader.cancel();
      return new Response(`read ${value?.byteLength ?? 0}`, { status: 400 });
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await send(port, agent, "POST", "/part", Buffer.alloc(2 * 1024 * 1024, 1));
    expect(first.status).toBe(400);
    const second = await send(port, agent, "GET", "/next");
    expect(second).toMatchObject({ status: 200, body: "ok", socketReused: true });
    agent.destroy();
  });
});
