import { ok } from "../../lib/result.js";
import { clusterArn, clusterNameOf } from "../../model/ecs/arns.js";
import type { KeyValuePair, Tag } from "../../model/ecs/types.js";
import type { EcsClusterRecord, Scope } from "../../store/types.js";
import { type EcsContext, type EcsResult, failure, versionedChange } from "./ecs-context.js";

export interface ClusterCounts {
  readonly runningTasksCount: number;
  readonly pendingTasksCount: number;
  readonly activeServicesCount: number;
}

/** ECS clusters: CreateCluster (idempotent, as on AWS), DescribeClusters, ListClusters, DeleteCluster. */
export class EcsClusters {
  constructor(private readonly ctx: EcsContext) {}

  /** Creating an ACTIVE cluster again returns it; an INACTIVE one comes back ACTIVE. */
  async create(
    scope: Scope,
    input: { clusterName?: string; tags?: readonly Tag[]; settings?: readonly KeyValuePair[] },
  ): Promise<EcsResult<EcsClusterRecord>> {
    const name = input.clusterName ?? "default";
    if (!/^[a-zA-Z0-9_-]{1,255}$/u.test(name))
      return failure(
        "InvalidParameterException",
        `Cluster name '${name}' is not valid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.`,
      );
    const store = this.ctx.store;
    return versionedChange(
      () => store.getCluster(scope, name),
      (current) =>
        current?.cluster.status === "ACTIVE"
          ? ok(current)
          : ok({
              scope,
              version: 0,
              cluster: {
                clusterArn: clusterArn(scope, name),
                clusterName: name,
                status: "ACTIVE",
                tags: input.tags ?? [],
                settings: input.settings ?? [{ name: "containerInsights", value: "disabled" }],
                createdAt: this.ctx.clock.now(),
              },
            }),
      (record) => store.putCluster(record),
    );
  }

  get(scope: Scope, reference: string | undefined): Promise<EcsClusterRecord | undefined> {
    return this.ctx.store.getCluster(scope, clusterNameOf(reference));
  }

  async counts(scope: Scope, name: string): Promise<ClusterCounts> {
    const [services, tasks] = await Promise.all([
      this.ctx.store.listServices(scope, name),
      this.ctx.store.listTasks(scope, name),
    ]);
    return {
      activeServicesCount: services.filter((s) => s.service.status === "ACTIVE").length,
      runningTasksCount: tasks.filter((t) => t.task.lastStatus === "RUNNING").length,
      pendingTasksCount: tasks.filter((t) =>
        ["PROVISIONING", "PENDING", "ACTIVATING"].includes(t.task.lastStatus),
      ).length,
    };
  }

  /** ARNs of the scope's ACTIVE clusters, by name. */
  async listArns(scope: Scope): Promise<string[]> {
    return (await this.ctx.store.listClusters(scope))
      .filter((c) => c.cluster.status === "ACTIVE")
      .map((c) => c.cluster.clusterArn);
  }

  /** DeleteCluster: refused while services are ACTIVE or DRAINING or tasks are not STOPPED. */
  async remove(scope: Scope, reference: string): Promise<EcsResult<EcsClusterRecord>> {
    const name = clusterNameOf(reference);
    const store = this.ctx.store;
    const services = await store.listServices(scope, name);
    if (services.some((s) => s.service.status !== "INACTIVE"))
      return failure(
        "ClusterContainsServicesException",
        `The Cluster cannot be deleted while Services are active. Delete the services of '${name}' first (aws ecs delete-service --force).`,
      );
    const tasks = await store.listTasks(scope, name);
    if (tasks.some((t) => t.task.lastStatus !== "STOPPED"))
      return failure(
        "ClusterContainsTasksException",
        `The Cluster cannot be deleted while Tasks are active. Stop the tasks of '${name}' first (aws ecs stop-task).`,
      );
    return versionedChange(
      () => store.getCluster(scope, name),
      (current) =>
        current && current.cluster.status === "ACTIVE"
          ? ok({ ...current, cluster: { ...current.cluster, status: "INACTIVE" as const } })
          : failure(
              "ClusterNotFoundException",
              `Cluster not found. There is no ACTIVE cluster '${name}' to delete.`,
            ),
      (record) => store.putCluster(record),
    );
  }
}
