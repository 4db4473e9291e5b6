import { describe, expect, it } from "vitest";
import { updateService } from "../../model/ecs/services.js";
import { service, settings, T0, task } from "../testing/ecs-builders.js";
import { decideService } from "./decide-service.js";
import { circuitBreakerThreshold, maximumTasks, minimumHealthyTasks } from "./rolling-rules.js";

const decide = (
  s: ReturnType<typeof service>,
  tasks: Parameters<typeof decideService>[1],
  now = T0 + 60_000,
) => decideService(s, tasks, now, settings, "ecs-svc/rollback");

describe("ECS's rounding (spec A.5 worked examples)", () => {
  it.each([
    [4, 50, 2],
    [2, 75, 2],
    [3, 100, 3],
    [3, 0, 0],
    [5, 33, 2],
  ])("desired %i, minimumHealthyPercent %i -> at least %i healthy (rounded up)", (desired, pct, expected) => {
    expect(minimumHealthyTasks(desired, pct)).toBe(expected);
  });
  it.each([
    [4, 200, 8],
    [3, 125, 3],
    [3, 150, 4],
    [1, 199, 1],
  ])("desired %i, maximumPercent %i -> at most %i tasks (rounded down)", (desired, pct, expected) => {
    expect(maximumTasks(desired, pct)).toBe(expected);
  });
  it.each([
    [1, 3, 3],
    [25, 3, 13],
    [400, 3, 200],
    [800, 10, 200],
    [1, 10, 10],
  ])("circuit breaker: desired %i with minimum %i trips at %i failures", (desired, min, expected) => {
    expect(circuitBreakerThreshold(desired, min)).toBe(expected);
  });
});

describe("the rolling scheduler", () => {
  it("starts desiredCount tasks of a new service", () => {
    const d = decide(service(3), []);
    expect(d.start).toEqual({ deploymentId: "ecs-svc/1", taskDefinition: "td:1", count: 3 });
    expect(d.stop).toEqual([]);
  });

  it("completes a deployment once its tasks are healthy, with AWS's events", () => {
    const s = service(2);
    const d = decide(s, [task("a", "ecs-svc/1"), task("b", "ecs-svc/1")]);
    expect(d.service.deployments).toHaveLength(1);
    expect(d.service.deployments[0]).toMatchObject({
      rolloutState: "COMPLETED",
      runningCount: 2,
      rolloutStateReason: "ECS deployment ecs-svc/1 completed.",
    });
    expect(d.events).toEqual([
      "service (web) (deployment ecs-svc/1) deployment completed.",
      "service (web) has reached a steady state.",
    ]);
    expect(d.service.runningCount).toBe(2);
  });

  it("waits for health: RUNNING but UNKNOWN health does not complete", () => {
    const d = decide(service(1), [task("a", "ecs-svc/1", { healthStatus: "UNKNOWN" })]);
    expect(d.service.deployments[0]?.rolloutState).toBe("IN_PROGRESS");
    expect(d.events).toEqual([]);
  });

  it("counts a task without health checks as healthy only after the no-health-check delay", () => {
    const t = task("a", "ecs-svc/1", { hasHealthCheck: false, healthStatus: "UNKNOWN", startedAt: T0 });
    expect(decide(service(1), [t], T0 + 4_999).service.deployments[0]?.rolloutState).toBe("IN_PROGRESS");
    expect(decide(service(1), [t], T0 + 5_000).service.deployments[0]?.rolloutState).toBe("COMPLETED");
  });

  it("with max 200 % starts all new tasks before stopping old ones (min 100 %)", () => {
    const s = updateService(service(3), { taskDefinition: "td:2" }, "ecs-svc/2", T0);
    const old = ["a", "b", "c"].map((id) => task(id, "ecs-svc/1"));
    const d = decide(s, old);
    expect(d.start).toEqual({ deploymentId: "ecs-svc/2", taskDefinition: "td:2", count: 3 });
    expect(d.stop).toEqual([]);
    const fresh = ["x", "y", "z"].map((id) => task(id, "ecs-svc/2"));
    const next = decide(d.service, [...old, ...fresh]);
    expect(next.stop.map((s) => s.taskId).sort()).toEqual(["a", "b", "c"]);
    expect(next.stop[0]?.reason).toBe("Scaling activity initiated by (deployment ecs-svc/2)");
    expect(next.events).toContain("service (web) has stopped 3 running tasks: (task a) (task b) (task c).");
  });

  it("with min 50 % and max 100 % stops half the old tasks first, then starts", () => {
    const s = updateService(
      service(4, { minimumHealthyPercent: 50, maximumPercent: 100 }),
      { taskDefinition: "td:2" },
      "ecs-svc/2",
      T0,
    );
    const old = ["a", "b", "c", "d"].map((id) => task(id, "ecs-svc/1"));
    const d = decide(s, old);
    expect(d.start).toBeUndefined();
    expect(d.stop).toHaveLength(2);
  });

  it("with min 100 % and max 100 % can do nothing and says so once", () => {
    const s = updateService(
      service(2, { minimumHealthyPercent: 100, maximumPercent: 100 }),
      { taskDefinition: "td:2" },
      "ecs-svc/2",
      T0,
    );
    const old = ["a", "b"].map((id) => task(id, "ecs-svc/1"));
    const d = decide(s, old);
    expect(d.start).toBeUndefined();
    expect(d.stop).toEqual([]);
    expect(d.events).toEqual([
      "service (web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.",
    ]);
    const again = decide({ ...d.service, events: [{ id: "1", createdAt: T0, message: d.events[0]! }] }, old);
    expect(again.events).toEqual([]);
  });

  it("replaces an UNHEALTHY task after the grace period, and not before", () => {
    const s = service(1, {}, { healthCheckGracePeriodSeconds: 30 });
    const sick = task("a", "ecs-svc/1", { healthStatus: "UNHEALTHY", startedAt: T0 });
    expect(decide(s, [sick], T0 + 29_000).stop).toEqual([]);
    const d = decide(s, [sick], T0 + 30_000);
    expect(d.stop).toEqual([{ taskId: "a", reason: "Task failed container health checks", unhealthy: true }]);
    // It still holds its place under maximumPercent (200 % of 1 = 2): one replacement starts now.
    expect(d.start?.count).toBe(1);
  });

  it("replaces a task that stopped by itself", () => {
    const gone = task("a", "ecs-svc/1", { lastStatus: "STOPPED", desiredStatus: "STOPPED", failed: true });
    expect(decide(service(2), [gone, task("b", "ecs-svc/1")]).start?.count).toBe(1);
  });

  it("trips the circuit breaker at the threshold and rolls back to the last COMPLETED deployment", () => {
    let s = service(3, { deploymentCircuitBreaker: { enable: true, rollback: true } });
    const v1 = ["a", "b", "c"].map((id) => task(id, "ecs-svc/1"));
    s = decide(s, v1).service;
    expect(s.deployments[0]?.rolloutState).toBe("COMPLETED");
    s = updateService(s, { taskDefinition: "td:2" }, "ecs-svc/2", T0);
    const failed = (id: string) =>
      task(id, "ecs-svc/2", { lastStatus: "STOPPED", desiredStatus: "STOPPED", failed: true });
    const two = decide(s, [...v1, failed("x"), failed("y")]);
    expect(two.service.deployments[0]?.rolloutState).toBe("IN_PROGRESS");
    expect(two.service.deployments[0]?.failedTasks).toBe(2);
    const three = decide(s, [...v1, failed("x"), failed("y"), failed("z")]);
    const [rollback, failedDeployment, v1Deployment] = three.service.deployments;
    expect(failedDeployment).toMatchObject({
      id: "ecs-svc/2",
      status: "ACTIVE",
      rolloutState: "FAILED",
      rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
      failedTasks: 3,
    });
    expect(rollback).toMatchObject({
      id: "ecs-svc/rollback",
      status: "PRIMARY",
      taskDefinition: "td:1",
      rolloutState: "IN_PROGRESS",
      rolloutStateReason: "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.",
    });
    expect(v1Deployment?.id).toBe("ecs-svc/1");
    expect(three.service.taskDefinition).toBe("td:1");
    expect(three.events).toContain(
      "service (web) (deployment ecs-svc/2) deployment failed: tasks failed to start.",
    );
    expect(three.start).toEqual({ deploymentId: "ecs-svc/rollback", taskDefinition: "td:1", count: 3 });
  });

  it("without rollback a FAILED deployment starts no more tasks", () => {
    let s = service(3, { deploymentCircuitBreaker: { enable: true, rollback: false } });
    s = updateService(s, { taskDefinition: "td:2" }, "ecs-svc/2", T0);
    const failed = ["x", "y", "z"].map((id) =>
      task(id, "ecs-svc/2", { lastStatus: "STOPPED", desiredStatus: "STOPPED", failed: true }),
    );
    const d = decide(s, failed);
    expect(d.service.deployments[0]).toMatchObject({ id: "ecs-svc/2", rolloutState: "FAILED" });
    expect(d.start).toBeUndefined();
  });

  it("throttles starts after tasks fail to start: exponentially spaced, at most 15 minutes, and says so once", () => {
    const failed = (id: string, stoppedAt: number) =>
      task(id, "ecs-svc/1", {
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        failed: true,
        failedToStart: true,
        stoppedAt,
        startedAt: undefined,
      });
    const one = [failed("a", T0)];
    expect(decide(service(1), one, T0 + 999).start).toBeUndefined();
    expect(decide(service(1), one, T0 + 999).events).toEqual([
      "service (web) is unable to consistently start tasks successfully.",
    ]);
    expect(decide(service(1), one, T0 + 1_000).start?.count).toBe(1);
    const three = [failed("a", T0), failed("b", T0 + 10), failed("c", T0 + 20)];
    expect(decide(service(1), three, T0 + 20 + 3_999).start).toBeUndefined(); // 1 s x 2^2
    expect(decide(service(1), three, T0 + 20 + 4_000).start?.count).toBe(1);
    const many = Array.from({ length: 20 }, (_, i) => failed(`t${i}`, T0 + i));
    expect(decide(service(1), many, T0 + 19 + 15 * 60_000 - 1).start).toBeUndefined();
    expect(decide(service(1), many, T0 + 19 + 15 * 60_000).start?.count).toBe(1);
    // A task that reached RUNNING ends the streak; crashes after RUNNING are not throttled.
    const crashed = task("r", "ecs-svc/1", {
      lastStatus: "STOPPED",
      desiredStatus: "STOPPED",
      failed: true,
      stoppedAt: T0 + 30,
    });
    expect(decide(service(1), [...three, crashed], T0 + 31).start?.count).toBe(1);
    const s = {
      ...service(1),
      events: [
        {
          id: "e",
          createdAt: T0,
          message: "service (web) is unable to consistently start tasks successfully.",
        },
      ],
    };
    expect(decide(s, one, T0 + 500).events).toEqual([]);
  });

  it("scales to 0: stops every task; a DRAINING service becomes INACTIVE when none is left", () => {
    const s = updateService(service(2), { desiredCount: 0 }, "unused", T0);
    const d = decide(s, [task("a", "ecs-svc/1"), task("b", "ecs-svc/1")]);
    expect(d.stop.map((x) => x.taskId).sort()).toEqual(["a", "b"]);
    const drained = decide({ ...s, status: "DRAINING" }, [
      task("a", "ecs-svc/1", { lastStatus: "STOPPED", desiredStatus: "STOPPED" }),
    ]);
    expect(drained.service.status).toBe("INACTIVE");
  });
});
