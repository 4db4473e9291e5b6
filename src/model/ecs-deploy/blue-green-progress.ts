import { decideDeploymentProgress, type EcsServiceRecord } from "./deployment-progress.js";

/**
 * "What does the CodeDeployToECS action do next?", decided from one look at the service, green's
 * tasks and their target health (pure). Phases: green starts on standby -> every green task
 * healthy in every target group: switch -> bake -> end the bake (the scheduler stops blue) ->
 * green's deployment COMPLETED: succeeded. Before the switch, a green task that stops, fails its
 * container health check or is unhealthy in a target group past the service's grace period, or
 * green not ready within the timeout, rolls back with that reason (blue never stopped serving).
 */

/** The blue/green deployment the action follows (its continuation token, plain JSON). */
export interface BlueGreenDeployment {
  readonly cluster: string;
  readonly service: string;
  /** Green's deployment id (`ecs-svc/...`). */
  readonly deploymentId: string;
  readonly taskDefinitionArn: string;
  /** The task definition blue runs (for messages). */
  readonly blueTaskDefinition: string;
  readonly startedAt: number;
  /** How long green may take to be healthy before the action rolls back (ms). */
  readonly greenTimeoutMs: number;
  /** How long blue stays up, without traffic, after the switch (ms). */
  readonly bakeMs: number;
  /** The service's healthCheckGracePeriodSeconds in ms: target health failures before it do not count. */
  readonly graceMs: number;
  /** Whether an essential container of green has a health check (then green waits for HEALTHY too). */
  readonly greenHasHealthCheck: boolean;
  readonly shiftedAt?: number;
  readonly bakeEndedAt?: number;
}

/** The members of a green task read here (DescribeTasks' shape). */
export interface GreenTask {
  readonly taskArn: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  readonly healthStatus?: string;
  readonly startedAt?: number;
  readonly stoppedReason?: string;
  /** EssentialContainerExited, TaskFailedToStart, ServiceSchedulerInitiated, UserInitiated. */
  readonly stopCode?: string;
  readonly containers: readonly {
    readonly name: string;
    readonly exitCode?: number;
    readonly reason?: string;
    readonly healthStatus?: string;
  }[];
}

export interface GreenTarget {
  readonly targetGroup: string;
  readonly taskId: string;
  /** ELBv2's TargetHealth.State: initial, healthy, unhealthy, draining, unused. */
  readonly state: string;
  readonly reason?: string;
  readonly description?: string;
}

export interface BlueGreenObservation {
  /** Undefined when the service is gone. */
  readonly service?: EcsServiceRecord;
  readonly tasks: readonly GreenTask[];
  readonly targets: readonly GreenTarget[];
}

export type BlueGreenStep =
  | { readonly kind: "wait"; readonly message: string }
  | { readonly kind: "switch"; readonly taskIds: readonly string[] }
  | { readonly kind: "endBake" }
  | { readonly kind: "rollBack"; readonly reason: string }
  | { readonly kind: "succeeded"; readonly summary: string }
  | { readonly kind: "failed"; readonly message: string };

export function taskIdOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

function whyFailed(
  task: GreenTask,
  targets: readonly GreenTarget[],
  now: number,
  graceMs: number,
): string | undefined {
  const id = taskIdOfArn(task.taskArn);
  if (task.lastStatus === "STOPPED" || task.desiredStatus === "STOPPED") {
    // The exit codes of containers the scheduler stopped (143: SIGTERM) say nothing about why.
    const exited = task.stopCode === "EssentialContainerExited" || task.stopCode === "TaskFailedToStart";
    const exits = task.containers
      .filter((c) => exited && (c.exitCode !== undefined || c.reason))
      .map(
        (c) =>
          `container ${c.name}${c.exitCode === undefined ? "" : ` exited with code ${c.exitCode}`}${c.reason ? ` (${c.reason})` : ""}`,
      );
    return `green task ${id} stopped: ${task.stoppedReason ?? "no reason given"}${exits.length > 0 ? `; ${exits.join("; ")}` : ""}`;
  }
  // As ECS does, healthCheckGracePeriodSeconds forgives both kinds of health check failure
  // after RUNNING (a container that starts slowly fails its first check, then passes).
  const graceOver = task.startedAt !== undefined && now - task.startedAt >= graceMs;
  const sick = task.containers.find((c) => c.healthStatus === "UNHEALTHY");
  if ((task.healthStatus === "UNHEALTHY" || sick) && graceOver)
    return `green task ${id} failed its container health check${sick ? ` (container ${sick.name})` : ""}`;
  const unhealthy = targets.find((t) => t.taskId === id && t.state === "unhealthy");
  if (unhealthy && graceOver)
    return `green task ${id} is unhealthy in target group ${unhealthy.targetGroup}${unhealthy.reason ? `: ${unhealthy.reason}` : ""}${unhealthy.description ? ` (${unhealthy.description})` : ""}`;
  return undefined;
}

export function decideBlueGreen(
  d: BlueGreenDeployment,
  seen: BlueGreenObservation,
  now: number,
): BlueGreenStep {
  const service = seen.service;
  if (!service || (service.status && service.status !== "ACTIVE"))
    return {
      kind: "failed",
      message: `Service ${d.service} in cluster ${d.cluster} is gone or not ACTIVE; the blue/green deployment ${d.deploymentId} cannot go on.`,
    };
  const own = service.deployments?.find((x) => x.id === d.deploymentId);
  if (d.bakeEndedAt !== undefined) {
    const progress = decideDeploymentProgress(
      service,
      {
        deploymentId: d.deploymentId,
        taskDefinitionArn: d.taskDefinitionArn,
        startedAt: d.startedAt,
        // Stopping blue and completing green is quick; allow as long as green had to start.
        timeoutMinutes: (d.bakeEndedAt - d.startedAt + d.greenTimeoutMs) / 60_000,
      },
      now,
    );
    if (progress.kind === "inProgress")
      return { kind: "wait", message: `Stopping blue: ${progress.message}` };
    if (progress.kind === "failed") return { kind: "failed", message: progress.message };
    return {
      kind: "succeeded",
      summary: `Blue/green deployment ${d.deploymentId} of service ${d.service} succeeded: traffic moved from ${d.blueTaskDefinition} to ${d.taskDefinitionArn}, blue stopped.`,
    };
  }
  if (own?.status !== "PRIMARY")
    return {
      kind: "failed",
      message: `The blue/green deployment ${d.deploymentId} of service ${d.service} was replaced by another deployment.`,
    };
  if (d.shiftedAt !== undefined) {
    const left = d.shiftedAt + d.bakeMs - now;
    if (left <= 0) return { kind: "endBake" };
    return {
      kind: "wait",
      message: `Traffic is on green (${d.taskDefinitionArn}); blue stops after the bake, in ${Math.ceil(left / 1000)} s.`,
    };
  }
  for (const task of seen.tasks) {
    const reason = whyFailed(task, seen.targets, now, d.graceMs);
    if (reason) return { kind: "rollBack", reason };
  }
  const desired = own.desiredCount ?? service.desiredCount ?? 0;
  const live = seen.tasks.filter((t) => t.lastStatus === "RUNNING" && t.desiredStatus === "RUNNING");
  const groups = [...new Set(seen.targets.map((t) => t.targetGroup))];
  const healthyIn = (id: string) =>
    groups.length > 0 &&
    groups.every((g) =>
      seen.targets.some((t) => t.targetGroup === g && t.taskId === id && t.state === "healthy"),
    );
  const ready = live.filter(
    (t) => (!d.greenHasHealthCheck || t.healthStatus === "HEALTHY") && healthyIn(taskIdOfArn(t.taskArn)),
  );
  if (desired > 0 && live.length >= desired && ready.length >= desired)
    return { kind: "switch", taskIds: ready.slice(0, desired).map((t) => taskIdOfArn(t.taskArn)) };
  const counts = `${live.length} of ${desired} green tasks running, ${ready.length} healthy in ${groups.length > 0 ? groups.join(", ") : "the target group"}`;
  if (now - d.startedAt >= d.greenTimeoutMs)
    return {
      kind: "rollBack",
      reason: `green was not healthy within ${Math.round(d.greenTimeoutMs / 1000)} s (${counts})`,
    };
  return {
    kind: "wait",
    message: `Starting green (${d.taskDefinitionArn}) on standby: ${counts}; blue (${d.blueTaskDefinition}) serves.`,
  };
}
