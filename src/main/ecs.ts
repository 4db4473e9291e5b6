import { randomBytes, randomUUID } from "node:crypto";
import type { EcsDeps } from "../api/ecs/deps.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import { createTargetGroupProxy } from "../load-balancer/target-group-proxy.js";
import { createComponentHost } from "../runtime/components/component.js";
import { EcsClusters } from "../runtime/ecs/clusters.js";
import type { EcsContext, EcsIds } from "../runtime/ecs/ecs-context.js";
import { type RecoveryReport, recoverEcsTasks } from "../runtime/ecs/recovery.js";
import {
  createEcsScheduler,
  type EcsSchedulerOptions,
  localSchedulerDefaults,
} from "../runtime/ecs/scheduler.js";
import { EcsServices } from "../runtime/ecs/services.js";
import { EcsTags } from "../runtime/ecs/tags.js";
import { type TargetGroupPorts, TargetGroups } from "../runtime/ecs/target-groups.js";
import type { TaskAccess } from "../runtime/ecs/task-access.js";
import { EcsTaskDefinitions } from "../runtime/ecs/task-definitions.js";
import { NODE_LABEL, TaskDriver, type TaskRuntimes } from "../runtime/ecs/task-driver.js";
import type { LogEventStore } from "../runtime/ecs/task-logs.js";
import { EcsTasks } from "../runtime/ecs/tasks.js";
import type { Stores } from "../store/types.js";
import { createProcessTaskRuntime } from "../task-runtime/process-runtime.js";

/** Random ids as AWS shapes them: 32 hex digit task ids, `ecs-svc/` + 19 digits deployment ids. */
export const randomEcsIds: EcsIds = {
  taskId: () => randomBytes(16).toString("hex"),
  deploymentId: () =>
    `ecs-svc/${(randomBytes(8).readBigUInt64BE() % 10n ** 19n).toString().padStart(19, "0")}`,
  uuid: randomUUID,
};

export interface EcsWiringOptions {
  readonly stores: Stores;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ids?: EcsIds;
  /** Where tasks run; default host processes only (server.ts adds Docker when an engine answers). */
  readonly runtimes?: TaskRuntimes;
  /** Labels this server's containers (the data directory's node id); recovery touches only those. */
  readonly nodeId?: string;
  readonly scheduler?: Partial<EcsSchedulerOptions & { defaultStopTimeoutSeconds: number }>;
  /** Where target groups' listener ports are kept (the server: a file in the data directory). */
  readonly targetGroupPorts?: TargetGroupPorts;
  /** Secrets and inside access for tasks' containers (assemble.ts); absent: tasks get neither. */
  readonly access?: TaskAccess;
  /** Where containers' output is kept for the Logs API (assemble.ts: files in the data directory). */
  readonly logs?: LogEventStore;
}

export interface EcsWiring {
  readonly api: EcsDeps;
  readonly context: EcsContext;
  /** One pass of the scheduler (tests drive it on a controlled clock). */
  readonly runOnce: () => Promise<number>;
  /** Waits for the task steps in flight. */
  readonly idle: () => Promise<void>;
  /** At start-up, before `start`: adopts or removes what a killed server left (runtime/ecs/recovery.ts). */
  readonly recover: () => Promise<RecoveryReport>;
  /** Schedules the scheduler on timers (the server); `stop` ends it and waits for steps in flight. */
  readonly start: () => void;
  readonly stop: () => Promise<void>;
  /** The built-in load balancer's target groups (listener ports, targets' health). */
  readonly targets: TargetGroups;
}

/** Wires Amazon ECS: the runtime's services over the ECS store, the task driver and the scheduler. */
export function wireEcs(options: EcsWiringOptions): EcsWiring {
  const wakers: (() => void)[] = [];
  const context: EcsContext = {
    store: options.stores.ecs,
    clock: options.clock,
    ids: options.ids ?? randomEcsIds,
    wake: () => {
      for (const w of wakers) w();
    },
  };
  const settings = { ...localSchedulerDefaults, ...options.scheduler };
  const runtimes = options.runtimes ?? { process: createProcessTaskRuntime() };
  const nodeId = options.nodeId ?? "local";
  const targets = new TargetGroups({
    create: createTargetGroupProxy,
    clock: options.clock,
    ports: options.targetGroupPorts ?? memoryPorts(),
    logger: options.logger,
  });
  const driver = new TaskDriver(
    context,
    runtimes,
    {
      ...settings,
      labels: { [NODE_LABEL]: nodeId },
      ...(options.access ? { access: options.access } : {}),
      ...(options.logs ? { logs: options.logs } : {}),
    },
    targets,
  );
  const scheduler = createEcsScheduler(context, driver, settings, options.logger);
  const host = createComponentHost([scheduler.component], options.logger);
  let started = false;
  const taskDefinitions = new EcsTaskDefinitions(context);
  return {
    context,
    api: {
      clusters: new EcsClusters(context),
      taskDefinitions,
      services: new EcsServices(context, taskDefinitions),
      tasks: new EcsTasks(context, taskDefinitions),
      tags: new EcsTags(context),
      endpointOf: (arn) => {
        const port = targets.port(arn);
        return port === undefined ? undefined : `http://127.0.0.1:${port}`;
      },
    },
    targets,
    runOnce: () => scheduler.component.runOnce(new AbortController().signal),
    idle: scheduler.idle,
    recover: () => recoverEcsTasks(context, runtimes, nodeId, options.logger),
    start() {
      if (started) return;
      started = true;
      wakers.push(() => host.wake(scheduler.component.name));
      host.start();
    },
    async stop() {
      if (started) {
        await host.stop();
        await scheduler.idle();
      }
      await targets.close();
      // Host processes cannot be adopted by the next server: they end with this one.
      await Promise.all(
        Object.values(runtimes).map((r) => r?.shutdown?.(settings.defaultStopTimeoutSeconds)),
      );
    },
  };
}

function memoryPorts(): TargetGroupPorts {
  const ports = new Map<string, number>();
  return { get: (arn) => ports.get(arn), set: (arn, port) => void ports.set(arn, port) };
}
