import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeClock } from "../lib/clock.js";
import { createTargetGroupProxy } from "./target-group-proxy.js";
import { get, keepAliveAgent, startUpstream, type TestUpstream } from "./testing/servers.js";
import type { TargetGroupProxy } from "./types.js";

let proxy: TargetGroupProxy;
let port = 0;
let up: TestUpstream;

beforeAll(async () => {
  up = await startUpstream("u0");
  proxy = createTargetGroupProxy({
    name: "fuzz-tg",
    clock: createFakeClock(),
    settings: { healthCheckPath: "/health" },
  });
  port = (await proxy.listen()).port;
  proxy.registerTargets([{ id: "u0", port: up.port }]);
  await proxy.tick();
});
afterAll(async () => {
  await proxy.close();
  await up.close();
});

function raw(bytes: Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let out = "";
    socket.on("data", (d) => {
      out += d.toString("latin1");
    });
    socket.on("error", () => resolve(out));
    socket.on("close", () => resolve(out));
    socket.setTimeout(500, () => socket.destroy());
    socket.end(Buffer.from(bytes));
  });
}

describe("the proxy's HTTP front under random input", () => {
  it("answers random requests from the target, and stays up", async () => {
    const agent = keepAliveAgent();
    const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/u);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"),
        fc.stringMatching(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,40}$/u),
        fc.dictionary(
          token,
          fc.stringMatching(/^[ -~]{0,30}$/u).map((v) => v.trim()),
          { maxKeys: 4 },
        ),
        fc.option(fc.string({ maxLength: 50 }), { nil: undefined }),
        async (method, path, headers, body) => {
          const blocked = new Set([
            "content-length",
            "transfer-encoding",
            "host",
            "connection",
            "upgrade",
            "expect",
          ]);
          for (const k of Object.keys(headers)) if (blocked.has(k.toLowerCase())) delete headers[k];
          // The test upstream gives /health, /hang and /slow their own meaning.
          const target = /^\/(health|hang|slow)/u.test(path) ? `/x${path}` : path;
          const r = await get(
            port,
            target,
            agent,
            method,
            method === "GET" || method === "HEAD" ? undefined : body,
          );
          expect(r.error).toBeUndefined();
          expect(r.status).toBe(200);
          if (method !== "HEAD") expect(r.body.startsWith("u0")).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    agent.destroy();
  });

  it("refuses malformed bytes with 400 or a close, and keeps serving", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 200 }),
          fc.string().map((s) => new TextEncoder().encode(`GET ${s} HTTP/1.1\r\n\r\n`)),
        ),
        async (bytes) => {
          const answer = await raw(bytes);
          expect(answer === "" || /^HTTP\/1\.1 (200|400|404|414|431|503) /u.test(answer)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
    expect(await get(port, "/")).toEqual({ status: 200, body: "u0" });
  });
});
