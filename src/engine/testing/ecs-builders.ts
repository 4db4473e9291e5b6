// Builders for the ECS scheduler's tests (engine/ecs/*.test.ts).
import { createService } from "../../model/ecs/services.js";
import type { DeploymentConfiguration, Service } from "../../model/ecs/types.js";
import type { ObservedTask, SchedulerSettings } from "../ecs/decide-service.js";

export const T0 = Date.UTC(2026, 0, 1);
export const settings: SchedulerSettings = {
  noHealthCheckDelayMs: 5_000,
  circuitBreakerMinimum: 3,
  throttleBaseMs: 1_000,
};

export function service(
  desiredCount: number,
  config: DeploymentConfiguration = {},
  extra: Partial<Service> = {},
): Service {
  const s = createService(
    {
      serviceArn: "arn:aws:ecs:us-east-1:1:service/c/web",
      serviceName: "web",
      clusterArn: "arn:aws:ecs:us-east-1:1:cluster/c",
      taskDefinition: "td:1",
      desiredCount,
      launchType: "EC2",
      deploymentConfiguration: config,
    },
    "ecs-svc/1",
    T0,
    "tester",
  );
  return { ...s, ...extra };
}

export function task(id: string, deploymentId: string, extra: Partial<ObservedTask> = {}): ObservedTask {
  return {
    taskId: id,
    deploymentId,
    lastStatus: "RUNNING",
    desiredStatus: "RUNNING",
    healthStatus: "HEALTHY",
    hasHealthCheck: true,
    startedAt: T0,
    failed: false,
    ...extra,
  };
}
