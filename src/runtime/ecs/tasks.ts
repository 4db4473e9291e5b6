import { ok } from "../../lib/result.js";
import { clusterNameOf, containerArn, taskArn, taskIdOf } from "../../model/ecs/arns.js";
import { stoppedReasons } from "../../model/ecs/service-events.js";
import type { Tag, Task, TaskDefinition } from "../../model/ecs/types.js";
import type { EcsTaskRecord, Scope } from "../../store/types.js";
import { activeCluster, type EcsContext, type EcsResult, failure, versionedChange } from "./ecs-context.js";
import type { EcsTaskDefinitions } from "./task-definitions.js";

/** A new task record, PROVISIONING, that the scheduler will start (pure apart from the ids given). */
export function newTask(options: {
  scope: Scope;
  clusterName: string;
  clusterArn: string;
  taskId: string;
  definition: TaskDefinition;
  group: string;
  startedBy?: string;
  serviceName?: string;
  launchType: string;
  tags?: readonly Tag[];
  now: number;
  containerIds: readonly string[];
}): EcsTaskRecord {
  const arn = taskArn(options.scope, options.clusterName, options.taskId);
  const task: Task = {
    taskArn: arn,
    clusterArn: options.clusterArn,
    taskDefinitionArn: options.definition.taskDefinitionArn,
    group: options.group,
    ...(options.startedBy === undefined ? {} : { startedBy: options.startedBy }),
    lastStatus: "PROVISIONING",
    desiredStatus: "RUNNING",
    healthStatus: "UNKNOWN",
    containers: options.definition.containerDefinitions.map((c, i) => ({
      containerArn: containerArn(
        options.scope,
        options.clusterName,
        options.taskId,
        options.containerIds[i]!,
      ),
      taskArn: arn,
      name: c.name,
      image: c.image,
      lastStatus: "PENDING",
      healthStatus: "UNKNOWN",
      networkBindings: [],
      essential: c.essential !== false,
    })),
    launchType: options.launchType,
    ...(options.definition.cpu === undefined ? {} : { cpu: options.definition.cpu }),
    ...(options.definition.memory === undefined ? {} : { memory: options.definition.memory }),
    createdAt: options.now,
    tags: options.tags ?? [],
    version: 1,
  };
  return {
    scope: options.scope,
    clusterName: options.clusterName,
    taskId: options.taskId,
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    version: 1,
    task,
  };
}

/** A task's tags: the propagated ones (task definition's or service's), then its own on top. */
export function propagatedTags(propagated: readonly Tag[], own: readonly Tag[]): Tag[] {
  const merged = new Map(propagated.map((t) => [t.key, t.value]));
  for (const t of own) merged.set(t.key, t.value);
  return [...merged].map(([key, value]) => ({ key, value }));
}

export interface TaskListQuery {
  readonly serviceName?: string;
  readonly family?: string;
  readonly startedBy?: string;
  readonly desiredStatus?: "RUNNING" | "STOPPED" | "PENDING";
}

/** Standalone tasks (RunTask, StopTask) and task reads; the scheduler runs them all. */
export class EcsTasks {
  constructor(
    private readonly ctx: EcsContext,
    private readonly definitions: EcsTaskDefinitions,
  ) {}

  async run(
    scope: Scope,
    input: {
      cluster?: string;
      taskDefinition: string;
      count?: number;
      startedBy?: string;
      group?: string;
      launchType?: string;
      tags?: readonly Tag[];
      /** TASK_DEFINITION: the task also gets the revision's tags (its own win); SERVICE is for services. */
      propagateTags?: string;
    },
  ): Promise<EcsResult<EcsTaskRecord[]>> {
    const cluster = await activeCluster(this.ctx, scope, input.cluster);
    if (!cluster.ok) return cluster;
    const definition = await this.definitions.resolve(scope, input.taskDefinition);
    if (!definition.ok)
      return failure("ClientException", `TaskDefinition not found. ${definition.error.message}`);
    const td = definition.value.taskDefinition;
    const tags = propagatedTags(
      input.propagateTags === "TASK_DEFINITION" ? (definition.value.tags ?? []) : [],
      input.tags ?? [],
    );
    const records: EcsTaskRecord[] = [];
    for (let i = 0; i < (input.count ?? 1); i++) {
      const record = newTask({
        scope,
        clusterName: cluster.value.cluster.clusterName,
        clusterArn: cluster.value.cluster.clusterArn,
        taskId: this.ctx.ids.taskId(),
        definition: td,
        group: input.group ?? `family:${td.family}`,
        ...(input.startedBy === undefined ? {} : { startedBy: input.startedBy }),
        launchType: input.launchType ?? "EC2",
        tags,
        now: this.ctx.clock.now(),
        containerIds: td.containerDefinitions.map(() => this.ctx.ids.uuid()),
      });
      await this.ctx.store.putTask(record);
      records.push(record);
    }
    this.ctx.wake();
    return ok(records);
  }

  get(scope: Scope, cluster: string | undefined, reference: string): Promise<EcsTaskRecord | undefined> {
    return this.ctx.store.getTask(scope, clusterNameOf(cluster), taskIdOf(reference));
  }

  /** StopTask: the task's desiredStatus becomes STOPPED; the scheduler stops its containers. */
  async stop(
    scope: Scope,
    clusterRef: string | undefined,
    reference: string,
    reason?: string,
  ): Promise<EcsResult<EcsTaskRecord>> {
    const cluster = await activeCluster(this.ctx, scope, clusterRef);
    if (!cluster.ok) return cluster;
    const clusterName = cluster.value.cluster.clusterName;
    const id = taskIdOf(reference);
    const now = this.ctx.clock.now();
    const stopped = await versionedChange(
      () => this.ctx.store.getTask(scope, clusterName, id),
      (current) => {
        if (!current)
          return failure(
            "InvalidParameterException",
            `The referenced task was not found. There is no task '${id}' in cluster '${clusterName}'.`,
          );
        if (current.task.desiredStatus === "STOPPED") return ok(current);
        return ok({
          ...current,
          task: {
            ...current.task,
            desiredStatus: "STOPPED" as const,
            stoppingAt: now,
            stopCode: "UserInitiated" as const,
            stoppedReason: reason ?? stoppedReasons.userStopped,
            version: current.task.version + 1,
          },
        });
      },
      (record) => this.ctx.store.putTask(record),
    );
    if (stopped.ok) this.ctx.wake();
    return stopped;
  }

  async listArns(
    scope: Scope,
    clusterRef: string | undefined,
    query: TaskListQuery,
  ): Promise<EcsResult<string[]>> {
    const cluster = await activeCluster(this.ctx, scope, clusterRef);
    if (!cluster.ok) return cluster;
    const records = await this.ctx.store.listTasks(scope, cluster.value.cluster.clusterName, {
      ...(query.serviceName === undefined ? {} : { serviceName: query.serviceName }),
    });
    // ListTasks' desiredStatus defaults to RUNNING; PENDING is accepted and means RUNNING too.
    const desired = query.desiredStatus === "STOPPED" ? "STOPPED" : "RUNNING";
    return ok(
      records
        .filter(
          (r) =>
            r.task.desiredStatus === desired &&
            (query.family === undefined ||
              r.task.taskDefinitionArn.includes(`:task-definition/${query.family}:`)) &&
            (query.startedBy === undefined || r.task.startedBy === query.startedBy),
        )
        .map((r) => r.task.taskArn),
    );
  }
}
