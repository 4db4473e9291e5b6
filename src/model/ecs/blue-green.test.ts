import { describe, expect, it } from "vitest";
import {
  blueGreenInProgress,
  markTrafficShifted,
  rollBackBlueGreen,
  startBlueGreenDeployment,
  targetModeOf,
} from "./blue-green.js";
import { createService } from "./services.js";
import type { Service } from "./types.js";

const T0 = Date.UTC(2026, 0, 1);

function stable(): Service {
  const s = createService(
    {
      serviceArn: "arn:aws:ecs:us-east-1:1:service/c/web",
      serviceName: "web",
      clusterArn: "arn:aws:ecs:us-east-1:1:cluster/c",
      taskDefinition: "td:1",
      desiredCount: 3,
      launchType: "EC2",
    },
    "ecs-svc/blue",
    T0,
    "tester",
  );
  return { ...s, deployments: s.deployments.map((d) => ({ ...d, rolloutState: "COMPLETED" as const })) };
}

describe("blue/green changes to a service", () => {
  it("starts green as the PRIMARY deployment at desiredCount, blue ACTIVE", () => {
    const s = startBlueGreenDeployment(stable(), "td:2", "ecs-svc/green", T0 + 1);
    expect(s.taskDefinition).toBe("td:2");
    expect(s.deployments.map((d) => [d.id, d.status, d.desiredCount])).toEqual([
      ["ecs-svc/green", "PRIMARY", 3],
      ["ecs-svc/blue", "ACTIVE", 3],
    ]);
    expect(blueGreenInProgress(s)?.id).toBe("ecs-svc/green");
    expect(blueGreenInProgress(stable())).toBeUndefined();
  });

  it("puts green on standby and blue live before the switch, then green live and blue nowhere", () => {
    const before = startBlueGreenDeployment(stable(), "td:2", "ecs-svc/green", T0);
    expect(targetModeOf(before, "ecs-svc/green")).toBe("standby");
    expect(targetModeOf(before, "ecs-svc/blue")).toBe("live");
    const after = markTrafficShifted(before, "ecs-svc/green", T0 + 5);
    expect(after.deployments[0]?.pipewrightBlueGreen).toEqual({ trafficShiftedAt: T0 + 5 });
    expect(targetModeOf(after, "ecs-svc/green")).toBe("live");
    expect(targetModeOf(after, "ecs-svc/blue")).toBe("none");
    expect(targetModeOf(stable(), "ecs-svc/blue")).toBe("live");
  });

  it("does not roll back when there is no COMPLETED blue to return to", () => {
    const s = stable();
    const noBlue: Service = {
      ...s,
      deployments: s.deployments.map((d) => ({ ...d, rolloutState: "IN_PROGRESS" as const })),
    };
    const started = startBlueGreenDeployment(noBlue, "td:2", "ecs-svc/green", T0);
    expect(rollBackBlueGreen(started, "ecs-svc/green", "why", T0)).toBe(started);
  });
});
