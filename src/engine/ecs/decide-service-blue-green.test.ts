import { describe, expect, it } from "vitest";
import {
  endBlueGreenBake,
  markTrafficShifted,
  rollBackBlueGreen,
  startBlueGreenDeployment,
} from "../../model/ecs/blue-green.js";
import type { Service } from "../../model/ecs/types.js";
import { service, settings, T0, task } from "../testing/ecs-builders.js";
import { decideService } from "./decide-service.js";

const NOW = T0 + 60_000;
const decide = (s: Service, tasks: Parameters<typeof decideService>[1]) =>
  decideService(s, tasks, NOW, settings, "ecs-svc/new");

/** A stable 2-task service on td:1 (ecs-svc/1 COMPLETED), then green td:2 as ecs-svc/green. */
function blueGreen(
  config = {
    maximumPercent: 100,
    minimumHealthyPercent: 100,
    deploymentCircuitBreaker: { enable: true, rollback: true },
  },
) {
  const stable = decide(service(2, config), [task("b1", "ecs-svc/1"), task("b2", "ecs-svc/1")]).service;
  expect(stable.deployments[0]?.rolloutState).toBe("COMPLETED");
  return startBlueGreenDeployment(stable, "td:2", "ecs-svc/green", NOW);
}
const blue = [task("b1", "ecs-svc/1"), task("b2", "ecs-svc/1")];

describe("the scheduler during a blue/green deployment", () => {
  it("starts green in full beside blue even when maximumPercent is 100, and stops no blue task", () => {
    const d = decide(blueGreen(), blue);
    expect(d.start).toEqual({ deploymentId: "ecs-svc/green", taskDefinition: "td:2", count: 2 });
    expect(d.stop).toEqual([]);
  });

  it("keeps blue while green is healthy beside it, before and during the bake", () => {
    const green = [task("g1", "ecs-svc/green"), task("g2", "ecs-svc/green")];
    const before = decide(blueGreen(), [...blue, ...green]);
    expect(before.stop).toEqual([]);
    expect(before.start).toBeUndefined();
    expect(before.service.deployments.map((x) => x.rolloutState)).toEqual(["IN_PROGRESS", "COMPLETED"]);
    const baking = decide(markTrafficShifted(blueGreen(), "ecs-svc/green", NOW), [...blue, ...green]);
    expect(baking.stop).toEqual([]);
    expect(baking.events.some((e) => e.includes("unable to stop or start"))).toBe(false);
  });

  it("does not replace a green task that failed before the switch, nor trip the breaker", () => {
    const failed = [
      task("g1", "ecs-svc/green", {
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        failed: true,
        stoppedAt: NOW,
      }),
      task("g2", "ecs-svc/green", {
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        failed: true,
        stoppedAt: NOW,
      }),
      task("g3", "ecs-svc/green", {
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        failed: true,
        stoppedAt: NOW,
      }),
    ];
    const d = decide(blueGreen(), [...blue, ...failed]);
    expect(d.start).toBeUndefined();
    expect(d.service.deployments[0]).toMatchObject({ id: "ecs-svc/green", rolloutState: "IN_PROGRESS" });
    // After the switch, green is the service's: a failed task is replaced.
    const after = decide(markTrafficShifted(blueGreen(), "ecs-svc/green", NOW), [
      ...blue,
      failed[0]!,
      task("g2", "ecs-svc/green"),
    ]);
    expect(after.start?.count).toBe(1);
  });

  it("stops blue and completes green once the bake is over", () => {
    const green = [task("g1", "ecs-svc/green"), task("g2", "ecs-svc/green")];
    const ended = endBlueGreenBake(
      markTrafficShifted(blueGreen(), "ecs-svc/green", NOW),
      "ecs-svc/green",
      NOW,
    );
    expect(ended.deployments[0]?.pipewrightBlueGreen).toBeUndefined();
    const d = decide(ended, [...blue, ...green]);
    expect(d.stop.map((s) => s.taskId).sort()).toEqual(["b1", "b2"]);
    const done = decide(d.service, green);
    expect(done.service.deployments).toMatchObject([
      { id: "ecs-svc/green", status: "PRIMARY", rolloutState: "COMPLETED" },
    ]);
  });

  it("stops the tasks of an earlier, failed green when a new green starts", () => {
    const rolled = rollBackBlueGreen(blueGreen(), "ecs-svc/green", "green failed", NOW);
    const again = startBlueGreenDeployment(rolled, "td:3", "ecs-svc/green2", NOW);
    const d = decide(again, [...blue, task("g1", "ecs-svc/green")]);
    expect(d.stop.map((s) => s.taskId)).toEqual(["g1"]);
    expect(d.start).toMatchObject({ deploymentId: "ecs-svc/green2", count: 2 });
  });

  it("stops blue and green alike once DeleteService drains the service", () => {
    const started = blueGreen();
    const draining: Service = {
      ...started,
      status: "DRAINING",
      desiredCount: 0,
      deployments: started.deployments.map((x) => ({ ...x, desiredCount: 0 })),
    };
    const d = decide(draining, [...blue, task("g1", "ecs-svc/green"), task("g2", "ecs-svc/green")]);
    expect(d.stop.map((s) => s.taskId).sort()).toEqual(["b1", "b2", "g1", "g2"]);
  });

  it("after a rollback runs blue again and stops green's tasks", () => {
    const rolled = rollBackBlueGreen(blueGreen(), "ecs-svc/green", "green task g1 stopped", NOW);
    expect(rolled.taskDefinition).toBe("td:1");
    expect(rolled.deployments.map((x) => [x.id, x.status, x.rolloutState])).toEqual([
      ["ecs-svc/1", "PRIMARY", "COMPLETED"],
      ["ecs-svc/green", "ACTIVE", "FAILED"],
    ]);
    expect(rolled.deployments[1]?.rolloutStateReason).toBe("green task g1 stopped");
    const d = decide(rolled, [
      ...blue,
      task("g1", "ecs-svc/green"),
      task("g2", "ecs-svc/green", { healthStatus: "UNKNOWN" }),
    ]);
    expect(d.stop.map((s) => s.taskId).sort()).toEqual(["g1", "g2"]);
    expect(d.start).toBeUndefined();
    // Once green's tasks have stopped, only blue is listed (services-stable passes).
    expect(decide(d.service, blue).service.deployments.map((x) => x.id)).toEqual(["ecs-svc/1"]);
  });
});
