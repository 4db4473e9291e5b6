import { ok } from "../../lib/result.js";
import { clusterNameOf, serviceArn, serviceNameOf } from "../../model/ecs/arns.js";
import {
  createService,
  type NewService,
  type ServiceUpdate,
  updateService,
} from "../../model/ecs/services.js";
import type { EcsServiceRecord, Scope } from "../../store/types.js";
import { activeCluster, type EcsContext, type EcsResult, failure, versionedChange } from "./ecs-context.js";
import type { EcsTaskDefinitions } from "./task-definitions.js";

export type CreateServiceInput = Omit<NewService, "serviceArn" | "clusterArn" | "launchType"> & {
  readonly cluster?: string;
  readonly launchType?: string;
};

const notFound = (name: string, cluster: string) =>
  failure(
    "ServiceNotFoundException",
    `Service not found. There is no service '${name}' in cluster '${cluster}'; aws ecs list-services --cluster ${cluster} lists them.`,
  );

/** ECS services as the API changes them; the scheduler (scheduler.ts) runs their tasks. */
export class EcsServices {
  constructor(
    private readonly ctx: EcsContext,
    private readonly definitions: EcsTaskDefinitions,
  ) {}

  async create(
    scope: Scope,
    input: CreateServiceInput,
    principal: string,
  ): Promise<EcsResult<EcsServiceRecord>> {
    const cluster = await activeCluster(this.ctx, scope, input.cluster);
    if (!cluster.ok) return cluster;
    const definition = await this.definitions.resolve(scope, input.taskDefinition);
    if (!definition.ok)
      return failure("ClientException", `TaskDefinition not found. ${definition.error.message}`);
    if (definition.value.taskDefinition.status !== "ACTIVE")
      return failure(
        "ClientException",
        `TaskDefinition is inactive: ${definition.value.taskDefinition.taskDefinitionArn}; register a new revision.`,
      );
    const clusterName = cluster.value.cluster.clusterName;
    const store = this.ctx.store;
    const created = await versionedChange(
      () => store.getService(scope, clusterName, input.serviceName),
      (current) => {
        if (current && current.service.status !== "INACTIVE")
          return failure(
            "InvalidParameterException",
            `Creation of service was not idempotent. A service named '${input.serviceName}' already exists in cluster '${clusterName}'; update it with UpdateService or choose another name.`,
          );
        const service = createService(
          {
            ...input,
            serviceArn: serviceArn(scope, clusterName, input.serviceName),
            clusterArn: cluster.value.cluster.clusterArn,
            taskDefinition: definition.value.taskDefinition.taskDefinitionArn,
            launchType: input.launchType ?? "EC2",
          },
          this.ctx.ids.deploymentId(),
          this.ctx.clock.now(),
          principal,
        );
        return ok({ scope, clusterName, version: 0, service });
      },
      (record) => store.putService(record),
    );
    if (created.ok) this.ctx.wake();
    return created;
  }

  get(scope: Scope, cluster: string | undefined, reference: string): Promise<EcsServiceRecord | undefined> {
    return this.ctx.store.getService(scope, clusterNameOf(cluster), serviceNameOf(reference));
  }

  async update(
    scope: Scope,
    clusterRef: string | undefined,
    reference: string,
    update: ServiceUpdate,
  ): Promise<EcsResult<EcsServiceRecord>> {
    const cluster = await activeCluster(this.ctx, scope, clusterRef);
    if (!cluster.ok) return cluster;
    const clusterName = cluster.value.cluster.clusterName;
    const name = serviceNameOf(reference);
    let taskDefinition: string | undefined;
    if (update.taskDefinition !== undefined) {
      const definition = await this.definitions.resolve(scope, update.taskDefinition);
      if (!definition.ok)
        return failure("ClientException", `TaskDefinition not found. ${definition.error.message}`);
      taskDefinition = definition.value.taskDefinition.taskDefinitionArn;
    }
    const store = this.ctx.store;
    const updated = await versionedChange(
      () => store.getService(scope, clusterName, name),
      (current) => {
        if (!current) return notFound(name, clusterName);
        if (current.service.status !== "ACTIVE")
          return failure(
            "ServiceNotActiveException",
            `Service was not ACTIVE. '${name}' is ${current.service.status}; create it again with CreateService.`,
          );
        const service = updateService(
          current.service,
          { ...update, ...(taskDefinition === undefined ? {} : { taskDefinition }) },
          this.ctx.ids.deploymentId(),
          this.ctx.clock.now(),
        );
        return ok({ ...current, service });
      },
      (record) => store.putService(record),
    );
    if (updated.ok) this.ctx.wake();
    return updated;
  }

  async listArns(scope: Scope, clusterRef: string | undefined): Promise<EcsResult<string[]>> {
    const cluster = await activeCluster(this.ctx, scope, clusterRef);
    if (!cluster.ok) return cluster;
    const records = await this.ctx.store.listServices(scope, cluster.value.cluster.clusterName);
    return ok(records.filter((r) => r.service.status !== "INACTIVE").map((r) => r.service.serviceArn));
  }

  /**
   * DeleteService: refused while desiredCount > 0 unless `force`; the service becomes DRAINING
   * with desiredCount 0, and INACTIVE once the scheduler has stopped its tasks.
   */
  async remove(
    scope: Scope,
    clusterRef: string | undefined,
    reference: string,
    force: boolean,
  ): Promise<EcsResult<EcsServiceRecord>> {
    const cluster = await activeCluster(this.ctx, scope, clusterRef);
    if (!cluster.ok) return cluster;
    const clusterName = cluster.value.cluster.clusterName;
    const name = serviceNameOf(reference);
    const store = this.ctx.store;
    const removed = await versionedChange(
      () => store.getService(scope, clusterName, name),
      (current) => {
        if (!current || current.service.status === "INACTIVE") return notFound(name, clusterName);
        if (current.service.desiredCount > 0 && !force)
          return failure(
            "InvalidParameterException",
            `The service cannot be stopped while it is scaled above 0. Scale '${name}' to 0 with UpdateService (--desired-count 0) or delete it with force.`,
          );
        const now = this.ctx.clock.now();
        return ok({
          ...current,
          service: {
            ...current.service,
            status: "DRAINING" as const,
            desiredCount: 0,
            deployments: current.service.deployments.map((d) => ({ ...d, desiredCount: 0, updatedAt: now })),
          },
        });
      },
      (record) => store.putService(record),
    );
    if (removed.ok) this.ctx.wake();
    return removed;
  }
}
