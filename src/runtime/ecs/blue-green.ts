import { ok } from "../../lib/result.js";
import {
  blueGreenInProgress,
  endBlueGreenBake,
  markTrafficShifted,
  rollBackBlueGreen,
  startBlueGreenDeployment,
} from "../../model/ecs/blue-green.js";
import { withEvents } from "../../model/ecs/services.js";
import type { Service, Task } from "../../model/ecs/types.js";
import type { EcsServiceRecord, Scope } from "../../store/types.js";
import { activeCluster, type EcsContext, type EcsResult, failure, versionedChange } from "./ecs-context.js";
import type { TargetGroups } from "./target-groups.js";

/** What a blue/green deployment looks like now: the service, green's tasks, their target health. */
export interface BlueGreenView {
  readonly service?: Service;
  readonly tasks: readonly Task[];
  readonly targets: readonly {
    readonly targetGroup: string;
    readonly taskId: string;
    readonly state: string;
    readonly reason?: string;
    readonly description?: string;
  }[];
}

/**
 * The effects of a blue/green deployment of an ECS service (the CodeDeployToECS action drives
 * them; the decisions are model/ecs-deploy/blue-green-progress.ts). Green is a PRIMARY
 * deployment with the `pipewrightBlueGreen` marker: the scheduler starts its tasks, the task
 * driver registers them on standby (target-groups.ts), and this class switches the target
 * groups, ends the bake or rolls back by writing the service with its optimistic version.
 * Every method may be called again after a crash: each re-reads the service first.
 */
export class EcsBlueGreen {
  constructor(
    private readonly ctx: EcsContext,
    private readonly targets: TargetGroups,
  ) {}

  private async change(
    scope: Scope,
    cluster: string,
    serviceName: string,
    change: (service: Service) => EcsResult<Service>,
  ): Promise<EcsResult<EcsServiceRecord>> {
    const found = await activeCluster(this.ctx, scope, cluster);
    if (!found.ok) return found;
    const clusterName = found.value.cluster.clusterName;
    const store = this.ctx.store;
    const written = await versionedChange(
      () => store.getService(scope, clusterName, serviceName),
      (current) => {
        if (current?.service.status !== "ACTIVE")
          return failure(
            "ServiceNotFoundException",
            `Service ${serviceName} is not ACTIVE in cluster ${clusterName}.`,
          );
        const next = change(current.service);
        return next.ok ? ok({ ...current, service: next.value }) : next;
      },
      (record) => store.putService(record),
    );
    if (written.ok) this.ctx.wake();
    return written;
  }

  private event(service: Service, message: string): Service {
    return withEvents(service, [{ id: this.ctx.ids.uuid(), createdAt: this.ctx.clock.now(), message }]);
  }

  /** Starts green: a new PRIMARY deployment of the task definition; answers its id. */
  async start(
    scope: Scope,
    cluster: string,
    serviceName: string,
    taskDefinitionArn: string,
  ): Promise<EcsResult<{ deploymentId: string }>> {
    const deploymentId = this.ctx.ids.deploymentId();
    const written = await this.change(scope, cluster, serviceName, (service) => {
      const running = blueGreenInProgress(service);
      if (running)
        return failure(
          "InvalidParameterException",
          `Service ${serviceName} already has a blue/green deployment in progress (${running.id}); wait for it to end.`,
        );
      return ok(startBlueGreenDeployment(service, taskDefinitionArn, deploymentId, this.ctx.clock.now()));
    });
    return written.ok ? ok({ deploymentId }) : written;
  }

  async view(
    scope: Scope,
    cluster: string,
    serviceName: string,
    deploymentId: string,
  ): Promise<BlueGreenView> {
    const record = await this.ctx.store.getService(scope, cluster, serviceName);
    if (!record) return { tasks: [], targets: [] };
    const tasks = (await this.ctx.store.listTasks(scope, cluster, { serviceName }))
      .map((r) => r.task)
      .filter((t) => t.startedBy === deploymentId);
    const ids = tasks.map(taskIdOf);
    const groups = ids.length > 0 ? await this.targets.health(record.service, ids) : [];
    return {
      service: record.service,
      tasks,
      targets: groups.flatMap((g) =>
        g.targets.map((t) => ({
          targetGroup: g.targetGroup,
          taskId: t.Target.Id,
          state: t.TargetHealth.State,
          ...(t.TargetHealth.Reason ? { reason: t.TargetHealth.Reason } : {}),
          ...(t.TargetHealth.Description ? { description: t.TargetHealth.Description } : {}),
        })),
      ),
    };
  }

  /**
   * Switches every target group of the service to green's tasks at once, then records the
   * shift. Answers why not (changing nothing) when a target is not healthy any more.
   */
  async switchTraffic(
    scope: Scope,
    cluster: string,
    serviceName: string,
    deploymentId: string,
    taskIds: readonly string[],
  ): Promise<EcsResult<void>> {
    const record = await this.ctx.store.getService(scope, cluster, serviceName);
    if (!record) return failure("ServiceNotFoundException", `Service ${serviceName} is gone.`);
    const switched = await this.targets.switchTo(record.service, taskIds);
    if (!switched.ok) return failure("InvalidParameterException", switched.message);
    const written = await this.change(scope, cluster, serviceName, (service) =>
      ok(
        this.event(
          markTrafficShifted(service, deploymentId, this.ctx.clock.now()),
          `service (${serviceName}) (deployment ${deploymentId}) shifted production traffic to ${taskIds.length} tasks: ${taskIds.map((id) => `(task ${id})`).join(" ")}.`,
        ),
      ),
    );
    return written.ok ? ok(undefined) : written;
  }

  /** The bake is over: the scheduler stops blue (its targets already drained) and completes green. */
  async endBake(
    scope: Scope,
    cluster: string,
    serviceName: string,
    deploymentId: string,
  ): Promise<EcsResult<void>> {
    const written = await this.change(scope, cluster, serviceName, (service) =>
      ok(endBlueGreenBake(service, deploymentId, this.ctx.clock.now())),
    );
    return written.ok ? ok(undefined) : written;
  }

  /** Green failed before the shift: blue is PRIMARY again; the scheduler stops green's tasks. */
  async rollBack(
    scope: Scope,
    cluster: string,
    serviceName: string,
    deploymentId: string,
    reason: string,
  ): Promise<EcsResult<void>> {
    const written = await this.change(scope, cluster, serviceName, (service) =>
      ok(
        this.event(
          rollBackBlueGreen(service, deploymentId, reason, this.ctx.clock.now()),
          `service (${serviceName}) (deployment ${deploymentId}) blue/green deployment failed, rolled back: ${reason}`,
        ),
      ),
    );
    return written.ok ? ok(undefined) : written;
  }
}

function taskIdOf(task: Task): string {
  return task.taskArn.slice(task.taskArn.lastIndexOf("/") + 1);
}
