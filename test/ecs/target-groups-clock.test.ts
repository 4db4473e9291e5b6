import { afterEach, expect, it } from "vitest";
import { createFakeClock } from "../../src/lib/clock.js";
import { silentLogger } from "../../src/lib/logger.js";
import { createTargetGroupProxy } from "../../src/load-balancer/target-group-proxy.js";
import { startUpstream, type TestUpstream } from "../../src/load-balancer/testing/servers.js";
import type { Service, Task } from "../../src/model/ecs/types.js";
import { TargetGroups } from "../../src/runtime/ecs/target-groups.js";

// TargetGroups.drain waits (up to 30 s) for another healthy target before it deregisters a task:
// that wait is on the injected clock, like the scheduler's, so this test moves a fake clock
// instead of sleeping 30 s. A real proxy and a real upstream on loopback.
const TG = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const service = {
  desiredCount: 1,
  deployments: [],
  loadBalancers: [{ targetGroupArn: TG, containerName: "web", containerPort: 8080 }],
};
const task = (port: number) => ({
  containers: [
    { name: "web", networkBindings: [{ containerPort: 8080, hostPort: port, bindIP: "127.0.0.1" }] },
  ],
});
const settledWithin = async (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

it("drains a task with no other healthy target after the wait of the injected clock, not the wall clock", async () => {
  const clock = createFakeClock(Date.UTC(2026, 11, 3));
  const ports = new Map<string, number>();
  const groups = new TargetGroups({
    create: createTargetGroupProxy,
    clock,
    ports: { get: (a) => ports.get(a), set: (a, p) => void ports.set(a, p) },
    logger: silentLogger,
  });
  const up: TestUpstream = await startUpstream("a");
  cleanups.push(async () => {
    await groups.close();
    await up.close();
  });
  await groups.register(service as unknown as Service, "task-a", task(up.port) as unknown as Task);
  const proxy = await groups.proxy(TG);
  for (let i = 0; i < 50 && proxy.describeTargetHealth(["task-a"])[0]?.TargetHealth.State !== "healthy"; i++)
    await proxy.tick();
  expect(proxy.describeTargetHealth(["task-a"])[0]?.TargetHealth.State).toBe("healthy");

  // The only target: draining waits for another one to be healthy, up to 30 s of the clock.
  const draining = groups.drain(service as unknown as Service, "task-a");
  expect(await settledWithin(draining, 400)).toBe(false);
  clock.advance(29_900);
  expect(await settledWithin(draining, 400)).toBe(false);
  expect(proxy.describeTargetHealth(["task-a"])[0]?.TargetHealth.State).toBe("healthy");
  clock.advance(100);
  // Deregistered, then drained on the proxy's next tick (no request in flight).
  expect(await settledWithin(draining, 2_000)).toBe(true);
  expect(proxy.describeTargetHealth(["task-a"])[0]?.TargetHealth.State).toBe("unused");
});

it("drains at once when another target of the group is healthy", async () => {
  const clock = createFakeClock(Date.UTC(2026, 11, 3));
  const ports = new Map<string, number>();
  const groups = new TargetGroups({
    create: createTargetGroupProxy,
    clock,
    ports: { get: (a) => ports.get(a), set: (a, p) => void ports.set(a, p) },
    logger: silentLogger,
  });
  const [a, b] = [await startUpstream("a"), await startUpstream("b")];
  cleanups.push(async () => {
    await groups.close();
    await a.close();
    await b.close();
  });
  await groups.register(service as unknown as Service, "task-a", task(a.port) as unknown as Task);
  await groups.register(service as unknown as Service, "task-b", task(b.port) as unknown as Task);
  const proxy = await groups.proxy(TG);
  const healthy = () => proxy.describeTargetHealth().filter((t) => t.TargetHealth.State === "healthy").length;
  for (let i = 0; i < 50 && healthy() < 2; i++) await proxy.tick();
  expect(healthy()).toBe(2);
  expect(await settledWithin(groups.drain(service as unknown as Service, "task-a"), 2_000)).toBe(true);
  expect(proxy.describeTargetHealth().map((t) => [t.Target.Id, t.TargetHealth.State])).toEqual([
    ["task-b", "healthy"],
  ]);
});
