import { describe, expect, it } from "vitest";
import {
  decideDeploymentProgress,
  type EcsDeploymentRecord,
  type EcsServiceRecord,
  type OwnDeployment,
} from "./deployment-progress.js";

const T0 = Date.UTC(2026, 0, 1);
const own: OwnDeployment = {
  deploymentId: "ecs-svc/222",
  taskDefinitionArn: "arn:aws:ecs:us-east-1:1:task-definition/web:8",
  startedAt: T0,
  timeoutMinutes: 15,
};
const oldDeployment: EcsDeploymentRecord = {
  id: "ecs-svc/111",
  status: "ACTIVE",
  taskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/web:7",
  desiredCount: 3,
  runningCount: 3,
  rolloutState: "COMPLETED",
};
const mine = (over: Partial<EcsDeploymentRecord>): EcsDeploymentRecord => ({
  id: "ecs-svc/222",
  status: "PRIMARY",
  taskDefinition: own.taskDefinitionArn,
  desiredCount: 3,
  runningCount: 1,
  pendingCount: 2,
  rolloutState: "IN_PROGRESS",
  rolloutStateReason: "ECS deployment ecs-svc/222 in progress.",
  ...over,
});
const service = (
  deployments: EcsDeploymentRecord[],
  events: EcsServiceRecord["events"] = [],
): EcsServiceRecord => ({
  serviceName: "web",
  status: "ACTIVE",
  desiredCount: 3,
  deployments,
  events,
});

describe("decideDeploymentProgress", () => {
  it("is in progress while the rollout runs", () => {
    expect(decideDeploymentProgress(service([mine({}), oldDeployment]), own, T0 + 1000)).toEqual({
      kind: "inProgress",
      message: `Deploying ${own.taskDefinitionArn} to service web: 1 running, 2 pending of 3 desired (ECS deployment ecs-svc/222 in progress.)`,
    });
  });

  it("succeeds only when PRIMARY, COMPLETED and running == desired", () => {
    const done = mine({ rolloutState: "COMPLETED", runningCount: 3, pendingCount: 0 });
    expect(decideDeploymentProgress(service([done]), own, T0 + 1000)).toEqual({
      kind: "succeeded",
      summary: `Deployed ${own.taskDefinitionArn} to service web: 3 running, 0 pending of 3 desired`,
    });
    expect(decideDeploymentProgress(service([{ ...done, runningCount: 2 }]), own, T0).kind).toBe(
      "inProgress",
    );
    expect(decideDeploymentProgress(service([{ ...done, rolloutState: "IN_PROGRESS" }]), own, T0).kind).toBe(
      "inProgress",
    );
  });

  it("fails fast on FAILED with the reason and the latest events since the start", () => {
    const events = [
      {
        id: "3",
        createdAt: new Date(T0 + 3000),
        message: "(service web) (deployment ecs-svc/222) deployment failed: tasks failed to start.",
      },
      { id: "2", createdAt: new Date(T0 + 2000), message: "(service web) has started 1 tasks: (task abc)." },
      { id: "1", createdAt: new Date(T0 - 5000), message: "(service web) has reached a steady state." },
    ];
    const failed = mine({
      status: "ACTIVE",
      rolloutState: "FAILED",
      rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
    });
    const rollback = { ...oldDeployment, id: "ecs-svc/333", status: "PRIMARY", rolloutState: "IN_PROGRESS" };
    const r = decideDeploymentProgress(service([rollback, failed], events), own, T0 + 4000);
    expect(r).toEqual({
      kind: "failed",
      message:
        `ECS deployment ecs-svc/222 (${own.taskDefinitionArn}) of service web failed: ECS deployment circuit breaker: tasks failed to start.` +
        ` The service is rolling back to ${oldDeployment.taskDefinition}.\nLatest service events:\n` +
        `  2026-01-01T00:00:03.000Z (service web) (deployment ecs-svc/222) deployment failed: tasks failed to start.\n` +
        "  2026-01-01T00:00:02.000Z (service web) has started 1 tasks: (task abc).",
    });
  });

  it("fails when the deployment was rolled back and is gone", () => {
    const rollback = {
      ...oldDeployment,
      id: "ecs-svc/333",
      status: "PRIMARY",
      rolloutState: "IN_PROGRESS",
      rolloutStateReason: "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/111.",
    };
    const r = decideDeploymentProgress(service([rollback]), own, T0 + 1000);
    expect(r.kind === "failed" && r.message).toBe(
      `ECS deployment ecs-svc/222 (${own.taskDefinitionArn}) of service web was rolled back. The PRIMARY deployment is now ecs-svc/333 (${oldDeployment.taskDefinition}).`,
    );
  });

  it("names the circuit breaker after a completed rollback took the failed deployment off the list", () => {
    const rolledBack = {
      ...oldDeployment,
      id: "ecs-svc/333",
      status: "PRIMARY",
      rolloutState: "COMPLETED",
      rolloutStateReason: "ECS deployment ecs-svc/333 completed.",
    };
    const events = [
      { createdAt: T0 + 4000, message: "service (web) (deployment ecs-svc/333) deployment completed." },
      {
        createdAt: T0 + 2000,
        message: "service (web) (deployment ecs-svc/222) deployment failed: tasks failed to start.",
      },
    ];
    const r = decideDeploymentProgress(service([rolledBack], events), own, T0 + 5000);
    expect(r.kind).toBe("failed");
    expect(r.kind === "failed" && r.message.split("\n")[0]).toBe(
      `ECS deployment ecs-svc/222 (${own.taskDefinitionArn}) of service web failed: ECS deployment circuit breaker: tasks failed to start; the service rolled back. The PRIMARY deployment is now ecs-svc/333 (${oldDeployment.taskDefinition}).`,
    );
    // Another deployment's failure is not this one's.
    const other = [
      {
        createdAt: T0 + 2000,
        message: "service (web) (deployment ecs-svc/999) deployment failed: tasks failed to start.",
      },
    ];
    const r2 = decideDeploymentProgress(service([rolledBack], other), own, T0 + 5000);
    expect(r2.kind === "failed" && r2.message).toContain("was replaced by another deployment");
  });

  it("fails when another deployment replaced this one", () => {
    const other = {
      ...oldDeployment,
      id: "ecs-svc/444",
      status: "PRIMARY",
      taskDefinition: "arn:...:web:9",
      rolloutState: "IN_PROGRESS",
    };
    const r = decideDeploymentProgress(service([other, mine({ status: "ACTIVE" })]), own, T0 + 1000);
    expect(r.kind === "failed" && r.message).toContain(
      "was replaced by another deployment before it finished. The PRIMARY deployment is now ecs-svc/444",
    );
  });

  it("fails at DeploymentTimeout, not a moment before", () => {
    const s = service([mine({}), oldDeployment]);
    expect(decideDeploymentProgress(s, own, T0 + 15 * 60_000 - 1).kind).toBe("inProgress");
    const r = decideDeploymentProgress(s, own, T0 + 15 * 60_000);
    expect(r.kind === "failed" && r.message).toContain(
      "did not finish within DeploymentTimeout (15 minutes): 1 running, 2 pending of 3 desired, rolloutState IN_PROGRESS.",
    );
  });

  it("fails when the service is missing or no longer ACTIVE", () => {
    expect(decideDeploymentProgress(undefined, own, T0)).toMatchObject({
      kind: "failed",
      message: expect.stringContaining("MISSING"),
    });
    const draining = { ...service([mine({})]), status: "DRAINING" };
    expect(decideDeploymentProgress(draining, own, T0)).toMatchObject({
      kind: "failed",
      message: expect.stringContaining("Service web is DRAINING"),
    });
  });

  it("accepts event times as epoch milliseconds and quotes at most five", () => {
    const events = Array.from({ length: 8 }, (_, i) => ({ createdAt: T0 + i * 1000, message: `event ${i}` }));
    const r = decideDeploymentProgress(service([mine({ rolloutState: "FAILED" })], events), own, T0 + 10_000);
    if (r.kind !== "failed") throw new Error("expected a failure");
    expect(r.message.split("\n").slice(2)).toEqual(
      [7, 6, 5, 4, 3].map((i) => `  ${new Date(T0 + i * 1000).toISOString()} event ${i}`),
    );
  });
});
