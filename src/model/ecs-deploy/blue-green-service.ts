import { err, ok, type Result } from "../../lib/result.js";
import type { Service } from "../ecs/types.js";
import { type EcsDeployError, ecsDeployError } from "./errors.js";
import type { RegisterTaskDefinitionInput } from "./task-definition.js";

/**
 * Pipewright has no CodeDeploy API, so the CodeDeployToECS action reads its deployment group as
 * an ECS service: ApplicationName names the cluster and DeploymentGroupName the service (a
 * CodeDeploy ECS deployment group targets exactly one cluster and service; this way both are
 * created with `aws ecs create-cluster` and `create-service` alone). docs/ecs-deploy-action.md.
 */
export function deploymentGroupTarget(config: { applicationName: string; deploymentGroupName: string }): {
  cluster: string;
  service: string;
} {
  return { cluster: config.applicationName, service: config.deploymentGroupName };
}

/** What the action takes from the service before it starts green. */
export interface BlueGreenStart {
  /** The task definition blue runs. */
  readonly blueTaskDefinition: string;
  /** healthCheckGracePeriodSeconds in ms. */
  readonly graceMs: number;
}

/**
 * Whether a blue/green deployment can start on this service with this AppSpec and rendered
 * task definition: the service exists and is ACTIVE, runs a COMPLETED deployment and nothing
 * else but failed deployments on their way out (stable), has tasks (desiredCount > 0), and has a `loadBalancers` entry with a target
 * group for the AppSpec's LoadBalancerInfo ContainerName / ContainerPort, which the task
 * definition's container maps.
 */
export function checkServiceForBlueGreen(
  service: Service | undefined,
  target: { cluster: string; service: string },
  appSpec: { containerName: string; containerPort: number; path: string },
  taskDefinition: RegisterTaskDefinitionInput,
  taskDefinitionPath: string,
): Result<BlueGreenStart, EcsDeployError> {
  const fail = (message: string) => err(ecsDeployError("InvalidConfiguration", message));
  const { cluster, service: name } = target;
  if (!service)
    return fail(
      `Service ${name} was not found in cluster ${cluster}. Pipewright has no CodeDeploy: ApplicationName names the ECS cluster and DeploymentGroupName the service, so create them with aws ecs create-cluster --cluster-name ${cluster} and aws ecs create-service --cluster ${cluster} --service-name ${name} --load-balancers targetGroupArn=...,containerName=${appSpec.containerName},containerPort=${appSpec.containerPort}.`,
    );
  if (service.status !== "ACTIVE")
    return fail(
      `Service ${name} in cluster ${cluster} is ${service.status}; only an ACTIVE service can be deployed to.`,
    );
  const balanced = service.loadBalancers.filter((lb) => lb.targetGroupArn);
  const entry = balanced.find(
    (lb) => lb.containerName === appSpec.containerName && lb.containerPort === appSpec.containerPort,
  );
  if (!entry) {
    const listed = balanced.map((lb) => `${lb.containerName}:${lb.containerPort}`).join(", ");
    return fail(
      `The AppSpec file ${appSpec.path} sends traffic to container ${appSpec.containerName} port ${appSpec.containerPort}, but service ${name} has no loadBalancers entry with a targetGroupArn for it (${listed ? `it has ${listed}` : "it has none"}); blue/green switches the service's target groups, so create the service with --load-balancers targetGroupArn=...,containerName=${appSpec.containerName},containerPort=${appSpec.containerPort}.`,
    );
  }
  const container = taskDefinition.containerDefinitions.find((c) => c.name === appSpec.containerName);
  const ports = (container?.portMappings ?? []) as readonly { containerPort?: number }[];
  if (!ports.some((p) => p.containerPort === appSpec.containerPort))
    return fail(
      `Container ${appSpec.containerName} in ${taskDefinitionPath} maps no containerPort ${appSpec.containerPort} (the AppSpec's LoadBalancerInfo.ContainerPort); add "portMappings": [{"containerPort": ${appSpec.containerPort}}].`,
    );
  // Besides blue, only failed deployments whose tasks are being stopped (an earlier green).
  const primary = service.deployments[0];
  if (
    primary?.rolloutState !== "COMPLETED" ||
    service.deployments.slice(1).some((d) => d.rolloutState !== "FAILED")
  )
    return fail(
      `Service ${name} is not stable: ${service.deployments.map((d) => `deployment ${d.id} is ${d.status} ${d.rolloutState}`).join(", ") || "it has no deployment"}. A blue/green deployment starts from one COMPLETED deployment (blue); wait with aws ecs wait services-stable --cluster ${cluster} --services ${name}.`,
    );
  if (service.desiredCount < 1)
    return fail(`Service ${name} has desiredCount 0: there is no blue to replace; scale it up first.`);
  return ok({
    blueTaskDefinition: primary.taskDefinition,
    graceMs: (service.healthCheckGracePeriodSeconds ?? 0) * 1000,
  });
}
