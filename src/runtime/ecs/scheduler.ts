import { decideService, type ObservedTask, type SchedulerSettings } from "../../engine/ecs/decide-service.js";
import type { Logger } from "../../lib/logger.js";
import { ok } from "../../lib/result.js";
import { parseTaskDefinitionReference } from "../../model/ecs/arns.js";
import { serviceEvents, stoppedReasons } from "../../model/ecs/service-events.js";
import { withEvents } from "../../model/ecs/services.js";
import type { Task } from "../../model/ecs/types.js";
import type { EcsServiceRecord, EcsTaskRecord } from "../../store/types.js";
import type { Component } from "../components/component.js";
import { type EcsContext, versionedChange } from "./ecs-context.js";
import type { TaskDriver } from "./task-driver.js";
import { newTask, propagatedTags } from "./tasks.js";

export interface EcsSchedulerOptions extends SchedulerSettings {
  /** How often the scheduler looks at every task and service when nothing wakes it. */
  readonly intervalMs: number;
  /** How often a RUNNING task's containers are inspected (health checks keep their own interval). */
  readonly watchIntervalMs: number;
}

/** Local defaults, faster than AWS's (docs/ecs.md lists both). */
export const localSchedulerDefaults: EcsSchedulerOptions & { defaultStopTimeoutSeconds: number } = {
  intervalMs: 250,
  watchIntervalMs: 500,
  noHealthCheckDelayMs: 5_000,
  circuitBreakerMinimum: 3,
  throttleBaseMs: 1_000,
  defaultStopTimeoutSeconds: 5,
};

const failedTask = (t: Task) =>
  t.stopCode === "TaskFailedToStart" ||
  t.stopCode === "EssentialContainerExited" ||
  t.stoppedReason === stoppedReasons.unhealthy;

/**
 * The ECS scheduler's shell, one component: each pass (1) for every ACTIVE or DRAINING service
 * observes its tasks, asks the pure `decideService` what to do, writes the service (its
 * optimistic version guards against a concurrent UpdateService: on a conflict the pass leaves
 * the service for the next), then records the tasks to start and the stop requests, and (2)
 * moves every open task one step with the TaskDriver (start, watch and health-check, stop), in
 * the background so that a slow stop holds up nothing else. A step that finishes wakes the
 * scheduler, so a task turning HEALTHY or STOPPED is decided on at once.
 */
export function createEcsScheduler(
  ctx: EcsContext,
  driver: TaskDriver,
  options: EcsSchedulerOptions,
  logger: Logger,
) {
  const busy = new Map<string, Promise<void>>();
  const definitionHasHealthCheck = new Map<string, boolean>();
  const lastWatched = new Map<string, number>();

  function inBackground(record: EcsTaskRecord, work: (r: EcsTaskRecord) => Promise<void>): boolean {
    const key = record.task.taskArn;
    if (busy.has(key)) return false;
    const running = work(record)
      .catch((error: unknown) =>
        logger.info("ecs task step failed", { task: key, error: (error as Error).message }),
      )
      .finally(() => {
        busy.delete(key);
        ctx.wake();
      });
    busy.set(key, running);
    return true;
  }

  async function hasHealthCheck(record: EcsTaskRecord): Promise<boolean> {
    const arn = record.task.taskDefinitionArn;
    let known = definitionHasHealthCheck.get(arn);
    if (known === undefined) {
      const ref = parseTaskDefinitionReference(arn);
      const td = ref && (await ctx.store.getTaskDefinition(record.scope, ref.family, ref.revision));
      known = (td?.taskDefinition.containerDefinitions ?? []).some(
        (c) => c.essential !== false && c.healthCheck,
      );
      definitionHasHealthCheck.set(arn, known);
    }
    return known;
  }

  async function observe(records: readonly EcsTaskRecord[]): Promise<ObservedTask[]> {
    return Promise.all(
      records.map(async (r) => ({
        taskId: r.taskId,
        deploymentId: r.task.startedBy ?? "",
        lastStatus: r.task.lastStatus,
        desiredStatus: r.task.desiredStatus,
        healthStatus: r.task.healthStatus,
        hasHealthCheck: await hasHealthCheck(r),
        ...(r.task.startedAt === undefined ? {} : { startedAt: r.task.startedAt }),
        failed: failedTask(r.task),
        failedToStart: r.task.stopCode === "TaskFailedToStart",
        ...(r.task.stoppedAt === undefined ? {} : { stoppedAt: r.task.stoppedAt }),
      })),
    );
  }

  async function schedule(record: EcsServiceRecord): Promise<number> {
    const all = await ctx.store.listTasks(record.scope, record.clusterName, {
      serviceName: record.service.serviceName,
    });
    const deploymentIds = new Set(record.service.deployments.map((d) => d.id));
    // Open tasks, and the stopped ones of current deployments (the circuit breaker counts them).
    const relevant = all.filter(
      (t) => t.task.lastStatus !== "STOPPED" || deploymentIds.has(t.task.startedBy ?? ""),
    );
    const now = ctx.clock.now();
    const decision = decideService(
      record.service,
      await observe(relevant),
      now,
      options,
      ctx.ids.deploymentId(),
    );
    const starts: EcsTaskRecord[] = [];
    if (decision.start) {
      const ref = parseTaskDefinitionReference(decision.start.taskDefinition);
      const td = ref && (await ctx.store.getTaskDefinition(record.scope, ref.family, ref.revision));
      const cluster = await ctx.store.getCluster(record.scope, record.clusterName);
      if (td && cluster)
        for (let i = 0; i < decision.start.count; i++)
          starts.push(
            newTask({
              scope: record.scope,
              clusterName: record.clusterName,
              clusterArn: cluster.cluster.clusterArn,
              taskId: ctx.ids.taskId(),
              definition: td.taskDefinition,
              group: `service:${record.service.serviceName}`,
              startedBy: decision.start.deploymentId,
              serviceName: record.service.serviceName,
              launchType: record.service.launchType,
              // propagateTags SERVICE / TASK_DEFINITION (AWS: only when the task is created).
              tags: propagatedTags(
                record.service.propagateTags === "SERVICE"
                  ? record.service.tags
                  : record.service.propagateTags === "TASK_DEFINITION"
                    ? (td.tags ?? [])
                    : [],
                [],
              ),
              now,
              containerIds: td.taskDefinition.containerDefinitions.map(() => ctx.ids.uuid()),
            }),
          );
    }
    const messages = [...decision.events];
    if (starts.length > 0)
      messages.push(
        serviceEvents.startedTasks(
          record.service.serviceName,
          starts.map((s) => s.taskId),
        ),
      );
    const next = withEvents(
      decision.service,
      messages.map((message) => ({ id: ctx.ids.uuid(), createdAt: now, message })),
    );
    const changed = JSON.stringify(next) !== JSON.stringify(record.service);
    if (changed) {
      const written = await ctx.store.putService({ ...record, version: record.version + 1, service: next });
      if (!written.ok) return 1; // UpdateService got there first: decide again on the next pass
    }
    for (const s of starts) await ctx.store.putTask(s);
    for (const stop of decision.stop) {
      const task = relevant.find((t) => t.taskId === stop.taskId);
      if (!task) continue;
      await versionedChange(
        () => ctx.store.getTask(task.scope, task.clusterName, task.taskId),
        (current) => {
          const base = current ?? task;
          return ok({
            ...base,
            task: {
              ...base.task,
              desiredStatus: "STOPPED" as const,
              stoppingAt: now,
              stopCode: "ServiceSchedulerInitiated" as const,
              stoppedReason: stop.reason,
              version: base.task.version + 1,
            },
          });
        },
        (r) => ctx.store.putTask(r),
      );
    }
    return starts.length + decision.stop.length + (changed ? 1 : 0);
  }

  const component: Component = {
    name: "ecs-scheduler",
    intervalMs: options.intervalMs,
    async runOnce() {
      // Services first: the tasks a decision starts or stops get their step in this same pass
      // (not one interval later).
      let work = 0;
      for (const service of await ctx.store.servicesToSchedule()) work += await schedule(service);
      for (const record of await ctx.store.openTasks()) {
        const t = record.task;
        if (t.desiredStatus === "STOPPED") {
          if (t.containers.some((c) => c.runtimeId)) {
            if (inBackground(record, (r) => driver.stop(r))) work++;
          } else if (!busy.has(t.taskArn)) {
            // Never started: nothing to stop.
            const now = ctx.clock.now();
            await ctx.store.putTask({
              ...record,
              version: record.version + 1,
              task: { ...t, lastStatus: "STOPPED", stoppedAt: now, version: t.version + 1 },
            });
            work++;
          }
        } else if (t.lastStatus === "PROVISIONING") {
          if (inBackground(record, (r) => driver.start(r))) work++;
        } else if (t.lastStatus === "RUNNING") {
          const now = ctx.clock.now();
          if (
            now - (lastWatched.get(t.taskArn) ?? 0) >= options.watchIntervalMs &&
            inBackground(record, (r) => driver.watch(r))
          )
            lastWatched.set(t.taskArn, now);
        }
      }
      for (const arn of lastWatched.keys())
        if (!busy.has(arn) && ctx.clock.now() - lastWatched.get(arn)! > 60_000) lastWatched.delete(arn);
      return work;
    },
  };
  return {
    component,
    /** Waits for every task step in flight (tests; shutdown). */
    async idle(): Promise<void> {
      while (busy.size > 0) await Promise.all([...busy.values()]);
    },
  };
}
