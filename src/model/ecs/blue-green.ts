import { newDeployment } from "./services.js";
import type { Deployment, Service } from "./types.js";

/**
 * Pure changes to a Service for a blue/green deployment (the CodeDeployToECS action; docs/ecs-deploy-action.md):
 * start green as a new PRIMARY deployment marked `pipewrightBlueGreen`, record the traffic shift,
 * end the bake (the marker goes, and the scheduler's rolling rules stop blue and complete green),
 * or roll back (blue is PRIMARY again, green FAILED; the scheduler stops green's tasks).
 */

/** The blue/green deployment in progress: the PRIMARY deployment when it carries the marker. */
export function blueGreenInProgress(service: Service): Deployment | undefined {
  const primary = service.deployments[0];
  return primary?.status === "PRIMARY" && primary.pipewrightBlueGreen ? primary : undefined;
}

/** Green: a new PRIMARY deployment of `taskDefinition` at the service's desiredCount; the old PRIMARY (blue) becomes ACTIVE. */
export function startBlueGreenDeployment(
  service: Service,
  taskDefinition: string,
  deploymentId: string,
  now: number,
): Service {
  const green: Deployment = {
    ...newDeployment({
      id: deploymentId,
      taskDefinition,
      desiredCount: service.desiredCount,
      now,
      launchType: service.launchType,
    }),
    pipewrightBlueGreen: {},
  };
  return {
    ...service,
    taskDefinition,
    deployments: [
      green,
      ...service.deployments.map((d) =>
        d.status === "PRIMARY" ? { ...d, status: "ACTIVE" as const, updatedAt: now } : d,
      ),
    ],
  };
}

function mapOwn(service: Service, deploymentId: string, change: (d: Deployment) => Deployment): Service {
  return {
    ...service,
    deployments: service.deployments.map((d) => (d.id === deploymentId ? change(d) : d)),
  };
}

/** Every new request goes to green from `now` on (the load balancer has switched). */
export function markTrafficShifted(service: Service, deploymentId: string, now: number): Service {
  return mapOwn(service, deploymentId, (d) =>
    d.pipewrightBlueGreen ? { ...d, pipewrightBlueGreen: { trafficShiftedAt: now }, updatedAt: now } : d,
  );
}

/** The bake is over: green is an ordinary PRIMARY deployment, so the scheduler stops blue and completes it. */
export function endBlueGreenBake(service: Service, deploymentId: string, now: number): Service {
  return mapOwn(service, deploymentId, ({ pipewrightBlueGreen: _marker, ...d }) => ({
    ...d,
    updatedAt: now,
  }));
}

/**
 * Green failed before the traffic shift: the newest COMPLETED older deployment (blue) is PRIMARY
 * again and the service runs its task definition; green stays listed as ACTIVE and FAILED with
 * the reason until its tasks have stopped. Unchanged when there is no blue to return to.
 */
export function rollBackBlueGreen(
  service: Service,
  deploymentId: string,
  reason: string,
  now: number,
): Service {
  const green = service.deployments.find((d) => d.id === deploymentId);
  const blue = service.deployments.find((d) => d.id !== deploymentId && d.rolloutState === "COMPLETED");
  if (!green || !blue) return service;
  const { pipewrightBlueGreen: _marker, ...rest } = green;
  const failed: Deployment = {
    ...rest,
    status: "ACTIVE",
    rolloutState: "FAILED",
    rolloutStateReason: reason.slice(0, 1000),
    updatedAt: now,
  };
  return {
    ...service,
    taskDefinition: blue.taskDefinition,
    deployments: [
      { ...blue, status: "PRIMARY", updatedAt: now },
      failed,
      ...service.deployments.filter((d) => d.id !== deploymentId && d.id !== blue.id),
    ],
  };
}

/**
 * How a service task joins its target groups: `live` (gets traffic once healthy), `standby`
 * (green before the shift: checked, no traffic) or `none` (blue after the shift: it gets no
 * traffic again, also when a restarted server registers targets afresh).
 */
export function targetModeOf(
  service: Service,
  taskDeploymentId: string | undefined,
): "live" | "standby" | "none" {
  const green = blueGreenInProgress(service);
  if (!green) return "live";
  const shifted = green.pipewrightBlueGreen?.trafficShiftedAt !== undefined;
  if (taskDeploymentId === green.id) return shifted ? "live" : "standby";
  return shifted ? "none" : "live";
}
