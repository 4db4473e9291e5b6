import { rolloutReasons, serviceEvents, stoppedReasons } from "../../model/ecs/service-events.js";
import { newDeployment } from "../../model/ecs/services.js";
import type { Deployment, HealthStatus, Service, TaskStatus } from "../../model/ecs/types.js";
import { circuitBreakerThreshold, maximumTasks, minimumHealthyTasks } from "./rolling-rules.js";

/**
 * The ECS service scheduler's decision (STYLE §2.16: a pure reconcile step). Given a service,
 * the tasks observed for it and the time, it returns what to do now: how many tasks of the
 * PRIMARY deployment to start, which tasks to stop, and the service as it should now read
 * (counts, deployment states, rolloutState, events). The shell (runtime/ecs/scheduler.ts)
 * performs the actions and calls it again on its next tick; nothing here remembers anything,
 * so a restart needs no special code.
 *
 * Rules (spec A.5 to A.8):
 *  - maxTotal = floor(desired x maximumPercent / 100) bounds tasks PENDING, RUNNING or STOPPING;
 *    new tasks start only within it (a FAILED deployment starts none).
 *  - minHealthy = ceil(desired x minimumHealthyPercent / 100): a healthy task of an older
 *    deployment is stopped only while more than minHealthy tasks are healthy. Old tasks that are
 *    not healthy may always be stopped (stopping them loses no health).
 *  - healthy: RUNNING and, with a container health check, HEALTHY; without one, RUNNING for
 *    `noHealthCheckDelayMs` (AWS: 40 s).
 *  - a task turning UNHEALTHY (after healthCheckGracePeriodSeconds from RUNNING) is stopped and
 *    replaced; a task that stops by itself is replaced.
 *  - circuit breaker: failed tasks of the PRIMARY deployment (failed to start, essential
 *    container exited, failed health checks) reaching the threshold make it FAILED; with
 *    rollback a new PRIMARY deployment of the newest COMPLETED one starts.
 *  - COMPLETED when no older deployment has tasks left and the PRIMARY's desiredCount tasks are
 *    healthy; older deployments then become INACTIVE (and leave the list).
 *  - blue/green (a PRIMARY deployment marked `pipewrightBlueGreen`, model/ecs/blue-green.ts):
 *    green starts in full whatever maximumPercent says, no older task is stopped, the breaker
 *    is off, and a green task that failed before the traffic shift is not replaced.
 */

export interface ObservedTask {
  readonly taskId: string;
  /** The deployment that started it (the task's `startedBy`). */
  readonly deploymentId: string;
  readonly lastStatus: TaskStatus;
  readonly desiredStatus: "RUNNING" | "STOPPED";
  readonly healthStatus: HealthStatus;
  /** Whether an essential container has a health check (then health decides, not time). */
  readonly hasHealthCheck: boolean;
  /** When it reached RUNNING. */
  readonly startedAt?: number;
  /** It failed (did not start, essential container exited, or failed its health checks). */
  readonly failed: boolean;
  /** It stopped before reaching RUNNING (stopCode TaskFailedToStart): the start throttle counts these. */
  readonly failedToStart?: boolean;
  readonly stoppedAt?: number;
}

export interface SchedulerSettings {
  /** How long a task without health checks must run before it counts as healthy (AWS: 40 s). */
  readonly noHealthCheckDelayMs: number;
  /** The circuit breaker threshold's lower bound (AWS: 10 in the 2023 guide, 3 today). */
  readonly circuitBreakerMinimum: number;
  /**
   * The service throttle (spec A.5): after N tasks in a row failed to start, the next start waits
   * `throttleBaseMs x 2^(N-1)` after the last failure, at most 15 minutes (AWS's cap).
   */
  readonly throttleBaseMs: number;
}

export interface StopDecision {
  readonly taskId: string;
  readonly reason: string;
  readonly unhealthy: boolean;
}

export interface ServiceDecision {
  readonly service: Service;
  /** Tasks to start for the PRIMARY deployment. */
  readonly start?: { readonly deploymentId: string; readonly taskDefinition: string; readonly count: number };
  readonly stop: readonly StopDecision[];
  /** Event messages to add (oldest first); the shell adds the "has started" event itself. */
  readonly events: readonly string[];
}

const PENDING: readonly TaskStatus[] = ["PROVISIONING", "PENDING", "ACTIVATING"];
const isOpen = (t: ObservedTask) => t.lastStatus !== "STOPPED";
const isLive = (t: ObservedTask) => t.desiredStatus === "RUNNING" && isOpen(t);

export function isHealthy(t: ObservedTask, now: number, settings: SchedulerSettings): boolean {
  if (!isLive(t) || t.lastStatus !== "RUNNING" || t.healthStatus === "UNHEALTHY") return false;
  if (t.hasHealthCheck) return t.healthStatus === "HEALTHY";
  return t.startedAt !== undefined && now - t.startedAt >= settings.noHealthCheckDelayMs;
}

function counted(d: Deployment, tasks: readonly ObservedTask[], failed: number, now: number): Deployment {
  const mine = tasks.filter((t) => t.deploymentId === d.id && t.desiredStatus === "RUNNING");
  const runningCount = mine.filter((t) => t.lastStatus === "RUNNING").length;
  const pendingCount = mine.filter((t) => PENDING.includes(t.lastStatus)).length;
  if (runningCount === d.runningCount && pendingCount === d.pendingCount && failed === d.failedTasks)
    return d;
  return { ...d, runningCount, pendingCount, failedTasks: failed, updatedAt: now };
}

export function decideService(
  service: Service,
  observed: readonly ObservedTask[],
  now: number,
  settings: SchedulerSettings,
  newDeploymentId: string,
): ServiceDecision {
  const name = service.serviceName;
  const events: string[] = [];
  const stop: StopDecision[] = [];
  const stopping = new Set<string>();
  const stopTask = (t: ObservedTask, reason: string, unhealthy = false) => {
    if (stopping.has(t.taskId)) return;
    stopping.add(t.taskId);
    stop.push({ taskId: t.taskId, reason, unhealthy });
  };
  let deployments = [...service.deployments];
  let primary = deployments[0];
  let taskDefinition = service.taskDefinition;
  if (!primary) return { service, stop, events };
  const desired = service.desiredCount;
  const config = service.deploymentConfiguration;
  const graceMs = (service.healthCheckGracePeriodSeconds ?? 0) * 1000;

  // 1. Tasks that failed their health checks are replaced (after the grace period).
  for (const t of observed) {
    if (
      isLive(t) &&
      t.lastStatus === "RUNNING" &&
      t.healthStatus === "UNHEALTHY" &&
      now - (t.startedAt ?? now) >= graceMs
    ) {
      stopTask(t, stoppedReasons.unhealthy, true);
      events.push(serviceEvents.unhealthyTask(name, t.taskId));
    }
  }
  const failedOf = (id: string) =>
    observed.filter(
      (t) =>
        t.deploymentId === id &&
        (t.failed || (stopping.has(t.taskId) && stop.find((s) => s.taskId === t.taskId)?.unhealthy)),
    ).length;

  // A blue/green deployment (CodeDeployToECS) is judged by its action, not by the breaker:
  // green starts in full beside blue, and no blue task stops until the action ends the bake.
  // DeleteService ends it: a DRAINING service stops every task as usual.
  const blueGreen = service.status === "ACTIVE" ? primary.pipewrightBlueGreen : undefined;

  // 2. The circuit breaker.
  const breaker = config.deploymentCircuitBreaker;
  if (
    !blueGreen &&
    breaker?.enable &&
    primary.rolloutState === "IN_PROGRESS" &&
    failedOf(primary.id) >= circuitBreakerThreshold(desired, settings.circuitBreakerMinimum)
  ) {
    events.push(serviceEvents.deploymentFailed(name, primary.id));
    const failedPrimary: Deployment = {
      ...primary,
      rolloutState: "FAILED",
      rolloutStateReason: rolloutReasons.failed(),
      updatedAt: now,
    };
    const target = breaker.rollback
      ? deployments.slice(1).find((d) => d.rolloutState === "COMPLETED")
      : undefined;
    if (target) {
      const rollback = newDeployment({
        id: newDeploymentId,
        taskDefinition: target.taskDefinition,
        desiredCount: desired,
        now,
        launchType: service.launchType,
        reason: rolloutReasons.rollingBack(target.id),
      });
      deployments = [rollback, { ...failedPrimary, status: "ACTIVE" }, ...deployments.slice(1)];
      taskDefinition = target.taskDefinition;
    } else {
      deployments = [failedPrimary, ...deployments.slice(1)];
    }
    primary = deployments[0]!;
  }

  // 3. Start tasks of the PRIMARY deployment within maximumPercent.
  const maxTotal = maximumTasks(desired, config.maximumPercent ?? 200);
  const minHealthy = minimumHealthyTasks(desired, config.minimumHealthyPercent ?? 100);
  const total = observed.filter(isOpen).length;
  const primaryLive = observed.filter(
    (t) => t.deploymentId === primary!.id && isLive(t) && !stopping.has(t.taskId),
  );
  let startCount = 0;
  if (blueGreen) {
    // Green in full, whatever maximumPercent says; a green task that failed before the traffic
    // shift is not replaced (the action rolls back).
    const failedBeforeShift = blueGreen.trafficShiftedAt === undefined && failedOf(primary.id) > 0;
    startCount = failedBeforeShift ? 0 : Math.max(0, desired - primaryLive.length);
  } else if (primary.rolloutState !== "FAILED") {
    // Unhealthy tasks being stopped still hold their place until they have stopped.
    startCount = Math.max(0, Math.min(maxTotal - total, desired - primaryLive.length));
  }
  const throttledUntil = startThrottle(observed, primary.id, settings);
  if (startCount > 0 && throttledUntil !== undefined && now < throttledUntil) {
    startCount = 0;
    const message = serviceEvents.unableToStartConsistently(name);
    if (service.events[0]?.message !== message) events.push(message);
  }

  // 4. Stop tasks of older deployments, and PRIMARY tasks beyond desiredCount.
  const olds = observed.filter((t) => t.deploymentId !== primary!.id && isLive(t) && !stopping.has(t.taskId));
  const unhealthyFirst = (a: ObservedTask, b: ObservedTask) =>
    Number(isHealthy(a, now, settings)) - Number(isHealthy(b, now, settings));
  let healthy = observed.filter((t) => !stopping.has(t.taskId) && isHealthy(t, now, settings)).length;
  const oldReason = stoppedReasons.scaling(primary.id);
  if (blueGreen) {
    // Blue stays; only the tasks of an earlier green that failed (its deployment FAILED) go.
    const failedIds = new Set(deployments.filter((d) => d.rolloutState === "FAILED").map((d) => d.id));
    for (const t of olds) if (failedIds.has(t.deploymentId)) stopTask(t, oldReason);
  }
  for (const t of blueGreen ? [] : [...olds].sort(unhealthyFirst)) {
    if (!isHealthy(t, now, settings)) stopTask(t, oldReason);
    else if (healthy > minHealthy) {
      stopTask(t, oldReason);
      healthy--;
    }
  }
  const excess = primaryLive.length - desired;
  // Scale-in: PRIMARY tasks beyond desiredCount, unhealthy ones first, healthy ones only above minHealthy.
  for (const t of excess > 0 ? [...primaryLive].sort(unhealthyFirst).slice(0, excess) : []) {
    if (!isHealthy(t, now, settings)) stopTask(t, oldReason);
    else if (healthy > minHealthy) {
      stopTask(t, oldReason);
      healthy--;
    }
  }
  const stoppedNow = stop.filter((s) => !s.unhealthy).map((s) => s.taskId);
  if (stoppedNow.length > 0) events.push(serviceEvents.stoppedTasks(name, stoppedNow));

  // 5. A deployment that can neither start nor stop anything says so (once).
  const oldLeft = olds.filter((t) => !stopping.has(t.taskId));
  const settling = observed.some(
    (t) =>
      isOpen(t) &&
      (t.desiredStatus === "STOPPED" ||
        PENDING.includes(t.lastStatus) ||
        (t.lastStatus === "RUNNING" && !isHealthy(t, now, settings) && t.healthStatus !== "UNHEALTHY")),
  );
  const stalled = serviceEvents.stalledByConfiguration(name);
  if (
    !blueGreen &&
    startCount === 0 &&
    stop.length === 0 &&
    oldLeft.length > 0 &&
    !settling &&
    primary.rolloutState === "IN_PROGRESS" &&
    service.events[0]?.message !== stalled
  )
    events.push(stalled);

  // 6. Counts, completion, older deployments leaving the list.
  const primaryHealthy = primaryLive.filter((t) => isHealthy(t, now, settings)).length;
  const openOf = (id: string) =>
    observed.some((t) => t.deploymentId === id && isOpen(t) && !stopping.has(t.taskId));
  deployments = deployments.map((d) => counted(d, observed, failedOf(d.id), now));
  primary = deployments[0]!;
  const completes =
    primary.rolloutState === "IN_PROGRESS" &&
    startCount === 0 &&
    stop.length === 0 &&
    deployments.slice(1).every((d) => !openOf(d.id)) &&
    primaryLive.length === desired &&
    primaryHealthy === desired;
  if (completes) {
    deployments = [
      {
        ...primary,
        rolloutState: "COMPLETED",
        rolloutStateReason: rolloutReasons.completed(primary.id),
        updatedAt: now,
      },
    ];
    events.push(serviceEvents.deploymentCompleted(name, primary.id), serviceEvents.steadyState(name));
  } else {
    // An older deployment with no tasks left is INACTIVE, except, while the PRIMARY one is in
    // progress, a COMPLETED one (a rollback may need it) and a FAILED one (so that clients such
    // as the ECS deploy action see why a rollback is under way).
    const kept = (d: Deployment) =>
      openOf(d.id) || (primary!.rolloutState === "IN_PROGRESS" && d.rolloutState !== "IN_PROGRESS");
    deployments = [deployments[0]!, ...deployments.slice(1).filter(kept)];
  }

  const live = observed.filter((t) => t.desiredStatus === "RUNNING");
  const drained = service.status === "DRAINING" && !observed.some(isOpen);
  const next: Service = {
    ...service,
    ...(drained ? { status: "INACTIVE" as const } : {}),
    taskDefinition,
    deployments,
    runningCount: live.filter((t) => t.lastStatus === "RUNNING").length,
    pendingCount: live.filter((t) => PENDING.includes(t.lastStatus)).length,
  };
  return {
    service: next,
    ...(startCount > 0
      ? { start: { deploymentId: primary.id, taskDefinition: primary.taskDefinition, count: startCount } }
      : {}),
    stop,
    events,
  };
}

const FIFTEEN_MINUTES = 15 * 60_000;

/**
 * When the next task of the deployment may start, if its latest tasks failed to start: the
 * failures in a row (newest first, up to one that reached RUNNING) space the retries
 * exponentially. Tasks that failed after RUNNING do not count (spec A.5); a new deployment
 * (a new task definition) starts with a clean slate, since only this deployment's tasks count.
 */
export function startThrottle(
  observed: readonly ObservedTask[],
  deploymentId: string,
  settings: SchedulerSettings,
): number | undefined {
  const stopped = observed
    .filter((t) => t.deploymentId === deploymentId && t.lastStatus === "STOPPED" && t.stoppedAt !== undefined)
    .sort((a, b) => b.stoppedAt! - a.stoppedAt!);
  let streak = 0;
  for (const t of stopped) {
    if (!t.failedToStart) break;
    streak++;
  }
  if (streak === 0) return undefined;
  const delay = Math.min(FIFTEEN_MINUTES, settings.throttleBaseMs * 2 ** Math.min(streak - 1, 30));
  return stopped[0]!.stoppedAt! + delay;
}
