import { expect } from "vitest";
import type { Logger } from "../../src/lib/logger.js";
import { type EcsWiring, wireEcs } from "../../src/main/ecs.js";
import { systemClock } from "../../src/main/system-clock.js";
import type { ContainerDefinition, Service } from "../../src/model/ecs/types.js";
import type { TaskRuntimes } from "../../src/runtime/ecs/task-driver.js";
import { createMemoryStores } from "../../src/store/memory/create-memory-stores.js";
import type { EcsTaskRecord } from "../../src/store/types.js";

// The rolling scenario of issue 12's acceptance, shared by the Docker and host-process tests:
// a 3-task service with a container health check rolled v1 -> v2 (every task replaced), then a
// broken v3 whose health check fails: the circuit breaker trips and the service rolls back to
// v2. A sampler checks maximumPercent and minimumHealthyPercent every 50 ms throughout.

export const scope = { accountId: "123456789012", region: "us-east-1" };
const errors: string[] = [];
const logger: Logger = { info: () => {}, warn: (m) => errors.push(m), error: (m) => errors.push(m) };

export interface Sample {
  readonly at: number;
  readonly open: number;
  readonly healthy: number;
}

export interface RollingReport {
  readonly firstSteadyMs: number;
  readonly v2Ms: number;
  readonly v3RollbackMs: number;
  readonly breakerTrippedMs: number;
  readonly samples: number;
  readonly maxOpen: number;
  readonly minHealthyAfterSteady: number;
}

const until = async (what: string, check: () => Promise<boolean>, ms = 90_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

export async function runRollingScenario(
  runtimes: TaskRuntimes,
  container: (version: string, healthy: boolean) => ContainerDefinition,
  serve: (task: EcsTaskRecord) => Promise<string>,
): Promise<RollingReport> {
  const stores = createMemoryStores();
  const ecs: EcsWiring = wireEcs({
    stores,
    clock: systemClock,
    logger,
    runtimes,
    scheduler: { intervalMs: 50, watchIntervalMs: 100, defaultStopTimeoutSeconds: 1 },
  });
  const { api } = ecs;
  const service = async (): Promise<Service> => (await api.services.get(scope, "default", "web"))!.service;
  const tasks = () => stores.ecs.listTasks(scope, "default", { serviceName: "web" });
  const open = async () => (await tasks()).filter((t) => t.task.lastStatus !== "STOPPED");
  const stable = async (revision: number) => {
    const s = await service();
    const live = (await open()).filter((t) => t.task.desiredStatus === "RUNNING");
    return (
      s.deployments.length === 1 &&
      s.deployments[0]!.rolloutState === "COMPLETED" &&
      s.taskDefinition.endsWith(`:${revision}`) &&
      live.length === 3 &&
      live.every(
        (t) => t.task.taskDefinitionArn.endsWith(`:${revision}`) && t.task.healthStatus === "HEALTHY",
      )
    );
  };

  ecs.start();
  const samples: Sample[] = [];
  let sampling = true;
  let steadyAt: number | undefined;
  const sampler = (async () => {
    while (sampling) {
      const all = await open();
      samples.push({
        at: Date.now(),
        open: all.length,
        healthy: all.filter(
          (t) =>
            t.task.desiredStatus === "RUNNING" &&
            t.task.lastStatus === "RUNNING" &&
            t.task.healthStatus === "HEALTHY",
        ).length,
      });
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    await api.clusters.create(scope, {});
    const register = async (version: string, healthy: boolean) => {
      const r = await api.taskDefinitions.register(
        scope,
        { family: "web", containerDefinitions: [container(version, healthy)] },
        "test",
      );
      if (!r.ok) throw new Error(r.error.message);
      return r.value.taskDefinition.taskDefinitionArn;
    };
    const t0 = Date.now();
    await register("v1", true);
    const created = await api.services.create(
      scope,
      {
        serviceName: "web",
        taskDefinition: "web:1",
        desiredCount: 3,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          minimumHealthyPercent: 100,
          maximumPercent: 200,
        },
      },
      "test",
    );
    expect(created.ok).toBe(true);
    await until("v1 steady", () => stable(1));
    const firstSteadyMs = Date.now() - t0;
    steadyAt = Date.now();
    for (const t of await open()) expect((await serve(t)).trim()).toBe("v1");

    const t1 = Date.now();
    await register("v2", true);
    expect((await api.services.update(scope, undefined, "web", { taskDefinition: "web:2" })).ok).toBe(true);
    await until("v2 steady", () => stable(2));
    const v2Ms = Date.now() - t1;
    for (const t of await open()) expect((await serve(t)).trim()).toBe("v2");

    const t2 = Date.now();
    await register("v3", false);
    expect((await api.services.update(scope, undefined, "web", { taskDefinition: "web:3" })).ok).toBe(true);
    let trippedAt: number | undefined;
    await until("the breaker to trip", async () => {
      const s = await service();
      // The FAILED deployment leaves the list once its tasks have stopped, which a fast rollback
      // does between two looks: the breaker's event stays.
      if (
        s.deployments.some((d) => d.rolloutState === "FAILED") ||
        s.events.some((e) => e.message.endsWith("deployment failed: tasks failed to start."))
      )
        trippedAt ??= Date.now();
      return trippedAt !== undefined;
    });
    await until("the rollback to v2", () => stable(2));
    const v3RollbackMs = Date.now() - t2;
    const s = await service();
    const messages = s.events.map((e) => e.message);
    expect(
      messages.some((m) => /\(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start\./u.test(m)),
    ).toBe(true);
    expect(
      messages.filter((m) => m === "service (web) has reached a steady state.").length,
    ).toBeGreaterThanOrEqual(3);
    expect(messages.some((m) => /^service \(web\) has started 3 tasks: \(task [0-9a-f]{32}\)/u.test(m))).toBe(
      true,
    );
    expect(s.deployments[0]!.rolloutStateReason).toMatch(/^ECS deployment ecs-svc\/\d+ completed\.$/u);
    for (const t of await open()) expect((await serve(t)).trim()).toBe("v2");
    const failedV3 = (await tasks()).filter((t) => t.task.taskDefinitionArn.endsWith(":3"));
    expect(failedV3.length).toBeGreaterThanOrEqual(3);
    expect(failedV3.every((t) => t.task.lastStatus === "STOPPED")).toBe(true);
    expect(failedV3.some((t) => t.task.stoppedReason === "Task failed container health checks")).toBe(true);

    sampling = false;
    await sampler;
    const after = samples.filter((x) => x.at >= steadyAt!);
    const report: RollingReport = {
      firstSteadyMs,
      v2Ms,
      v3RollbackMs,
      breakerTrippedMs: trippedAt! - t2,
      samples: samples.length,
      maxOpen: Math.max(...samples.map((x) => x.open)),
      minHealthyAfterSteady: Math.min(...after.map((x) => x.healthy)),
    };
    // maximumPercent 200 % of 3 = 6 tasks at most; minimumHealthyPercent 100 %: 3 healthy always.
    expect(report.maxOpen).toBeLessThanOrEqual(6);
    expect(report.minHealthyAfterSteady).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
    return report;
  } finally {
    sampling = false;
    await sampler;
    // Scale to 0 so every container is stopped and removed.
    await api.services.update(scope, undefined, "web", { desiredCount: 0 });
    await until("every task stopped", async () => (await open()).length === 0, 60_000).catch(() => undefined);
    await ecs.stop();
    await stores.close();
  }
}
