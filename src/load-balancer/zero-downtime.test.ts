import { describe, expect, it } from "vitest";
import type { Clock } from "../lib/clock.js";
import { createTargetGroupProxy } from "./target-group-proxy.js";
import { get, keepAliveAgent, startUpstream, type TestUpstream } from "./testing/servers.js";

// The wall clock: this test measures a real rollout.
const wallClock: Clock = { now: () => Date.now() };
/** Successful requests before each replacement step and after the last one. */
const PER_STEP = 80;

async function waitFor(what: string, test: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("zero downtime", () => {
  it("replaces every target one by one under continuous load with no failed request", async () => {
    const proxy = createTargetGroupProxy({
      name: "rolling-tg",
      clock: wallClock,
      tickIntervalMs: 25,
      settings: {
        healthCheckPath: "/health",
        healthCheckIntervalSeconds: 0.1,
        healthCheckTimeoutSeconds: 0.1,
        healthyThresholdCount: 2,
        deregistrationDelaySeconds: 2,
      },
    });
    const { port } = await proxy.listen();
    let live: TestUpstream[] = [];
    for (let i = 0; i < 3; i++) live.push(await startUpstream(`v1-${i}`));
    proxy.registerTargets(live.map((u) => ({ id: u.name, port: u.port })));
    await waitFor("v1 healthy", () =>
      proxy.describeTargetHealth().every((d) => d.TargetHealth.State === "healthy"),
    );

    let stop = false;
    const failures: string[] = [];
    let ok = 0;
    const seen = new Map<string, number>();
    const clients = Array.from({ length: 6 }, async (_, c) => {
      const agent = keepAliveAgent();
      for (let n = 0; !stop; n++) {
        // A mix of quick GETs, slower GETs that are in flight when a drain starts, and POSTs
        // (never retried, so only correct draining keeps them whole).
        const r =
          n % 3 === 0
            ? await get(port, "/post", agent, "POST", `c${c}n${n}`)
            : await get(port, n % 3 === 1 ? "/slow?ms=20" : "/", agent);
        const from = r.body.split(":")[0]!;
        if (r.status === 200 && /^v\d-\d+$/.test(from)) {
          ok += 1;
          seen.set(from, (seen.get(from) ?? 0) + 1);
        } else failures.push(`${r.status} ${r.error ?? r.body}`);
      }
      agent.destroy();
    });

    const replaced: TestUpstream[] = [];
    for (let round = 2; round <= 3; round++) {
      for (let i = 0; i < 3; i++) {
        // Load between steps is counted in requests, not time, so a busy machine still tests it.
        const before = ok;
        await waitFor("load between replacements", () => ok >= before + PER_STEP, 30_000);
        const next = await startUpstream(`v${round}-${i}`);
        proxy.registerTargets([{ id: next.name, port: next.port }]);
        await waitFor(
          `${next.name} healthy`,
          () => proxy.describeTargetHealth([next.name])[0]!.TargetHealth.State === "healthy",
        );
        const old = live[i]!;
        proxy.deregisterTargets([old.name]);
        await proxy.drained(old.name);
        // The old task is stopped (SIGTERM): it finishes nothing more and drops its connections.
        await old.close();
        old.server.closeAllConnections();
        replaced.push(old);
        live = live.map((u, j) => (j === i ? next : u));
      }
    }
    const last = ok;
    await waitFor("load after the rollout", () => ok >= last + PER_STEP, 30_000);
    stop = true;
    await Promise.all(clients);
    const stats = proxy.stats();
    await proxy.close();
    for (const u of live) await u.close();

    process.stdout.write(
      `zero-downtime: ${ok} requests succeeded, ${failures.length} failed, across 6 target replacements (${stats.retried} retried)\n`,
    );
    expect(stats).toMatchObject({ requests: ok, noHealthyTarget: 0, badGateway: 0 });
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThanOrEqual(7 * PER_STEP);
    // Every generation served traffic: the rollout really moved the load.
    for (const name of [...replaced, ...live].map((u) => u.name))
      expect(seen.get(name) ?? 0).toBeGreaterThan(0);
  }, 60_000);

  it("switches blue to green atomically under load: no new request reaches blue after the switch", async () => {
    const proxy = createTargetGroupProxy({
      name: "bluegreen-tg",
      clock: wallClock,
      tickIntervalMs: 25,
      settings: {
        healthCheckPath: "/health",
        healthCheckIntervalSeconds: 0.1,
        healthCheckTimeoutSeconds: 0.1,
        deregistrationDelaySeconds: 2,
      },
    });
    const { port } = await proxy.listen();
    const blue = [await startUpstream("blue-0"), await startUpstream("blue-1")];
    const green = [await startUpstream("green-0"), await startUpstream("green-1")];
    proxy.registerTargets(blue.map((u) => ({ id: u.name, port: u.port })));
    await waitFor("blue healthy", () =>
      proxy.describeTargetHealth().every((d) => d.TargetHealth.State === "healthy"),
    );

    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const answeredBy: { from: string; startedAfterSwitch: boolean }[] = [];
    let switchedAt = Number.POSITIVE_INFINITY;
    const clients = Array.from({ length: 4 }, async () => {
      const agent = keepAliveAgent();
      while (!stop) {
        const started = Date.now();
        const r = await get(port, "/", agent);
        if (r.status === 200) {
          ok += 1;
          answeredBy.push({ from: r.body, startedAfterSwitch: started > switchedAt });
        } else failures.push(`${r.status} ${r.error ?? r.body}`);
      }
      agent.destroy();
    });
    const before = ok;
    await waitFor("load on blue", () => ok >= before + PER_STEP, 30_000);
    proxy.registerTargets(
      green.map((u) => ({ id: u.name, port: u.port })),
      { standby: true },
    );
    // Standby green is checked, healthy, and still gets nothing.
    expect(proxy.switchTo(["green-0", "green-1"])).toMatchObject({ ok: false });
    await waitFor("green healthy", () =>
      proxy.describeTargetHealth(["green-0", "green-1"]).every((d) => d.TargetHealth.State === "healthy"),
    );
    const mid = ok;
    await waitFor("load with green on standby", () => ok >= mid + PER_STEP, 30_000);
    expect(answeredBy.some((a) => a.from.startsWith("green"))).toBe(false);
    switchedAt = Date.now();
    expect(proxy.switchTo(["green-0", "green-1"])).toEqual({ ok: true });
    await Promise.all(blue.map((u) => proxy.drained(u.name)));
    const after = ok;
    await waitFor("load on green", () => ok >= after + PER_STEP, 30_000);
    stop = true;
    await Promise.all(clients);
    await proxy.close();
    for (const u of [...blue, ...green]) await u.close();

    const blueAfter = answeredBy.filter((a) => a.startedAfterSwitch && a.from.startsWith("blue")).length;
    process.stdout.write(
      `blue/green: ${ok} requests, ${failures.length} failed, ${blueAfter} reached blue after the switch\n`,
    );
    expect(failures).toEqual([]);
    expect(blueAfter).toBe(0);
    expect(
      answeredBy.filter((a) => a.startedAfterSwitch && a.from.startsWith("green")).length,
    ).toBeGreaterThanOrEqual(PER_STEP);
  }, 60_000);
});
