import { afterEach, describe, expect, it } from "vitest";
import { createFakeClock, type FakeClock } from "../lib/clock.js";
import type { TargetGroupSettings } from "./core/settings.js";
import { HEALTH_CHECK_USER_AGENT } from "./health-check.js";
import { createTargetGroupProxy } from "./target-group-proxy.js";
import { get, keepAliveAgent, openWebSocket, startUpstream, type TestUpstream } from "./testing/servers.js";
import type { TargetGroupProxy, TargetTransition } from "./types.js";

const settings: Partial<TargetGroupSettings> = {
  healthCheckPath: "/health",
  healthCheckIntervalSeconds: 5,
  healthCheckTimeoutSeconds: 2,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 2,
  deregistrationDelaySeconds: 30,
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function world(n: number, extra: Partial<TargetGroupSettings> = {}) {
  const clock: FakeClock = createFakeClock();
  const transitions: TargetTransition[] = [];
  const proxy: TargetGroupProxy = createTargetGroupProxy({
    name: "web-tg",
    clock,
    settings: { ...settings, ...extra },
    onTransition: (t) => transitions.push(t),
  });
  const { port } = await proxy.listen();
  cleanups.push(() => proxy.close());
  const ups: TestUpstream[] = [];
  for (let i = 0; i < n; i++) {
    const up = await startUpstream(`u${i}`);
    ups.push(up);
    cleanups.push(() => up.close());
  }
  /** Advances the clock by one interval and runs the checks that are due. */
  const interval = async () => {
    clock.advance(5000);
    await proxy.tick();
  };
  return { clock, proxy, port, ups, transitions, interval };
}

const state = (proxy: TargetGroupProxy, id: string) => proxy.describeTargetHealth([id])[0]!.TargetHealth;

describe("the built-in load balancer", () => {
  it("answers 503 with a clear body when no target is healthy", async () => {
    const { proxy, port, ups } = await world(1);
    let r = await get(port, "/");
    expect(r.status).toBe(503);
    expect(r.body).toContain("target group web-tg has no healthy target (0 registered)");
    proxy.registerTargets([{ id: "a", port: ups[0]!.port }]);
    r = await get(port, "/");
    expect(r.status).toBe(503);
    expect(r.body).toContain("(1 registered: 1 initial)");
    expect(proxy.stats()).toMatchObject({ requests: 2, noHealthyTarget: 2, badGateway: 0 });
  });

  it("routes round robin to healthy targets only", async () => {
    const { proxy, port, ups, interval } = await world(3);
    ups[2]!.healthStatus = 500;
    proxy.registerTargets(ups.map((u) => ({ id: u.name, port: u.port })));
    await proxy.tick();
    const bodies = [];
    for (let i = 0; i < 6; i++) bodies.push((await get(port, "/")).body);
    expect(bodies).toEqual(["u0", "u1", "u0", "u1", "u0", "u1"]);
    expect(ups[2]!.requests).toBe(0);
    await interval();
    expect(state(proxy, "u2")).toEqual({
      State: "unhealthy",
      Reason: "Target.ResponseCodeMismatch",
      Description: "Health checks failed with these codes: [500]",
    });
    expect(ups[0]!.healthChecks[0]).toBe(HEALTH_CHECK_USER_AGENT);
  });

  it("moves targets through ELBv2's states on the clock, with transitions reported", async () => {
    const { proxy, ups, interval, clock, transitions } = await world(1);
    const up = ups[0]!;
    proxy.registerTargets([{ id: "a", port: up.port }]);
    expect(state(proxy, "a")).toMatchObject({ State: "initial", Reason: "Elb.RegistrationInProgress" });
    await proxy.tick();
    expect(state(proxy, "a")).toEqual({ State: "healthy" });
    await proxy.tick(); // not due yet: no second check
    expect(up.healthChecks).toHaveLength(1);
    up.healthStatus = 503;
    await interval();
    expect(state(proxy, "a").State).toBe("healthy");
    await interval();
    expect(state(proxy, "a")).toMatchObject({ State: "unhealthy", Reason: "Target.ResponseCodeMismatch" });
    up.healthStatus = 200;
    await interval();
    expect(state(proxy, "a").State).toBe("unhealthy");
    await interval();
    expect(state(proxy, "a").State).toBe("healthy");
    // A check that does not answer within the timeout is Target.Timeout.
    up.healthHangs = true;
    for (let i = 0; i < 2; i++) {
      clock.advance(5000);
      const pending = proxy.tick();
      clock.advance(2000);
      await proxy.tick();
      await pending;
    }
    expect(state(proxy, "a")).toEqual({
      State: "unhealthy",
      Reason: "Target.Timeout",
      Description: "Request timed out",
    });
    // A target that refuses connections fails with Target.FailedHealthChecks.
    await up.close();
    up.server.closeAllConnections();
    await interval();
    expect(state(proxy, "a")).toMatchObject({ State: "unhealthy", Reason: "Target.FailedHealthChecks" });
    expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      "unused->initial",
      "initial->healthy",
      "healthy->unhealthy",
      "unhealthy->healthy",
      "healthy->unhealthy",
    ]);
  });

  it("draining sends no new request to the target and lets the in-flight one finish", async () => {
    const { proxy, port, ups } = await world(2);
    proxy.registerTargets([{ id: "a", port: ups[0]!.port }]);
    await proxy.tick();
    const slow = get(port, "/slow?ms=300");
    await new Promise((r) => setTimeout(r, 50));
    expect(proxy.inFlight("a")).toBe(1);
    proxy.registerTargets([{ id: "b", port: ups[1]!.port }]);
    await proxy.tick();
    proxy.deregisterTargets(["a"]);
    expect(state(proxy, "a")).toMatchObject({ State: "draining", Reason: "Target.DeregistrationInProgress" });
    let drained = false;
    const done = proxy.drained("a").then(() => {
      drained = true;
    });
    for (let i = 0; i < 5; i++) expect((await get(port, "/")).body).toBe("u1");
    expect(drained).toBe(false);
    expect(await slow).toEqual({ status: 200, body: "u0" });
    await done;
    expect(state(proxy, "a")).toMatchObject({ State: "unused", Reason: "Target.NotRegistered" });
    expect(proxy.describeTargetHealth().map((d) => d.Target.Id)).toEqual(["b"]);
  });

  it("a target with nothing in flight is removed at once; a stuck request is cut when the delay ends", async () => {
    const { proxy, port, ups, clock } = await world(1);
    proxy.registerTargets([{ id: "a", port: ups[0]!.port }]);
    await proxy.tick();
    proxy.deregisterTargets(["a"]);
    expect(state(proxy, "a").State).toBe("unused");
    proxy.registerTargets([{ id: "b", port: ups[0]!.port }]);
    await proxy.tick();
    const stuck = get(port, "/hang");
    await new Promise((r) => setTimeout(r, 50));
    proxy.deregisterTargets(["b"]);
    clock.advance(29_000);
    await proxy.tick();
    expect(state(proxy, "b").State).toBe("draining");
    clock.advance(1_000);
    await proxy.tick();
    expect(state(proxy, "b").State).toBe("unused");
    expect((await stuck).status).toBe(0);
  });

  it("keeps client and upstream connections alive across requests", async () => {
    const { proxy, port, ups } = await world(1);
    proxy.registerTargets([{ id: "a", port: ups[0]!.port }]);
    await proxy.tick();
    const agent = keepAliveAgent();
    let clientSockets = 0;
    agent.on("free", () => {});
    const before = ups[0]!.connections;
    for (let i = 0; i < 20; i++) {
      const r = await get(port, "/", agent);
      expect(r.body).toBe("u0");
    }
    for (const list of Object.values(agent.freeSockets)) clientSockets += list?.length ?? 0;
    agent.destroy();
    expect(clientSockets).toBe(1);
    expect(ups[0]!.connections - before).toBe(1);
  });

  it("passes request bodies and status through, and answers 502 for a POST to a target that refuses", async () => {
    const { proxy, port, ups } = await world(2);
    proxy.registerTargets(ups.map((u) => ({ id: u.name, port: u.port })));
    await proxy.tick();
    expect((await get(port, "/echo", false, "POST", "hello")).body).toMatch(/^u\d:hello$/);
    await ups[1]!.close();
    // GET: refused by u1, retried on u0; every answer succeeds.
    for (let i = 0; i < 4; i++) expect(await get(port, "/")).toEqual({ status: 200, body: "u0" });
    // POST with a body: never retried, so one of two lands on the refusing target.
    const posts = await Promise.all([0, 1].map(() => get(port, "/p", false, "POST", "x")));
    const failed = posts.filter((p) => p.status === 502);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.body).toContain("502 Bad Gateway: target u1 failed: ECONNREFUSED");
    expect(proxy.stats()).toMatchObject({ requests: 7, badGateway: 1 });
    expect(proxy.stats().retried).toBeGreaterThan(0);
  });

  it("passes WebSocket upgrades through and drains an open WebSocket until it closes", async () => {
    const { proxy, port, ups } = await world(2);
    proxy.registerTargets([{ id: "a", port: ups[0]!.port }]);
    await proxy.tick();
    const ws = await openWebSocket(port);
    ws.send("hello");
    expect(await ws.next()).toBe("u0:hello");
    ws.send("again");
    expect(await ws.next()).toBe("u0:again");
    expect(proxy.inFlight("a")).toBe(1);
    proxy.registerTargets([{ id: "b", port: ups[1]!.port }]);
    await proxy.tick();
    proxy.deregisterTargets(["a"]);
    const ws2 = await openWebSocket(port);
    ws2.send("new");
    expect(await ws2.next()).toBe("u1:new");
    ws.send("still here");
    expect(await ws.next()).toBe("u0:still here");
    expect(state(proxy, "a").State).toBe("draining");
    ws.close();
    await proxy.drained("a");
    expect(state(proxy, "a").State).toBe("unused");
    ws2.close();
    await ws2.closed;
  });

  it("refuses a second listener on the same port with a clear error", async () => {
    const { port } = await world(0);
    const other = createTargetGroupProxy({ name: "other", clock: createFakeClock(), port });
    await expect(other.listen()).rejects.toThrow(/cannot listen on 127.0.0.1:\d+: the port is in use/);
    await other.close();
  });

  it("rejects invalid settings naming the field", () => {
    expect(() =>
      createTargetGroupProxy({ name: "x", clock: createFakeClock(), settings: { matcher: "2xx" } }),
    ).toThrow(/target group x: Matcher.HttpCode '2xx' is not valid/);
  });
});

describe("registering a draining target again", () => {
  it("starts it over as initial while its old requests finish, with no stray transition", async () => {
    const { proxy, port, ups, transitions } = await world(1);
    proxy.registerTargets([{ id: "a", port: ups[0]!.port }]);
    await proxy.tick();
    const slow = get(port, "/slow?ms=200");
    await new Promise((r) => setTimeout(r, 50));
    proxy.deregisterTargets(["a"]);
    proxy.registerTargets([{ id: "a", port: ups[0]!.port }]);
    expect(state(proxy, "a")).toMatchObject({ State: "initial", Reason: "Elb.RegistrationInProgress" });
    expect(await slow).toEqual({ status: 200, body: "u0" });
    await proxy.tick();
    expect(state(proxy, "a").State).toBe("healthy");
    expect((await get(port, "/")).body).toBe("u0");
    expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      "unused->initial",
      "initial->healthy",
      "healthy->draining",
      "draining->initial",
      "initial->healthy",
    ]);
  });
});
