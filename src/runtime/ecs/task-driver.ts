import { createMasker } from "../../buildspec/masker.js";
import {
  afterCheck,
  checkDue,
  type HealthState,
  initialHealth,
  taskHealth,
  timingOf,
} from "../../engine/ecs/health.js";
import { ok } from "../../lib/result.js";
import { parseTaskDefinitionReference } from "../../model/ecs/arns.js";
import { serviceEvents, stoppedReasons } from "../../model/ecs/service-events.js";
import { withEvents } from "../../model/ecs/services.js";
import type { Container, ContainerDefinition, Task, TaskDefinition } from "../../model/ecs/types.js";
import type { EcsTaskRecord } from "../../store/types.js";
import type { ContainerSpec, TaskRuntime } from "../../task-runtime/types.js";
import { type EcsContext, versionedChange } from "./ecs-context.js";
import type { TargetGroups } from "./target-groups.js";
import type { TaskAccess, TaskInsideAccess } from "./task-access.js";
import { type LogEventStore, logTargetOf } from "./task-logs.js";
import { resolveTaskSecrets } from "./task-secrets.js";

/** The runtimes tasks run on: Docker when there is an engine, host processes always. */
export interface TaskRuntimes {
  readonly docker?: TaskRuntime;
  readonly process: TaskRuntime;
  /**
   * How containers on Docker's bridge network reach the server (main/bridge-forwarder.ts);
   * absent: bridge tasks get no inside access (docs/ecs.md).
   */
  readonly bridgeEndpoint?: string;
}

export interface TaskDriverSettings {
  /** Seconds between SIGTERM and SIGKILL when a container has no stopTimeout (AWS agent: 30). */
  readonly defaultStopTimeoutSeconds: number;
  /** Labels every container gets besides the task's (e.g. the server's node id). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Secrets and inside access (credentials, endpoint) for the tasks' containers; absent: neither. */
  readonly access?: TaskAccess;
  /** Where containers' output is kept for the Logs API; absent: only the runtime's own logs. */
  readonly logs?: LogEventStore;
  /**
   * Least time between two shipments of a running task's output (default 2000 ms): reading a
   * container's log is an engine call, and 20 idle tasks should not make 40 a second. A stop
   * always ships the rest.
   */
  readonly logIntervalMs?: number;
}

export const TASK_ARN_LABEL = "pipewright.ecs.task-arn";
/** The server (data directory) that started a container: recovery touches only its own. */
export const NODE_LABEL = "pipewright.ecs.node";

/** Which runtime runs a task: EXTERNAL tasks and machines without an engine use host processes. */
export function runtimeFor(runtimes: TaskRuntimes, task: Task): TaskRuntime {
  const id = task.containers.find((c) => c.runtimeId)?.runtimeId;
  if (id) return id.startsWith("process:") ? runtimes.process : (runtimes.docker ?? runtimes.process);
  return task.launchType === "EXTERNAL" || !runtimes.docker ? runtimes.process : runtimes.docker;
}

/** What a container gets besides its definition: inside variables, secrets, the network. */
interface Extras {
  readonly base: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly inside?: TaskInsideAccess;
  readonly hostNetwork: boolean;
}

function specOf(
  task: Task,
  taskId: string,
  container: ContainerDefinition,
  labels: Record<string, string>,
  extras: Extras,
): ContainerSpec {
  const dirs = extras.inside?.pathDirs ?? [];
  return {
    name: `pipewright-ecs-${taskId}-${container.name}`,
    image: container.image,
    ...(container.entryPoint ? { entryPoint: container.entryPoint } : {}),
    ...(container.command ? { command: container.command } : {}),
    // The definition's environment wins over Pipewright's variables; secrets win over both (AWS).
    environment: {
      ...extras.base,
      ...Object.fromEntries((container.environment ?? []).map((e) => [e.name, e.value])),
      ...extras.secrets,
    },
    ...(extras.hostNetwork ? { hostNetwork: true } : {}),
    ...(dirs.length > 0 ? { mounts: dirs, pathPrefix: dirs } : {}),
    ...(container.workingDirectory ? { workingDirectory: container.workingDirectory } : {}),
    ...(container.cpu ? { cpu: container.cpu } : {}),
    ...(container.memory ? { memoryMiB: container.memory } : {}),
    ...(container.user ? { user: container.user } : {}),
    ports: (container.portMappings ?? []).map((p) => ({
      containerPort: p.containerPort,
      hostPort: p.hostPort ?? 0,
      protocol: p.protocol ?? "tcp",
    })),
    labels: {
      ...(container.dockerLabels ?? {}),
      ...labels,
      [TASK_ARN_LABEL]: task.taskArn,
      "pipewright.ecs.container-name": container.name,
    },
  };
}

/**
 * Moves one task's containers towards its desired status: starts them, watches them (exits,
 * health checks), stops them. Each method is one step the scheduler calls when the task is not
 * busy with another; results are written to the task's record with its optimistic version.
 */
export class TaskDriver {
  private readonly health = new Map<string, HealthState>();
  /** Tasks this driver has put in their target groups (watch() registers adopted ones once). */
  private readonly joined = new Set<string>();
  /** Open inside sessions by task id, closed when the task stops. */
  private readonly sessions = new Map<string, TaskInsideAccess>();
  /** Secret values by task id: masked in the task's logs. */
  private readonly secretValues = new Map<string, readonly string[]>();
  /** When each task's output was last shipped (clock ms). */
  private readonly shippedAt = new Map<string, number>();

  constructor(
    private readonly ctx: EcsContext,
    private readonly runtimes: TaskRuntimes,
    private readonly settings: TaskDriverSettings,
    /** The built-in load balancer: service tasks join their target groups and drain from them. */
    private readonly targets?: TargetGroups,
  ) {}

  /** Puts a running service task in its target groups, once (not a store read per watch). */
  private async join(record: EcsTaskRecord): Promise<void> {
    if (!this.targets || this.joined.has(record.taskId)) return;
    this.joined.add(record.taskId);
    const service = await this.balancedService(record);
    if (service) await this.targets.register(service, record.taskId, record.task);
  }

  private async balancedService(record: EcsTaskRecord) {
    if (!this.targets || !record.serviceName) return undefined;
    const found = await this.ctx.store.getService(record.scope, record.clusterName, record.serviceName);
    return found && found.service.loadBalancers.length > 0 ? found.service : undefined;
  }

  private async update(
    record: EcsTaskRecord,
    change: (task: Task) => Task,
  ): Promise<EcsTaskRecord | undefined> {
    const store = this.ctx.store;
    const written = await versionedChange(
      () => store.getTask(record.scope, record.clusterName, record.taskId),
      (current) => {
        const base = current ?? record;
        const task = change(base.task);
        return ok({ ...base, task: { ...task, version: base.task.version + 1 } });
      },
      (next) => store.putTask(next),
    );
    return written.ok ? written.value : undefined;
  }

  async definitionOf(record: EcsTaskRecord): Promise<TaskDefinition | undefined> {
    const ref = parseTaskDefinitionReference(record.task.taskDefinitionArn);
    if (!ref) return undefined;
    return (await this.ctx.store.getTaskDefinition(record.scope, ref.family, ref.revision))?.taskDefinition;
  }

  /** The secret values a running task's containers got (for masking its output). */
  secretsOf(taskId: string): readonly string[] {
    return this.secretValues.get(taskId) ?? [];
  }

  /**
   * Starts every container: resolves the containers' `secrets`, opens the task's inside session,
   * then starts them. A secret that cannot be read stops the task with the agent's
   * ResourceInitializationError; any other failure with CannotStartContainerError. Both are
   * TaskFailedToStart and a service task's failure is also a service event.
   */
  async start(record: EcsTaskRecord): Promise<void> {
    const definition = await this.definitionOf(record);
    const runtime = runtimeFor(this.runtimes, record.task);
    const started: { name: string; runtimeId: string; bindings: Container["networkBindings"] }[] = [];
    try {
      if (!definition) throw new Error(`task definition ${record.task.taskDefinitionArn} no longer exists`);
      await this.update(record, (t) => ({ ...t, lastStatus: "PENDING" }));
      const access = this.settings.access;
      const secrets = await resolveTaskSecrets(
        definition.containerDefinitions,
        access?.secrets(record.scope),
      );
      if (!secrets.ok) {
        await this.failStart(record, secrets.error);
        return;
      }
      this.secretValues.set(record.taskId, secrets.value.values);
      // Host processes and networkMode "host" containers reach the server's loopback; bridge
      // containers reach it through the bridge forwarder, when there is one (docs/ecs.md).
      const hostNetwork = runtime.kind === "docker" && definition.networkMode === "host";
      const bridge = runtime.kind === "docker" && !hostNetwork;
      const inside = !bridge
        ? access?.open(record.scope, record.task.taskArn)
        : this.runtimes.bridgeEndpoint
          ? access?.open(record.scope, record.task.taskArn, this.runtimes.bridgeEndpoint)
          : undefined;
      if (inside) this.sessions.set(record.taskId, inside);
      const base = {
        AWS_REGION: record.scope.region,
        AWS_DEFAULT_REGION: record.scope.region,
        ...(inside?.variables ?? {}),
      };
      for (const c of definition.containerDefinitions) {
        const extras: Extras = {
          base,
          secrets: secrets.value.environment.get(c.name) ?? {},
          ...(inside ? { inside } : {}),
          hostNetwork,
        };
        const container = await runtime.start(
          specOf(record.task, record.taskId, c, { ...this.settings.labels }, extras),
        );
        started.push({ name: c.name, runtimeId: container.runtimeId, bindings: container.bindings });
      }
    } catch (error) {
      for (const s of started) await runtime.stop(s.runtimeId, 0).then(() => runtime.remove(s.runtimeId));
      await this.failStart(record, `CannotStartContainerError: ${(error as Error).message}`);
      return;
    }
    const now = this.ctx.clock.now();
    const running = await this.update(record, (t) => ({
      ...t,
      lastStatus: "RUNNING",
      startedAt: now,
      containers: t.containers.map((c) => {
        const s = started.find((x) => x.name === c.name);
        return s ? { ...c, lastStatus: "RUNNING", runtimeId: s.runtimeId, networkBindings: s.bindings } : c;
      }),
    }));
    if (running) await this.join(running);
  }

  private endSession(taskId: string): void {
    this.sessions.get(taskId)?.close();
    this.sessions.delete(taskId);
    this.secretValues.delete(taskId);
  }

  private async failStart(record: EcsTaskRecord, reason: string): Promise<void> {
    this.endSession(record.taskId);
    const now = this.ctx.clock.now();
    await this.update(record, (t) => ({
      ...t,
      lastStatus: "STOPPED",
      desiredStatus: "STOPPED",
      stopCode: "TaskFailedToStart",
      stoppedReason: reason,
      stoppingAt: now,
      stoppedAt: now,
      containers: t.containers.map((c) => ({ ...c, lastStatus: "STOPPED", reason })),
    }));
    const serviceName = record.serviceName;
    if (!serviceName) return;
    const store = this.ctx.store;
    const event = {
      id: this.ctx.ids.uuid(),
      createdAt: now,
      message: serviceEvents.taskFailedToStart(serviceName, record.taskId, reason),
    };
    await versionedChange(
      () => store.getService(record.scope, record.clusterName, serviceName),
      (current) =>
        current
          ? ok({ ...current, service: withEvents(current.service, [event]) })
          : { ok: false as const, error: { type: "ServiceNotFoundException" as const, message: "gone" } },
      (next) => store.putService(next),
    );
  }

  /**
   * Ships the containers' new complete output lines to the log store (and, when `final`, the
   * last unterminated one), masked as builds mask: secret values become `***`. The stream's
   * event count says which lines were shipped already, so a restart ships no line twice.
   */
  private async shipLogs(
    record: EcsTaskRecord,
    definition: TaskDefinition | undefined,
    runtime: TaskRuntime,
    final: boolean,
  ): Promise<void> {
    const store = this.settings.logs;
    if (!store || !definition) return;
    const now = this.ctx.clock.now();
    const last = this.shippedAt.get(record.taskId);
    if (!final && last !== undefined && now - last < (this.settings.logIntervalMs ?? 2000)) return;
    this.shippedAt.set(record.taskId, now);
    if (final) this.shippedAt.delete(record.taskId);
    const mask = createMasker(this.secretsOf(record.taskId));
    for (const c of record.task.containers) {
      const def = definition.containerDefinitions.find((d) => d.name === c.name);
      if (!c.runtimeId || !def) continue;
      const target = logTargetOf(def, definition.family, record.taskId, c.runtimeId);
      if (!target) continue;
      const text = await runtime.logs(c.runtimeId);
      const lines = text.split("\n");
      const rest = lines.pop() ?? "";
      if (final && rest !== "") lines.push(rest);
      const shipped = await store.count(record.scope, target.group, target.stream);
      // Line numbers of the whole output: `lines` starts after the ones the runtime dropped.
      const offset = runtime.droppedLines?.(c.runtimeId) ?? 0;
      const fresh = lines.slice(Math.max(0, shipped - offset));
      if (fresh.length === 0) continue;
      await store.append(
        record.scope,
        target.group,
        target.stream,
        fresh.map((line) => ({ timestamp: now, message: mask(line.replace(/\r$/u, "")) })),
      );
    }
  }

  /** Inspects a RUNNING task: an exited essential container stops it; due health checks run. */
  async watch(record: EcsTaskRecord): Promise<void> {
    const runtime = runtimeFor(this.runtimes, record.task);
    // A task adopted after a restart joins its target groups on its first watch.
    if (record.task.desiredStatus === "RUNNING") await this.join(record);
    const definition = await this.definitionOf(record);
    await this.shipLogs(record, definition, runtime, false);
    const exits = new Map<string, { exitCode: number; reason?: string }>();
    for (const c of record.task.containers) {
      if (!c.runtimeId || c.lastStatus === "STOPPED") continue;
      const state = await runtime.inspect(c.runtimeId);
      if (state.status === "exited")
        exits.set(c.name, { exitCode: state.exitCode, ...(state.reason ? { reason: state.reason } : {}) });
      if (state.status === "missing") exits.set(c.name, { exitCode: -1, reason: "the container is gone" });
    }
    if (exits.size > 0) {
      const essentialExited = record.task.containers.some((c) => c.essential && exits.has(c.name));
      const now = this.ctx.clock.now();
      await this.update(record, (t) => ({
        ...t,
        ...(essentialExited
          ? {
              desiredStatus: "STOPPED" as const,
              stopCode: "EssentialContainerExited" as const,
              stoppedReason: stoppedReasons.essentialExited,
              stoppingAt: now,
            }
          : {}),
        containers: t.containers.map((c) => {
          const e = exits.get(c.name);
          return e
            ? { ...c, lastStatus: "STOPPED", exitCode: e.exitCode, ...(e.reason ? { reason: e.reason } : {}) }
            : c;
        }),
      }));
      return;
    }
    // Health checks of the containers that declare one, each on its own interval.
    const now = this.ctx.clock.now();
    const results = new Map<string, HealthState>();
    await Promise.all(
      (definition?.containerDefinitions ?? []).map(async (def) => {
        const c = record.task.containers.find((x) => x.name === def.name);
        if (!def.healthCheck || !c?.runtimeId) return;
        const key = `${record.taskId}/${def.name}`;
        const timing = timingOf(def.healthCheck);
        const state = this.health.get(key) ?? initialHealth;
        const startedAt = record.task.startedAt ?? now;
        if (!checkDue(state, timing, now, startedAt)) return;
        const { exitCode } = await runtime.exec(c.runtimeId, def.healthCheck.command, timing.timeoutMs);
        const next = afterCheck(state, exitCode, timing, startedAt, this.ctx.clock.now());
        this.health.set(key, next);
        results.set(def.name, next);
      }),
    );
    if (results.size === 0) return;
    const checked = new Set(
      (definition?.containerDefinitions ?? []).filter((d) => d.healthCheck).map((d) => d.name),
    );
    const changed = [...results].some(
      ([name, s]) => record.task.containers.find((c) => c.name === name)?.healthStatus !== s.status,
    );
    if (!changed) return;
    await this.update(record, (t) => {
      const containers = t.containers.map((c) => {
        const s = results.get(c.name);
        return s ? { ...c, healthStatus: s.status } : c;
      });
      const health = taskHealth(
        containers.map((c) => ({
          essential: c.essential,
          healthStatus: c.healthStatus,
          checked: checked.has(c.name),
        })),
      );
      return { ...t, containers, healthStatus: health };
    });
  }

  /** Stops every container (SIGTERM, then SIGKILL after stopTimeout) and marks the task STOPPED. */
  async stop(record: EcsTaskRecord): Promise<void> {
    const runtime = runtimeFor(this.runtimes, record.task);
    const definition = await this.definitionOf(record);
    const now = this.ctx.clock.now();
    if (record.task.lastStatus !== "STOPPING")
      await this.update(record, (t) => ({ ...t, lastStatus: "STOPPING", stoppingAt: t.stoppingAt ?? now }));
    // No new request reaches the task from here on; in-flight ones finish first.
    const balanced = await this.balancedService(record);
    if (balanced) await this.targets?.drain(balanced, record.taskId);
    this.joined.delete(record.taskId);
    await Promise.all(
      record.task.containers.map(async (c) => {
        if (!c.runtimeId) return;
        const timeout =
          definition?.containerDefinitions.find((d) => d.name === c.name)?.stopTimeout ??
          this.settings.defaultStopTimeoutSeconds;
        await runtime.stop(c.runtimeId, timeout);
      }),
    );
    // The last output, before the containers (and the runtime's logs) are removed.
    await this.shipLogs(record, definition, runtime, true);
    const exits = new Map<string, number>();
    await Promise.all(
      record.task.containers.map(async (c) => {
        if (!c.runtimeId) return;
        const state = await runtime.inspect(c.runtimeId);
        if (state.status === "exited") exits.set(c.name, state.exitCode);
      }),
    );
    for (const c of record.task.containers) this.health.delete(`${record.taskId}/${c.name}`);
    this.endSession(record.taskId);
    const stoppedAt = this.ctx.clock.now();
    // STOPPED as soon as every container has exited; removing them is cleanup that holds up no
    // rollout (a crash before it leaves exited containers of a stopped task: recovery removes them).
    await this.update(record, (t) => ({
      ...t,
      lastStatus: "STOPPED",
      desiredStatus: "STOPPED",
      stoppedAt,
      containers: t.containers.map((c) => ({
        ...c,
        lastStatus: "STOPPED",
        ...(c.exitCode === undefined && exits.has(c.name) ? { exitCode: exits.get(c.name)! } : {}),
      })),
    }));
    this.ctx.wake();
    await Promise.all(
      record.task.containers.map((c) => (c.runtimeId ? runtime.remove(c.runtimeId) : undefined)),
    );
  }
}
