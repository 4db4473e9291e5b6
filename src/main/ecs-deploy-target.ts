import type { EcsDeps } from "../api/ecs/deps.js";
import { registerTaskDefinition } from "../api/ecs/operations/task-definitions.js";
import { err, ok } from "../lib/result.js";
import { readShape } from "../lib/shape.js";
import type { TaskDefinitionLike } from "../model/ecs-deploy/index.js";
import type { EcsDeployTarget } from "../providers/ecs-deploy/ecs-deploy-provider.js";

/**
 * The ECS deploy action's view of ECS: the same runtime services the ECS API calls, so the
 * action registers and updates exactly as `aws ecs register-task-definition` and
 * `update-service` would (RegisterTaskDefinition's input is read by the API's own shape).
 */
export function ecsDeployTarget(ecs: EcsDeps, principal = "codepipeline.amazonaws.com"): EcsDeployTarget {
  const registerShape = registerTaskDefinition(ecs).input;
  return {
    async describeService(scope, cluster, service) {
      return (await ecs.services.get(scope, cluster, service))?.service;
    },
    async describeTaskDefinition(scope, reference) {
      const found = await ecs.taskDefinitions.resolve(scope, reference);
      return found.ok
        ? { taskDefinition: found.value.taskDefinition as unknown as TaskDefinitionLike, tags: [] }
        : undefined;
    },
    async registerTaskDefinition(scope, input) {
      const read = readShape(registerShape, input);
      if (!read.value) return err(read.problems.map((p) => `${p.awsPath}: ${p.message}`).join("; "));
      const registered = await ecs.taskDefinitions.register(scope, read.value, principal);
      return registered.ok
        ? ok(registered.value.taskDefinition.taskDefinitionArn)
        : err(registered.error.message);
    },
    async updateService(scope, cluster, service, taskDefinitionArn) {
      const updated = await ecs.services.update(scope, cluster, service, {
        taskDefinition: taskDefinitionArn,
      });
      if (!updated.ok) return err(updated.error.message);
      const primary = updated.value.service.deployments.find((d) => d.status === "PRIMARY");
      return primary ? ok({ deploymentId: primary.id }) : err("UpdateService started no PRIMARY deployment");
    },
  };
}
