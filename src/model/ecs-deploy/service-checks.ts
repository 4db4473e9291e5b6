import { err, ok, type Result } from "../../lib/result.js";
import type { EcsServiceRecord } from "./deployment-progress.js";
import { type EcsDeployError, ecsDeployError } from "./errors.js";

/** ECS's own answer when UpdateService changes the task definition of a CODE_DEPLOY service (spec A.4). */
export const CODE_DEPLOY_CONTROLLER_MESSAGE =
  "Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.";

/** The members of a DescribeServices service the ECS action checks before it deploys. */
export interface DeployableServiceRecord extends EcsServiceRecord {
  readonly taskDefinition?: string;
  readonly deploymentController?: { readonly type?: string };
}

/**
 * Whether the ECS action can deploy to this service, before it registers anything: the service
 * exists (DescribeServices did not answer MISSING), is ACTIVE, uses the ECS deployment
 * controller, and runs a task definition. Answers the task definition to copy.
 */
export function checkServiceForEcsAction(
  service: DeployableServiceRecord | undefined,
  clusterName: string,
  serviceName: string,
): Result<string, EcsDeployError> {
  const fail = (message: string) => err(ecsDeployError("InvalidConfiguration", message));
  if (!service)
    return fail(
      `Service ${serviceName} was not found in cluster ${clusterName} (DescribeServices reports it MISSING); check ClusterName and ServiceName.`,
    );
  if (service.status && service.status !== "ACTIVE")
    return fail(
      `Service ${serviceName} in cluster ${clusterName} is ${service.status}; only an ACTIVE service can be deployed to.`,
    );
  const controller = service.deploymentController?.type ?? "ECS";
  if (controller === "CODE_DEPLOY")
    return fail(
      `${CODE_DEPLOY_CONTROLLER_MESSAGE} Service ${serviceName} uses the CODE_DEPLOY deployment controller: deploy it with a CodeDeployToECS action, not ECS.`,
    );
  if (controller !== "ECS")
    return fail(
      `Service ${serviceName} uses the ${controller} deployment controller; the ECS action deploys only services with the ECS controller.`,
    );
  if (!service.taskDefinition)
    return fail(
      `Service ${serviceName} has no task definition to copy; create it with one (CreateService --task-definition).`,
    );
  return ok(service.taskDefinition);
}
