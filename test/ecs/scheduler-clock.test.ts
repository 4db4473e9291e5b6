import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EARLY_PROBE_MS } from "../../src/engine/ecs/health.js";
import { createFakeClock } from "../../src/lib/clock.js";
import { silentLogger } from "../../src/lib/logger.js";
import { wireEcs } from "../../src/main/ecs.js";
import type { ContainerDefinition } from "../../src/model/ecs/types.js";
import { createMemoryStores } from "../../src/store/memory/create-memory-stores.js";
import { createProcessTaskRuntime } from "../../src/task-runtime/process-runtime.js";

// The scheduler's shell on a controlled clock: real host processes, but every wait the
// scheduler makes (the no-health-check delay, health check intervals) is on the fake clock, so
// the test moves time instead of sleeping.
const scope = { accountId: "123456789012", region: "us-east-1" };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function world(container: ContainerDefinition, desiredCount: number) {
  const clock = createFakeClock(Date.UTC(2026, 11, 3));
  const stores = createMemoryStores();
  const runtime = createProcessTaskRuntime({ baseEnv: { PATH: "/usr/bin:/bin" } });
  const ecs = wireEcs({
    stores,
    clock,
    logger: silentLogger,
    runtimes: { process: runtime },
    scheduler: { watchIntervalMs: 0, defaultStopTimeoutSeconds: 1 },
  });
  await ecs.api.clusters.create(scope, {});
  await ecs.api.taskDefinitions.register(scope, { family: "app", containerDefinitions: [container] }, "t");
  await ecs.api.services.create(
    scope,
    {
      serviceName: "app",
      taskDefinition: "app",
      desiredCount,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    },
    "t",
  );
  /** Scheduler passes until a pass starts no task step (each waits for the steps it started). */
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      await ecs.runOnce();
      await ecs.idle();
    }
  };
  const service = async () => (await ecs.api.services.get(scope, undefined, "app"))!.service;
  const tasks = () => stores.ecs.listTasks(scope, "default", { serviceName: "app" });
  cleanups.push(async () => {
    await ecs.api.services.update(scope, undefined, "app", { desiredCount: 0 });
    await settle();
    await stores.close();
  });
  return { clock, ecs, settle, service, tasks, runtime };
}

const sleeper = (extra: Partial<ContainerDefinition> = {}): ContainerDefinition => ({
  name: "app",
  image: "app:1",
  entryPoint: ["/bin/sh", "-c"],
  command: ["trap 'exit 0' TERM; while true; do sleep 0.1; done"],
  stopTimeout: 1,
  ...extra,
});

describe("the ECS scheduler on a controlled clock", () => {
  it("counts tasks without health checks as healthy only after the no-health-check delay of the clock", async () => {
    const w = await world(sleeper(), 2);
    await w.settle();
    expect((await w.tasks()).map((t) => t.task.lastStatus)).toEqual(["RUNNING", "RUNNING"]);
    expect((await w.service()).deployments[0]?.rolloutState).toBe("IN_PROGRESS");
    w.clock.advance(4_900);
    await w.settle();
    expect((await w.service()).deployments[0]?.rolloutState).toBe("IN_PROGRESS");
    w.clock.advance(100);
    await w.settle();
    const s = await w.service();
    expect(s.deployments[0]?.rolloutState).toBe("COMPLETED");
    expect(s.events.map((e) => e.message)).toContain("service (app) has reached a steady state.");
  });

  it("runs health checks on the clock's interval and replaces a task after `retries` failures", async () => {
    const w = await world(
      sleeper({ healthCheck: { command: ["CMD-SHELL", "exit 1"], interval: 10, retries: 2 } }),
      1,
    );
    await w.settle();
    const [first] = await w.tasks();
    // Early probes failed: they do not count before Docker's first check (one interval after start).
    expect(first?.task).toMatchObject({ lastStatus: "RUNNING", healthStatus: "UNKNOWN" });
    await w.settle(); // no time passed: no new check
    expect((await w.tasks())[0]?.task.healthStatus).toBe("UNKNOWN");
    w.clock.advance(9_999);
    await w.settle();
    expect((await w.tasks())[0]?.task).toMatchObject({ lastStatus: "RUNNING", healthStatus: "UNKNOWN" });
    w.clock.advance(1);
    await w.settle(); // the first counted failure, at 10 s
    expect((await w.tasks())[0]?.task).toMatchObject({ lastStatus: "RUNNING", healthStatus: "UNKNOWN" });
    w.clock.advance(9_999);
    await w.settle();
    expect((await w.tasks())[0]?.task.healthStatus).toBe("UNKNOWN");
    w.clock.advance(1);
    await w.settle(); // the second, at 20 s: retries 2
    const all = await w.tasks();
    expect(all[0]?.task).toMatchObject({
      lastStatus: "STOPPED",
      healthStatus: "UNHEALTHY",
      stoppedReason: "Task failed container health checks",
    });
    expect(all).toHaveLength(2); // its replacement
    expect((await w.service()).deployments[0]?.failedTasks).toBe(1);
  });

  it("does not fail a container whose server listens a moment after it starts (retries 1)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pipewright-slow-listen-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const w = await world(
      sleeper({
        command: [`sleep 0.3; touch ${dir}/ready; trap 'exit 0' TERM; while true; do sleep 0.1; done`],
        healthCheck: { command: ["CMD-SHELL", `test -f ${dir}/ready`], interval: 30, retries: 1 },
      }),
      1,
    );
    await w.settle(); // the first probe, at once: not ready yet
    expect((await w.tasks())[0]?.task).toMatchObject({ lastStatus: "RUNNING", healthStatus: "UNKNOWN" });
    await new Promise((resolve) => setTimeout(resolve, 600)); // it gets ready (real time)
    w.clock.advance(EARLY_PROBE_MS);
    await w.settle();
    const [task] = await w.tasks();
    expect(task?.task).toMatchObject({ lastStatus: "RUNNING", healthStatus: "HEALTHY" });
    const s = await w.service();
    expect(s.deployments[0]).toMatchObject({ rolloutState: "COMPLETED", failedTasks: 0 });
    expect(await w.tasks()).toHaveLength(1); // never replaced
  });

  it("replaces a task whose essential container exits, and trips the breaker after 3 such failures", async () => {
    const w = await world(sleeper({ command: ["exit 7"] }), 1);
    // The processes exit in real time, a few ms after they start: let them, between passes.
    for (let i = 0; i < 8; i++) {
      await w.settle();
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const all = await w.tasks();
    const failed = all.filter((t) => t.task.stopCode === "EssentialContainerExited");
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed[0]?.task.containers[0]?.exitCode).toBe(7);
    expect(failed[0]?.task.stoppedReason).toBe("Essential container in task exited");
    const s = await w.service();
    expect(s.deployments[0]).toMatchObject({
      rolloutState: "FAILED",
      rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
    });
    // A FAILED deployment launches no more tasks.
    const count = all.length;
    await w.settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await w.settle();
    expect((await w.tasks()).length).toBe(count);
  });
});
